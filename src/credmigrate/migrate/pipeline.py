"""The importable core of ``credmigrate migrate``: scan, plan, apply, report.

The CLI is a thin layer over :func:`make_plan` and :func:`execute`; tests call these directly.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from credmigrate import atomic
from credmigrate.config import Config
from credmigrate.errors import BadInputError
from credmigrate.findings.model import Finding, Status
from credmigrate.migrate.apply import ApplyOptions, ApplyResult, apply_plan
from credmigrate.migrate.journal import Journal, atomic_write
from credmigrate.migrate.lock import DEFAULT_WAIT, repo_lock
from credmigrate.migrate.plan import Plan, PlanOptions, build_plan, plan_from_json
from credmigrate.store.secrets_manager import SecretStore, StoreSettings

STATE_DIR = ".credmigrate"


@dataclass(frozen=True)
class MigrateRequest:
    root: Path
    config: Config
    plan_options: PlanOptions = field(default_factory=PlanOptions)
    store: StoreSettings = field(default_factory=StoreSettings)
    apply: ApplyOptions = field(default_factory=ApplyOptions)
    history: bool = True
    include_vendored: bool = False  # node_modules/, committed virtualenvs, minified JS, maps
    saved_plan: Path | None = None
    report_dir: Path | None = None
    purge_dir: Path | None = None
    lock_wait: float = DEFAULT_WAIT  # seconds to wait for another run's lock before exit 3
    progress: bool = False  # progress bars for the history scan and the codemod (TTY only)


@dataclass
class Scanned:
    findings: list[Finding]
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Outcome:
    result: ApplyResult
    report_md: Path
    report_json: Path
    report_html: Path
    purge_file: Path | None
    resumed: int = 0  # secrets an interrupted earlier run had already stored


def collect_findings(
    root: Path,
    config: Config,
    history: bool,
    *,
    progress: bool = False,
    include_vendored: bool = False,
) -> Scanned:
    """Live findings from the working tree, plus history-only ones from git history.

    Findings in vendored code are left out (with a note) unless ``include_vendored``.
    """
    from credmigrate.sources.worktree import scan_worktree

    tree = scan_worktree([root], config)
    findings = [f if f.status else f._replace(status=Status.LIVE) for f in tree.findings]
    notes = list(tree.notes)
    if history:
        if not _in_git(root):
            notes.append("not a git repository: history not scanned")
        else:
            from credmigrate.sources.history import scan_history

            hist = scan_history(root, config, progress=progress)
            notes.extend(hist.notes)
            notes.extend(f"history error: {e}" for e in hist.errors)
            live = {f.fingerprint for f in findings}
            findings += [
                f
                for f in hist.findings
                if f.status == Status.HISTORY_ONLY and f.fingerprint not in live
            ]
    if config.baseline and (root / config.baseline).is_file():
        from credmigrate.findings.baseline import Baseline

        kept, suppressed = Baseline.load(root / config.baseline).filter(findings)
        findings = list(kept)
        if suppressed:
            notes.append(f"{suppressed} finding(s) accepted in the baseline are not migrated")
    if not include_vendored:
        findings, note = _drop_vendored(root, findings)
        notes.extend(note)
    return Scanned(findings, notes)


def _drop_vendored(root: Path, findings: list[Finding]) -> tuple[list[Finding], list[str]]:
    from credmigrate.migrate.vendored import split_vendored

    vendored, reasons = split_vendored(root, sorted({f.path for f in findings}))
    if not vendored:
        return findings, []
    kept = [f for f in findings if f.path not in vendored]
    why = ", ".join(f"{why} ({n} file(s))" for why, n in sorted(reasons.items()))
    note = (
        f"{len(findings) - len(kept)} finding(s) in vendored code skipped: {why}; "
        "pass --include-vendored to migrate them too"
    )
    return kept, [note]


def _in_git(root: Path) -> bool:
    import subprocess

    try:
        out = subprocess.run(
            ["git", "rev-parse", "--is-inside-work-tree"], cwd=root, capture_output=True, text=True
        )
    except OSError:
        return False
    return out.returncode == 0 and out.stdout.strip() == "true"


def resolve_region(settings: StoreSettings) -> str:
    """The region the upload will use (the store's own resolution of AWS configuration)."""
    return SecretStore(settings).region


def make_plan(req: MigrateRequest, scanned: Scanned) -> Plan:
    """The plan for ``req``; with ``req.saved_plan``, the saved plan re-checked against the source."""
    options = req.plan_options
    saved: Plan | None = None
    if req.saved_plan is not None:
        try:
            saved = plan_from_json(atomic.read_input(req.saved_plan, what="plan"))
        except OSError as exc:
            raise BadInputError(f"cannot read plan {req.saved_plan}: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise BadInputError(f"cannot read plan {req.saved_plan}: not UTF-8") from None
        options = saved.options
    plan = build_plan(
        scanned.findings, req.config, req.root.name, options, root=req.root, progress=req.progress
    )
    plan = replace(plan, notes=plan.notes + tuple(_bytecode_notes(req.root, scanned.findings)))
    if saved is not None and (
        saved.secrets != plan.secrets
        or saved.source_digest != plan.source_digest
        or saved.rewrite_paths != plan.rewrite_paths
    ):
        raise BadInputError(
            f"the source changed since {req.saved_plan} was made (secrets, values or files "
            "differ); review a new plan (--plan-out) before applying"
        )
    return plan


def _bytecode_notes(root: Path, findings: Sequence[Finding]) -> list[str]:
    from credmigrate.migrate.vendored import bytecode_holding, bytecode_note, tracked_bytecode

    live = [f.secret for f in findings if f.status != Status.HISTORY_ONLY]
    if not live:
        return []
    hits = bytecode_holding(root, live, tracked_bytecode(root))
    return [bytecode_note(hits)] if hits else []


def save_plan(plan: Plan, path: Path) -> None:
    atomic.write_output(path, plan.to_json(), what="plan")


def state_dir(root: Path) -> Path:
    """``root/.credmigrate``, created 0700; refused if it is a symlink, someone else's or
    world-writable (the journal must not be written somewhere else)."""
    state = atomic.private_dir(root / STATE_DIR, what="state directory")
    ignore = state / ".gitignore"
    if not ignore.exists():  # keep the journal and reports out of the user's commits
        atomic_write(ignore, "*\n")
    return state


def execute(req: MigrateRequest, plan: Plan, findings: Sequence[Finding]) -> Outcome:
    """Upload, verify, rewrite, report. Raises before touching any source file on failure."""
    from credmigrate.migrate.report import (
        build_report,
        rewrite_diffs,
        write_purge_file,
        write_report,
    )

    store = SecretStore(replace(req.store, region=plan.options.region))
    state = state_dir(req.root)
    # One writer of the journal, reports and source files (the CLI holds it from the scan on).
    with repo_lock(state, wait=req.lock_wait):
        journal = Journal.load(req.root)
        resumed = 0
        if journal.state not in ("new", "done"):
            resumed = sum(
                1 for e in journal.entries.values() if e.outcome in ("created", "updated")
            )
        result = apply_plan(plan, req.root, store, journal, req.apply)
        purge = write_purge_file(req.root, plan.repo, [f.secret for f in findings], req.purge_dir)
        # The report covers every secret this repository's migration has handled, across runs.
        everything = ApplyResult(list(journal.entries.values()), result.rewritten, result.calls)
        report = build_report(plan, everything, purge)
        md, js, html = write_report(req.report_dir or state, report, rewrite_diffs(plan))
    return Outcome(result, md, js, html, purge, resumed)


def env_region() -> str | None:
    return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
