"""Add boto3 to a repository's declared dependencies, as a reviewable text edit.

Only the lines that declare the dependency change; every edit is verified by re-parsing the file
(the dependency list must equal the old one plus boto3), else the edit is not offered and a
human is told what to add.
"""

from __future__ import annotations

import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from credmigrate.rewrite.accessor import MIN_BOTO3, MIN_BOTO3_PY36

_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_HEADER = re.compile(r"^\s*\[")


DEP_FILES = ("pyproject.toml", "requirements.txt", "setup.py", "setup.cfg", "Pipfile")
LOCKS = {  # lock file -> the command that adds boto3 and updates the lock in one step
    "uv.lock": "uv add '{spec}'",
    "poetry.lock": "poetry add '{spec}'",
    "Pipfile.lock": "pipenv install '{spec}'",
    "pdm.lock": "pdm add '{spec}'",
}
_RUNTIME = re.compile(r"python-(\d+)\.(\d+)")
_FROM = re.compile(r"(?im)^\s*FROM\s+(?:\S+/)?python:(\d+)\.(\d+)")
_CLASSIFIER = re.compile(r"Programming Language :: Python :: (\d+)\.(\d+)")
_REQUIRES = re.compile(r"""python_requires\s*=\s*["']?\s*>=?\s*(\d+)\.(\d+)""")
_SPEC_FLOOR = re.compile(r"(?:>=|~=|==|>|\^)\s*(\d+)\.(\d+)")
_TOX = re.compile(r"\bpy\{?([0-9,]+)\}?")

Version = tuple[int, int]


def project_dir(root: Path, path: str) -> str:
    """The nearest folder at or above ``path``'s that declares dependencies ('.' if none)."""
    parts = Path(path).parts[:-1]
    for d in range(len(parts), 0, -1):
        folder = root.joinpath(*parts[:d])
        if any((folder / name).is_file() for name in DEP_FILES):
            return "/".join(parts[:d])
    return "."


def python_floor_of(folder: Path) -> tuple[Version, str] | None:
    """The oldest Python the project in ``folder`` declares it runs on, and where it says so."""
    found: list[tuple[Version, str]] = []
    data = _toml(folder / "pyproject.toml")
    if data is not None:
        spec = str(data.get("project", {}).get("requires-python", ""))
        poetry = data.get("tool", {}).get("poetry", {}).get("dependencies", {})
        if not spec and isinstance(poetry, dict):
            spec = str(poetry.get("python", ""))
        m = _SPEC_FLOOR.search(spec)
        if m:
            found.append(((int(m[1]), int(m[2])), "pyproject.toml requires-python"))
    for name in ("setup.py", "setup.cfg"):
        text = _read(folder / name)
        if text:
            m = _REQUIRES.search(text.replace("python_requires =", "python_requires="))
            if m:
                found.append(((int(m[1]), int(m[2])), f"{name} python_requires"))
            versions = [(int(a), int(b)) for a, b in _CLASSIFIER.findall(text)]
            if versions:
                found.append((min(versions), f"{name} classifiers"))
    m = _RUNTIME.search(_read(folder / "runtime.txt") or "")
    if m:
        found.append(((int(m[1]), int(m[2])), "runtime.txt"))
    m = re.match(r"\s*(\d+)\.(\d+)", _read(folder / ".python-version") or "")
    if m:
        found.append(((int(m[1]), int(m[2])), ".python-version"))
    m = _FROM.search(_read(folder / "Dockerfile") or "")
    if m:
        found.append(((int(m[1]), int(m[2])), "Dockerfile FROM python"))
    tox = _read(folder / "tox.ini") or ""
    envlist = re.search(r"(?m)^envlist\s*=\s*(.+)$", tox)
    if envlist:
        versions = [
            (int(n[0]), int(n[1:]))
            for group in _TOX.findall(envlist.group(1))
            for n in group.split(",")
            if len(n) >= 2
        ]
        if versions:
            found.append((min(versions), "tox.ini envlist"))
    return min(found) if found else None


def python_floor(root: Path, path: str) -> Version | None:
    got = python_floor_of(root / project_dir(root, path))
    return got[0] if got else None


def floor_source(root: Path, path: str) -> str:
    got = python_floor_of(root / project_dir(root, path))
    folder = project_dir(root, path)
    where = "" if folder == "." else f"{folder}/"
    return f"{where}{got[1]}" if got else "nothing declared"


def boto3_spec(floor: Version | None) -> str:
    """The boto3 requirement that installs on ``floor``: newest on 3.7+, the 3.6 line before."""
    return MIN_BOTO3_PY36 if floor is not None and floor < (3, 7) else MIN_BOTO3


def _read(path: Path) -> str | None:
    """The file's text with its own line endings (CRLF stays CRLF), or None."""
    try:
        if not path.is_file():
            return None
        with path.open(encoding="utf-8", errors="replace", newline="") as fh:
            return fh.read()
    except OSError:
        return None


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


