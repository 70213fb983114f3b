"""JUnit XML for CI systems other than GitHub: one failing test case per finding."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from credmigrate.findings.model import Finding, ScanResult
from credmigrate.report.common import (
    binding_label,
    escape_control,
    plural,
    skipped_counts,
    sorted_findings,
)

SUITE = "credmigrate"


def _text(value: str) -> str:
    # XML 1.0 can't carry most control characters or lone surrogates, even escaped.
    return escape_control(value)


def _failure_body(f: Finding, show_secrets: bool) -> str:
    s = f.span
    lines = [
        f"{f.path}:{s.line}:{s.column}  {f.rule_id}  {f.secret if show_secrets else f.redacted}",
        f"description: {f.description}",
        f"confidence: {f.confidence.value}",
        f"fingerprint: {f.fingerprint}",
    ]
    if f.binding is not None:
        lines.append(f"binding: {binding_label(f.binding)}")
    if f.commit is not None:
        c = f.commit
        status = f.status.value if f.status is not None else "history-only"
        lines.append(f"commit: {c.sha} by {c.author} on {c.date} ({status})")
        lines.append(f"other locations: {len(f.other_locations)}")
    return "\n".join(_text(line) for line in lines)


def _case(suite: ET.Element, f: Finding, show_secrets: bool) -> None:
    s = f.span
    where = f"{f.repo}: {f.path}" if f.repo else f.path
    case = ET.SubElement(
        suite,
        "testcase",
        {
            "classname": _text(f"{SUITE}.{f.rule_id}"),
            "name": _text(f"{f.rule_id} at {where}:{s.line}"),
            "file": _text(where),
            "line": str(s.line),
        },
    )
    failure = ET.SubElement(
        case,
        "failure",
        {"message": _text(f"{f.description or f.rule_id}: {f.redacted}"), "type": _text(f.rule_id)},
    )
    failure.text = _failure_body(f, show_secrets)


def render_junit(result: ScanResult, *, show_secrets: bool = False) -> str:
    """One ``<testsuite>``: a failing case per finding, an error case for scan errors, and a
    passing case when the scan is clean."""
    findings = sorted_findings(result.findings)
    root = ET.Element("testsuites", {"name": SUITE})
    suite = ET.SubElement(root, "testsuite", {"name": SUITE})
    for f in findings:
        _case(suite, f, show_secrets)
    errors = 0
    if result.errors:
        errors = 1
        case = ET.SubElement(suite, "testcase", {"classname": SUITE, "name": "scan errors"})
        err = ET.SubElement(
            case, "error", {"message": plural(len(result.errors), "error") + " during the scan"}
        )
        err.text = "\n".join(_text(e) for e in result.errors)
    if not findings and not result.errors:
        ET.SubElement(suite, "testcase", {"classname": SUITE, "name": "no secrets found"})
    tests = len(suite)
    counts = {"tests": str(tests), "failures": str(len(findings)), "errors": str(errors)}
    for element in (root, suite):
        for key, value in counts.items():
            element.set(key, value)
    suite.set("skipped", "0")
    summary = [f"{plural(result.files_scanned, 'file')} scanned"]
    summary += [f"skipped ({reason}): {n}" for reason, n in skipped_counts(result).items()]
    summary += [f"note: {note}" for note in result.notes]
    if result.suppressed:
        summary.append(f"suppressed: {result.suppressed}")
    out = ET.SubElement(suite, "system-out")
    out.text = "\n".join(_text(line) for line in summary)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
