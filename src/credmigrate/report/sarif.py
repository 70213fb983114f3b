"""SARIF 2.1.0, ready for GitHub code scanning upload.

``partialFingerprints`` carries our line-independent fingerprint, so an alert keeps its identity
across runs and branches (edits above a secret don't open a new alert).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Protocol
from urllib.parse import quote

from credmigrate import __version__
from credmigrate.findings.model import Finding, ScanResult
from credmigrate.report.common import repo_dict, repo_rows, sorted_findings

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
FINGERPRINT_KEY = "credmigrate/v1"
SRCROOT = "%SRCROOT%"


class RuleLike(Protocol):
    """What the SARIF driver needs of a rule (``credmigrate.detect.rules.Rule`` satisfies it)."""

    @property
    def id(self) -> str: ...

    @property
    def description(self) -> str: ...

    @property
    def tags(self) -> Sequence[str]: ...


def _uri(path: str) -> str:
    # A relative URI reference: percent-encode spaces, '#', '%', non-ASCII; undecodable path
    # bytes (lone surrogates) go back to their original bytes first.
    return quote(path, safe="/", encoding="utf-8", errors="surrogateescape")


def _rule_entry(rule_id: str, description: str, tags: Sequence[str]) -> dict[str, Any]:
    all_tags = sorted({*tags, "security", "secret"})
    return {
        "id": rule_id,
        "name": rule_id,
        "shortDescription": {"text": description or rule_id},
        "defaultConfiguration": {"level": "error"},
        "properties": {"tags": all_tags},
    }


def _rules(findings: Sequence[Finding], rules: Sequence[RuleLike]) -> list[dict[str, Any]]:
    """Every given rule, plus any rule a finding names that wasn't given; sorted by id."""
    entries: dict[str, dict[str, Any]] = {}
    for rule in rules:
        entries[rule.id] = _rule_entry(rule.id, rule.description, tuple(rule.tags))
    for f in findings:
        if f.rule_id not in entries:
            entries[f.rule_id] = _rule_entry(f.rule_id, f.description, ())
    return [entries[k] for k in sorted(entries)]


def _region(f: Finding) -> dict[str, int]:
    s = f.span
    start_line, start_col = max(s.line, 1), max(s.column, 1)
    end_line = max(s.end_line, start_line)
    end_col = max(s.end_column, 1)
    if end_line == start_line:
        end_col = max(end_col, start_col)
    return {
        "startLine": start_line,
        "startColumn": start_col,
        "endLine": end_line,
        "endColumn": end_col,
    }


def _message(f: Finding) -> str:
    text = f"{f.description or f.rule_id}: {f.redacted}"
    if f.binding is not None:
        text += f" (bound to {f.binding.target or f.binding.name})"
    if f.commit is not None:
        status = f.status.value if f.status is not None else "history-only"
        text += f"; introduced in commit {f.commit.sha[:8]} ({status})"
    return text


def _result(f: Finding, rule_index: int, show_secrets: bool) -> dict[str, Any]:
    props: dict[str, Any] = {"repo": f.repo} if f.repo else {}
    props["confidence"] = f.confidence.value
    if f.group:
        props["group"] = f.group
    if f.status is not None:
        props["status"] = f.status.value
    if f.commit is not None:
        c = f.commit
        props["commit"] = {"sha": c.sha, "author": c.author, "date": c.date, "refs": list(c.refs)}
        props["otherLocations"] = len(f.other_locations)
    if show_secrets:
        props["secret"] = f.secret
    return {
        "ruleId": f.rule_id,
        "ruleIndex": rule_index,
        "level": "error",
        "message": {"text": _message(f)},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(f.path), "uriBaseId": SRCROOT},
                    "region": _region(f),
                }
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
        "properties": props,
    }


def render_sarif(
    result: ScanResult, *, show_secrets: bool = False, rules: Sequence[RuleLike] = ()
) -> str:
    """One SARIF run with ``tool.driver`` rule metadata and one ``error`` result per finding."""
    findings = sorted_findings(result.findings)
    rule_entries = _rules(findings, rules)
    index = {entry["id"]: i for i, entry in enumerate(rule_entries)}
    notifications = [{"level": "note", "message": {"text": note}} for note in result.notes] + [
        {"level": "error", "message": {"text": err}} for err in result.errors
    ]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "credmigrate",
                "version": __version__,
                "rules": rule_entries,
            }
        },
        "invocations": [
            {
                "executionSuccessful": not result.errors,
                "toolExecutionNotifications": notifications,
            }
        ],
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, index[f.rule_id], show_secrets) for f in findings],
    }
    if result.repos:  # scan --repos: the per-repository summary
        run["properties"] = {"repositories": [repo_dict(r) for r in repo_rows(result)]}
    doc = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(doc, indent=2, ensure_ascii=True) + "\n"
