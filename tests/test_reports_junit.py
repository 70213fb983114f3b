"""JUnit: well-formed XML, one failing case per finding, a passing case when clean."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from credmigrate.findings.model import ScanResult, Skipped, Status
from credmigrate.report import render
from tests.fakes_reports import history_commit, make_finding


def _suite(result: ScanResult, show_secrets: bool = False) -> ET.Element:
    root = ET.fromstring(render(result, "junit", show_secrets=show_secrets))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert len(suites) == 1
    return suites[0]


def test_one_failing_case_per_finding() -> None:
    fs = (
        make_finding(path="b.py", line=2),
        make_finding(path="a.py", line=7, rule_id="github-pat"),
        make_finding(path="h.py", commit=history_commit(), status=Status.HISTORY_ONLY),
    )
    suite = _suite(ScanResult(fs, skipped=(Skipped("x.png", "binary"),), files_scanned=5))
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == [
        "github-pat at a.py:7",
        "generic-password at b.py:2",
        "generic-password at h.py:3",
    ]
    assert suite.get("tests") == "3" and suite.get("failures") == "3"
    for case, f in zip(cases, sorted(fs, key=lambda f: f.sort_key()), strict=True):
        failure = case.find("failure")
        assert failure is not None
        assert failure.get("type") == f.rule_id
        assert f.redacted in (failure.get("message") or "")
        assert f.fingerprint in (failure.text or "")
        assert case.get("file") == f.path
    history_text = cases[2].find("failure")
    assert history_text is not None and "(history-only)" in (history_text.text or "")
    out = suite.find("system-out")
    assert out is not None and "skipped (binary): 1" in (out.text or "")


def test_clean_scan_has_one_passing_case() -> None:
    suite = _suite(ScanResult((), files_scanned=3))
    (case,) = suite.findall("testcase")
    assert case.get("name") == "no secrets found"
    assert list(case) == []
    assert suite.get("tests") == "1" and suite.get("failures") == "0"


def test_scan_errors_are_an_error_case() -> None:
    suite = _suite(ScanResult((), errors=("object deadbeef is corrupt",)))
    (case,) = suite.findall("testcase")
    error = case.find("error")
    assert error is not None and "deadbeef" in (error.text or "")
    assert suite.get("errors") == "1"


def test_xml_stays_well_formed_with_hostile_text() -> None:
    f = make_finding(path='a<&>"\x01\x1b.py', description="desc with ]]> and \x00")
    suite = _suite(ScanResult((f,)))
    case = suite.find("testcase")
    assert case is not None
    assert case.get("file") == 'a<&>"\\x01\\x1b.py'


def test_xml_non_characters_and_newlines_in_values() -> None:
    f = make_finding("fake\ufffe" + "Ab1" * 6, path="odd\ufffe.py")
    suite = _suite(ScanResult((f,)), show_secrets=True)
    case = suite.find("testcase")
    assert case is not None and case.get("file") == "odd\\ufffe.py"
    failure = case.find("failure")
    assert failure is not None and "fake\\ufffe" in (failure.text or "")
    assert len((failure.text or "").splitlines()) == 4  # location, description, confidence, fp
