"""Which files a working-tree scan reads.

Inside a git repository: git's own view (tracked plus untracked-not-ignored), from one
``git ls-files`` call. Outside one: the same call against an empty scratch repository whose work
tree is the directory, so git applies the ``.gitignore`` files (a repository nested inside is
listed by its own git); without git, a walk matching them with pathspec. Config excludes apply
to all. Symlinks are never followed out of the root.
"""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import pathspec

from credmigrate.errors import BadInputError
from credmigrate.findings.model import Skipped

_ALWAYS_SKIP_DIRS = {
    ".git",
    ".hg",
    ".svn",
    "node_modules",
    "__pycache__",
    ".venv",
    ".tox",
    ".mypy_cache",
}


def _pathspec() -> ModuleType:
    """pathspec is imported only when a pattern has to be matched (it costs start-up time)."""
    import pathspec

    return pathspec


def gitignore_spec(lines: Sequence[str]) -> pathspec.GitIgnoreSpec:
    """A gitignore matcher on pathspec's plain ``re`` backend.

    pathspec >= 1.0 picks hyperscan when it is installed (it is: the prefilter uses it), and
    compiling a hyperscan database per .gitignore costs ~50 ms each, far more than matching a
    few hundred paths with ``re``. Same matches either way; older pathspec has one backend.
    """
    spec_type = _pathspec().GitIgnoreSpec
    try:
        return spec_type.from_lines(lines, backend="simple")  # type: ignore[call-arg,no-any-return,unused-ignore]
    except TypeError:  # pathspec < 1.0: no backend choice
        return spec_type.from_lines(lines)  # type: ignore[no-any-return,unused-ignore]


class FileEntry(NamedTuple):  # not a dataclass: see credmigrate.findings.model
    abspath: str  # a str, not a Path: building hundreds of Paths costs more than the listing
    relpath: str  # posix, relative to the scan base


def _no_repository_above(path: Path) -> bool:
    """True when git can't find a repository for ``path``: no ``.git`` in it or any parent, and
    no GIT_DIR naming one (a few stat calls, where asking git costs a process)."""
    if "GIT_DIR" in os.environ:
        return False
    d = os.path.abspath(path)
    while True:
        if os.path.lexists(os.path.join(d, ".git")):
            return False
        parent = os.path.dirname(d)
        if parent == d:
            return True
        d = parent


def _git_toplevel(path: Path) -> Path | None:
    if _no_repository_above(path):
        return None
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=path,
            capture_output=True,
            check=False,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if out.returncode != 0:
        return None
    return Path(os.fsdecode(out.stdout.strip()))


def _git_files(top: Path, sub: Path) -> list[str]:
    rel = sub.relative_to(top).as_posix() if sub != top else "."
    out = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", rel],
        cwd=top,
        capture_output=True,
        check=False,
    )
    if out.returncode != 0:
        msg = out.stderr.decode("utf-8", "replace").strip().splitlines()
        raise BadInputError(f"git could not list files in {top}: {msg[-1] if msg else 'error'}")
    names = [os.fsdecode(n) for n in out.stdout.split(b"\0") if n]
    return sorted(set(names))


def _git_ignored(top: Path, path: Path) -> bool:
    """Whether git ignores ``path`` (a directory inside the work tree at ``top``)."""
    if path == top:
        return False
    try:
        out = subprocess.run(
            ["git", "check-ignore", "-q", "--", path.relative_to(top).as_posix() + "/"],
            cwd=top,
            capture_output=True,
            check=False,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return out.returncode == 0


# Environment variables that would point git at another repository, index or object store.
_GIT_LOCATION_VARS = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_CEILING_DIRECTORIES",
)


def _untracked(root: Path) -> list[str]:
    """Every file under ``root`` that its ``.gitignore`` files don't ignore.

    git does the matching (~4 ms for a few hundred files, where pathspec spends ~40 ms importing
    and compiling patterns), through a scratch repository with no commits, index or config:
    every file is untracked, so ``ls-files --others --exclude-standard`` lists exactly the
    files that the ``.gitignore`` files under ``root`` let through. The user's global excludes
    are switched off (they don't describe this directory). Falls back to :func:`_walk`.
    """
    env = {k: v for k, v in os.environ.items() if k not in _GIT_LOCATION_VARS}
    skip = [f"--exclude={d}/" for d in sorted(_ALWAYS_SKIP_DIRS)]
    try:
        scratch = _scratch_git_dir()
    except OSError:
        return sorted(_walk(root))
    try:
        git = ["git", f"--git-dir={scratch}", "--work-tree=.", "-c", "core.excludesFile="]
        listing = ["ls-files", "-z", "--others", "--exclude-standard", *skip]
        out = subprocess.run(
            [*git, *listing], cwd=root, env=env, capture_output=True, check=False, timeout=300
        )
    except (OSError, subprocess.TimeoutExpired):
        return sorted(_walk(root))
    finally:
        _remove_scratch(scratch)
    if out.returncode != 0:
        return sorted(_walk(root))
    names: list[str] = []
    for raw in out.stdout.split(b"\0"):
        if not raw:
            continue
        name = os.fsdecode(raw)
        if name.endswith("/"):  # a repository nested in the directory: its own git's view
            nested = root / name
            top = _git_toplevel(nested)
            inner = _git_files(top, nested.resolve()) if top is not None else _walk(nested)
            names.extend(name + n for n in inner)
        else:
            names.append(name)
    return sorted(names)


_SCRATCH_ENTRIES = ("HEAD", "objects", "refs")


