"""Findings built directly for migration tests (no scanner needed), with fake values."""

from __future__ import annotations

from credmigrate.findings.fingerprint import fingerprint
from credmigrate.findings.model import Binding, Commit, Confidence, Finding, Span, Status
from credmigrate.findings.redact import redact


def finding(
    path: str,
    name: str,
    secret: str,
    *,
    line: int = 1,
    kind: str = "assign",
    target: str = "",
    scope: str = "",
    group: str = "",
    rule_id: str = "generic-secret",
    status: Status | None = None,
    python: bool = True,
) -> Finding:
    col = len(name) + 5
    binding = (
        Binding(
            kind=kind,
            name=name,
            target=target or name,
            scope=scope,
            literal=Span(line, col - 1, line, col + len(secret) + 1),
        )
        if python
        else None
    )
    return Finding(
        rule_id=rule_id,
        description="fake",
        path=path,
        span=Span(line, col, line, col + len(secret)),
        secret=secret,
        fingerprint=fingerprint(secret, rule_id, path),
        confidence=Confidence.HIGH,
        redacted=redact(secret),
        binding=binding,
        group=group,
        status=status,
        commit=Commit("0" * 40, "Test Author", "2026-01-01T00:00:00Z")
        if status == Status.HISTORY_ONLY
        else None,
    )
