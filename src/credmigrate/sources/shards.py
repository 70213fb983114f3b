"""Worker processes that each own a shard of the paths, so scanning stays deterministic.

Every version of a path goes to the same worker, in history order: that worker's line gate
then sees a file's versions one after another, and what it skips doesn't depend on which worker
happened to be free (a pool would make the reported locations vary from run to run). Workers
read their own blobs (one ``git cat-file --batch`` each) and send back only findings.
"""

from __future__ import annotations

import contextlib
import queue
import zlib
from collections.abc import Callable
from typing import Any

from credmigrate.errors import CredmigrateError


def shard_of(path: str, n: int) -> int:
    return zlib.crc32(path.encode("utf-8", "surrogatepass")) % n


def _serve(
    init: Callable[[], Any],
    run: Callable[[Any, list[Any]], Any],
    inq: Any,
    outq: Any,
    done: Callable[[Any], None] | None = None,
) -> None:
    try:
        state = init()
    except BaseException as exc:  # reported to the parent, never a silent hang
        outq.put(("error", f"{type(exc).__name__}: {exc}"))
        return
    while True:
        batch = inq.get()
        if batch is None:
            break
        try:
            outq.put(("ok", run(state, batch)))
        except BaseException as exc:
            outq.put(("error", f"{type(exc).__name__}: {exc}"))
    if done is not None:  # a forked worker ends without atexit handlers: its own clean-up
        with contextlib.suppress(Exception):
            done(state)


class ShardPool:
    """``n`` processes, one input queue each, one shared output queue."""

    def __init__(
        self,
        n: int,
        init: Callable[[], Any],
        run: Callable[[Any, list[Any]], Any],
        done: Callable[[Any], None] | None = None,
    ) -> None:
        import multiprocessing

        methods = multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
        self.n = n
        self._out: Any = ctx.Queue()
        self._in: list[Any] = [ctx.Queue() for _ in range(n)]
        self._procs = [
            ctx.Process(target=_serve, args=(init, run, q, self._out, done), daemon=True)
            for q in self._in
        ]
        for p in self._procs:
            p.start()
        self._sent = 0

    def submit(self, shard: int, batch: list[Any]) -> None:
        self._in[shard].put(batch)
        self._sent += 1

    def ready(self) -> list[Any]:
        """Results that have arrived, without waiting."""
        out = []
        while self._sent:
            try:
                item = self._out.get_nowait()
            except queue.Empty:
                break
            out.append(self._take(item))
        return out

    def wait(self) -> list[Any]:
        """Every outstanding result."""
        out = []
        while self._sent:
            try:
                item = self._out.get(timeout=1.0)
            except queue.Empty:
                # a worker only ends when told to: one that has ended owes results it will
                # never send (killed: out of memory, a signal), so waiting longer would hang
                for p in self._procs:
                    if p.exitcode is not None:
                        self.close()
                        raise CredmigrateError(
                            f"a scan worker stopped unexpectedly (exit code {p.exitcode})"
                        ) from None
                continue
            out.append(self._take(item))
        return out

    def _take(self, item: tuple[str, Any]) -> Any:
        self._sent -= 1
        kind, value = item
        if kind == "error":
            self.close()
            raise CredmigrateError(f"a scan worker failed: {value}")
        return value

    def close(self) -> None:
        for q in self._in:
            with contextlib.suppress(OSError, ValueError):
                q.put(None)
        for p in self._procs:
            p.join(timeout=5)
            if p.is_alive():
                p.terminate()
                p.join()
        for q in self._in:
            # batches still queued for a worker that died can never be delivered: don't let
            # the queue's feeder thread hold this process at exit trying to
            q.cancel_join_thread()
        for q in [*self._in, self._out]:
            q.close()
        self._procs, self._in = [], []
        self._sent = 0
