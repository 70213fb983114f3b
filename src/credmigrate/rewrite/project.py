"""Rewrite orchestration: group replacements per file, run the codemod, write results atomically.

This module does not import libcst; the codemod is imported lazily, when there are files to
rewrite, so planning code (and the pre-commit hook path) stays light. With many files it is
imported before the process pool forks, so the workers don't each import it again. The dry-run diff and apply share
:func:`plan_rewrites`; :func:`write_outcomes` only writes what a plan already holds.
"""

from __future__ import annotations

import io
import multiprocessing
import multiprocessing.context
import os
import re
import sys
import tempfile
import tokenize
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path, PurePosixPath

from credmigrate.config import Config
from credmigrate.errors import BadInputError
from credmigrate.findings.model import Replacement, RewriteOutcome, RewriteStatus, Span, Status
from credmigrate.rewrite import deps, wrap
from credmigrate.rewrite.accessor import ACCESSOR_MIN_PYTHON, DEFAULT_ACCESSOR, render_accessor
from credmigrate.rewrite.deps import floor_source, python_floor
from credmigrate.rewrite.env_override import keep_env_overrides
from credmigrate.rewrite.text import is_test_path, unified_diff
from credmigrate.sources.progress import NO_TASK
from credmigrate.sources.progress import Task as ProgressTask

PARALLEL_MIN_FILES = 8
_MODULE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")

Task = tuple[str, str, tuple[Replacement, ...], str, int | None]


def _call(rep: Replacement) -> str:
    key = f", {rep.json_key!r}" if rep.json_key is not None else ""
    return f"get_secret({rep.secret_name!r}{key})"


def _flag(path: str, reps: Sequence[Replacement], why: str, todo: str) -> RewriteOutcome:
    human = tuple(
        (
            r.finding.fingerprint,
            f"{path}:{r.finding.span.line}: {why}; {todo.format(call=_call(r))}",
        )
        for r in reps
    )
    return RewriteOutcome(path, RewriteStatus.SKIPPED, reason=why, needs_human=human)


def env_var_name(raw: str) -> str:
    """A shell variable name for a JSON key or the last part of a secret name."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", raw).upper().strip("_") or "SECRET"
    return name if not name[0].isdigit() else f"_{name}"


def env_var_for(rep: Replacement) -> str:
    """The environment variable a non-Python file should read the value from."""
    return env_var_name(rep.json_key or rep.secret_name.rsplit("/", 1)[-1])


def _inject(path: str, reps: Sequence[Replacement]) -> RewriteOutcome:
    """Config files can't call Python: the value comes in through the environment instead."""
    human = []
    for r in reps:
        what = (
            f"key '{r.json_key}' of secret '{r.secret_name}'"
            if r.json_key
            else f"secret '{r.secret_name}'"
        )
        var = env_var_for(r)
        value_from = f"<secret ARN>:{r.json_key}::" if r.json_key else "<secret ARN>"
        human.append(
            (
                r.finding.fingerprint,
                f"{path}:{r.finding.span.line}: remove the value and read ${{{var}}} from the "
                f"environment, filled from {what}: ECS task definition "
                f'`"secrets": [{{"name": "{var}", "valueFrom": "{value_from}"}}]`; Kubernetes '
                f"an ExternalSecret (or a Secret synced from it) as env {var}; docker compose "
                f'and local shells `eval "$(credmigrate env)"` first',
            )
        )
    return RewriteOutcome(
        path, RewriteStatus.SKIPPED, reason="not Python source", needs_human=tuple(human)
    )


def _decode(data: bytes) -> str:
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return data.decode("utf-8" if encoding == "utf-8-sig" else encoding)  # keep a BOM as U+FEFF


def _encoding_of(source: str) -> str:
    head = source.lstrip("\ufeff").encode("utf-8", "surrogateescape")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(head).readline)
    except SyntaxError:
        return "utf-8"
    return "utf-8" if encoding == "utf-8-sig" else encoding


_TEST_FILES = frozenset({"tests.py", "testing.py", "settings_test.py", "test.py", "conftest.py"})
_TEST_CLASS = re.compile(r"(?i)(?:^test|testing|test$|^ci$|^ci[A-Z_])")


def is_test_config(path: str, rep: Replacement) -> bool:
    """A test configuration: ``tests.py``, ``settings/test.py``, ``class TestConfig(Config)``."""
    if PurePosixPath(path).name in _TEST_FILES:
        return True
    b = rep.finding.binding
    if b is None or not b.scope:
        return False
    return any(_TEST_CLASS.search(part) for part in b.scope.split("."))


