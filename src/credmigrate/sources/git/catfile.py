"""Blob contents from one long-lived ``git cat-file --batch`` per reader.

Part of the git adapter (:mod:`credmigrate.sources.git.repo` builds readers); split out for size.
"""

from __future__ import annotations

import contextlib
import io
import subprocess
from collections.abc import Generator, Iterator, Sequence
from typing import IO, NamedTuple

from credmigrate.errors import GitError

_CHUNK = 1 << 20
_PIPE_SIZE = 1 << 20
ONE_SHOT = 16  # up to this many objects (a commit's files), one `git cat-file` run reads them all


class Blob(NamedTuple):
    """A blob read from the object database; ``data`` is None when missing, corrupt or too big."""

    sha: str
    data: bytes | None
    size: int = 0
    error: str = ""  # "missing", "corrupt: ...", "too large"


class BlobReader:
    """One long-lived ``git cat-file --batch``; batches are written by a thread and read here.

    A missing object is reported and skipped; if git dies on a corrupt object the reader notes
    it, restarts git and carries on with the next object.
    """

    def __init__(self, base: list[str], max_size: int) -> None:
        # a smaller delta-base cache than git's 96 MB default: two readers stay well under the
        # memory target, and blobs arrive in history order, so recent bases are what is reused
        self._argv = [*base, "-c", "core.deltaBaseCacheLimit=24m", "cat-file", "--batch"]
        self._check_argv = [*base, "cat-file", "--batch-check"]
        self._max = max_size
        self._proc: subprocess.Popen[bytes] | None = None
        self._err: IO[bytes] | None = None
        self._check: subprocess.Popen[bytes] | None = None

    def _start(self) -> subprocess.Popen[bytes]:
        if self._proc is None:
            import tempfile

            self._err = tempfile.TemporaryFile()  # noqa: SIM115 - closed in _stop
            try:
                self._proc = subprocess.Popen(
                    self._argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._err
                )
            except OSError as exc:
                raise GitError(f"cannot run git: {exc}") from None
            _widen_pipe(self._proc.stdout)
        return self._proc

    def read(self, shas: Sequence[str]) -> Iterator[Blob]:
        """Yield one :class:`Blob` per sha, in order.

        Sizes are asked first (``--batch-check``, object headers only): ``--batch`` inflates a
        whole blob in git's memory to print it, so a 500 MB blob in history cost 500 MB even
        though it is skipped as too large. Those never reach ``--batch``."""
        sizes = self._sizes(shas)
        run: list[str] = []
        for sha in shas:
            size = sizes.get(sha)
            if size is None or size <= self._max:
                run.append(sha)
                continue
            yield from self._read_batch(run)
            run = []
            yield Blob(sha, None, size, error="too large")
        yield from self._read_batch(run)

    def _sizes(self, shas: Sequence[str]) -> dict[str, int]:
        """Blob sizes from one long-lived ``git cat-file --batch-check``; {} if it fails (then
        ``--batch`` alone decides, as before)."""
        if not shas:
            return {}
        if self._check is None and len(shas) <= ONE_SHOT:  # the hook: no thread, no long process
            try:
                done = subprocess.run(
                    self._check_argv,
                    input="".join(s + "\n" for s in shas).encode(),
                    capture_output=True,
                    check=False,
                )
            except OSError:
                return {}
            found: dict[str, int] = {}
            for sha, line in zip(shas, done.stdout.splitlines(), strict=False):
                parts = line.split()
                if len(parts) == 3 and parts[1] == b"blob":
                    found[sha] = int(parts[2])
            return found
        if self._check is None:
            try:
                self._check = subprocess.Popen(
                    self._check_argv,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                )
            except OSError:
                return {}
        proc = self._check
        assert proc.stdin is not None and proc.stdout is not None
        payload = "".join(s + "\n" for s in shas).encode()
        import threading

        writer = threading.Thread(target=_feed, args=(proc.stdin, payload), daemon=True)
        writer.start()
        sizes: dict[str, int] = {}
        try:
            for sha in shas:
                parts = proc.stdout.readline().split()
                if not parts:  # git died
                    self._stop_check()
                    break
                if len(parts) == 3 and parts[1] == b"blob":
                    sizes[sha] = int(parts[2])
        finally:
            writer.join()
        return sizes

    def _stop_check(self) -> None:
        proc, self._check = self._check, None
        if proc is not None:
            _kill(proc)

    def _read_batch(self, shas: Sequence[str]) -> Iterator[Blob]:
        pending = list(shas)
        if self._proc is None and len(pending) <= ONE_SHOT:
            pending = yield from self._read_once(pending)
        while pending:
            proc = self._start()
            assert proc.stdin is not None and proc.stdout is not None
            payload = "".join(s + "\n" for s in pending).encode()
            import threading

            writer = threading.Thread(target=_feed, args=(proc.stdin, payload), daemon=True)
            writer.start()
            done = 0
            finished = False
            try:
                for sha in pending:
                    blob = self._read_one(proc.stdout, sha)
                    done += 1
                    if blob is None:  # git died: a corrupt object
                        yield Blob(sha, None, error=f"corrupt or unreadable: {self._stop()}")
                        break
                    yield blob
                finished = True
            finally:
                if not finished:  # abandoned part-way: git may be blocked writing to us
                    self._stop()
                writer.join()
            pending = pending[done:]

    def _read_once(self, shas: list[str]) -> Generator[Blob, None, list[str]]:
        """A few objects through one short-lived ``git cat-file`` (no writer thread, no temp
        file: the pre-commit hook's case); returns the shas left when git stopped part-way."""
        payload = "".join(s + "\n" for s in shas).encode()
        try:
            done = subprocess.run(self._argv, input=payload, capture_output=True, check=False)
        except OSError as exc:
            raise GitError(f"cannot run git: {exc}") from None
        out = io.BytesIO(done.stdout)
        for i, sha in enumerate(shas):
            blob = self._read_one(out, sha)
            if blob is None:  # git died on a corrupt object: report it, go on with the rest
                yield Blob(sha, None, error=f"corrupt or unreadable: {_last_line(done.stderr)}")
                return shas[i + 1 :]
            yield blob
        return []

    def _read_one(self, out: IO[bytes], sha: str) -> Blob | None:
        header = out.readline()
        if not header:
            return None
        parts = header.split()
        if len(parts) >= 2 and parts[-1] in (b"missing", b"ambiguous"):
            return Blob(sha, None, error="missing")
        if len(parts) != 3:
            return None
        size = int(parts[2])
        if parts[1] != b"blob":
            _skip(out, size + 1)
            return Blob(sha, None, size, error=f"not a blob: {parts[1].decode()}")
        if size > self._max:
            _skip(out, size + 1)
            return Blob(sha, None, size, error="too large")
        data = out.read(size)
        out.read(1)
        if len(data) != size:
            return None
        return Blob(sha, data, size)

    def _stop(self) -> str:
        proc, err = self._proc, self._err
        self._proc, self._err = None, None
        if proc is None:
            return ""
        _kill(proc)
        if err is None:
            return ""
        err.seek(0)
        msg = _last_line(err.read())
        err.close()
        return msg

    def close(self) -> None:
        self._stop()
        self._stop_check()

    def __enter__(self) -> BlobReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _feed(stdin: IO[bytes], payload: bytes) -> None:
    try:
        stdin.write(payload)
        stdin.flush()
    except (BrokenPipeError, ValueError, OSError):
        pass


def _skip(out: IO[bytes], n: int) -> None:
    while n > 0:
        got = out.read(min(n, _CHUNK))
        if not got:
            return
        n -= len(got)


def _last_line(stderr: bytes) -> str:
    lines = [ln for ln in stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
    return lines[-1].strip() if lines else "unknown error"


def _kill(proc: subprocess.Popen[bytes]) -> None:
    """End a cat-file process and close our ends of its pipes (already-closed ones are fine)."""
    proc.kill()
    proc.wait()
    for stream in (proc.stdin, proc.stdout):
        try:
            if stream is not None:
                stream.close()
        except (OSError, ValueError):
            pass


def _widen_pipe(stream: IO[bytes] | None) -> None:
    """Let git run up to 1 MiB ahead of us (Linux; the default pipe holds 64 KiB).

    With a small pipe, git inflates the next blob only once we have read most of the last one,
    so its work and our scanning take turns instead of overlapping.
    """
    import fcntl

    setsize = getattr(fcntl, "F_SETPIPE_SZ", None)
    if stream is None or setsize is None:
        return
    with contextlib.suppress(OSError):  # above /proc/sys/fs/pipe-max-size: keep the default
        fcntl.fcntl(stream.fileno(), setsize, _PIPE_SIZE)
