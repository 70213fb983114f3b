"""Pieces every report format shares: ordering, JSON-ready dicts, skip counts, safe text."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from credmigrate.findings.model import Binding, Finding, RepoSummary, ScanResult, Span, Status

# Control characters (C0 except tab, so newlines too; DEL; C1), lone surrogates from undecodable
# paths and XML's non-characters: shown escaped so a crafted file name or value can't drive the
# terminal, split a report line, or break XML.
_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

_NAMED = {"\n": "\\n", "\r": "\\r"}


def escape_control(text: str) -> str:
    r"""Replace control characters and lone surrogates with visible ``\xNN`` / ``\uNNNN`` escapes."""

    def sub(m: re.Match[str]) -> str:
        char = m.group()
        if char in _NAMED:
            return _NAMED[char]
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _UNSAFE.sub(sub, text)


def sorted_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Findings in a stable order, so the same scan renders byte-identically."""
    return sorted(findings, key=lambda f: (f.repo, *f.sort_key(), f.fingerprint))


def skipped_counts(result: ScanResult) -> dict[str, int]:
    """How many files were skipped for each reason, reasons sorted by name."""
    counts = Counter(s.reason for s in result.skipped)
    return dict(sorted(counts.items()))


def files_with_findings(findings: Sequence[Finding]) -> int:
    return len({f.path for f in findings})


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def span_dict(span: Span) -> dict[str, int]:
    return {
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
    }


def binding_dict(binding: Binding | None) -> dict[str, Any] | None:
    if binding is None:
        return None
    return {
        "kind": binding.kind,
        "name": binding.name,
        "target": binding.target,
        "scope": binding.scope,
        "call": binding.call,
        "literal": span_dict(binding.literal) if binding.literal is not None else None,
        "embedded": binding.embedded,
    }


def binding_label(binding: Binding) -> str:
    """A short human description: ``DATABASES.default.PASSWORD (dict_key)``."""
    where = binding.target or binding.name
    if binding.call and binding.kind in ("kwarg", "positional", "env_fallback"):
        where = f"{binding.call}({binding.name})" if binding.name else f"{binding.call}(...)"
    return f"{where} ({binding.kind})"


def finding_dict(finding: Finding, *, show_secrets: bool) -> dict[str, Any]:
    """The JSON shape of one finding; the secret value only when ``show_secrets``."""
    span = finding.span
    out: dict[str, Any] = {"repo": finding.repo} if finding.repo else {}
    out |= {
        "rule_id": finding.rule_id,
        "description": finding.description,
        "path": finding.path,
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
        "fingerprint": finding.fingerprint,
        "redacted": finding.redacted,
        "confidence": finding.confidence.value,
        "binding": binding_dict(finding.binding),
        "group": finding.group,
    }
    if finding.status is not None:
        out["status"] = finding.status.value
    if finding.commit is not None:
        c = finding.commit
        out["commit"] = {"sha": c.sha, "author": c.author, "date": c.date, "refs": list(c.refs)}
    if finding.commit is not None or finding.other_locations:
        out["other_locations"] = [
            {"path": loc.path, "commit": loc.commit, "line": loc.line}
            for loc in finding.other_locations
        ]
    if show_secrets:
        out["secret"] = finding.secret
    return out


def summary_dict(result: ScanResult, findings: Sequence[Finding]) -> dict[str, Any]:
    return {
        "findings": len(findings),
        "files_with_findings": files_with_findings(findings),
        "files_scanned": result.files_scanned,
        "bytes_scanned": result.bytes_scanned,
        "skipped": skipped_counts(result),
        "suppressed": result.suppressed,
        "notes": list(result.notes),
        "errors": list(result.errors),
    }


def repo_rows(result: ScanResult) -> list[RepoSummary]:
    """The per-repository rows with their counts taken from the findings reported (so a
    baseline's suppressions are not counted)."""
    live: Counter[str] = Counter()
    history: Counter[str] = Counter()
    for f in result.findings:
        (history if f.status is Status.HISTORY_ONLY else live)[f.repo] += 1
    return [r._replace(live=live[r.repo], history_only=history[r.repo]) for r in result.repos]


def repo_dict(row: RepoSummary) -> dict[str, Any]:
    """One row of a ``scan --repos`` summary, as JSON."""
    return {
        "repo": row.repo,
        "status": row.status,
        "live": row.live,
        "history_only": row.history_only,
        "seconds": row.seconds,
        "revision": row.revision,
        "error": row.error,
    }


def repo_table(rows: Sequence[RepoSummary]) -> list[str]:
    """The per-repository summary of a ``scan --repos`` run, as aligned text lines."""
    header = ("repository", "live", "history-only", "seconds", "status")
    cells = [
        (
            escape_control(r.repo),
            str(r.live) if r.status in ("scanned", "unchanged") else "-",
            str(r.history_only) if r.status in ("scanned", "unchanged") else "-",
            f"{r.seconds:.1f}" if r.status != "interrupted" else "-",
            r.status + (f": {escape_control(r.error)}" if r.error else ""),
        )
        for r in rows
    ]
    width = [max(len(row[i]) for row in [header, *cells]) for i in range(4)]
    lines = []
    for row in [header, *cells]:
        left = row[0].ljust(width[0])
        nums = "  ".join(row[i].rjust(width[i]) for i in range(1, 4))
        lines.append(f"{left}  {nums}  {row[4]}".rstrip())
    return lines