def import_root(root: Path, path: str) -> tuple[PurePosixPath, tuple[str, ...]]:
    """(the folder that must be on sys.path to import ``path``, the package parts below it).

    Walks up from the file while folders hold ``__init__.py``: ``app/api/x.py`` in packages
    ``app`` and ``app.api`` gives ``(".", ("app", "api"))``; a script gives ``(its folder, ())``.
    """
    parts = PurePosixPath(path).parts[:-1]
    d = len(parts)
    while d > 0 and (root.joinpath(*parts[:d]) / "__init__.py").is_file():
        d -= 1
    return PurePosixPath(*parts[:d]) if d else PurePosixPath("."), tuple(parts[d:])


def accessor_for(root: Path, path: str, config: Config) -> tuple[str, str]:
    """(module name to import, accessor file path) for a rewritten file at ``path``.

    With the default ``accessor_module`` the accessor goes where the file is actually imported
    from: inside its top-level package (``pkg._credmigrate_secrets``) when it is in one, else in
    the file's own folder (a script run from there, a sub-application with its own build
    context). A configured dotted name is used as given, for every file.
    """
    module = config.accessor_module
    if module != DEFAULT_ACCESSOR or "." in module:
        return module, str(accessor_path(root, module))
    base, pkg = import_root(root, path)
    if pkg and all(p.isidentifier() for p in pkg):
        return f"{pkg[0]}.{module}", str(base / pkg[0] / f"{module}.py")
    return module, str(base / f"{module}.py")


def _scrub_comments(
    out: RewriteOutcome, source: str, reps: Sequence[Replacement]
) -> RewriteOutcome:
    """A commented-out copy of a migrated value loses the value: a comment runs nothing.

    ``# SECRET_KEY = '...'`` above the live line kept the key in the file after the live line was
    rewritten; the comment now says where the value went instead of holding it.
    """
    if out.status not in (RewriteStatus.REWRITTEN, RewriteStatus.SKIPPED, RewriteStatus.UNCHANGED):
        return out
    base = out.new_source or source
    lines = base.splitlines(keepends=True)
    scrubbed: set[str] = set()
    for i, line in enumerate(lines):
        if not line.lstrip().startswith("#"):
            continue
        for r in reps:
            secret = r.finding.secret
            if len(secret) >= 8 and secret in line:
                where = r.secret_name + (f" {r.json_key}" if r.json_key else "")
                line = line.replace(secret, f"<moved to Secrets Manager: {where}>")
                scrubbed.add(r.finding.fingerprint)
        lines[i] = line
    if not scrubbed:
        return out
    new = "".join(lines)
    comment_lines = {
        r.finding.span.line
        for r in reps
        if 0 < r.finding.span.line <= len(source.splitlines())
        and source.splitlines()[r.finding.span.line - 1].lstrip().startswith("#")
    }
    human = tuple(
        (fp, t)
        for fp, t in out.needs_human
        if not (fp in scrubbed and _line_of(t) in comment_lines)
    )
    handled = tuple(dict.fromkeys((*out.handled, *scrubbed)))
    diff = unified_diff(out.path, source, new, [r.finding.secret for r in reps])
    reason = out.reason if human else ""
    return out._replace(
        status=RewriteStatus.REWRITTEN,
        new_source=new,
        diff=diff,
        reason=reason,
        handled=handled,
        needs_human=human,
    )


def _line_of(instruction: str) -> int:
    head = instruction.split(":", 2)
    return int(head[1]) if len(head) > 2 and head[1].isdigit() else 0


def other_occurrences(source: str, reps: Sequence[Replacement]) -> list[Replacement]:
    """Replacements for string literals holding a value again that the scan reported once.

    The scanner reports a value once per file (its first place, which may be a commented-out
    copy); every other string literal in the file holding the same value must be rewritten too,
    or the value stays in live code that the report calls migrated.
    """
    import ast

    text = source.lstrip("\ufeff")
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return []
    lines = text.splitlines()
    taken = {(r.finding.span.line, r.finding.secret) for r in reps}
    first: dict[str, Replacement] = {}
    for r in reps:
        first.setdefault(r.finding.secret, r)
    out: list[Replacement] = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        if node.lineno != getattr(node, "end_lineno", node.lineno):
            continue  # a multi-line literal: its column arithmetic is the scanner's job
        line = lines[node.lineno - 1] if node.lineno <= len(lines) else ""
        start = len(line.encode("utf-8")[: node.col_offset].decode("utf-8", "replace"))
        for secret, rep in first.items():
            # a short value (a 4-digit password) only where a literal is exactly that value
            held = secret in node.value if len(secret) >= 8 else node.value == secret
            if not secret or not held or (node.lineno, secret) in taken:
                continue
            at = line.find(secret, start)
            if at < 0:
                continue  # escaped in the source: leave it to the scanner
            span = Span(node.lineno, at + 1, node.lineno, at + 1 + len(secret))
            out.append(rep._replace(finding=rep.finding._replace(span=span, binding=None)))
            taken.add((node.lineno, secret))
    return out


