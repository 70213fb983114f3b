"""Add boto3 to a repository's declared dependencies, as a reviewable text edit.

Only the lines that declare the dependency change; every edit is verified by re-parsing the file
(the dependency list must equal the old one plus boto3), else the edit is not offered and a
human is told what to add.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from credmigrate.rewrite.accessor import MIN_BOTO3

_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_HEADER = re.compile(r"^\s*\[")


@dataclass(frozen=True)
class DepsEdit:
    path: str
    old: str
    new: str  # == old when nothing is needed
    note: str = ""  # non-empty: could not edit safely, instruction for a human


def norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _req_names(lines: list[str]) -> set[str]:
    out: set[str] = set()
    for line in lines:
        line = line.split("#", 1)[0]
        m = _NAME.match(line)
        if m and not line.lstrip().startswith("-"):
            out.add(norm(m.group(1)))
    return out


def declared(root: Path) -> set[str]:
    """Normalised names of the dependencies the repository declares (pyproject, requirements)."""
    names: set[str] = set()
    data = _toml(root / "pyproject.toml")
    if data is not None:
        project = data.get("project", {})
        names |= _req_names([str(d) for d in project.get("dependencies", [])])
        poetry = data.get("tool", {}).get("poetry", {}).get("dependencies", {})
        names |= {norm(str(k)) for k in poetry}
    req = root / "requirements.txt"
    if req.is_file():
        names |= _req_names(req.read_text(encoding="utf-8", errors="replace").splitlines())
    return names


def _toml(path: Path) -> dict[str, Any] | None:
    if not path.is_file():
        return None
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    return data


def boto3_edits(root: Path) -> list[DepsEdit]:
    """The edits that add boto3 where the repository declares dependencies without it."""
    edits: list[DepsEdit] = []
    data = _toml(root / "pyproject.toml")
    if data is not None:
        edit = _pyproject(root / "pyproject.toml", data)
        if edit is not None:
            edits.append(edit)
    req = root / "requirements.txt"
    if req.is_file():
        text = req.read_text(encoding="utf-8", errors="replace")
        if "boto3" not in _req_names(text.splitlines()):
            sep = "" if not text or text.endswith("\n") else "\n"
            edits.append(DepsEdit("requirements.txt", text, f"{text}{sep}{MIN_BOTO3}\n"))
    for name in ("setup.py", "setup.cfg"):
        legacy = root / name
        if not edits and legacy.is_file() and "boto3" not in legacy.read_text(errors="replace"):
            text = legacy.read_text(errors="replace")
            edits.append(
                DepsEdit(name, text, text, f"add {MIN_BOTO3} to install_requires in {name}")
            )
    return edits


def _pyproject(path: Path, data: dict[str, Any]) -> DepsEdit | None:
    text = path.read_text(encoding="utf-8")
    project = data.get("project", {})
    deps = project.get("dependencies")
    if isinstance(deps, list):
        if "boto3" in _req_names([str(d) for d in deps]):
            return None
        new = _add_to_array(text, "project", "dependencies", f'"{MIN_BOTO3}"')
        ok = new is not None and _deps(new) == [*deps, MIN_BOTO3]
        return _edit(path.name, text, new if ok else None, "[project].dependencies")
    poetry = data.get("tool", {}).get("poetry", {}).get("dependencies")
    if isinstance(poetry, dict):
        if "boto3" in {norm(str(k)) for k in poetry}:
            return None
        version = MIN_BOTO3.removeprefix("boto3")
        new = _add_to_table(text, "tool.poetry.dependencies", f'boto3 = "{version}"')
        ok = new is not None and _poetry(new) == {**poetry, "boto3": version}
        return _edit(path.name, text, new if ok else None, "[tool.poetry.dependencies]")
    return None


def _edit(name: str, old: str, new: str | None, where: str) -> DepsEdit:
    if new is None:
        return DepsEdit(name, old, old, f"add {MIN_BOTO3} to {where} in {name} by hand")
    return DepsEdit(name, old, new)


def _deps(text: str) -> Any:
    return tomllib.loads(text).get("project", {}).get("dependencies")


def _poetry(text: str) -> Any:
    return tomllib.loads(text).get("tool", {}).get("poetry", {}).get("dependencies")


def _table_bounds(lines: list[str], table: str) -> tuple[int, int] | None:
    header = re.compile(r"^\s*\[\s*" + re.escape(table).replace(r"\.", r"\s*\.\s*") + r"\s*\]")
    for i, line in enumerate(lines):
        if header.match(line):
            end = next((j for j in range(i + 1, len(lines)) if _HEADER.match(lines[j])), len(lines))
            return i, end
    return None


def _add_to_array(text: str, table: str, key: str, item: str) -> str | None:
    lines = text.splitlines(keepends=True)
    bounds = _table_bounds(lines, table)
    if bounds is None:
        return None
    start = next((i for i in range(*bounds) if re.match(rf"^\s*{key}\s*=\s*\[", lines[i])), None)
    if start is None:
        return None
    line = lines[start]
    body = line.split("#", 1)[0].rstrip()
    if body.endswith("]"):  # one line: key = ["a", "b"]
        inner = body[body.index("[") + 1 : -1].rstrip()
        sep = "" if not inner.strip() else (" " if inner.endswith(",") else ", ")
        lines[start] = line.replace(body, body[:-1].rstrip() + sep + item + "]", 1)
        return "".join(lines)
    close = next((i for i in range(start + 1, bounds[1]) if lines[i].strip().startswith("]")), None)
    if close is None:
        return None
    prev = close - 1
    while prev > start and (not lines[prev].strip() or lines[prev].strip().startswith("#")):
        prev -= 1
    indent = re.match(r"\s*", lines[prev] if prev > start else "    ")
    pad = indent.group(0) if indent and prev > start else "    "
    if prev > start:
        code = lines[prev].split("#", 1)[0].rstrip()
        if not code.endswith(","):
            lines[prev] = lines[prev].replace(code, code + ",", 1)
    newline = "\r\n" if lines[start].endswith("\r\n") else "\n"
    lines.insert(close, f"{pad}{item},{newline}")
    return "".join(lines)


def _add_to_table(text: str, table: str, entry: str) -> str | None:
    lines = text.splitlines(keepends=True)
    bounds = _table_bounds(lines, table)
    if bounds is None:
        return None
    last = bounds[0]
    for i in range(bounds[0] + 1, bounds[1]):
        if lines[i].strip() and not lines[i].strip().startswith("#"):
            last = i
    if not lines[last].endswith("\n"):
        lines[last] += "\n"
    lines.insert(last + 1, entry + "\n")
    return "".join(lines)