def _scratch_git_dir() -> str:
    """A new empty git directory, private to this user (mode 0700, a fresh name).

    What ``tempfile.mkdtemp`` does, without importing tempfile (and shutil, random) on a
    working-tree scan's start-up."""
    base = os.environ.get("TMPDIR") or "/tmp"
    for _ in range(100):
        path = os.path.join(base, f"credmigrate-ls-{os.getpid()}-{os.urandom(6).hex()}")
        try:
            os.mkdir(path, 0o700)
        except FileExistsError:
            continue
        try:
            for sub in _SCRATCH_ENTRIES[1:]:
                os.mkdir(os.path.join(path, sub), 0o700)
            fd = os.open(os.path.join(path, "HEAD"), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="ascii") as head:
                head.write("ref: refs/heads/scratch\n")
        except OSError:
            _remove_scratch(path)
            raise
        return path
    raise FileExistsError(f"no free scratch directory name in {base}")


def _remove_scratch(path: str) -> None:
    try:
        os.unlink(os.path.join(path, "HEAD"))
        for sub in _SCRATCH_ENTRIES[1:]:
            os.rmdir(os.path.join(path, sub))
        os.rmdir(path)
    except OSError:  # git left something (it should not): remove the whole directory
        import shutil

        shutil.rmtree(path, ignore_errors=True)


def _walk(root: Path) -> Iterator[str]:
    specs: list[tuple[str, pathspec.GitIgnoreSpec]] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        rel_dir = Path(dirpath).relative_to(root).as_posix()
        rel_dir = "" if rel_dir == "." else rel_dir
        gi = Path(dirpath) / ".gitignore"
        if gi.is_file():
            try:
                lines = gi.read_text(encoding="utf-8", errors="replace").splitlines()
                specs.append((rel_dir, gitignore_spec(lines)))
            except OSError:
                pass

        def ignored(rel: str, is_dir: bool) -> bool:
            # As git: the last matching pattern wins, and a deeper .gitignore comes later, so
            # its "!pattern" can re-include what a parent's pattern excluded.
            decision = False
            for base, spec in specs:  # parents before children (top-down walk)
                if base and not rel.startswith(base + "/"):
                    continue
                sub = rel[len(base) + 1 :] if base else rel
                include = spec.check_file(sub + ("/" if is_dir else "")).include
                if include is not None:
                    decision = include
            return decision

        keep = []
        for d in sorted(dirnames):
            rel = f"{rel_dir}/{d}" if rel_dir else d
            if d in _ALWAYS_SKIP_DIRS or ignored(rel, True):
                continue
            keep.append(d)
        dirnames[:] = keep
        for f in sorted(filenames):
            rel = f"{rel_dir}/{f}" if rel_dir else f
            if not ignored(rel, False):
                yield rel


def list_files(
    roots: Sequence[Path], exclude: Sequence[str] = ()
) -> tuple[list[FileEntry], list[Skipped]]:
    """Resolve the scan roots into files to read, and those skipped before reading.

    Paths are relative to the directory root; with several roots, to the current directory,
    so that two roots' files of the same name stay apart.
    """
    excl = gitignore_spec(exclude) if exclude else None
    entries: list[FileEntry] = []
    skipped: list[Skipped] = []
    seen: set[str] = set()  # normalised paths: two roots may name the same file
    for root in roots:
        if not root.exists() and not root.is_symlink():
            raise BadInputError(f"no such file or directory: {root}")
        if not root.is_dir() or root.is_symlink():  # a file, FIFO, device: itself
            base = Path.cwd()
            rels = [_rel_to(root, base)]
            anchor = base
        else:
            anchor = root
            top = _git_toplevel(root)
            rels = _git_files(top, root.resolve()) if top is not None else _untracked(root)
            if top is not None and not rels and _git_ignored(top, root.resolve()):
                rels = _untracked(root)  # an ignored directory, named explicitly: list it
            elif top is not None:
                sub = root.resolve().relative_to(top).as_posix()
                prefix = "" if sub == "." else sub + "/"
                rels = [r[len(prefix) :] for r in rels if r.startswith(prefix)]
        resolved_anchor = anchor.resolve()
        lead = ""
        if len(roots) > 1 and anchor is root:
            lead = _rel_to(root, Path.cwd()).rstrip("/")
            lead = "" if lead == "." else lead + "/"
        anchor_dir = os.fspath(anchor)
        for rel in rels:
            if excl is not None and excl.match_file(rel):
                continue
            full = os.path.join(anchor_dir, rel)
            rel = lead + rel
            try:  # one lstat per file: it decides symlink, directory, special file
                mode = os.lstat(full).st_mode
            except OSError:  # vanished since listing
                continue
            if stat.S_ISLNK(mode):
                try:
                    target = Path(full).resolve(strict=True)
                except (OSError, RuntimeError):
                    skipped.append(Skipped(rel, "broken symlink"))
                    continue
                if not target.is_relative_to(resolved_anchor):
                    skipped.append(Skipped(rel, "symlink out of the root"))
                else:
                    skipped.append(Skipped(rel, "symlink (its target is scanned)"))
                continue
            key = os.path.normpath(full)
            if key in seen:
                continue
            if stat.S_ISDIR(mode):  # a submodule or nested repo listed by git
                skipped.append(Skipped(rel, "submodule or nested repository"))
                continue
            if not stat.S_ISREG(mode):  # a FIFO would block the read forever
                skipped.append(Skipped(rel, "not a regular file"))
                continue
            seen.add(key)
            entries.append(FileEntry(full, rel))
    return entries, skipped


def _rel_to(path: Path, base: Path) -> str:
    try:
        return path.absolute().relative_to(base.absolute()).as_posix()
    except ValueError:
        return path.as_posix()
