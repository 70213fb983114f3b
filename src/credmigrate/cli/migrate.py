"""``credmigrate migrate``: move found secrets to AWS Secrets Manager and rewrite the code.

Thin: it builds a request, calls :mod:`credmigrate.migrate.pipeline`, prints, and returns an exit code.
boto3 and libcst are imported only inside the command.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from credmigrate.errors import ExitCode, UsageError

if TYPE_CHECKING:
    from credmigrate.migrate.plan import Plan
    from credmigrate.store.secrets_manager import StoreSettings


def _tags(values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    for v in values:
        key, sep, val = v.partition("=")
        if not sep or not key:
            raise UsageError(f"--tag expects KEY=VALUE, got {v!r}")
        out.append((key, val))
    return tuple(out)


def _region(settings: StoreSettings, dry_run: bool) -> str:
    """The upload's region; a dry run without one configured still shows a plan."""
    from credmigrate.errors import BadInputError
    from credmigrate.migrate.pipeline import resolve_region

    try:
        return resolve_region(settings)
    except BadInputError as exc:
        if not dry_run or "region" not in exc.message:
            raise
        click.echo(
            "credmigrate: note: no AWS region configured; the plan assumes us-east-1", err=True
        )
        return "us-east-1"


def _hold_lock(root: Path, wait: float) -> None:
    """Take ``.credmigrate/lock`` until the command ends (exit 3 naming the holder if another
    run keeps it longer than ``wait`` seconds)."""
    from credmigrate.migrate.lock import repo_lock
    from credmigrate.migrate.pipeline import state_dir

    got = click.get_current_context().with_resource(repo_lock(state_dir(root), wait=wait))
    if got.stale is not None:
        click.echo(
            f"credmigrate: note: took over the lock of {got.stale.describe()}, which ended "
            "without releasing it; an interrupted run resumes from its journal",
            err=True,
        )


