"""Run a ``--repos`` scan: pick the engine (dask or this process), stream, resume, stop cleanly."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Generator, Sequence
from dataclasses import replace
from pathlib import Path

from credmigrate.errors import UsageError
from credmigrate.sources.org import (
    OrgOptions,
    OrgProgress,
    OrgRun,
    RepoOutcome,
    RepoSpec,
    Task,
    run_sequential,
)
from credmigrate.sources.org_state import OrgState

INSTALL_HINT = "pip install 'credmigrate[org]'"


def run_org(
    specs: Sequence[RepoSpec],
    options: OrgOptions,
    progress: OrgProgress,
    say: Callable[[str], None],
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    state_dir: Path | None = None,
    resume: bool = True,
    sequential: bool = False,
) -> OrgRun:
    """Scan every repository of ``specs``; on Ctrl-C, stop and return what finished.

    ``sequential`` forces the in-process engine; otherwise dask is used when it is installed.
    """
    from credmigrate.sources import org_dask

    use_dask = not sequential and org_dask.available()
    if scheduler and not use_dask:
        raise UsageError(f"--scheduler needs dask.distributed: {INSTALL_HINT}")
    run = OrgRun(specs)
    state = OrgState(state_dir, options.digest()) if state_dir is not None else None
    known: dict[int, RepoOutcome] = {}
    if state is not None and resume:
        for i, spec in enumerate(specs):
            rec = state.load(spec)
            if rec is not None:
                known[i] = rec
        if state.stale:
            run.notes.append(
                f"{state.stale} record(s) in {state_dir} were made with other scan settings: "
                "those repositories are scanned again"
            )
    elif state is not None:
        run.notes.append(
            "the values are needed (--show-secrets, --update-baseline) and --state keeps none: "
            "every repository is scanned again"
        )
    tasks: list[Task] = [
        (i, spec, known[i].revision if i in known else "") for i, spec in enumerate(specs)
    ]
    n = len(specs)
    outcomes: Generator[tuple[int, RepoOutcome], None, None]
    if use_dask:
        outcomes = org_dask.run_on_dask(
            tasks,
            options,
            scheduler=scheduler,
            workers=workers,
            on_ready=lambda where: say(f"scanning {_repos(n)} on {where}"),
        )
    else:
        if not sequential:
            say(
                f"dask.distributed is not installed ({INSTALL_HINT}): scanning {_repos(n)} "
                "one after another in this process"
            )
        outcomes = run_sequential(tasks, options)
    progress.start(n)
    try:
        with contextlib.closing(outcomes):
            for index, outcome in outcomes:
                if outcome.unchanged and index in known:
                    outcome = replace(known[index], unchanged=True, seconds=outcome.seconds)
                elif state is not None:
                    state.record(specs[index], outcome)
                run.add(index, outcome)
                progress.repo_done(outcome, len(run.outcomes), n)
    except KeyboardInterrupt:
        run.interrupted = True
    finally:
        progress.end()
    return run


def _repos(n: int) -> str:
    return f"{n} repositor{'y' if n == 1 else 'ies'}"
