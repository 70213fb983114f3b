"""Self-contained HTML reports: the scan report and the migration report.

The only module that imports Jinja2. Every value goes through Jinja2's autoescaping, so a file
named ``<script>alert(1)</script>.py``, a rule description or an author with markup renders as
text; control characters and lone surrogates (undecodable paths) are first made visible with
:func:`escape_control`, as in the text report, so the file always encodes as UTF-8. The page's
own CSS and JavaScript are inlined and pinned by hash in a Content-Security-Policy that allows
nothing else: no network request, and no script but ours even if escaping ever failed.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from itertools import groupby
from typing import Any

import jinja2
from markupsafe import Markup

from credmigrate import __version__
from credmigrate.findings.model import Confidence, Finding, ScanResult, Status
from credmigrate.report.common import (
    binding_label,
    escape_control,
    files_with_findings,
    skipped_counts,
    sorted_findings,
)

_CONFIDENCES = [c.value for c in (Confidence.HIGH, Confidence.MEDIUM, Confidence.LOW)]
_RANK = {name: i for i, name in enumerate(reversed(_CONFIDENCES))}
DIFF_OPEN_LINES = 80  # longer diffs start folded (<details>), so the report stays scannable
CHART_BARS = 12  # the chart shows this many rules; the rest are summed into one bar


def _asset(name: str) -> str:
    return (
        resources.files("credmigrate.report")
        .joinpath("templates")
        .joinpath(name)
        .read_text("utf-8")
    )


def _csp_hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


def _environment() -> jinja2.Environment:
    # autoescape=True for every template (not select_autoescape by file name): these templates
    # only ever produce HTML, and an escape missed by a file-name rule would be an injection.
    return jinja2.Environment(
        loader=jinja2.PackageLoader("credmigrate.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _page(template: str, context: Mapping[str, Any], *, script: bool) -> str:
    css = _asset("report.css")
    js = _asset("report.js") if script else ""
    page = (
        _environment()
        .get_template(template)
        .render(
            css=Markup(css),
            script=Markup(js),
            csp_style=_csp_hash(css),
            csp_script=_csp_hash(js) if js else "none",
            version=__version__,
            **context,
        )
    )
    return page


def _safe(text: object) -> str:
    return escape_control(str(text))


@dataclass(frozen=True)
class _Row:
    rule: str
    description: str
    line: int
    column: int
    value: str
    confidence: str
    binding: str
    status: str
    commit: dict[str, str] | None
    others: int


@dataclass(frozen=True)
class _File:
    path: str
    findings: list[_Row]
    top: str  # the highest confidence in the file, for sorting


@dataclass
class _Chart:
    bars: list[dict[str, Any]] = field(default_factory=list)
    width: int = 560
    height: int = 0
    label_width: int = 200
    others: bool = False


def _row(f: Finding, show_secrets: bool) -> _Row:
    commit = None
    if f.commit is not None:
        c = f.commit
        commit = {
            "sha": _safe(c.sha),
            "author": _safe(c.author),  # "Name <email>": the name is shown, all of it on hover
            "name": _safe(c.author.split(" <", 1)[0]),
            "date": _safe(c.date),
            "day": _safe(c.date[:10]),
            "refs": _safe(", ".join(c.refs)),
        }
    return _Row(
        rule=_safe(f.rule_id),
        description=_safe(f.description),
        line=f.span.line,
        column=f.span.column,
        value=_safe(f.secret if show_secrets else f.redacted),
        confidence=f.confidence.value,
        binding=_safe(binding_label(f.binding)) if f.binding is not None else "",
        status=f.status.value if f.status is not None else "",
        commit=commit,
        others=len(f.other_locations),
    )


def _chart(by_rule: Counter[str]) -> _Chart:
    ranked = sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0]))
    others = ranked[CHART_BARS - 1 :] if len(ranked) > CHART_BARS else []
    if others:
        ranked = [*ranked[: CHART_BARS - 1], ("other rules", sum(n for _, n in others))]
    chart = _Chart(others=bool(others))
    if not ranked:
        return chart
    top = ranked[0][1]
    span = chart.width - chart.label_width - 40
    for i, (rule, n) in enumerate(ranked):
        label = rule if len(rule) <= 28 else rule[:27] + "…"
        chart.bars.append(
            {
                "rule": _safe(rule),
                "rest": bool(others) and i == len(ranked) - 1,  # the summed "other rules" bar
                "label": _safe(label),
                "count": n,
                "y": i * 24,
                "width": max(2, round(span * n / top)),
            }
        )
    chart.height = len(ranked) * 24 + 4
    return chart


def render_scan_html(
    result: ScanResult, *, show_secrets: bool = False, source: str = "", title: str = ""
) -> str:
    """The scan report: summary, a chart by rule, then findings grouped by file.

    ``source`` says what was scanned ("history of repo", "staged changes"); secret values appear
    only with ``show_secrets``, exactly where the text report would show them.
    """
    findings = sorted_findings(result.findings)
    files: list[_File] = []
    for (repo, path), group in groupby(findings, key=lambda f: (f.repo, f.path)):
        items = list(group)
        top = max((f.confidence.value for f in items), key=lambda c: _RANK.get(c, -1))
        where = f"{repo}: {path}" if repo else path  # scan --repos: which repository
        files.append(_File(_safe(where), [_row(f, show_secrets) for f in items], top))
    by_conf = Counter(f.confidence.value for f in findings)
    statuses = Counter(f.status for f in findings if f.status is not None)
    summary = {
        "findings": len(findings),
        "files_with_findings": files_with_findings(findings),
        "files_scanned": result.files_scanned,
        "bytes_scanned": result.bytes_scanned,
        "skipped": [(_safe(k), v) for k, v in skipped_counts(result).items()],
        "suppressed": result.suppressed,
        "by_confidence": [{"name": c, "count": by_conf.get(c, 0)} for c in _CONFIDENCES],
        "has_status": bool(statuses),
        "has_commits": any(f.commit is not None for f in findings),
        "live": statuses.get(Status.LIVE, 0),
        "history_only": statuses.get(Status.HISTORY_ONLY, 0),
    }
    n = len(findings)
    subtitle = f"{n} finding{'' if n == 1 else 's'}"
    if source:
        subtitle += f" · {source}"
    context = {
        "title": _safe(title or "credmigrate scan report"),
        "subtitle": _safe(subtitle),
        "source": _safe(source),
        "s": summary,
        "chart": _chart(Counter(f.rule_id for f in findings)),
        "files": files,
        "rules": sorted({_safe(f.rule_id) for f in findings}),
        "notes": [_safe(x) for x in result.notes],
        "errors": [_safe(x) for x in result.errors],
        "show_secrets": show_secrets,
    }
    return _page("scan.html.j2", context, script=bool(files))


def _diff_lines(diff: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for line in diff.splitlines():
        if line.startswith(("+++", "---")):
            kind = "meta"
        elif line.startswith("@@"):
            kind = "hunk"
        elif line.startswith("+"):
            kind = "add"
        elif line.startswith("-"):
            kind = "del"
        else:
            kind = "ctx"
        out.append((kind, _safe(line)))
    return out


def _diffstat(lines: Iterable[tuple[str, str]]) -> str:
    kinds = Counter(kind for kind, _ in lines)
    return f"+{kinds['add']} -{kinds['del']}" if kinds["add"] or kinds["del"] else ""


_OUTCOME_CSS = {"created": "ok", "updated": "ok", "unchanged": "low"}


def render_migration_html(report: Mapping[str, Any], diffs: Mapping[str, str]) -> str:
    """The migration report (the HTML twin of ``migration-report.md``); never a secret value.

    ``report`` is :func:`credmigrate.migrate.report.build_report`'s dict; ``diffs`` maps each
    rewritten path to its unified diff (values already redacted by the codemod).
    """
    secrets = [
        {
            "name": _safe(s["name"]),
            "outcome": _safe(s["outcome"]),
            "css": _OUTCOME_CSS.get(s["outcome"], "high"),
            "verified": "yes" if s.get("verified") else "no",
            "version_id": _safe(s.get("version_id") or ""),
            "arn": _safe(s.get("arn") or ""),
            "message": _safe(s.get("message") or ""),
        }
        for s in report["secrets"]
    ]
    counts = Counter(s["outcome"] for s in report["secrets"])
    order = [
        "created",
        "updated",
        "unchanged",
        *sorted(set(counts) - {"created", "updated", "unchanged"}),
    ]
    rewritten: list[dict[str, Any]] = []
    for path in report["rewritten"]:
        lines = _diff_lines(diffs.get(path, ""))
        new = any(kind == "meta" and text.startswith("--- /dev/null") for kind, text in lines)
        rewritten.append(
            {
                "path": _safe(path),
                "lines": lines,
                "stat": ("new file, " if new else "") + _diffstat(lines),
                # Short edits are open; a generated module (a whole new file) starts folded.
                "open": not new and len(lines) <= DIFF_OPEN_LINES,
            }
        )
    purge = report.get("purge") or {}
    cost = report.get("cost") or {}
    context = {
        "title": _safe(f"credmigrate migration report: {report['repo']}"),
        "subtitle": _safe(
            f"{len(secrets)} secret{'' if len(secrets) == 1 else 's'} in AWS Secrets Manager "
            f"({report['region']}) · {len(rewritten)} file{'' if len(rewritten) == 1 else 's'} rewritten"
        ),
        "repo": _safe(report["repo"]),
        "region": _safe(report["region"]),
        "counts": [(name, counts.get(name, 0)) for name in order],
        "secrets": secrets,
        "rewritten": rewritten,
        "needs_human": [
            {k: _safe(f.get(k, "")) for k in ("path", "reason", "instruction")}
            for f in report["needs_human"]
        ],
        "rotate": [
            {k: _safe(r.get(k, "")) for k in ("secret", "locations", "why")}
            for r in report["rotate"]
        ],
        "policy": json.dumps(report["iam_policy"], indent=2),  # ASCII: json escapes the rest
        "cost": _safe(cost.get("text", "")),
        "calls": sorted((_safe(k), v) for k, v in (report.get("calls") or {}).items()),
        "purge_file": _safe(purge.get("replace_text_file", "")),
        "purge_command": _safe(purge.get("command", "")),
    }
    return _page("migration.html.j2", context, script=False)
