"""The dask.distributed adapter: the only module that imports dask (``credmigrate[org]``).

One task per repository, submitted at once and collected with ``as_completed``, so results
stream back as they finish. Faults are dask's to handle: a worker that dies mid-task (SIGKILL,
out of memory) is restarted by its nanny and the scheduler runs the task again elsewhere, up to
``distributed.scheduler.allowed-failures`` times; past that the repository is reported as failed.
Each repository's outcome is taken from its one future, once: a rerun task can't duplicate
findings. ``KeyboardInterrupt`` cancels what is left and shuts the embedded cluster down.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import logging
import os
import signal
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from credmigrate.errors import BadInputError
from credmigrate.sources.org import OrgOptions, RepoOutcome, RepoSpec, Task, scan_repo

_METHOD_ENV = "DASK_DISTRIBUTED__WORKER__MULTIPROCESSING_METHOD"
_WORKER_WAIT = 60  # seconds an existing cluster may take to have a worker


def available() -> bool:
    """Whether dask.distributed is installed (without importing it)."""
    return importlib.util.find_spec("distributed") is not None


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def _on_worker(spec: RepoSpec, options: OrgOptions, known: str) -> RepoOutcome:
    """The task: runs on a worker, clones into that worker's scratch directory."""
    from distributed import get_worker

    worker = get_worker()
    outcome = scan_repo(spec, options, known, scratch=Path(worker.local_directory))
    return replace(outcome, worker=str(worker.address))


def _credmigrate_version() -> str:
    from credmigrate import __version__

    return __version__


@contextlib.contextmanager
def _client(scheduler: str | None, workers: int | None) -> Iterator[Any]:
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout="15s")
        except (OSError, TimeoutError) as exc:
            raise BadInputError(f"cannot reach the dask scheduler at {scheduler}: {exc}") from None
        try:
            yield client
        finally:
            client.close()
        return
    import dask

    # Worker processes come from a fork server that has imported dask once: a cluster starts
    # in ~0.7 s and stops in ~0.05 s here, against ~1.5 s and ~0.6 s when each worker is a
    # fresh interpreter (dask's default, "spawn"; still used when the user's config says so).
    settings = {}
    if _METHOD_ENV not in os.environ:
        settings["distributed.worker.multiprocessing-method"] = "forkserver"
    with contextlib.ExitStack() as stack:
        stack.enter_context(dask.config.set(settings))  # read again when a worker restarts
        # Workers must not see the terminal's Ctrl-C: this process stops them. "Ignore" is
        # inherited by the processes started now (the fork server, so restarted workers too).
        old = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            cluster = stack.enter_context(
                LocalCluster(
                    n_workers=workers or default_workers(),
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,
                    silence_logs=logging.CRITICAL,
                )
            )
            client = stack.enter_context(Client(cluster))
        finally:
            signal.signal(signal.SIGINT, old)
        yield client


def _check_workers(client: Any) -> int:
    """The number of workers; every one must run this credmigrate."""
    from credmigrate import __version__

    try:
        client.wait_for_workers(1, timeout=_WORKER_WAIT)
    except TimeoutError:
        raise BadInputError(
            f"no dask worker joined the scheduler within {_WORKER_WAIT} s: start `dask worker "
            "SCHEDULER_ADDRESS` on the hosts that should scan"
        ) from None
    try:
        versions = client.run(_credmigrate_version)
    except ModuleNotFoundError:
        raise BadInputError(
            "the dask workers can't import credmigrate: install credmigrate[org] on every worker"
        ) from None
    wrong = sorted(addr for addr, v in versions.items() if v != __version__)
    if wrong:
        raise BadInputError(
            f"dask worker {wrong[0]} runs credmigrate {versions[wrong[0]]}, this is {__version__}"
        )
    return len(versions)


def run_on_dask(
    tasks: Sequence[Task],
    options: OrgOptions,
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    on_ready: Callable[[str], None] | None = None,
) -> Generator[tuple[int, RepoOutcome], None, None]:
    """Yield ``(index, outcome)`` for every task as it finishes, on a dask cluster."""
    from distributed import as_completed

    # A worker is one process per core: no process pool inside a task.
    options = replace(options, jobs=1)
    with _client(scheduler, workers) as client:
        n = _check_workers(client)
        if on_ready is not None:
            where = f"the dask cluster at {scheduler}" if scheduler else "a local dask cluster"
            on_ready(f"{where}, {n} worker{'s' if n != 1 else ''}")
        futures = {}
        for index, spec, known in tasks:
            fut = client.submit(
                _on_worker, spec, options, known, key=f"credmigrate-repo-{index}", pure=False
            )
            futures[fut] = (index, spec)
        try:
            for fut in as_completed(list(futures)):
                index, spec = futures[fut]
                yield index, _outcome(fut, spec)
                fut.release()
        finally:
            # Ctrl-C, or the consumer stopped early: nothing more runs.
            with contextlib.suppress(Exception):
                client.cancel(list(futures))


def _outcome(fut: Any, spec: RepoSpec) -> RepoOutcome:
    """The one outcome of a repository's future, waiting for it if it has to be recomputed.

    ``as_completed`` yields a future once it finished, but the worker holding its result may
    die before the result is fetched: the scheduler then marks the task lost and runs it again,
    and the future is pending once more. ``result()`` waits for that rerun, so a finished task
    whose worker was killed is not misreported as failed.
    """
    from concurrent.futures import CancelledError as FuturesCancelled

    if fut.status == "cancelled":
        return RepoOutcome(spec.name, error="the task was cancelled by the dask cluster")
    try:
        result = fut.result()
    except (FuturesCancelled, asyncio.CancelledError):
        return RepoOutcome(spec.name, error="the task was cancelled by the dask cluster")
    except Exception as exc:  # dask re-raises whatever the task or the cluster raised
        name = type(exc).__name__
        if name == "KilledWorker":
            return RepoOutcome(
                spec.name,
                error="every worker that tried it died (out of memory or killed); "
                "see the dask worker logs",
            )
        return RepoOutcome(spec.name, error=f"dask task failed: {name}: {exc}")
    assert isinstance(result, RepoOutcome)
    return result
