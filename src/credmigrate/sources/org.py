"""``scan --repos FILE``: many repositories, one report.

Each repository is one task: a local path is scanned in place, a git URL is cloned with
``git clone --mirror`` into scratch space, scanned and deleted. A task never raises: it returns a
:class:`RepoOutcome` (findings, or the reason the repository failed), a plain picklable value, so
the same function runs in this process (:func:`run_sequential`) or on dask workers
(:mod:`credmigrate.sources.org_dask`, the only module that imports dask). Findings carry the
repository's name in :attr:`Finding.repo`; everything else about them is exactly what a scan of
that repository alone gives.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Generator, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from credmigrate.config import Config
from credmigrate.detect.detector import Detector
from credmigrate.errors import BadInputError, CredmigrateError
from credmigrate.findings.model import (
    Finding,
    RepoSummary,
    ScanResult,
    Skipped,
    Status,
)
from credmigrate.sources.progress import Task as BarTask

# A URL (scheme://...) or scp-like ``user@host:path``; anything else is a local path.
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://|^[\w.-]+@[\w.-]+:")
_USERINFO = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)([^/@]*)@")
_GITLINK = "160000"
# A scan's routine counters ("history: 804 commits, ..."): one per repository would drown the
# notes that matter (shallow clones, skipped submodules); the summary table has the times.
_COUNTS = ("history: ", "since ")
_SYMLINK = "120000"


@dataclass(frozen=True)
class RepoSpec:
    """One line of the repository list."""

    source: str  # a local path (absolute) or a URL as given
    name: str  # what reports show: the line as written, any password in a URL hidden
    is_url: bool


@dataclass(frozen=True)
class OrgOptions:
    """What to scan in every repository: the same for all of them."""

    config: Config
    history: bool = False
    branches: tuple[str, ...] = ()
    since: str | None = None
    jobs: int = 1  # processes inside one repository's scan (sequential mode only)
    clone_timeout: float | None = 3600.0  # seconds for one clone (or ls-remote) of a URL
    track_revisions: bool = False  # --state: find what each scan covers (one cheap git call)

    def digest(self) -> str:
        """Identifies the scan settings; a state recorded under other settings is not reused."""
        key = repr((self.config, self.history, self.branches, self.since))
        return hashlib.sha256(key.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class RepoOutcome:
    """What one repository's task returns: findings, or why it failed. Never an exception."""

    repo: str
    revision: str = ""  # what was scanned (HEAD, or every ref for history scans)
    result: ScanResult | None = None
    error: str = ""
    seconds: float = 0.0
    unchanged: bool = False  # the state says it was scanned at this revision: not rescanned
    worker: str = ""  # where it ran (dask worker address), for the report
    attempts: int = 1

    @property
    def ok(self) -> bool:
        return not self.error


class OrgProgress(Protocol):
    """How a run reports as repositories finish (a counter on a TTY, lines otherwise)."""

    def start(self, total: int) -> None: ...

    def repo_done(self, outcome: RepoOutcome, done: int, total: int) -> None: ...

    def end(self) -> None: ...


# -- the repository list ----------------------------------------------------------------------


def display_name(source: str) -> str:
    """``source`` safe to print: a password (or token) in a URL's user part is hidden."""
    m = _USERINFO.match(source)
    if not m:
        return source
    user = m.group(2).split(":", 1)[0]
    hidden = f"{user}:***" if ":" in m.group(2) else "***"
    return m.group(1) + hidden + "@" + source[m.end() :]


def parse_repo_list(text: str, base: Path) -> tuple[list[RepoSpec], list[str]]:
    """Repositories named in ``text`` (one a line, ``#`` comments) and notes (duplicates)."""
    specs: list[RepoSpec] = []
    notes: list[str] = []
    seen: dict[str, int] = {}
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        line = re.split(r"\s+#", line, maxsplit=1)[0].strip()
        is_url = bool(_URL.match(line))
        source = line if is_url else str((base / os.path.expanduser(line)).resolve())
        if source in seen:
            notes.append(
                f"line {lineno}: {display_name(line)} repeats line {seen[source]}; scanned once"
            )
            continue
        seen[source] = lineno
        specs.append(RepoSpec(source, display_name(line), is_url))
    return specs, notes


