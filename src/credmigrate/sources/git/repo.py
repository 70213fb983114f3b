"""The git adapter: the only module that imports gitpython, and the one place git is run.

gitpython finds and validates the repository (work tree or bare, ``.git`` files, worktrees);
its errors become :class:`~credmigrate.errors.GitError`. Bulk reads are streamed from a few
long-lived git processes, never one per commit or blob: one ``git log --raw`` for the history
walk and one ``git cat-file --batch`` per reader for contents, fed in pipelined batches.
"""

from __future__ import annotations

import io
import os
import subprocess
from collections.abc import Iterator, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from credmigrate.errors import GitError
from credmigrate.sources.git.parse import (
    CommitHeader,
    LogItem,
    RawChange,
    parse_added_lines,
    parse_log_blobs,
    parse_raw_entries,
    parse_raw_log,
    split_nul,
)

if TYPE_CHECKING:
    from credmigrate.sources.git.catfile import BlobReader

_LOG_FORMAT = "--format=%x01%H%x00%an <%ae>%x00%aI"
_STAGED_DIFF = (
    "diff",
    "--cached",
    "--patch-with-raw",
    "-z",
    "-U0",
    "--find-renames",
    "--no-abbrev",
    "--no-color",
    "--no-ext-diff",
    "--no-textconv",
    "--full-index",
)
_CHUNK = 1 << 20


class RepoInfo(NamedTuple):
    """Where the repository is and where its HEAD points."""

    git_dir: Path
    work_tree: Path | None  # None for a bare repository
    shallow: bool
    head: str | None  # None when HEAD is unborn (empty repository)
    detached: bool


def _git_exe() -> str:
    return os.environ.get("GIT_PYTHON_GIT_EXECUTABLE") or "git"


def _discover(path: Path) -> tuple[Path, bool, bool, Path | None]:
    """(git dir, bare, shallow, work tree) for ``path``: a work tree, a directory in one, a bare repo."""
    if not path.exists():
        raise GitError(f"no such directory: {path}")
    cwd = path if path.is_dir() else path.parent
    args = ["rev-parse", "--absolute-git-dir", "--is-bare-repository", "--is-shallow-repository"]
    try:
        out = subprocess.run(
            [_git_exe(), *args, "--show-toplevel"], cwd=cwd, capture_output=True, check=False
        )
    except OSError as exc:
        raise GitError(f"cannot run git: {exc}") from None
    lines = out.stdout.splitlines()
    if len(lines) < 3:
        raise GitError(f"not a git repository: {path} ({_last_line(out.stderr)})")
    git_dir = Path(os.fsdecode(lines[0]))
    bare = lines[1].strip() == b"true"
    shallow = lines[2].strip() == b"true"
    top: Path | None = None
    if not bare:
        top = Path(os.fsdecode(lines[3])) if len(lines) > 3 else git_dir.parent
    return git_dir, bare, shallow, top


def _validate_gitpython(path: Path) -> None:
    import git
    from git.exc import InvalidGitRepositoryError, NoSuchPathError

    try:
        repo = git.Repo(path, search_parent_directories=True)
    except NoSuchPathError:
        raise GitError(f"no such directory: {path}") from None
    except InvalidGitRepositoryError:
        raise GitError(f"not a git repository: {path}") from None
    except (git.exc.GitError, OSError, ValueError) as exc:
        raise GitError(f"cannot open git repository {path}: {exc}") from None
    repo.close()


