"""The human report: findings grouped by file, one line each, then a one-line summary."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from credmigrate.findings.model import Finding, ScanResult, Status
from credmigrate.report.common import (
    binding_label,
    escape_control,
    files_with_findings,
    plural,
    repo_rows,
    repo_table,
    skipped_counts,
    sorted_findings,
)

_RESET = "\x1b[0m"
_STYLES = {
    "path": "\x1b[1m",  # bold
    "rule": "\x1b[36m",  # cyan
    "value": "\x1b[33m",  # yellow
    "high": "\x1b[1;31m",  # bold red
    "medium": "\x1b[33m",
    "low": "\x1b[2m",  # dim
    "live": "\x1b[1;31m",
    "history": "\x1b[35m",  # magenta
    "note": "\x1b[2m",
    "error": "\x1b[31m",
}


class _Painter:
    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, style: str, text: str) -> str:
        return f"{_STYLES[style]}{text}{_RESET}" if self.color else text


def _finding_lines(f: Finding, paint: _Painter, show_secrets: bool) -> list[str]:
    s = f.span
    where = paint("path", escape_control(f"{f.path}:{s.line}:{s.column}"))
    value = escape_control(f.secret if show_secrets else f.redacted)
    conf = f.confidence.value
    parts = [where, paint("rule", escape_control(f.rule_id)), paint("value", value)]
    parts.append(paint(conf if conf in _STYLES else "low", f"[{conf}]"))
    if f.binding is not None:
        parts.append(escape_control(binding_label(f.binding)))
    lines = ["  " + "  ".join(parts)]
    if f.commit is not None:
        c = f.commit
        status = f.status or Status.HISTORY_ONLY
        others = len(f.other_locations)
        detail = (
            escape_control(f"commit {c.sha[:8]} by {c.author} on {c.date}; ")
            + paint("live" if status is Status.LIVE else "history", status.value)
            + f"; {plural(others, 'other location')}"
        )
        lines.append("      " + detail)
    elif f.status is not None:
        lines.append("      " + paint("history", f.status.value))
    return lines


def _summary(result: ScanResult, findings: Sequence[Finding]) -> str:
    n, m = len(findings), files_with_findings(findings)
    text = f"{plural(n, 'finding')} in {plural(m, 'file')}"
    text += f" ({plural(result.files_scanned, 'file')} scanned)"
    skipped = skipped_counts(result)
    if skipped:
        reasons = ", ".join(f"{reason}: {count}" for reason, count in skipped.items())
        text += f"; {plural(len(result.skipped), 'file')} skipped ({escape_control(reasons)})"
    if result.suppressed:
        text += f"; {result.suppressed} suppressed (baseline or allow marker)"
    return text


_NAMES_PER_REASON = 5


def _skipped_lines(result: ScanResult) -> list[str]:
    """Which files were skipped, named, a line per reason (the JSON report lists them all)."""
    by_reason: dict[str, list[str]] = {}
    for s in sorted(result.skipped, key=lambda s: (s.reason, s.path)):
        by_reason.setdefault(s.reason, []).append(s.path)
    lines = []
    for reason, paths in by_reason.items():
        shown = ", ".join(escape_control(p) for p in paths[:_NAMES_PER_REASON])
        more = len(paths) - _NAMES_PER_REASON
        tail = f" and {more} more" if more > 0 else ""
        lines.append(f"skipped ({escape_control(reason)}): {shown}{tail}")
    return lines


def render_text(result: ScanResult, *, show_secrets: bool = False, color: bool = False) -> str:
    """Render ``result`` for a terminal; ANSI colour only when ``color`` is true."""
    paint = _Painter(color)
    findings = sorted_findings(result.findings)
    out: list[str] = []
    for (repo, path), group in groupby(findings, key=lambda f: (f.repo, f.path)):
        items = list(group)
        where = f"{repo}: {path}" if repo else path
        out.append(paint("path", escape_control(where)) + f"  ({plural(len(items), 'finding')})")
        for f in items:
            out.extend(_finding_lines(f, paint, show_secrets))
        out.append("")
    for note in result.notes:
        out.append(paint("note", "note: " + escape_control(note)))
    for error in result.errors:
        out.append(paint("error", "error: " + escape_control(error)))
    out.extend(paint("note", line) for line in _skipped_lines(result))
    if result.repos:
        out.extend(repo_table(repo_rows(result)))
        out.append("")
    out.append(_summary(result, findings))
    return "\n".join(out) + "\n"
