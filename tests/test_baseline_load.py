"""Loading baselines: detect-secrets' format, bad input, atomic writes."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from credmigrate.errors import BadInputError, ExitCode
from credmigrate.findings.baseline import Baseline, write_baseline
from tests import fakes
from tests.fakes_reports import make_finding


def test_real_detect_secrets_baseline_is_accepted(tmp_path: Path) -> None:
    """A baseline written by the detect-secrets CLI itself suppresses the same values."""
    key_id, password, pat = fakes.aws_key_id(11), fakes.password(12), fakes.github_pat(14)
    src = tmp_path / "src"
    (src / "conf").mkdir(parents=True)
    (src / "conf" / "settings.py").write_text(
        f'AWS_KEY = "{key_id}"\npassword = "{password}"\nGH = "{pat}"\n', encoding="utf-8"
    )
    out = subprocess.run(
        [sys.executable, "-m", "detect_secrets", "scan", "--all-files", "."],
        cwd=src,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    baseline_file = tmp_path / ".secrets.baseline"
    baseline_file.write_text(out, encoding="utf-8")
    found = {r["line_number"] for r in json.loads(out)["results"]["conf/settings.py"]}
    assert found == {1, 2, 3}  # detect-secrets found all three

    baseline = Baseline.load(baseline_file)
    assert baseline.kind == "detect-secrets"
    accepted = [
        make_finding(key_id, rule_id="aws-access-key", path="conf/settings.py", line=1),
        make_finding(password, path="conf/settings.py", line=2),
    ]
    # a new secret on an accepted line, and an accepted value copied to another file
    new_on_line = make_finding(fakes.password(13), path="conf/settings.py", line=2, column=40)
    elsewhere = make_finding(password, path="conf/other.py", line=2)
    # the token's full value is in the baseline too (its high-entropy detector hashed all of it)
    accepted.append(make_finding(pat, rule_id="github-token", path="conf/settings.py", line=3))
    # but its GitHub detector hashed only "ghp": honouring that would accept any new token
    new_token = make_finding(fakes.github_pat(15), rule_id="github-token", path="conf/settings.py")
    kept, suppressed = baseline.filter([*accepted, new_on_line, elsewhere, new_token])
    assert suppressed == 3
    assert kept == [new_on_line, elsewhere, new_token]
    (note,) = baseline.notes
    assert "1 detect-secrets GitHub/GitLab token entries hash only the token prefix" in note


def test_detect_secrets_shape_by_hand(tmp_path: Path) -> None:
    value = fakes.token(30, "ds")
    doc = {
        "version": "1.5.0",
        "results": {
            "./a/b.env": [
                {
                    "type": "Secret Keyword",
                    "filename": "./a/b.env",
                    "hashed_secret": hashlib.sha1(value.encode()).hexdigest(),
                    "is_verified": False,
                    "line_number": 4,
                }
            ]
        },
        "generated_at": "2024-01-01T00:00:00Z",
    }
    p = tmp_path / ".secrets.baseline"
    p.write_text(json.dumps(doc), encoding="utf-8")
    baseline = Baseline.load(p)
    assert baseline.suppresses(make_finding(value, path="a/b.env", line=9))
    assert not baseline.suppresses(make_finding(value + "x", path="a/b.env", line=4))


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "is not valid JSON (line 1"),
        ("[1, 2]", "neither a credmigrate, detect-secrets nor gitleaks baseline"),
        ('[{"RuleID": "x", "File": "a.py"}]', "gitleaks finding 0 needs 'File' and 'Secret'"),
        ('[{"RuleID": "x", "File": "a.py", "Secret": "REDACTED"}]', "redacted gitleaks report"),
        ('{"hello": 1}', "neither a credmigrate, detect-secrets nor gitleaks baseline"),
        ('{"version": 1, "fingerprints": "abc"}', "'fingerprints' must be a list of strings"),
        ('{"version": "1", "fingerprints": []}', "'version' must be an integer"),
        ('{"version": 9, "fingerprints": []}', "has version 9"),
        ('{"version": 1, "fingerprints": [], "entries": [{"path": "a"}]}', "entry 0 needs"),
        ('{"results": []}', "'results' must be an object"),
        ('{"results": {"a.py": [{"type": "x"}]}}', "has no 'hashed_secret'"),
        ("", "is not valid JSON"),
    ],
)
def test_corrupt_baseline_is_one_clear_bad_input_line(
    tmp_path: Path, content: str, expected: str
) -> None:
    p = tmp_path / "baseline.json"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(BadInputError) as info:
        Baseline.load(p)
    assert expected in info.value.message
    assert str(p) in info.value.message
    assert "\n" not in info.value.message
    assert info.value.exit_code == ExitCode.BAD_INPUT


def test_gitleaks_report_is_accepted_by_value_only(tmp_path: Path) -> None:
    value = fakes.github_pat(21)
    report = [
        {
            "Description": "GitHub Personal Access Token",
            "StartLine": 2,
            "EndLine": 2,
            "StartColumn": 9,
            "EndColumn": 48,
            "Match": f"token = {value}",
            "Secret": value,
            "File": "./ci/deploy.py",
            "Commit": "",
            "RuleID": "github-pat",
            "Fingerprint": "ci/deploy.py:github-pat:2",
        }
    ]
    p = tmp_path / "gitleaks-baseline.json"
    p.write_text(json.dumps(report), encoding="utf-8")
    baseline = Baseline.load(p)
    assert baseline.kind == "gitleaks"
    assert value not in repr(baseline)  # only hashes are kept
    # our rule id differs from gitleaks'; the value at that path is what was accepted
    assert baseline.suppresses(make_finding(value, rule_id="github-token", path="ci/deploy.py"))
    assert not baseline.suppresses(make_finding(fakes.github_pat(22), path="ci/deploy.py", line=2))
    assert not baseline.suppresses(make_finding(value, path="ci/other.py"))
    # a clean gitleaks run writes an empty list: a valid, empty baseline
    p.write_text("[]", encoding="utf-8")
    assert len(Baseline.load(p)) == 0


def test_missing_and_unreadable_baseline(tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match="does not exist"):
        Baseline.load(tmp_path / "nope.json")
    (tmp_path / "bin.json").write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(BadInputError, match="cannot read baseline"):
        Baseline.load(tmp_path / "bin.json")


def test_write_is_atomic_and_leaves_no_temp_files(tmp_path: Path) -> None:
    target = tmp_path / "baseline.json"
    write_baseline(target, [make_finding()])
    first = target.read_text(encoding="utf-8")
    write_baseline(target, [make_finding(), make_finding(path="b.py")])
    assert target.read_text(encoding="utf-8") != first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["baseline.json"]


def test_failed_write_keeps_the_old_file_and_raises_bad_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "baseline.json"
    write_baseline(target, [make_finding()])
    before = target.read_bytes()
    with pytest.raises(BadInputError, match="cannot write baseline"):
        write_baseline(tmp_path / "missing-dir" / "baseline.json", [make_finding()])

    def disk_full(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(BadInputError, match="No space left on device"):
        write_baseline(target, [make_finding(path="new.py")])
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["baseline.json"]


def test_existing_file_mode_is_kept(tmp_path: Path) -> None:
    target = tmp_path / "baseline.json"
    write_baseline(target, [])
    assert target.stat().st_mode & 0o777 == 0o644
    target.chmod(0o640)
    write_baseline(target, [make_finding()])
    assert target.stat().st_mode & 0o777 == 0o640
