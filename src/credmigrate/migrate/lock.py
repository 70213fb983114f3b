"""One migration at a time per repository: ``.credmigrate/lock``.

Two ``credmigrate migrate --yes`` on one repository (two terminals, a retried CI job) would
interleave their journal, reports and rewritten files. The first run holds an exclusive
``flock`` on ``.credmigrate/lock`` from before its scan until it ends, and writes its holder
(pid, host, start time, command) into the file; a second run waits up to ``wait`` seconds, then
refuses with exit 3 naming the holder.

The kernel releases a ``flock`` when its process dies, however it dies (SIGKILL, OOM, power cut
of a container), so a lock left by a killed run cannot block anyone and cannot be held by two:
the next run takes it and says whose stale lock it took over (the record left in the file,
which a clean release empties). The file itself is never deleted: deleting a lock file lets a
waiter lock the old, unlinked inode while a third process creates a new one.

The standard library's ``fcntl`` does this directly; ``filelock`` wraps the same ``flock`` but
neither records nor reports who holds the lock, which is the point of the refusal message.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import stat
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from credmigrate.errors import BadInputError

LOCK_NAME = "lock"
DEFAULT_WAIT = 5.0
_POLL = 0.1
_held: set[str] = set()  # lock files this process holds (a nested acquire is a no-op)


class LockedError(BadInputError):
    """Another run holds the repository's lock."""


@dataclass(frozen=True)
class Holder:
    pid: int
    host: str
    started: str
    command: str = ""

    def describe(self) -> str:
        return f"pid {self.pid} on {self.host or 'an unknown host'} since {self.started or '?'}"


def _read_holder(fd: int) -> Holder | None:
    try:
        raw = os.pread(fd, 4096, 0)
        doc = json.loads(raw.decode("utf-8")) if raw.strip() else None
    except (OSError, ValueError):
        return None
    if not isinstance(doc, dict) or not isinstance(doc.get("pid"), int):
        return None
    return Holder(
        doc["pid"],
        str(doc.get("host", "")),
        str(doc.get("started", "")),
        str(doc.get("command", "")),
    )


@dataclass
class Acquired:
    """What :func:`repo_lock` yields: whose stale lock was taken over, if any."""

    path: Path
    stale: Holder | None = None
    waited: float = 0.0


def _open(path: Path) -> int:
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        fd = os.open(path, flags, 0o600)
    except OSError as exc:
        raise BadInputError(f"cannot open lock {path}: {exc.strerror or exc}") from None
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode) or st.st_uid != os.geteuid():
        os.close(fd)
        raise BadInputError(f"refusing to use lock {path}: not a regular file of yours")
    return fd


@contextlib.contextmanager
def repo_lock(state_dir: Path, *, wait: float = DEFAULT_WAIT) -> Iterator[Acquired]:
    """Hold ``state_dir/lock`` for the ``with`` block; ``LockedError`` (exit 3) if another
    process still holds it after ``wait`` seconds. ``state_dir`` must already be checked
    (:func:`credmigrate.atomic.private_dir`)."""
    path = state_dir / LOCK_NAME
    key = str(path.resolve())
    if key in _held:
        yield Acquired(path)
        return
    fd = _open(path)
    try:
        start = time.monotonic()
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() - start >= wait:
                    holder = _read_holder(fd)
                    who = holder.describe() if holder else "another process"
                    raise LockedError(
                        f"another credmigrate migrate is running on this repository "
                        f"({who}; lock {path}); wait for it to finish, then rerun"
                    ) from None
                time.sleep(_POLL)
        stale = _read_holder(fd)  # left by a run that died without releasing
        me = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "command": " ".join([os.path.basename(sys.argv[0]), *sys.argv[1:2]]),
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, (json.dumps(me) + "\n").encode("utf-8"), 0)
        os.fsync(fd)
        _held.add(key)
        try:
            yield Acquired(path, stale, time.monotonic() - start)
        finally:
            _held.discard(key)
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)  # a clean release leaves no holder behind
    finally:
        os.close(fd)  # closing releases the flock


__all__ = ["DEFAULT_WAIT", "Acquired", "Holder", "LockedError", "repo_lock"]
