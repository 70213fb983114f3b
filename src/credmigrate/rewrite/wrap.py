"""Keep rewritten lines within the project's configured line length (ruff, black, flake8).

The codemod puts ``get_secret("name", "key")`` where a literal was; on a long line that can push
it past the limit the project's own linter enforces. A changed line over the limit has the call's
arguments moved onto their own line (``get_secret(\\n    "name", "key"\\n)``), which is valid
wherever a call is; the result must parse to the same syntax tree, else the line is left as the
codemod wrote it. Projects that configure no limit are left alone.
"""

from __future__ import annotations

import ast
import configparser
import re
import sys
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DEFAULT_LENGTH = 88  # ruff's and black's default, when their section exists without a length
_CALL = "get_secret("


def line_length(root: Path, path: str) -> int | None:
    """The limit the nearest config at or above ``path`` sets, or None when none is set."""
    folder = (root / path).parent
    while True:
        got = _configured(folder)
        if got is not None or folder == root or root not in folder.parents:
            return got
        folder = folder.parent


def _configured(folder: Path) -> int | None:
    for name in ("ruff.toml", ".ruff.toml"):
        data = _toml(folder / name)
        if data is not None:
            return int(data.get("line-length", DEFAULT_LENGTH))
    data = _toml(folder / "pyproject.toml")
    if data is not None:
        tool: dict[str, Any] = data.get("tool", {})
        for section in ("ruff", "black"):
            if section in tool:
                return int(tool[section].get("line-length", DEFAULT_LENGTH))
    for name, section in (("setup.cfg", "flake8"), ("tox.ini", "flake8"), (".flake8", "flake8")):
        cfg = folder / name
        if cfg.is_file():
            parser = configparser.ConfigParser()
            try:
                parser.read(cfg, encoding="utf-8")
                value = parser.get(section, "max-line-length", fallback="")
            except (configparser.Error, UnicodeDecodeError):
                value = ""
            if value.strip().isdigit():
                return int(value)
    return None


def _toml(path: Path) -> dict[str, Any] | None:
    if not path.is_file():
        return None
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, ValueError):
        return None
    return data


def _split_args(args: str) -> list[str]:
    """Top-level comma-separated arguments (commas inside strings stay)."""
    parts: list[str] = []
    quote = ""
    current = ""
    for i, c in enumerate(args):
        if quote:
            if c == quote and args[i - 1] != "\\":
                quote = ""
        elif c in "'\"":
            quote = c
        elif c == ",":
            parts.append(current.strip())
            current = ""
            continue
        current += c
    if current.strip():
        parts.append(current.strip())
    return parts


def fit(old: str, new: str, limit: int) -> str:
    """``new`` with each changed line over ``limit`` wrapped at its ``get_secret(`` call."""
    before = set(old.splitlines())
    lines = new.splitlines(keepends=True)
    changed = False
    for i, line in enumerate(lines):
        body = line.rstrip("\r\n")
        if len(body) <= limit or body in before or _CALL not in body:
            continue
        wrapped = _wrap(body, limit)
        if wrapped is not None:
            lines[i] = wrapped + line[len(body) :]
            changed = True
    if not changed:
        return new
    out = "".join(lines)
    try:
        same = ast.dump(ast.parse(out)) == ast.dump(ast.parse(new))
    except SyntaxError:
        same = False
    return out if same else new


def _wrap(body: str, limit: int) -> str | None:
    start = body.find(_CALL)
    open_at = start + len(_CALL)
    close = _closing(body, open_at)
    if close is None:
        return None
    args = body[open_at:close].strip()
    head = body[:start]
    if not args or _open_string(head):
        return None  # inside an f-string: a newline there is not valid before Python 3.12
    indent = re.match(r"\s*", body)
    pad = indent.group(0) if indent else ""
    inner = f"{pad}    {args}"
    if len(inner) > limit:  # one argument per line, with the trailing comma formatters add
        inner = "\n".join(f"{pad}    {a}," for a in _split_args(args))
    return f"{head}{_CALL}\n{inner}\n{pad}){body[close + 1 :]}"


def _open_string(head: str) -> bool:
    """True when ``head`` ends inside a string literal (the call sits in an f-string)."""
    quote = ""
    i = 0
    while i < len(head):
        c = head[i]
        if quote:
            if c == "\\":
                i += 1
            elif head.startswith(quote, i):
                i += len(quote) - 1
                quote = ""
        elif c == "#":
            return False
        elif c in "'\"":
            quote = c * 3 if head.startswith(c * 3, i) else c
            i += len(quote) - 1
        i += 1
    return bool(quote)


def _closing(text: str, start: int) -> int | None:
    quote = ""
    for i in range(start, len(text)):
        c = text[i]
        if quote:
            if c == quote and text[i - 1] != "\\":
                quote = ""
        elif c in "'\"":
            quote = c
        elif c == ")":
            return i
        elif c == "(":
            return None
    return None