@click.command()
@click.argument(
    "path", required=False, type=click.Path(path_type=Path, file_okay=False), default="."
)
@click.option("--yes", "-y", is_flag=True, help="Apply without asking.")
@click.option("--dry-run", is_flag=True, help="Show the plan only; change nothing.")
@click.option(
    "--plan-out", type=click.Path(path_type=Path), help="Save the plan (no values) to FILE."
)
@click.option(
    "--plan",
    "plan_in",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Apply a reviewed plan FILE; refuse if the source changed.",
)
@click.option(
    "--no-history",
    is_flag=True,
    help="Don't scan git history (no rotation list of history-only secrets).",
)
@click.option(
    "--include-vendored",
    is_flag=True,
    help="Also migrate findings in vendored code (node_modules/, committed virtualenvs, minified JS, source maps).",
)
@click.option(
    "--group",
    type=click.Choice(["auto", "none"]),
    default="auto",
    show_default=True,
    help="auto: one JSON secret per module/config class/settings dict/key pair; none: one secret per value.",
)
@click.option(
    "--name-template",
    help="Secret name template; fields {prefix} {repo} {module} {path} {key}. Default from config: {prefix}/{repo}/{module}.",
)
@click.option("--prefix", help="Name prefix (default from config: credmigrate).")
@click.option("--region", help="AWS region (default: the standard AWS configuration).")
@click.option("--profile", help="AWS profile.")
@click.option(
    "--endpoint-url",
    help="Secrets Manager endpoint (default: AWS_ENDPOINT_URL_SECRETS_MANAGER or AWS).",
)
@click.option(
    "--account-id",
    default="*",
    help="Account id for the IAM policy in the plan (the report uses exact ARNs).",
)
@click.option("--kms-key-id", help="KMS key (id, ARN or alias) to encrypt the secrets with.")
@click.option(
    "--replica-region", multiple=True, help="Replicate each secret to this region. Repeatable."
)
@click.option("--tag", multiple=True, help="Extra tag KEY=VALUE on every secret. Repeatable.")
@click.option("--rotation-lambda", help="Rotation Lambda ARN (with --rotate-after-days).")
@click.option(
    "--rotate-after-days", type=click.IntRange(1, 1000), help="Rotation interval in days."
)
@click.option(
    "--update-existing",
    is_flag=True,
    help="Write a new version when a secret exists with another value.",
)
@click.option(
    "--allow-dirty",
    is_flag=True,
    help="Run even if files to be rewritten have uncommitted changes.",
)
@click.option(
    "--writes-per-second",
    type=click.FloatRange(0, 1000),
    default=50.0,
    show_default=True,
    help="Pace creates/updates to the account's write quota (0: no pacing, e.g. a local endpoint).",
)
@click.option(
    "--report-dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Where to write the report (default: PATH/.credmigrate).",
)
@click.option(
    "--purge-file-dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Where to write the filter-repo expressions file (outside the repository; default ~/.local/state/credmigrate).",
)
@click.option(
    "--config", "config_path", type=click.Path(path_type=Path, dir_okay=False), help="Config file."
)
@click.option(
    "--show-secrets", is_flag=True, help="Show values in the plan's diff (off by default)."
)
@click.option(
    "--lock-wait",
    type=click.FloatRange(0, 86400),
    default=5.0,
    show_default=True,
    metavar="SECONDS",
    help="Wait this long for another migrate of the same repository to finish, then exit 3.",
)
@click.option(
    "--no-progress", is_flag=True, help="No progress bars (shown only on a TTY, not in CI)."
)
@click.option(
    "--include-tests",
    is_flag=True,
    help="Also upload values found only in test code (by default they are flagged, not uploaded).",
)
def migrate(
    path: Path,
    yes: bool,
    dry_run: bool,
    plan_out: Path | None,
    plan_in: Path | None,
    no_history: bool,
    include_vendored: bool,
    group: str,
    name_template: str | None,
    prefix: str | None,
    region: str | None,
    profile: str | None,
    endpoint_url: str | None,
    account_id: str,
    kms_key_id: str | None,
    replica_region: tuple[str, ...],
    tag: tuple[str, ...],
    rotation_lambda: str | None,
    rotate_after_days: int | None,
    update_existing: bool,
    allow_dirty: bool,
    writes_per_second: float,
    report_dir: Path | None,
    purge_file_dir: Path | None,
    config_path: Path | None,
    show_secrets: bool,
    lock_wait: float = 5.0,
    no_progress: bool = False,
    include_tests: bool = False,
) -> int:
    """Move the secrets found in PATH to AWS Secrets Manager and rewrite code to fetch them.

    Shows the plan (secrets, code diff, IAM policy, cost) and asks before applying. Uploads and
    verifies everything before any file changes. Exit 0 done, 1 done but values left in the
    source for a human (listed), 2 usage, 3 bad input or dirty tree or changed source, 4
    secret-store failure or conflict, 5 read-back mismatch.
    """
    from credmigrate.config import load_config
    from credmigrate.migrate.apply import ApplyOptions
    from credmigrate.migrate.pipeline import (
        MigrateRequest,
        collect_findings,
        execute,
        make_plan,
        save_plan,
    )
    from credmigrate.migrate.plan import PlanOptions
    from credmigrate.migrate.plan_text import render_plan
    from credmigrate.store.secrets_manager import StoreSettings

    if yes and dry_run:
        raise UsageError("--yes and --dry-run exclude each other")
    if bool(rotation_lambda) != bool(rotate_after_days):
        raise UsageError("--rotation-lambda and --rotate-after-days go together")
    if not path.is_dir():
        raise UsageError(f"not a directory: {path}")
    root = path.resolve()
    config = load_config(root, config_path)
    settings = StoreSettings(region=region, profile=profile, endpoint_url=endpoint_url)
    plan_options = PlanOptions(
        group=group,
        name_template=name_template,
        prefix=prefix,
        region=_region(settings, dry_run),
        account=account_id,
        kms_key_id=kms_key_id,
        replica_regions=tuple(replica_region),
        tags=_tags(tag),
        rotation_lambda=rotation_lambda,
        rotate_after_days=rotate_after_days,
        include_tests=include_tests,
    )
    req = MigrateRequest(
        root=root,
        config=config,
        plan_options=plan_options,
        store=settings,
        apply=ApplyOptions(
            update_existing=update_existing,
            allow_dirty=allow_dirty,
            writes_per_second=writes_per_second,
            progress=not no_progress,
        ),
        history=not no_history,
        include_vendored=include_vendored,
        saved_plan=plan_in,
        report_dir=report_dir,
        purge_dir=purge_file_dir,
        lock_wait=lock_wait,
        progress=not no_progress,
    )
    if not dry_run:  # one run at a time, from the scan to the report
        _hold_lock(root, lock_wait)
    scanned = collect_findings(
        root, config, req.history, progress=req.progress, include_vendored=req.include_vendored
    )
    for note in scanned.notes:
        click.echo(f"credmigrate: note: {note}", err=True)
    plan = make_plan(req, scanned)
    click.echo(render_plan(plan, show_secrets=show_secrets), nl=False)
    if plan_out is not None:
        save_plan(plan, plan_out)
        click.echo(f"credmigrate: plan saved to {plan_out} (no values in it)", err=True)
    if dry_run:
        return int(ExitCode.CLEAN)
    if not plan.secrets:
        click.echo("credmigrate: nothing to migrate", err=True)
        return _left_in_source(plan)
    if not yes:
        if not sys.stdin.isatty():
            click.echo("credmigrate: not applied: pass --yes to apply without a prompt", err=True)
            return int(ExitCode.CLEAN)
        click.confirm("Apply this plan?", abort=True)
    out = execute(req, plan, scanned.findings)
    r = out.result
    if out.resumed:
        click.echo(
            f"credmigrate: resumed an interrupted run ({out.resumed} secret(s) were already stored)",
            err=True,
        )
    click.echo(
        f"credmigrate: {r.count('created')} created, {r.count('unchanged')} unchanged, "
        f"{r.count('updated')} updated; {len(r.rewritten)} file(s) rewritten; "
        f"{len(plan.flagged)} need a human; report: {out.report_md} "
        f"(and {out.report_html.name} beside it)",
        err=True,
    )
    if out.purge_file is not None:
        click.echo(
            f"credmigrate: warning: {out.purge_file} holds secret values (mode 0600) for "
            f"`git filter-repo --replace-text`; delete it when done",
            err=True,
        )
    return _left_in_source(plan)


def _left_in_source(plan: Plan) -> int:
    """Exit 1, naming every file, when values stay in the source for a human; else 0.

    Value-free steps (add boto3 where the code runs) are plan notes (code_changes.step_notes);
    a flagged item without fingerprints left here is a file the rewrite could not handle that
    holds no reported value: it is printed, but on its own it leaves no secret behind.
    """
    if not plan.flagged:
        return int(ExitCode.CLEAN)
    by_path: dict[str, list[str]] = {}
    steps: list[str] = []
    for f in plan.flagged:
        if f.fingerprints:
            by_path.setdefault(f.path, []).append(f.reason)
        else:  # no value in this file: printed as a step, not counted as a value left
            steps.append(f"  {f.path}: {f.instruction}")
    if by_path:
        click.echo(
            f"credmigrate: values left in the source of {len(by_path)} file(s), a human must act:",
            err=True,
        )
    for path, reasons in sorted(by_path.items()):
        click.echo(f"  {path}: {'; '.join(dict.fromkeys(reasons))}", err=True)
    if steps:
        click.echo("credmigrate: steps left for a human:", err=True)
        for line in steps:
            click.echo(line, err=True)
    return int(ExitCode.FINDINGS if by_path else ExitCode.CLEAN)
