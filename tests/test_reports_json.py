"""JSON report: the documented fields, history extras, stable ordering."""

from __future__ import annotations

import json
from typing import Any

from credmigrate import __version__
from credmigrate.findings.model import (
    Binding,
    Confidence,
    Location,
    ScanResult,
    Skipped,
    Span,
    Status,
)
from credmigrate.report import render
from tests.fakes_reports import history_commit, make_finding


def _doc(result: ScanResult, **kw: Any) -> dict[str, Any]:
    doc = json.loads(render(result, "json", **kw))
    assert isinstance(doc, dict)
    return doc


def test_finding_fields() -> None:
    binding = Binding(
        kind="dict_key",
        name="PASSWORD",
        target="DATABASES.default.PASSWORD",
        scope="Settings",
        call="",
        literal=Span(7, 20, 7, 44),
    )
    f = make_finding(line=7, column=21, binding=binding, group="g-7", confidence=Confidence.HIGH)
    doc = _doc(ScanResult((f,), files_scanned=4))
    assert set(doc) == {"version", "findings", "skipped", "summary"}
    assert doc["version"] == __version__
    (item,) = doc["findings"]
    assert item == {
        "rule_id": f.rule_id,
        "description": f.description,
        "path": "app/settings.py",
        "line": 7,
        "column": 21,
        "end_line": 7,
        "end_column": 21 + len(f.secret),
        "fingerprint": f.fingerprint,
        "redacted": f.redacted,
        "confidence": "high",
        "binding": {
            "kind": "dict_key",
            "name": "PASSWORD",
            "target": "DATABASES.default.PASSWORD",
            "scope": "Settings",
            "call": "",
            "literal": {"line": 7, "column": 20, "end_line": 7, "end_column": 44},
            "embedded": False,
        },
        "group": "g-7",
    }


def test_history_finding_adds_commit_status_and_other_locations() -> None:
    c = history_commit("j")
    f = make_finding(
        commit=c, status=Status.HISTORY_ONLY, other_locations=(Location("old.py", "abc", 3),)
    )
    (item,) = _doc(ScanResult((f,)))["findings"]
    assert item["commit"] == {"sha": c.sha, "author": c.author, "date": c.date, "refs": ["main"]}
    assert item["status"] == "history-only"
    assert item["other_locations"] == [{"path": "old.py", "commit": "abc", "line": 3}]
    assert item["binding"] is None


def test_secret_only_with_show_secrets() -> None:
    f = make_finding()
    assert "secret" not in _doc(ScanResult((f,)))["findings"][0]
    assert _doc(ScanResult((f,)), show_secrets=True)["findings"][0]["secret"] == f.secret


def test_order_is_stable_whatever_the_input_order() -> None:
    fs = [
        make_finding(path="b.py", line=1),
        make_finding(path="a.py", line=10),
        make_finding(path="a.py", line=2),
        make_finding(path="a.py", line=2, column=1, rule_id="aws-access-key"),
    ]
    skipped = (Skipped("z.png", "binary"), Skipped("a.png", "binary"))
    first = render(ScanResult(tuple(fs), skipped), "json")
    second = render(ScanResult(tuple(reversed(fs)), tuple(reversed(skipped))), "json")
    assert first == second
    doc = json.loads(first)
    assert [(i["path"], i["line"], i["column"]) for i in doc["findings"]] == [
        ("a.py", 2, 1),
        ("a.py", 2, 12),
        ("a.py", 10, 12),
        ("b.py", 1, 12),
    ]
    assert [s["path"] for s in doc["skipped"]] == ["a.png", "z.png"]


def test_summary() -> None:
    result = ScanResult(
        (make_finding(path="a"), make_finding(path="a", line=5), make_finding(path="b")),
        skipped=(Skipped("x", "binary"), Skipped("y", "too large")),
        files_scanned=9,
        bytes_scanned=1234,
        notes=("history truncated: shallow clone",),
        errors=("object 1234abcd is corrupt",),
        suppressed=1,
    )
    assert _doc(result)["summary"] == {
        "findings": 3,
        "files_with_findings": 2,
        "files_scanned": 9,
        "bytes_scanned": 1234,
        "skipped": {"binary": 1, "too large": 1},
        "suppressed": 1,
        "notes": ["history truncated: shallow clone"],
        "errors": ["object 1234abcd is corrupt"],
    }


def test_undecodable_path_bytes_survive_as_json() -> None:
    path = b"bad\xffname.py".decode("utf-8", "surrogateescape")
    out = render(ScanResult((make_finding("fake-value-" + "k3" * 6, path=path),)), "json")
    out.encode("ascii")  # writable to any stream
    assert json.loads(out)["findings"][0]["path"] == path
