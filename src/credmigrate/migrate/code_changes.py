"""Where the migration meets the codemod (credmigrate.rewrite.project, imported lazily).

The plan asks the rewrite step for its outcomes (diffs, new sources, what needs a human); apply
writes them only after every upload is verified. Files the codemod doesn't cover (non-Python
config, or when the codemod is unavailable) are flagged with exact instructions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from credmigrate.config import Config
from credmigrate.findings.model import Replacement, RewriteOutcome, RewriteStatus

if TYPE_CHECKING:
    from credmigrate.migrate.grouping import Group


@dataclass(frozen=True)
class Flagged:
    """A location the migration can't change by itself, with what a person must do there."""

    path: str
    reason: str
    instruction: str
    fingerprints: tuple[str, ...] = ()


def replacements(groups: Sequence[Group], names: Mapping[str, str]) -> list[Replacement]:
    return [
        Replacement(finding=f, secret_name=names[g.key], json_key=m.key)
        for g in groups
        for m in g.members
        for f in m.findings
    ]


def plan_code_changes(
    root: Path | None,
    groups: Sequence[Group],
    names: Mapping[str, str],
    config: Config,
    *,
    progress: bool = False,
) -> tuple[list[RewriteOutcome], bool]:
    """The codemod's outcomes for these secrets; ``(outcomes, codemod_available)``.

    With ``progress``, a bar counts the files parsed (on a terminal only).
    """
    if root is None or not groups:
        return [], root is not None
    try:
        from credmigrate.rewrite import project
    except ImportError:
        return [], False
    from credmigrate.sources.progress import progress_bars

    with progress_bars(progress) as bars:
        task = bars.task("rewrite", unit="files")
        outcomes = list(
            project.plan_rewrites(root, replacements(groups, names), config, progress=task)
        )
    done = [o.path for o in outcomes if o.status == RewriteStatus.REWRITTEN and o.diff]
    if done:
        outcomes += project.accessor_replacement_files(root, config, sorted(names.values()), done)
    return outcomes, True


def step_notes(outcomes: Sequence[RewriteOutcome], groups: Sequence[Group]) -> list[str]:
    """Steps left for a human that hold no value: what to add where (boto3, a lock update)."""
    paths = {f.path for g in groups for f in g.findings}
    return [
        f"{o.path}: {o.reason}"
        for o in outcomes
        if o.status == RewriteStatus.SKIPPED and not o.needs_human and o.path not in paths
    ]


def import_time_notes(outcomes: Sequence[RewriteOutcome], groups: Sequence[Group]) -> list[str]:
    """Which rewritten modules ask Secrets Manager for a value as soon as they are imported.

    A module-level or class-level binding is evaluated at import; a function default or a value
    used inside a function is fetched on first use. An environment variable that was honoured
    before (``os.environ.get("X", ...)``) still wins, and the store is not asked then.
    """
    by_fp = {f.fingerprint: f for g in groups for f in g.findings}
    out: list[str] = []
    for o in outcomes:
        if o.status != RewriteStatus.REWRITTEN or not o.handled:
            continue
        eager: list[str] = []
        env: list[str] = []
        for fp in o.handled:
            f = by_fp.get(fp)
            b = f.binding if f is not None else None
            if b is None or (b.scope and b.kind != "class_attr") or b.kind == "default":
                continue
            (env if b.kind == "env_fallback" else eager).append(b.name or b.target)
        if eager:
            out.append(
                f"{o.path} fetches {', '.join(sorted(set(eager)))} from Secrets Manager when it is "
                "imported, in every environment (tests and local runs too: set "
                "CREDMIGRATE_SECRETS_FILE there, or point AWS_ENDPOINT_URL_SECRETS_MANAGER at a "
                "local stand-in)"
            )
        if env:
            out.append(
                f"{o.path}: {', '.join(sorted(set(env)))} still come(s) from the environment "
                "first; Secrets Manager is asked only where the variable is unset"
            )
    return out


def write_code_changes(root: Path, outcomes: Sequence[RewriteOutcome]) -> None:
    """Write the rewritten files atomically (the codemod's own writer)."""
    todo = [o for o in outcomes if o.status == RewriteStatus.REWRITTEN and o.diff]
    if not todo:
        return
    from credmigrate.rewrite import project

    project.write_outcomes(root, todo)


def instruction_for(path: str, name: str, key: str | None, where: str) -> str:
    what = f"key '{key}' of secret '{name}'" if key else f"secret '{name}'"
    if path.endswith(".py"):
        return (
            f"{where}: replace the literal with a runtime fetch of {what} (the generated accessor "
            "module's get_secret), or read it from the environment in tests"
        )
    return (
        f"{where}: remove the value and inject {what} at deploy time (e.g. an environment "
        "variable filled from Secrets Manager, or your config loader)"
    )


def flagged_from(
    outcomes: Sequence[RewriteOutcome],
    groups: Sequence[Group],
    names: Mapping[str, str],
    codemod_available: bool,
) -> tuple[Flagged, ...]:
    handled: set[str] = set()
    out: list[Flagged] = []
    by_fp = {f.fingerprint: (g, m, f) for g in groups for m in g.members for f in m.findings}
    for o in outcomes:
        handled.update(o.handled)
        for fp, instruction in o.needs_human:
            handled.add(fp)
            out.append(Flagged(o.path, o.reason or "not rewritten", instruction, (fp,)))
        if o.status in (RewriteStatus.SKIPPED, RewriteStatus.FAILED) and not o.needs_human:
            fps = tuple(sorted(fp for fp, (_, _, f) in by_fp.items() if f.path == o.path))
            if not fps and o.status == RewriteStatus.SKIPPED:
                continue  # a step, not a value left in place: see step_notes
            handled.update(fps)
            out.append(Flagged(o.path, str(o.status), o.reason, fps))
    for fp, (g, m, f) in sorted(by_fp.items(), key=lambda kv: kv[1][2].sort_key()):
        if fp in handled:
            continue
        reason = (
            "not Python"
            if not f.path.endswith(".py")
            else ("no automatic rewrite" if not codemod_available else "the codemod left it")
        )
        where = f"{f.path}:{f.line}"
        out.append(
            Flagged(f.path, reason, instruction_for(f.path, names[g.key], m.key, where), (fp,))
        )
    return tuple(out)
