"""Safe file writes.

- :func:`write_text`: replace a regular file atomically (temp file in the same directory, fsync,
  ``os.replace``): a reader or a crash sees the old file or the new one, never half of one.
- :func:`write_output`: a path the user named (``-o``, ``--update-baseline``, ``--plan-out``).
  Atomic replacement is for regular files only: ``-`` and ``/dev/stdout`` go to standard output,
  a character device or a FIFO is written straight through, and a directory, a block device, a
  socket or a symlink to a regular file is refused (replacing any of them would destroy it).
- :func:`private_dir` and :func:`write_private`: the state directory and the one file that
  holds secret values, which must never be written through a file or link someone else planted.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
from pathlib import Path

from credmigrate.errors import BadInputError, UsageError

# Paths that name one of this process's own file descriptors.
_FD_ALIASES = {"/dev/stdout": 1, "/dev/stderr": 2}
_FD_PREFIXES = ("/dev/fd/", "/proc/self/fd/")


def write_text(
    path: Path, text: str, mode: int | None = None, *, make_parents: bool = True
) -> None:
    """Replace ``path`` with ``text``. ``mode``: the new file's permissions; by default those of
    the file it replaces, or 0o644 for a new one. Refuses (``BadInputError``) to replace anything
    but a regular file. OSError propagates; no temp file is left."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if make_parents:
        directory.mkdir(parents=True, exist_ok=True)
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise BadInputError(f"refusing to replace {path}: it is {_kind(st.st_mode)}")
    if mode is None:
        mode = st.st_mode & 0o777 if st is not None else 0o644
    import tempfile  # here: reading a config (the hook's path) needs no temp file

    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symlink"
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _fd_alias(name: str) -> int | None:
    if name in _FD_ALIASES:
        return _FD_ALIASES[name]
    for prefix in _FD_PREFIXES:
        if name.startswith(prefix) and name[len(prefix) :].isdigit():
            return int(name[len(prefix) :])
    return None


def _write_fd(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def write_output(
    path: Path | str, text: str, *, what: str = "output", make_parents: bool = True
) -> None:
    """Write ``text`` where the user asked: see the module docstring for each kind of path.

    ``what`` names the option in error messages. Errors are one-line ``CredmigrateError``\\ s:
    a directory is a usage error (exit 2), anything else refused or unwritable exit 3.
    """
    name = os.fspath(path)
    data = text.encode("utf-8", "surrogateescape")
    if name == "-":
        sys.stdout.flush()
        _write_fd(sys.stdout.fileno(), data)
        return
    fd_no = _fd_alias(name)
    if fd_no is not None:
        if fd_no == 1:
            sys.stdout.flush()
        try:
            _write_fd(fd_no, data)
        except OSError as exc:
            raise BadInputError(f"cannot write {what} to {name}: {exc.strerror or exc}") from None
        return
    try:
        st = os.lstat(name)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise BadInputError(f"cannot write {what} to {name}: {exc.strerror or exc}") from None
    if st is not None and stat.S_ISLNK(st.st_mode):
        try:
            target = os.stat(name)
        except OSError:
            raise BadInputError(
                f"refusing to write {what} through {name}: it is a dangling symlink"
            ) from None
        if stat.S_ISREG(target.st_mode):
            raise BadInputError(
                f"refusing to write {what} through symlink {name} -> {os.readlink(name)}; "
                "name the target itself or remove the link"
            )
        st = target
        follow = True
    else:
        follow = False
    if st is None or stat.S_ISREG(st.st_mode):
        try:
            write_text(Path(name), text, make_parents=make_parents)
        except OSError as exc:
            raise BadInputError(f"cannot write {what} to {name}: {exc.strerror or exc}") from None
        return
    if stat.S_ISDIR(st.st_mode):
        raise UsageError(f"{what} {name} is a directory; name a file")
    if not (stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode)):
        raise BadInputError(f"refusing to write {what} to {name}: it is {_kind(st.st_mode)}")
    _write_direct(name, data, follow, what)