def read_repo_list(path: Path) -> tuple[list[RepoSpec], list[str]]:
    """Read ``--repos FILE``; ``BadInputError`` when it is unreadable or names nothing."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadInputError(f"repository list {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise BadInputError(f"cannot read repository list {path}: {reason}") from None
    specs, notes = parse_repo_list(text, path.parent)
    if not specs:
        raise BadInputError(f"repository list {path} names no repository")
    return specs, notes


# -- one repository ---------------------------------------------------------------------------

_DETECTORS: dict[str, Detector] = {}


def cached_detector(config: Config) -> Detector:
    """One detector per configuration per process: a worker compiles the rules once."""
    key = repr(config)
    detector = _DETECTORS.get(key)
    if detector is None:
        detector = _DETECTORS[key] = Detector.default(config)
    return detector


def _git(args: Sequence[str], *, cwd: Path | None = None, timeout: float | None = None) -> str:
    # Never wait for a password nobody will type, nor on a transfer that has stalled.
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0", GIT_ASKPASS="true", SSH_ASKPASS="true")
    env.setdefault("GIT_SSH_COMMAND", "ssh -o BatchMode=yes -o ConnectTimeout=60")
    env.setdefault("GIT_HTTP_LOW_SPEED_LIMIT", "1000")  # bytes/s, for ...
    env.setdefault("GIT_HTTP_LOW_SPEED_TIME", "120")  # ... this many seconds: then give up
    try:
        out = subprocess.run(
            ["git", *args],
            cwd=cwd,
            capture_output=True,
            check=False,
            timeout=timeout,
            env=env,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        raise BadInputError(f"git {args[0]} timed out after {timeout:g} s") from None
    except OSError as exc:
        raise BadInputError(f"cannot run git: {exc.strerror or exc}") from None
    if out.returncode != 0:
        lines = out.stderr.decode("utf-8", "replace").strip().splitlines() or ["(no message)"]
        raise BadInputError(f"git {args[0]} failed: {lines[-1].removeprefix('fatal: ')}")
    return out.stdout.decode("utf-8", "replace")


def revision(source: str, options: OrgOptions, *, timeout: float | None = None) -> str:
    """What a scan of ``source`` covers, as one string: HEAD for a tree scan, every ref (a
    digest of ``git ls-remote``) for history and ``--since`` scans. Works on paths and URLs."""
    listing = _git(["ls-remote", "--", source], timeout=timeout)
    refs = sorted(ln for ln in listing.splitlines() if ln and not ln.endswith("\trefs/stash"))
    head = next((ln.split("\t")[0] for ln in refs if ln.endswith("\tHEAD")), "")
    if options.history or options.since:
        return f"{head[:12]}+refs:{hashlib.sha256(chr(10).join(refs).encode()).hexdigest()[:16]}"
    return head


def _worktree_state(path: Path) -> str:
    """A digest of uncommitted changes in a work tree ('' when clean)."""
    status = _git(["status", "--porcelain=v1", "-z", "--untracked-files=normal"], cwd=path)
    return hashlib.sha256(status.encode()).hexdigest()[:16] if status else ""


def _mirror(spec: RepoSpec, scratch: Path, timeout: float | None) -> Path:
    scratch.mkdir(parents=True, exist_ok=True)
    dest = Path(tempfile.mkdtemp(prefix="credmigrate-repo-", dir=scratch))
    try:
        _git(
            ["clone", "--mirror", "--quiet", "--", spec.source, str(dest / "repo.git")],
            timeout=timeout,
        )
    except BaseException:
        shutil.rmtree(dest, ignore_errors=True)
        raise
    return dest / "repo.git"


def _scan_tree_at_head(path: Path, config: Config) -> ScanResult:
    """A mirror has no work tree: scan the files of HEAD's tree from git's objects."""
    from credmigrate.sources.blobscan import BlobJob, excluder, scan_blobs
    from credmigrate.sources.git.repo import open_repo

    repo = open_repo(path)
    head = repo.info.head
    if head is None:
        return ScanResult((), notes=("empty repository: HEAD has no commits",))
    excluded = excluder(config.exclude)
    jobs = [
        BlobJob(sha, p)
        for mode, sha, p in repo.ls_tree(head)
        if mode not in (_GITLINK, _SYMLINK) and not excluded(p)
    ]
    batch = scan_blobs(repo, config, jobs, cached_detector)
    findings = sorted((f for _job, fs in batch.findings for f in fs), key=Finding.sort_key)
    skipped = sorted({Skipped(j.path, r) for j, r in batch.skipped}, key=lambda s: s.path)
    errors = [f"object {j.sha[:12]} ({j.path}): {e}" for j, e in batch.errors]
    return batch.to_scan_result(findings, skipped, [], errors)


def _scan_path(path: Path, options: OrgOptions, *, bare: bool) -> ScanResult:
    config = options.config
    if options.history or options.branches:
        from credmigrate.sources.history import scan_history

        return scan_history(
            path,
            config,
            refs=options.branches,
            since=options.since,
            jobs=options.jobs,
            detector_factory=cached_detector,
        )
    if options.since:
        from credmigrate.sources.diff import scan_since

        return scan_since(
            path, config, options.since, jobs=options.jobs, detector_factory=cached_detector
        )
    if bare:
        return _scan_tree_at_head(path, config)
    from credmigrate.sources.worktree import scan_worktree

    return scan_worktree([path], config, cached_detector(config), jobs=options.jobs)


def _internal(exc: BaseException) -> str:
    # An exception's text can quote the data it choked on, and that data can be a secret.
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    where = "?"
    if tb is not None:
        path = Path(tb.tb_frame.f_code.co_filename)
        where = f"{path.parent.name}/{path.name}:{tb.tb_lineno}"
    return f"internal error: {type(exc).__name__} at {where}"


def scan_repo(
    spec: RepoSpec,
    options: OrgOptions,
    known_revision: str = "",
    *,
    scratch: Path | None = None,
) -> RepoOutcome:
    """Scan one repository; a failure is an outcome with ``error`` set, never an exception.

    ``known_revision`` is what a previous run recorded: when the repository still has it, the
    outcome says ``unchanged`` and nothing is cloned or scanned.
    """
    start = time.perf_counter()
    rev = ""
    mirror: Path | None = None
    try:
        if not spec.is_url and not Path(spec.source).is_dir():
            raise BadInputError("no such directory")
        if options.track_revisions or known_revision:
            rev = revision(spec.source, options, timeout=options.clone_timeout)
            if not spec.is_url and not (options.history or options.since):
                dirty = _worktree_state(Path(spec.source))
                rev = f"{rev}+dirty:{dirty}" if dirty else rev
        if known_revision and rev == known_revision:
            return RepoOutcome(spec.name, rev, unchanged=True, seconds=_since(start))
        if spec.is_url:
            base = scratch or Path(tempfile.gettempdir())
            mirror = _mirror(spec, base, options.clone_timeout)
            result = _scan_path(mirror, options, bare=True)
        else:
            result = _scan_path(Path(spec.source), options, bare=False)
    except CredmigrateError as exc:
        return RepoOutcome(spec.name, rev, error=_hide(exc.message, spec), seconds=_since(start))
    except Exception as exc:
        return RepoOutcome(spec.name, rev, error=_internal(exc), seconds=_since(start))
    finally:
        if mirror is not None:
            shutil.rmtree(mirror.parent, ignore_errors=True)
    findings = tuple(f._replace(repo=spec.name) for f in result.findings)
    return RepoOutcome(spec.name, rev, result._replace(findings=findings), seconds=_since(start))


def _since(start: float) -> float:
    return round(time.perf_counter() - start, 3)


def _hide(message: str, spec: RepoSpec) -> str:
    """git may quote the URL it was given: never show its password."""
    return message.replace(spec.source, spec.name) if spec.source != spec.name else message


# -- many repositories ------------------------------------------------------------------------


Task = tuple[int, RepoSpec, str]  # (index in the list, repository, revision recorded before)


def run_sequential(
    tasks: Sequence[Task], options: OrgOptions
) -> Generator[tuple[int, RepoOutcome], None, None]:
    """Scan each repository in turn in this process (the fallback without dask)."""
    scratch = Path(tempfile.mkdtemp(prefix="credmigrate-org-"))
    try:
        for index, spec, known in tasks:
            yield index, scan_repo(spec, options, known, scratch=scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


@dataclass
class OrgRun:
    """Outcomes as they arrive, in the order of the repository list at the end."""

    specs: Sequence[RepoSpec]
    outcomes: dict[int, RepoOutcome] = field(default_factory=dict)
    interrupted: bool = False
    notes: list[str] = field(default_factory=list)

    def add(self, index: int, outcome: RepoOutcome) -> None:
        # One outcome per repository: a repeat (a retried task reporting twice) replaces it.
        self.outcomes[index] = outcome

    def result(self) -> ScanResult:
        return combine(self.specs, self.outcomes, notes=self.notes, interrupted=self.interrupted)


def summary(spec: RepoSpec, outcome: RepoOutcome | None, interrupted: bool) -> RepoSummary:
    if outcome is None:
        state = "interrupted" if interrupted else "not scanned"
        return RepoSummary(spec.name, status=state, error="not scanned: the run was stopped")
    if not outcome.ok:
        return RepoSummary(
            spec.name,
            status="failed",
            seconds=outcome.seconds,
            error=outcome.error,
            revision=outcome.revision,
        )
    findings = outcome.result.findings if outcome.result is not None else ()
    history_only = sum(1 for f in findings if f.status is Status.HISTORY_ONLY)
    return RepoSummary(
        spec.name,
        status="unchanged" if outcome.unchanged else "scanned",
        live=len(findings) - history_only,
        history_only=history_only,
        seconds=outcome.seconds,
        revision=outcome.revision,
    )


def combine(
    specs: Sequence[RepoSpec],
    outcomes: dict[int, RepoOutcome],
    *,
    notes: Iterable[str] = (),
    interrupted: bool = False,
) -> ScanResult:
    """One :class:`ScanResult` for the whole run, with a summary row per repository."""
    findings: list[Finding] = []
    skipped: list[Skipped] = []
    all_notes = list(notes)
    errors: list[str] = []
    files = nbytes = suppressed = 0
    rows: list[RepoSummary] = []
    for index, spec in enumerate(specs):
        outcome = outcomes.get(index)
        rows.append(summary(spec, outcome, interrupted))
        if outcome is None:
            continue
        if not outcome.ok:
            errors.append(f"repository {spec.name}: {outcome.error}")
            continue
        res = outcome.result
        if res is None:
            continue
        findings.extend(res.findings)
        skipped.extend(Skipped(f"{spec.name}: {s.path}", s.reason) for s in res.skipped)
        all_notes.extend(f"{spec.name}: {n}" for n in res.notes if not n.startswith(_COUNTS))
        errors.extend(f"repository {spec.name}: {e}" for e in res.errors)
        files += res.files_scanned
        nbytes += res.bytes_scanned
        suppressed += res.suppressed
    if interrupted:
        left = len(specs) - len(outcomes)
        all_notes.append(f"interrupted: {left} of {len(specs)} repositories not scanned")
    findings.sort(key=lambda f: (f.repo, *f.sort_key()))
    return ScanResult(
        tuple(findings),
        tuple(skipped),
        files,
        nbytes,
        tuple(all_notes),
        tuple(errors),
        suppressed,
        repos=tuple(rows),
    )


# -- progress ---------------------------------------------------------------------------------


class LineProgress:
    """A progress bar on a terminal (:mod:`credmigrate.sources.progress`); one line per finished
    repository otherwise (a CI log shows the run as it goes)."""

    def __init__(self, enabled: bool, write: Callable[[str], None] | None = None) -> None:
        from credmigrate.sources.progress import wanted

        self.enabled = enabled
        self.tty = wanted(enabled)
        self._write = write or _stderr
        self._failed = 0
        self._stack = contextlib.ExitStack()
        self._task: BarTask | None = None

    def start(self, total: int) -> None:
        if self.enabled and self.tty:
            from credmigrate.sources.progress import progress_bars

            bars = self._stack.enter_context(progress_bars(True))
            self._task = bars.task("repositories", total=total, unit="repositories")

    def repo_done(self, outcome: RepoOutcome, done: int, total: int) -> None:
        if not self.enabled:
            return
        self._failed += not outcome.ok
        if self._task is not None:
            self._task.advance()
            if self._failed:
                self._task.note(f"{self._failed} failed")
            return
        if not outcome.ok:
            what = f"failed: {outcome.error}"
        elif outcome.unchanged:
            what = "unchanged since the recorded run: not rescanned"
        else:
            n = len(outcome.result.findings) if outcome.result is not None else 0
            what = f"{n} finding{'s' if n != 1 else ''} in {outcome.seconds:.1f} s"
        self._write(f"credmigrate: [{done}/{total}] {outcome.repo}: {what}\n")

    def end(self) -> None:
        self._task = None
        self._stack.close()


def _stderr(text: str) -> None:
    sys.stderr.write(text)
    sys.stderr.flush()
