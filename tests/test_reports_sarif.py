"""SARIF: valid against the official 2.1.0 schema (kept offline), GitHub-ready fields."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from credmigrate import __version__
from credmigrate.findings.model import Finding, ScanResult, Span, Status
from credmigrate.report import render
from tests.fakes_reports import findings_st, history_commit, make_finding, python_binding

SCHEMA_PATH = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"


@cache
def _validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _sarif(result: ScanResult, **kw: Any) -> dict[str, Any]:
    doc = json.loads(render(result, "sarif", **kw))
    _validator().validate(doc)
    assert isinstance(doc, dict)
    return doc


@dataclass(frozen=True)
class _Rule:
    id: str
    description: str
    tags: tuple[str, ...]


def test_schema_is_the_official_one_and_rejects_broken_sarif() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["id"].startswith("https://docs.oasis-open.org/sarif/sarif/v2.1.0/")
    doc = _sarif(ScanResult((make_finding(),)))
    del doc["runs"][0]["results"][0]["message"]
    with pytest.raises(jsonschema.ValidationError):
        _validator().validate(doc)
    doc = _sarif(ScanResult((make_finding(),)))
    doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    with pytest.raises(jsonschema.ValidationError):
        _validator().validate(doc)


def test_result_fields() -> None:
    f = make_finding(path="dir with space/ñ.py", line=4, column=9, binding=python_binding())
    run = _sarif(ScanResult((f,)))["runs"][0]
    assert run["tool"]["driver"]["name"] == "credmigrate"
    assert run["tool"]["driver"]["version"] == __version__
    (res,) = run["results"]
    assert res["ruleId"] == f.rule_id
    assert run["tool"]["driver"]["rules"][res["ruleIndex"]]["id"] == f.rule_id
    assert res["level"] == "error"
    assert f.redacted in res["message"]["text"]
    assert "DB_PASSWORD" in res["message"]["text"]
    loc = res["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {
        "uri": "dir%20with%20space/%C3%B1.py",
        "uriBaseId": "%SRCROOT%",
    }
    assert loc["region"] == {
        "startLine": 4,
        "startColumn": 9,
        "endLine": 4,
        "endColumn": 9 + len(f.secret),
    }
    assert res["partialFingerprints"] == {"credmigrate/v1": f.fingerprint}


def test_undecodable_path_bytes_are_percent_encoded() -> None:
    path = b"bad\xffname.py".decode("utf-8", "surrogateescape")
    run = _sarif(ScanResult((make_finding("fake-value-" + "k3" * 6, path=path),)))["runs"][0]
    uri = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "bad%FFname.py"


def test_partial_fingerprint_ignores_line_moves() -> None:
    """The same secret moved down a file keeps its alert identity (GitHub won't duplicate it)."""
    secret = "fake-" + "Zq8" * 8
    before = _sarif(ScanResult((make_finding(secret, line=3),)))
    after = _sarif(ScanResult((make_finding(secret, line=30),)))
    fp = [d["runs"][0]["results"][0]["partialFingerprints"] for d in (before, after)]
    assert fp[0] == fp[1]
    other = _sarif(ScanResult((make_finding(secret + "x", line=3),)))
    assert other["runs"][0]["results"][0]["partialFingerprints"] != fp[0]


def test_rules_from_metadata_and_from_findings() -> None:
    given_rules = [
        _Rule("github-pat", "GitHub personal access token", ("github", "token")),
        _Rule("aws-access-key", "AWS access key id", ("aws",)),
    ]
    fs = (
        make_finding(rule_id="github-pat"),
        make_finding(rule_id="custom-rule", description="Team rule", path="z.py"),
    )
    run = _sarif(ScanResult(fs), rules=given_rules)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["aws-access-key", "custom-rule", "github-pat"]
    by_id = {r["id"]: r for r in rules}
    assert by_id["github-pat"]["shortDescription"]["text"] == "GitHub personal access token"
    assert {"github", "token", "security"} <= set(by_id["github-pat"]["properties"]["tags"])
    assert by_id["custom-rule"]["shortDescription"]["text"] == "Team rule"
    for res in run["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]


def test_history_and_errors_are_carried() -> None:
    f = make_finding(commit=history_commit(), status=Status.HISTORY_ONLY)
    run = _sarif(ScanResult((f,), errors=("object deadbeef is corrupt",), notes=("shallow",)))[
        "runs"
    ][0]
    props = run["results"][0]["properties"]
    assert props["status"] == "history-only"
    assert f.commit is not None
    assert props["commit"]["sha"] == f.commit.sha
    inv = run["invocations"][0]
    assert inv["executionSuccessful"] is False
    assert [n["level"] for n in inv["toolExecutionNotifications"]] == ["note", "error"]


def test_clean_scan_is_valid_with_no_results() -> None:
    run = _sarif(ScanResult(()))["runs"][0]
    assert run["results"] == []
    assert run["tool"]["driver"]["rules"] == []


def test_degenerate_span_still_valid() -> None:
    f = make_finding()
    bad = f._replace(span=Span(0, 0, 0, 0))
    _sarif(ScanResult((bad,)))


@settings(max_examples=40, deadline=None)
@given(st.lists(findings_st(), max_size=6))
def test_any_findings_give_schema_valid_sarif(findings: list[Finding]) -> None:
    doc = _sarif(ScanResult(tuple(findings)))
    assert len(doc["runs"][0]["results"]) == len(findings)


def test_builtin_rules_as_sarif_metadata() -> None:
    """The real rule type satisfies the renderer's protocol and its metadata is schema-valid."""
    from credmigrate.detect.rules import builtin_rules

    rules = builtin_rules()
    f = make_finding(rule_id=rules[0].id, description=rules[0].description)
    driver = _sarif(ScanResult((f,)), rules=rules)["runs"][0]["tool"]["driver"]
    assert sorted(r["id"] for r in driver["rules"]) == sorted({r.id for r in rules})
    entry = next(r for r in driver["rules"] if r["id"] == rules[0].id)
    assert set(rules[0].tags) <= set(entry["properties"]["tags"])
