"""Baseline round-trip: write then load suppresses exactly the accepted findings."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from credmigrate.findings.baseline import Baseline, write_baseline
from credmigrate.findings.fingerprint import secret_hash
from credmigrate.findings.model import Finding
from tests.fakes_reports import findings_st, make_finding


def _key(f: Finding) -> tuple[str, str]:
    return (f.path, f.secret)


@settings(max_examples=50, deadline=None)
@given(st.lists(findings_st(), max_size=8), st.lists(findings_st(), max_size=8))
def test_write_then_load_suppresses_exactly_the_accepted(
    accepted: list[Finding], others: list[Finding]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "baseline.json"
        write_baseline(path, accepted)
        baseline = Baseline.load(path)
        # An accepted value at an accepted path is suppressed; anything else is still reported.
        accepted_keys = {_key(f) for f in accepted}
        new = [f for f in others if _key(f) not in accepted_keys]
        kept, suppressed = baseline.filter([*accepted, *new])
        assert suppressed == len(accepted)
        assert kept == new
        text = path.read_text(encoding="utf-8")
        for f in [*accepted, *others]:
            assert f.secret not in text


@settings(max_examples=30, deadline=None)
@given(st.lists(findings_st(), max_size=8))
def test_output_is_stable_sorted_and_independent_of_order(findings: list[Finding]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        a, b = Path(tmp) / "a.json", Path(tmp) / "b.json"
        write_baseline(a, findings)
        write_baseline(b, list(reversed(findings)) + findings)  # duplicates collapse
        assert a.read_bytes() == b.read_bytes()
        doc = json.loads(a.read_text(encoding="utf-8"))
        assert list(doc) == ["version", "generated_by", "fingerprints", "entries"]
        assert doc["version"] == 1 and doc["generated_by"] == "credmigrate"
        assert doc["fingerprints"] == sorted({f.fingerprint for f in findings})
        assert doc["entries"] == sorted(
            doc["entries"], key=lambda e: (e["path"], e["rule_id"], e["fingerprint"])
        )
        assert {(e["fingerprint"], e["secret_hash"]) for e in doc["entries"]} == {
            (f.fingerprint, secret_hash(f.secret)) for f in findings
        }
        assert "generated_at" not in doc


def test_new_secret_on_an_already_baselined_line_is_still_reported(tmp_path: Path) -> None:
    old = make_finding("fake-Old-" + "a1B2" * 5, path="app.py", line=3, column=12)
    write_baseline(tmp_path / "b.json", [old])
    baseline = Baseline.load(tmp_path / "b.json")
    # same file, same line, same rule, a second value added next to the accepted one
    new = make_finding("fake-New-" + "c3D4" * 5, path="app.py", line=3, column=50)
    kept, suppressed = baseline.filter([old, new])
    assert kept == [new] and suppressed == 1
    # the accepted value replaced by a new one on that very line: reported
    replaced = make_finding("fake-Rep-" + "e5F6" * 5, path="app.py", line=3, column=12)
    assert not baseline.suppresses(replaced)


def test_moved_within_file_or_other_rule_stays_accepted_but_not_in_another_file(
    tmp_path: Path,
) -> None:
    secret = "fake-Mov-" + "g7H8" * 5
    write_baseline(tmp_path / "b.json", [make_finding(secret, path="app.py", line=3)])
    baseline = Baseline.load(tmp_path / "b.json")
    assert baseline.suppresses(make_finding(secret, path="app.py", line=90, column=1))
    # a rule renamed or a second rule matching the same value: accepted by (path, secret_hash)
    assert baseline.suppresses(make_finding(secret, path="app.py", rule_id="renamed-rule"))
    # the same value copied into another file is a new exposure
    assert not baseline.suppresses(make_finding(secret, path="other.py", line=3))


def test_empty_baseline(tmp_path: Path) -> None:
    write_baseline(tmp_path / "b.json", [])
    baseline = Baseline.load(tmp_path / "b.json")
    f = make_finding()
    assert baseline.filter([f]) == ([f], 0)
    assert len(baseline) == 0
