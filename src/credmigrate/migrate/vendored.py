"""Code a repository carries but did not write, and bytecode that still holds migrated values.

A committed virtualenv (``myenv/Lib/site-packages``), ``node_modules/``, minified JavaScript and
source maps are someone else's code: their "secrets" are examples and test fixtures, and
rewriting them breaks the vendored copy. gitleaks skips them by default; so does ``migrate``
(``--include-vendored`` opts in). Committed ``.pyc`` files keep a literal after its source is
rewritten, so they are reported with the command that removes them.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from pathlib import Path, PurePosixPath

VENDORED_DIRS = frozenset({"node_modules", "bower_components", "site-packages", "dist-packages"})
_MINIFIED = re.compile(r"(?i)[.-]min\.(?:js|css|mjs)$|\.(?:js|css|mjs)\.map$")
VENV_MARKER = "pyvenv.cfg"


def venv_roots(root: Path, paths: Iterable[str]) -> set[PurePosixPath]:
    """Folders among ``paths``' parents that hold a ``pyvenv.cfg`` (a committed virtualenv)."""
    out: set[PurePosixPath] = set()
    seen: set[PurePosixPath] = set()
    for p in paths:
        for parent in PurePosixPath(p).parents:
            if parent == PurePosixPath(".") or parent in seen:
                continue
            seen.add(parent)
            if (root / parent / VENV_MARKER).is_file():
                out.add(parent)
    return out


def vendored_reason(path: str, venvs: AbstractSet[PurePosixPath] = frozenset()) -> str:
    """Why ``path`` is vendored ('' when it is the project's own code)."""
    parts = PurePosixPath(path).parts
    for part in parts[:-1]:
        if part in VENDORED_DIRS:
            return f"{part}/"
    if any(parent in venvs for parent in PurePosixPath(path).parents):
        return "a committed virtualenv"
    if _MINIFIED.search(path):
        return "minified or source map"
    return ""


def split_vendored(root: Path, paths: Sequence[str]) -> tuple[set[str], dict[str, int]]:
    """(vendored paths among ``paths``, count of them per reason)."""
    venvs = venv_roots(root, paths)
    vendored: set[str] = set()
    reasons: dict[str, int] = {}
    for p in paths:
        why = vendored_reason(p, venvs)
        if why:
            vendored.add(p)
            reasons[why] = reasons.get(why, 0) + 1
    return vendored, reasons


def tracked_bytecode(root: Path) -> list[str]:
    """``.pyc``/``.pyo`` files git tracks under ``root`` (none outside a git work tree)."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z", "--", "*.pyc", "*.pyo"],
            cwd=root,
            capture_output=True,
            check=False,
        )
    except OSError:
        return []
    if out.returncode != 0:
        return []
    return sorted(p for p in out.stdout.decode("utf-8", "surrogateescape").split("\0") if p)


def bytecode_holding(root: Path, values: Iterable[str], candidates: Sequence[str]) -> list[str]:
    """The ``candidates`` (bytecode files) whose bytes contain one of ``values``."""
    needles = [v.encode("utf-8", "surrogatepass") for v in set(values) if len(v) >= 4]
    hits: list[str] = []
    for rel in candidates:
        try:
            data = (root / rel).read_bytes()
        except OSError:
            continue
        if any(n in data for n in needles):
            hits.append(rel)
    return hits


def bytecode_note(paths: Sequence[str]) -> str:
    shown = " ".join(f"'{p}'" for p in paths[:8]) + (" ..." if len(paths) > 8 else "")
    return (
        f"{len(paths)} committed bytecode file(s) still hold a migrated value after the rewrite: "
        f"remove them with `git rm --cached {shown}` and add `__pycache__/` and `*.pyc` to "
        ".gitignore (their history still holds the value: rotate it)"
    )