class GitRepo:
    """A repository opened for reading. Every command runs against its git directory.

    ``thorough=True`` (history scans) validates the repository with gitpython; the pre-commit
    path (``thorough=False``) asks ``git rev-parse`` alone, because importing gitpython costs
    about 200 ms of start-up (measured here), a third of a hook's budget.
    """

    def __init__(self, path: Path, *, thorough: bool = True, prefetch_staged: bool = False) -> None:
        if thorough:
            _validate_gitpython(path)
        # the pre-commit hook's index diff starts now and runs beside the discovery below: one
        # git call less to wait for in a row (its output is the same from the work tree's cwd)
        self._staged: subprocess.Popen[bytes] | None = None
        if prefetch_staged and path.is_dir():
            try:
                self._staged = subprocess.Popen(
                    [_git_exe(), "-c", "core.quotePath=false", *_STAGED_DIFF, "--"],
                    cwd=path,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                )
            except OSError:
                self._staged = None
        try:
            git_dir, _bare, shallow, work_tree = _discover(path)
        except BaseException:
            if self._staged is not None:
                self._staged.kill()
                self._staged.communicate()
            raise
        self.git_dir, self.work_tree, self._shallow = git_dir, work_tree, shallow
        self._cwd = work_tree
        self._base = [_git_exe(), f"--git-dir={git_dir}", "-c", "core.quotePath=false"]
        if work_tree is not None:
            self._base.append(f"--work-tree={work_tree}")

    @cached_property
    def info(self) -> RepoInfo:
        """Where HEAD points (two more git calls: only the modes that need it ask)."""
        head = self.run("rev-parse", "--verify", "-q", "HEAD^{commit}", check=False).strip()
        symbolic = self.run("symbolic-ref", "-q", "HEAD", check=False).strip()
        return RepoInfo(
            git_dir=self.git_dir,
            work_tree=self.work_tree,
            shallow=self._shallow,
            head=head.decode() or None,
            detached=bool(head) and not symbolic,
        )

    # -- small commands ---------------------------------------------------------------------

    def run(self, *args: str, check: bool = True, stdin: bytes | None = None) -> bytes:
        """Run a git command to completion and return its stdout."""
        try:
            out = subprocess.run(
                [*self._base, *args], input=stdin, capture_output=True, check=False, cwd=self._cwd
            )
        except OSError as exc:
            raise GitError(f"cannot run git: {exc}") from None
        if check and out.returncode != 0:
            raise GitError(f"git {args[0]} failed: {_last_line(out.stderr)}")
        return out.stdout

    def resolve(self, rev: str) -> str:
        """The commit id ``rev`` names; GitError when it names none."""
        out = self.run(
            "rev-parse", "--verify", "-q", "--end-of-options", f"{rev}^{{commit}}", check=False
        )
        if not out.strip():
            raise GitError(f"unknown revision: {rev}")
        return out.strip().decode()

    def merge_base(self, a: str, b: str) -> str | None:
        out = self.run("merge-base", a, b, check=False).strip()
        return out.decode() or None

    def has_refs(self) -> bool:
        return bool(self.run("for-each-ref", "--count=1").strip())

    def has_stash(self) -> bool:
        return bool(self.run("rev-parse", "--verify", "-q", "refs/stash", check=False).strip())

    def ls_tree(self, rev: str) -> list[tuple[str, str, str]]:
        """(mode, blob sha, path) of every file in ``rev``'s tree."""
        out = self.run("ls-tree", "-r", "-z", "--full-tree", rev)
        entries = []
        for item in out.split(b"\0"):
            if not item:
                continue
            meta, _, path = item.partition(b"\t")
            mode, kind, sha = meta.decode("ascii", "replace").split(" ")
            if kind == "blob":
                entries.append((mode, sha, path.decode("utf-8", "replace")))
        return entries

    def name_revs(self, shas: Sequence[str]) -> dict[str, str]:
        """A human ref-relative name (``main~3``, ``tags/v1^0``) for each commit, when it has one."""
        names: dict[str, str] = {}
        for i in range(0, len(shas), 500):
            chunk = list(shas[i : i + 500])
            out = self.run("name-rev", "--name-only", "--exclude=refs/stash", *chunk, check=False)
            for sha, name in zip(chunk, out.decode("utf-8", "replace").splitlines(), strict=False):
                if name and name != "undefined":
                    names[sha] = name
        return names

    def staged_changes(
        self, paths: Sequence[str] | None
    ) -> list[tuple[RawChange, list[tuple[int, int]]]]:
        """Index vs HEAD (or the empty tree before the first commit): each change and its added lines."""
        # before the first commit git diffs the index against the empty tree by itself
        early, self._staged = self._staged, None
        out: bytes | None = None
        if early is not None:
            out, _err = early.communicate()
            if early.returncode != 0 or paths:
                out = None  # asked for a pathspec, or failed: run it here, errors reported
        if out is None:
            out = self.run(*_STAGED_DIFF, "--", *(paths or ()))
        raw, _, patch = out.partition(b"\0\0")
        changes = parse_raw_entries(raw)
        added = parse_added_lines(patch)
        if len(added) != len(changes):  # should not happen; fall back to whole files
            added = [[(1, 1 << 30)] for _ in changes]
        return list(zip(changes, added, strict=True))

    def index_blobs(self, paths: Sequence[str]) -> dict[str, str]:
        """path -> staged blob sha for the given paths (stage 0 only)."""
        out = self.run("ls-files", "-s", "-z", "--", *paths) if paths else b""
        result: dict[str, str] = {}
        for item in out.split(b"\0"):
            if not item:
                continue
            meta, _, path = item.partition(b"\t")
            mode, sha, stage = meta.decode("ascii", "replace").split(" ")
            if stage == "0" and mode not in ("160000", "120000"):
                result[path.decode("utf-8", "replace")] = sha
        return result

    # -- streams -----------------------------------------------------------------------------

    def iter_log(
        self, revs: Sequence[str], errors: list[str], *, renames: bool = False
    ) -> Iterator[CommitHeader | RawChange]:
        """Stream every commit of ``revs`` (parents first) with its changed blobs.

        Merge commits are diffed against their first parent, so every blob of every tree
        appears at least once. A git failure part-way is appended to ``errors``; what was read
        until then is still yielded.
        """
        args = ["log", "--topo-order", "--reverse", "--raw", "-z", "--no-abbrev"]
        args.append("--find-renames" if renames else "--no-renames")
        args += ["--diff-merges=first-parent", "--no-color", "--no-ext-diff", "--no-textconv"]
        args += [_LOG_FORMAT, *revs, "--"]
        with _Stream([*self._base, *args]) as stream:
            yield from parse_raw_log(split_nul(stream.chunks()))
        if stream.returncode != 0:
            errors.append(f"git log stopped early: {stream.error()}")

    def iter_log_blobs(self, revs: Sequence[str], errors: list[str]) -> Iterator[LogItem]:
        """:meth:`iter_log` (no renames) as :func:`parse_log_blobs` tuples: the history walk."""
        args = ["log", "--topo-order", "--reverse", "--raw", "-z", "--no-abbrev", "--no-renames"]
        args += ["--diff-merges=first-parent", "--no-color", "--no-ext-diff", "--no-textconv"]
        args += [_LOG_FORMAT, *revs, "--"]
        with _Stream([*self._base, *args]) as stream:
            yield from parse_log_blobs(stream.chunks())
        if stream.returncode != 0:
            errors.append(f"git log stopped early: {stream.error()}")

    def blob_reader(self, max_size: int) -> BlobReader:
        from credmigrate.sources.git.catfile import BlobReader

        return BlobReader(self._base, max_size)