def _write_direct(name: str, data: bytes, follow: bool, what: str) -> None:
    """A character device or FIFO: open it as it is (no create, no truncate, no rename)."""
    flags = os.O_WRONLY | os.O_NOCTTY | os.O_CLOEXEC | (0 if follow else os.O_NOFOLLOW)
    try:
        fd = os.open(name, flags)
    except OSError as exc:
        raise BadInputError(f"cannot write {what} to {name}: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if not (stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode)):  # swapped meanwhile
            raise BadInputError(f"refusing to write {what} to {name}: it changed while opening")
        _write_fd(fd, data)
    except OSError as exc:
        raise BadInputError(f"cannot write {what} to {name}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


# -- the state directory and the file that holds values ------------------------------------


def _check_dir(st: os.stat_result, path: Path, what: str) -> None:
    if stat.S_ISLNK(st.st_mode):
        raise BadInputError(f"refusing to use {what} {path}: it is a symlink")
    if not stat.S_ISDIR(st.st_mode):
        raise BadInputError(f"refusing to use {what} {path}: it is {_kind(st.st_mode)}")
    if st.st_uid != os.geteuid():
        raise BadInputError(
            f"refusing to use {what} {path}: it belongs to uid {st.st_uid}, not to you"
        )
    if st.st_mode & stat.S_IWOTH:
        raise BadInputError(f"refusing to use {what} {path}: it is world-writable")


def private_dir(path: Path, *, what: str = "directory") -> Path:
    """``path`` as a directory that only its owner, the current user, controls.

    Created with mode 0700 when missing (parents as usual). Refused (``BadInputError``) when it
    is a symlink, not a directory, owned by someone else or world-writable.
    """
    path = Path(path)
    try:
        path.mkdir(mode=0o700, parents=True)
    except FileExistsError:
        pass
    except OSError as exc:
        raise BadInputError(f"cannot create {what} {path}: {exc.strerror or exc}") from None
    _check_dir(os.lstat(path), path, what)
    return path


def write_private(directory: Path, name: str, text: str, *, what: str = "directory") -> Path:
    """Write ``text`` (secret values) to ``directory/name`` at mode 0600, never through a
    planted file or symlink, and return the path written.

    The directory must pass :func:`private_dir`. The file is created with
    ``O_CREAT|O_EXCL|O_NOFOLLOW`` relative to the directory's own descriptor. If ``name`` exists
    and is our own regular file (a previous run's), it is replaced atomically by a new
    exclusive file; if it is anything else (a symlink, someone else's file, a hard link), a new
    name is chosen (``stem-1.txt``, ...), leaving what was planted untouched.
    """
    directory = private_dir(directory, what=what)
    dfd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        _check_dir(os.fstat(dfd), directory, what)  # the directory we hold is the one checked
        data = text.encode("utf-8")
        stem, dot, ext = name.rpartition(".")
        if not dot:
            stem, ext = name, ""
        for n in range(100):
            candidate = name if n == 0 else f"{stem}-{n}{dot}{ext}"
            try:
                old = os.lstat(candidate, dir_fd=dfd)
            except FileNotFoundError:
                old = None
            if old is None:
                try:
                    _create_exclusive(dfd, candidate, data)
                except FileExistsError:  # appeared meanwhile: try the next name
                    continue
                return directory / candidate
            if (
                stat.S_ISREG(old.st_mode)
                and old.st_uid == os.geteuid()
                and old.st_nlink == 1
                and not old.st_mode & 0o077
            ):
                tmp = f".{candidate}.{os.getpid()}.{n}.tmp"
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp, dir_fd=dfd)
                try:
                    _create_exclusive(dfd, tmp, data)
                except FileExistsError:
                    continue
                os.replace(tmp, candidate, src_dir_fd=dfd, dst_dir_fd=dfd)
                return directory / candidate
        raise BadInputError(f"cannot create a private file in {directory}: too many names taken")
    finally:
        os.close(dfd)


def _create_exclusive(dfd: int, name: str, data: bytes) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        fd = os.open(name, flags, 0o600, dir_fd=dfd)
    except OSError as exc:
        if exc.errno in (errno.EEXIST, errno.ELOOP):
            raise FileExistsError(exc.errno, exc.strerror, name) from None
        raise
    try:
        os.fchmod(fd, 0o600)  # whatever the umask
        _write_fd(fd, data)
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(name, dir_fd=dfd)
        raise
    os.close(fd)


# -- reading the files a user names --------------------------------------------------------

MAX_INPUT_BYTES = 256 * 1024 * 1024  # a config, rule file, baseline, plan or journal


def read_input(path: Path | str, *, what: str, limit: int = MAX_INPUT_BYTES) -> str:
    """The UTF-8 text of a regular file the user named (config, rules, baseline, plan...).

    ``/dev/zero``, a FIFO or a directory would hang or exhaust memory: refused, as is a file
    over ``limit`` bytes or one that is not UTF-8 (``BadInputError``, one line). A missing file
    raises ``FileNotFoundError``, for the caller's own message."""
    name = os.fspath(path)
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise BadInputError(f"cannot read {what} {name}: {reason}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise BadInputError(f"cannot read {what} {name}: it is {_kind(st.st_mode)}")
        if st.st_size > limit:
            raise BadInputError(
                f"cannot read {what} {name}: {st.st_size} bytes, more than {limit} allowed"
            )
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise BadInputError(f"cannot read {what} {name}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise BadInputError(f"cannot read {what} {name}: more than {limit} bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadInputError(
            f"cannot read {what} {name}: not UTF-8 (byte {exc.start} is {data[exc.start]:#04x})"
        ) from None