def boto3_edits(root: Path, folder: str = ".", spec: str = MIN_BOTO3) -> list[DepsEdit]:
    """The edits that add boto3 where ``folder`` declares dependencies without it.

    A lock file (uv, poetry, pipenv, pdm) next to the declaration, a hash-pinned or non-UTF-8
    requirements file, or no declaration at all give a note with the exact step instead of an
    edit: an edited pyproject with a stale lock breaks ``--locked`` installs.
    """
    base = root / folder
    where = "" if folder in ("", ".") else f"{folder}/"
    edits: list[DepsEdit] = []
    if "boto3" in declared(base):
        return edits
    for lock, command in LOCKS.items():
        if (base / lock).is_file():
            cmd = command.format(spec=spec)
            tool = cmd.split()[0]
            how = f"run `{cmd}`" + (f" in {folder}" if where else "")
            missing = "" if shutil.which(tool) else f" ({tool} is not installed here)"
            name = f"{where}{lock}"
            return [
                DepsEdit(
                    name,
                    "",
                    "",
                    f"{lock} pins this project's dependencies: {how}{missing} "
                    "so the declaration and the lock change together",
                )
            ]
    data = _toml(base / "pyproject.toml")
    if data is not None:
        edit = _pyproject(base / "pyproject.toml", data, spec)
        if edit is not None:
            edits.append(_prefixed(edit, where))
    req = base / "requirements.txt"
    if req.is_file():
        edits.append(_prefixed(_requirements(req, spec), where))
    for name in ("setup.py", "setup.cfg", "Pipfile"):
        legacy = base / name
        if not edits and legacy.is_file() and "boto3" not in (_read(legacy) or ""):
            text = _read(legacy) or ""
            what = "[packages] in Pipfile" if name == "Pipfile" else f"install_requires in {name}"
            edits.append(DepsEdit(f"{where}{name}", text, text, f"add {spec} to {what}"))
    if not edits and not data:
        place = f"{folder}/requirements.txt" if where else "requirements.txt"
        edits.append(
            DepsEdit(
                place,
                "",
                "",
                f"no dependency file declares this project's packages: install {spec} wherever "
                f"{'the code in ' + folder if where else 'it'} runs (`pip install '{spec}'`), "
                f"or list it in {place}",
            )
        )
    return edits


def _prefixed(edit: DepsEdit, where: str) -> DepsEdit:
    return DepsEdit(f"{where}{edit.path}", edit.old, edit.new, edit.note)


def _requirements(req: Path, spec: str) -> DepsEdit:
    raw = req.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw[:200]:
        return DepsEdit(
            req.name, "", "", f"{req.name} is UTF-16 encoded: add the line {spec} with your editor"
        )
    text = raw.decode("utf-8", errors="replace")
    if "--hash=" in text:
        source = req.with_suffix(".in")
        step = (
            f"add {spec} to {source.name} and run `pip-compile --generate-hashes {source.name}`"
            if source.is_file()
            else f"add {spec} with its hashes (e.g. via pip-compile --generate-hashes)"
        )
        return DepsEdit(req.name, text, text, f"{req.name} pins hashes: {step}")
    sep = "" if not text or text.endswith(("\n", "\r")) else ("\r\n" if "\r\n" in text else "\n")
    newline = "\r\n" if "\r\n" in text else "\n"
    return DepsEdit(req.name, text, f"{text}{sep}{spec}{newline}")


def _pyproject(path: Path, data: dict[str, Any], spec: str = MIN_BOTO3) -> DepsEdit | None:
    with path.open(encoding="utf-8", newline="") as fh:  # keep its line endings
        text = fh.read()
    project = data.get("project", {})
    deps = project.get("dependencies")
    if isinstance(deps, list):
        if "boto3" in _req_names([str(d) for d in deps]):
            return None
        new = _add_to_array(text, "project", "dependencies", f'"{spec}"')
        ok = new is not None and _deps(new) == [*deps, spec]
        return _edit(path.name, text, new if ok else None, "[project].dependencies", spec)
    poetry = data.get("tool", {}).get("poetry", {}).get("dependencies")
    if isinstance(poetry, dict):
        if "boto3" in {norm(str(k)) for k in poetry}:
            return None
        version = spec.removeprefix("boto3")
        new = _add_to_table(text, "tool.poetry.dependencies", f'boto3 = "{version}"')
        ok = new is not None and _poetry(new) == {**poetry, "boto3": version}
        return _edit(path.name, text, new if ok else None, "[tool.poetry.dependencies]", spec)
    return None


def _edit(name: str, old: str, new: str | None, where: str, spec: str = MIN_BOTO3) -> DepsEdit:
    if new is None:
        return DepsEdit(name, old, old, f"add {spec} to {where} in {name} by hand")
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