def _work(task: Task) -> RewriteOutcome:
    from credmigrate.rewrite.codemod import rewrite_source  # libcst only in the worker

    path, source, reps, accessor, limit = task
    out = _scrub_comments(rewrite_source(path, source, reps, accessor), source, reps)
    if out.status != RewriteStatus.REWRITTEN:
        return out
    fitted, kept = keep_env_overrides(out.new_source)
    if limit is not None:
        fitted = wrap.fit(source, fitted, limit)
    if fitted == out.new_source:
        return out
    if kept:
        note = f"later environment override(s) still win: {', '.join(kept)}"
        out = out._replace(reason="; ".join(filter(None, (out.reason, note))))
    diff = unified_diff(path, source, fitted, [r.finding.secret for r in reps])
    return out._replace(new_source=fitted, diff=diff)


def plan_rewrites(
    root: Path,
    replacements: Sequence[Replacement],
    config: Config,
    *,
    jobs: int = 0,
    progress: ProgressTask = NO_TASK,
) -> list[RewriteOutcome]:
    """One outcome per file that holds a replacement, sorted by path; never raises for a file.

    ``progress`` is told how many Python files the codemod will parse, then each one done.
    """
    by_path: dict[str, list[Replacement]] = {}
    for rep in replacements:
        if rep.finding.status == Status.HISTORY_ONLY:
            continue  # not in the tree: nothing to rewrite, it goes on the rotation list
        by_path.setdefault(rep.finding.path, []).append(rep)
    outcomes: list[RewriteOutcome] = []
    tasks: list[Task] = []
    for path, reps in sorted(by_path.items()):
        reps.sort(key=lambda r: r.finding.sort_key())
        if not path.endswith((".py", ".pyw")):
            outcomes.append(_inject(path, reps))
            continue
        tests = [r for r in reps if is_test_config(path, r)]
        if tests and not is_test_path(path):
            outcomes.append(
                _flag(
                    path,
                    tests,
                    "a test configuration is not rewritten (tests must run without AWS)",
                    "keep an obviously fake value here, or read {call} only where it must be real",
                )
            )
            reps = [r for r in reps if r not in tests]
            if not reps:
                continue
        floor = python_floor(root, path)
        if floor is not None and floor < ACCESSOR_MIN_PYTHON:
            outcomes.append(
                _flag(
                    path,
                    reps,
                    f"the project declares Python {floor[0]}.{floor[1]} ({floor_source(root, path)})"
                    f" and the generated accessor needs Python "
                    f"{ACCESSOR_MIN_PYTHON[0]}.{ACCESSOR_MIN_PYTHON[1]}+: not rewritten",
                    "replace the literal with your own runtime lookup of {call}",
                )
            )
            continue
        if is_test_path(path):
            outcomes.append(
                _flag(
                    path,
                    reps,
                    "test code is not rewritten",
                    "use an obviously fake value in the test, or {call} if it must be real",
                )
            )
            continue
        try:
            source = _decode((root / path).read_bytes())
        except (OSError, SyntaxError, UnicodeDecodeError, LookupError) as exc:
            outcomes.append(
                RewriteOutcome(path, RewriteStatus.FAILED, reason=f"cannot read: {exc}")
            )
            continue
        accessor = accessor_for(root, path, config)[0]
        reps = [*reps, *other_occurrences(source, reps)]
        tasks.append((path, source, tuple(reps), accessor, wrap.line_length(root, path)))
    progress.grow(len(tasks))
    outcomes.extend(_run(tasks, jobs or config.jobs or os.cpu_count() or 1, progress))
    return sorted(outcomes, key=lambda o: o.path)


def _pool_context() -> multiprocessing.context.BaseContext | None:
    """fork where it is safe and available: workers inherit the codemod already imported."""
    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return None  # macOS/Windows: the platform default (spawn), each worker imports libcst


def _counted(outcomes: Iterable[RewriteOutcome], progress: ProgressTask) -> list[RewriteOutcome]:
    out: list[RewriteOutcome] = []
    for o in outcomes:
        out.append(o)
        progress.advance()
    return out


def _run(tasks: list[Task], workers: int, progress: ProgressTask) -> list[RewriteOutcome]:
    if len(tasks) < PARALLEL_MIN_FILES or workers <= 1:
        return _counted(map(_work, tasks), progress)
    import credmigrate.rewrite.codemod  # noqa: F401  (once here, not once per worker: ~1 s of CPU each)

    workers = min(workers, len(tasks))
    chunk = max(1, len(tasks) // (workers * 4))
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context()) as pool:
            return _counted(pool.map(_work, tasks, chunksize=chunk), progress)
    except (BrokenProcessPool, OSError):  # a worker died or no processes allowed: go serial
        return [_work(t) for t in tasks]


