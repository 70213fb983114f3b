"""Go/RE2 regular expressions (gitleaks, betterleaks rules) rewritten for Python's ``re``.

Go allows inline flags such as ``(?i)`` anywhere, POSIX classes inside brackets
(``[[:alnum:]]``), ``(?<name>...)`` groups and ``\\x{HHHH}`` escapes; Python has none of these in
the same spelling, and reads ``[[`` and ``--`` inside a class as nested-set syntax.
"""

from __future__ import annotations

import re

_INLINE_FLAG = re.compile(r"\(\?([aiLmsux]+)\)")


def translate(pattern: str) -> str:
    """A Go/RE2 pattern rewritten for Python's ``re`` (same matches, where ``re`` can)."""
    pattern = pattern.replace(r"\z", r"\Z")
    out: list[str] = []
    i = 0
    depth_close: list[int] = []  # nesting, to close scoped flag groups
    opened_scoped: list[int] = []
    n = len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            i = _translate_escape(pattern, i, out)
            continue
        if c == "[":
            i = _translate_class(pattern, i, out)
            continue
        m = _INLINE_FLAG.match(pattern, i)
        if m:
            if i == 0:
                out.append(m.group(0))
            else:
                out.append(f"(?{m.group(1)}:")
                opened_scoped.append(len(depth_close))
            i = m.end()
            continue
        if c == "(":
            depth_close.append(0)
            # Go's (?<name>...) is Python's (?P<name>...); (?<= and (?<! are lookbehinds
            named = pattern.startswith("(?<", i) and pattern[i + 3 : i + 4] not in ("=", "!")
            out.append("(?P<" if named else c)
            i += 2 if named else 0  # the loop adds the last 1
        elif c == ")":
            while opened_scoped and opened_scoped[-1] == len(depth_close):
                out.append(")")
                opened_scoped.pop()
            if depth_close:
                depth_close.pop()
            out.append(c)
        elif c == "|" and opened_scoped and opened_scoped[-1] == len(depth_close):
            # A flag group covers only its own alternative in Go; close it before the '|'.
            while opened_scoped and opened_scoped[-1] == len(depth_close):
                out.append(")")
                opened_scoped.pop()
            out.append(c)
        else:
            out.append(c)
        i += 1
    out.extend(")" for _ in opened_scoped)
    return "".join(out)


# Go/RE2 POSIX classes, valid only inside a bracket expression; Python's re has none.
_POSIX_CLASS = re.compile(r"\[:(\w+):\]")
_POSIX = {
    "alnum": "0-9A-Za-z",
    "alpha": "A-Za-z",
    "ascii": "\\x00-\\x7f",
    "blank": " \\t",
    "cntrl": "\\x00-\\x1f\\x7f",
    "digit": "0-9",
    "graph": "!-~",
    "lower": "a-z",
    "print": " -~",
    "punct": "!-/:-@\\[-`{-~",
    "space": "\\t\\n\\v\\f\\r ",
    "upper": "A-Z",
    "word": "0-9A-Za-z_",
    "xdigit": "0-9A-Fa-f",
}


_HEX_BRACED = re.compile(r"\\x\{([0-9A-Fa-f]{1,6})\}")


def _translate_escape(pattern: str, i: int, out: list[str]) -> int:
    """Copy the escape at ``pattern[i]``; Go's ``\\x{HHHH}`` becomes Python's ``\\UHHHHHHHH``."""
    m = _HEX_BRACED.match(pattern, i)
    if m:
        out.append(f"\\U{int(m.group(1), 16):08x}")
        return m.end()
    out.append(pattern[i : i + 2])
    return i + 2


def _translate_class(pattern: str, i: int, out: list[str]) -> int:
    """Copy the bracket expression at ``pattern[i]`` into ``out``; return the index after it.

    POSIX classes (``[[:alnum:]]``) become ranges, and characters that Python's ``re`` would read
    as nested sets or set operations (a literal ``[``, ``--``, ``&&``, ``~~``, ``||``) are escaped.
    """
    n = len(pattern)
    j = i + 1
    body: list[str] = []
    if j < n and pattern[j] == "^":
        body.append("^")
        j += 1
    if j < n and pattern[j] == "]":
        body.append("\\]")
        j += 1
    while j < n and pattern[j] != "]":
        ch = pattern[j]
        m = _POSIX_CLASS.match(pattern, j)
        if ch == "\\" and j + 1 < n:
            j = _translate_escape(pattern, j, body)
        elif m and m.group(1) in _POSIX:
            body.append(_POSIX[m.group(1)])
            j = m.end()
        elif ch == "[" or (ch in "-&~|" and j + 1 < n and pattern[j + 1] == ch):
            body.append("\\" + ch)
            j += 1
        else:
            body.append(ch)
            j += 1
    out.append("[" + "".join(body) + ("]" if j < n else ""))
    return j + 1
