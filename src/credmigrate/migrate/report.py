"""The report written after a migration: markdown and HTML for people, JSON for tools.

It lists what was created, what was rewritten, what needs a human, and what to rotate (every
migrated secret was exposed in git, so it is on the rotation list too). Purging history needs
the values themselves, so the ``git filter-repo --replace-text`` file is written separately,
0600, outside the repository, and never run automatically.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any

from credmigrate import atomic
from credmigrate.errors import BadInputError
from credmigrate.migrate.apply import ApplyResult
from credmigrate.migrate.journal import atomic_write
from credmigrate.migrate.plan import Plan
from credmigrate.migrate.policy import render_policy

REPORT_MD = "migration-report.md"
REPORT_JSON = "migration-report.json"
REPORT_HTML = "migration-report.html"


def build_report(plan: Plan, result: ApplyResult, purge_file: Path | None) -> dict[str, Any]:
    by_name = {s.name: s for s in plan.secrets}
    arns = [e.arn for e in result.entries if e.arn]
    rotation: list[dict[str, str]] = [
        {
            "secret": e.name,
            "why": "migrated, but the value stays readable in git history",
            "locations": "; ".join(loc for k in by_name[e.name].keys for loc in k.locations)
            if e.name in by_name
            else "migrated by an earlier run",
        }
        for e in sorted(result.entries, key=lambda e: e.name)
        if e.outcome in ("created", "unchanged", "updated")
    ]
    rotation += [
        {
            "secret": "",
            "why": f"only in git history ({r.rule_id}), introduced in {r.commit[:12] or 'an old commit'}",
            "locations": r.location,
        }
        for r in plan.rotation
    ]
    return {
        "repo": plan.repo,
        "region": plan.options.region,
        "secrets": [asdict(e) for e in sorted(result.entries, key=lambda e: e.name)],
        "rewritten": sorted(result.rewritten),
        "needs_human": [asdict(f) for f in plan.flagged],
        "notes": list(plan.notes),  # steps without a value (add boto3 here) and what to expect
        "rotate": rotation,
        "iam_policy": plan.policy(exact_arns=arns),
        "cost": {"monthly_usd": plan.cost().total_usd, "text": plan.cost().render()},
        "calls": result.calls,
        "purge": {
            "replace_text_file": str(purge_file) if purge_file else "",
            "command": purge_command(purge_file) if purge_file else "",
        },
    }


def purge_command(purge_file: Path) -> str:
    return f"git filter-repo --replace-text {purge_file}"


def render_markdown(report: dict[str, Any]) -> str:
    out: list[str] = [f"# credmigrate migration report: {report['repo']}", ""]
    out += [
        "## Secrets in AWS Secrets Manager",
        "",
        "| name | outcome | version | ARN |",
        "|---|---|---|---|",
    ]
    for s in report["secrets"]:
        out.append(f"| `{s['name']}` | {s['outcome']} | `{s['version_id']}` | `{s['arn']}` |")
    out += ["", "## Rewritten files", ""]
    out += [f"- `{p}`" for p in report["rewritten"]] or ["- none"]
    out += ["", "## Needs a human", ""]
    out += [f"- `{f['path']}` ({f['reason']}): {f['instruction']}" for f in report["needs_human"]]
    if not report["needs_human"]:
        out.append("- nothing")
    if report.get("notes"):
        out += ["", "## Also note", ""]
        out += [f"- {n}" for n in report["notes"]]
    out += ["", "## Rotate these credentials", ""]
    out += [
        "Every value below was committed to git: anyone with a clone has it. Rotate it at "
        "its provider, then update the secret (`aws secretsmanager put-secret-value`).",
        "",
    ]
    for r in report["rotate"]:
        label = f"`{r['secret']}`" if r["secret"] else "history-only"
        out.append(f"- {label}: {r['locations']} ({r['why']})")
    out += [
        "",
        "## IAM policy for the application's role",
        "",
        "```json",
        render_policy(report["iam_policy"]),
        "```",
        "",
    ]
    if report.get("cost"):
        out += ["## Cost estimate", "", report["cost"]["text"], ""]
    purge = report["purge"]
    if purge["replace_text_file"]:
        out += [
            "## Purging history (optional, rewrites every commit)",
            "",
            f"The expressions file `{purge['replace_text_file']}` holds the secret values "
            "(mode 0600, outside the repository). Review it, run on a fresh clone, "
            "force-push, then delete the file:",
            "",
            "```sh",
            purge["command"],
            "```",
            "",
        ]
    return "\n".join(out)


def rewrite_diffs(plan: Plan) -> dict[str, str]:
    """Each rewritten file's unified diff (the codemod redacts values in diffs)."""
    return {o.path: o.diff for o in plan.outcomes if o.diff}


def write_report(
    report_dir: Path, report: dict[str, Any], diffs: Mapping[str, str] | None = None
) -> tuple[Path, Path, Path]:
    """Write the JSON, Markdown and HTML reports side by side; return (md, json, html)."""
    from credmigrate.report.html import render_migration_html

    md, js, html = report_dir / REPORT_MD, report_dir / REPORT_JSON, report_dir / REPORT_HTML
    atomic_write(js, json.dumps(report, indent=2, sort_keys=True) + "\n")
    atomic_write(md, render_markdown(report))
    atomic_write(html, render_migration_html(report, diffs or {}))
    return md, js, html


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


def default_purge_dir() -> Path:
    return (
        Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "credmigrate"
    )


def write_purge_file(
    root: Path, repo: str, values: Iterable[str], dest_dir: Path | None = None
) -> Path | None:
    """Write the ``--replace-text`` expressions (values!) with mode 0600 outside ``root``;
    return the path written (another name if the usual one is taken by something not ours)."""
    lines: list[str] = []
    seen: set[str] = set()
    for v in values:
        parts = [p.strip() for p in v.splitlines()] if "\n" in v else [v]
        for p in parts:
            if len(p) >= 8 and p not in seen and "==>" not in p:
                seen.add(p)
                lines.append(f"literal:{p}==>***REMOVED-BY-CREDMIGRATE***")
    if not lines:
        return None
    directory = dest_dir or default_purge_dir()
    if _inside(directory, root):
        raise BadInputError(f"refusing to write secret values inside the repository: {directory}")
    # O_CREAT|O_EXCL|O_NOFOLLOW at 0600 in a directory of the user's own: never through a file
    # or symlink planted there (see atomic.write_private).
    return atomic.write_private(
        directory,
        f"{repo or 'repo'}-replace-text.txt",
        "\n".join(sorted(lines)) + "\n",
        what="purge-file directory",
    )
