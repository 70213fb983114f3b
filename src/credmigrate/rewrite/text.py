"""Text helpers for the codemod that need no libcst: string-literal anatomy, diffs, test paths.

Kept apart from :mod:`credmigrate.rewrite.codemod` so the orchestration (and the plan display) can use
them without importing libcst.
"""

from __future__ import annotations

import ast
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from credmigrate.detect import testcode
from credmigrate.findings.redact import redact

_PREFIX = re.compile(r"[A-Za-z]*")


@dataclass(frozen=True)
class StrParts:
    """A string literal's source split into prefix (lowercased), quote and raw body."""

    prefix: str
    quote: str
    body: str


def split_literal(code: str) -> StrParts | None:
    m = _PREFIX.match(code)
    prefix = m.group(0) if m else ""
    rest = code[len(prefix) :]
    for quote in ('"""', "'''", '"', "'"):
        if rest.startswith(quote) and rest.endswith(quote) and len(rest) >= 2 * len(quote):
            return StrParts(prefix.lower(), quote, rest[len(quote) : -len(quote)])
    return None


def position_at(line: int, col0: int, text: str, offset: int) -> tuple[int, int]:
    """The (line, 0-based column) of ``text[offset]`` when ``text`` starts at (line, col0)."""
    before = text[:offset]
    newlines = before.count("\n")
    if newlines == 0:
        return line, col0 + offset
    return line + newlines, offset - before.rfind("\n") - 1


def occurrences(text: str, needle: str) -> list[int]:
    out: list[int] = []
    i = text.find(needle)
    while i >= 0 and needle:
        out.append(i)
        i = text.find(needle, i + 1)
    return out


def _value(prefix: str, quote: str, raw: str) -> str | None:
    try:
        value = ast.literal_eval(prefix + quote + raw + quote)
    except (SyntaxError, ValueError):
        return None
    return value if isinstance(value, str) else None


def escaped(secret: str) -> str:
    """How a value with backslashes or line breaks is written inside a plain literal."""
    return (
        secret.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    )


def in_source(secret: str, text: str) -> bool:
    """The value appears in the source, verbatim or written with escapes."""
    return bool(secret) and (secret in text or escaped(secret) in text)


def literal_value(source: str) -> str | None:
    """The value of one plain (not f-, not bytes) string literal's source, or None."""
    try:
        value = ast.literal_eval(source)
    except (SyntaxError, ValueError):
        return None
    return value if isinstance(value, str) else None


def split_is_clean(prefix: str, quote: str, raw: str, start: int, end: int, secret: str) -> bool:
    """True when ``raw[start:end]`` is the secret verbatim and no escape straddles the cut.

    Evaluates the pieces on either side as literals of their own: their values plus the secret
    must give the whole literal's value, else the secret is not cleanly separable.
    """
    pre = prefix.replace("f", "").replace("u", "")
    whole = _value(pre, quote, raw)
    left = _value(pre, quote, raw[:start])
    right = _value(pre, quote, raw[end:])
    if whole is None or left is None or right is None or raw[start:end] != secret:
        return False
    return left + secret + right == whole


def escape_braces(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def py_str(value: str, quote: str) -> str | None:
    """``value`` as a literal in ``quote`` without any escape (f-string-safe), or None."""
    if quote in value or "\\" in value or not value.isprintable():
        return None
    return quote + value + quote


def other_quote(quote: str) -> str:
    return "'" if quote[0] == '"' else '"'


def is_test_path(path: str) -> bool:
    """Test code is flagged, never rewritten: its literals are fixtures, not live credentials."""
    return testcode.is_test_path(path)


def unified_diff(
    path: str, old: str, new: str, secrets: Iterable[str] = (), *, new_file: bool = False
) -> str:
    """A unified diff with every given secret redacted, so it is safe to show and store."""
    a = old.splitlines(keepends=True)
    b = new.splitlines(keepends=True)
    lines: list[str] = []
    src = "/dev/null" if new_file else f"a/{path}"
    for line in difflib.unified_diff(a, b, fromfile=src, tofile=f"b/{path}"):
        if not line.endswith("\n"):
            line += "\n\\ No newline at end of file\n"
        lines.append(line)
    text = "".join(lines)
    for secret in sorted(set(secrets), key=len, reverse=True):
        if secret:
            text = text.replace(secret, f"<{redact(secret)}>")
    return text