def accessor_path(root: Path, module: str) -> PurePosixPath:
    """Where the accessor module lives, relative to ``root`` (a package may sit under ``src/``)."""
    parts = module.split(".")
    rel = PurePosixPath(*parts[:-1], parts[-1] + ".py")
    if len(parts) > 1 and not (root / parts[0]).is_dir() and (root / "src" / parts[0]).is_dir():
        return PurePosixPath("src") / rel
    return rel


def accessor_replacement_files(
    root: Path, config: Config, secret_names: Sequence[str], rewritten: Sequence[str] = ()
) -> list[RewriteOutcome]:
    """The generated accessor module(s) and boto3 dependency edits, as reviewable outcomes.

    One accessor per place the rewritten files import it from (see :func:`accessor_for`); one
    dependency step per project folder that holds them, each saying what to add where.
    """
    if not secret_names:
        return []
    module = config.accessor_module
    if not _MODULE.match(module) or module.split(".")[-1] in {"secrets", "boto3", "os", "json"}:
        reason = f"invalid accessor module name {module!r} (and never 'secrets', which shadows the stdlib)"
        return [RewriteOutcome(module, RewriteStatus.FAILED, reason=reason)]
    users: dict[tuple[str, str], list[str]] = {}
    for path in rewritten or ["x.py"]:
        users.setdefault(accessor_for(root, path, config), []).append(path)
    out: list[RewriteOutcome] = []
    folders: dict[str, list[str]] = {}
    for (name, rel), paths in sorted(users.items(), key=lambda kv: kv[0][1]):
        folder = deps.project_dir(root, rel)
        folders.setdefault(folder, []).extend(paths)
        served = ", ".join(paths[:6]) + (" ..." if len(paths) > 6 else "")
        target = root / rel
        if target.exists():
            out.append(RewriteOutcome(rel, RewriteStatus.UNCHANGED, reason="accessor exists; kept"))
            continue
        caching = "aws-secretsmanager-caching" in deps.declared(root / folder)
        text = render_accessor(name, use_caching_library=caching)
        diff = unified_diff(rel, "", text, new_file=True)
        note = f"imported as `from {name} import get_secret` by {served}"
        if "." not in name and (root / "src").is_dir() and rel == f"{module}.py":
            note += (
                f"; {rel} sits at the repository root: the app must run with the root on "
                "sys.path; for an installed src/ package set accessor_module = "
                "'<package>._credmigrate_secrets'"
            )
        out.append(RewriteOutcome(rel, RewriteStatus.REWRITTEN, text, diff, note))
    for folder in sorted(folders):
        floor = deps.python_floor_of(root / folder)
        spec = deps.boto3_spec(floor[0] if floor else None)
        for edit in deps.boto3_edits(root, folder, spec):
            if edit.note:
                out.append(RewriteOutcome(edit.path, RewriteStatus.SKIPPED, reason=edit.note))
            elif edit.new != edit.old:
                diff = unified_diff(edit.path, edit.old, edit.new)
                out.append(RewriteOutcome(edit.path, RewriteStatus.REWRITTEN, edit.new, diff))
    return out


def _safe_target(root: Path, rel: str) -> Path:
    target = (root / rel).resolve()
    base = root.resolve()
    if base not in target.parents:
        raise BadInputError(f"refusing to write outside the repository: {rel}")
    return target


def write_outcomes(root: Path, outcomes: Sequence[RewriteOutcome]) -> None:
    """Write every rewritten file atomically: all temp files first, then ``os.replace`` each.

    A failure while preparing leaves every file untouched (temp files removed) and raises
    :class:`BadInputError`. Modes of existing files are kept.
    """
    todo = [o for o in outcomes if o.status == RewriteStatus.REWRITTEN]
    staged: list[tuple[str, Path]] = []
    try:
        for o in todo:
            target = _safe_target(root, o.path)
            target.parent.mkdir(parents=True, exist_ok=True)
            mode = target.stat().st_mode & 0o7777 if target.exists() else _default_mode()
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
            staged.append((tmp, target))
            with os.fdopen(fd, "wb") as fh:
                fh.write(o.new_source.encode(_encoding_of(o.new_source), "surrogateescape"))
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, mode)
        for tmp, target in staged:
            os.replace(tmp, target)
    except (OSError, UnicodeEncodeError, LookupError) as exc:
        _discard(staged)
        raise BadInputError(f"cannot write rewritten files: {exc}") from None
    except BaseException:
        _discard(staged)
        raise


def _discard(staged: list[tuple[str, Path]]) -> None:
    for tmp, _ in staged:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