class _Stream:
    """A git process whose stdout is read in chunks; stderr goes to a temp file (no deadlock)."""

    def __init__(self, argv: list[str]) -> None:
        import tempfile  # only for streamed commands: the hook never needs it

        self._err = tempfile.TemporaryFile()  # noqa: SIM115 - closed in __exit__
        try:
            self._proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=self._err)
        except OSError as exc:
            self._err.close()
            raise GitError(f"cannot run git: {exc}") from None
        self.returncode = 0

    def chunks(self) -> Iterator[bytes]:
        out = self._proc.stdout
        assert isinstance(out, io.BufferedReader)
        while chunk := out.read1(_CHUNK):
            yield chunk

    def error(self) -> str:
        self._err.seek(0)
        return _last_line(self._err.read())

    def __enter__(self) -> _Stream:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._proc.poll() is None and exc[0] is not None:
            self._proc.kill()
        if self._proc.stdout is not None:
            self._proc.stdout.close()
        self.returncode = self._proc.wait()


def _last_line(stderr: bytes) -> str:
    lines = [ln for ln in stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
    return lines[-1].strip() if lines else "unknown error"


def open_repo(path: Path, *, thorough: bool = True, prefetch_staged: bool = False) -> GitRepo:
    """Open the repository at or above ``path`` (work tree or bare); GitError otherwise."""
    return GitRepo(Path(os.fspath(path)), thorough=thorough, prefetch_staged=prefetch_staged)
