"""Values in comments: a commented-out key is still a leak, so it leaves the comment too.

The value inside a ``#`` comment is replaced by where it went (``<get_secret('name', 'key')>``);
the rest of the comment stays. Comments are found with :mod:`tokenize`, so a ``#`` inside a
string is never taken for one.
"""

from __future__ import annotations

import io
import tokenize
from collections.abc import Sequence

from credmigrate.findings.model import Replacement


def placeholder(rep: Replacement, fn: str) -> str:
    key = f", {rep.json_key!r}" if rep.json_key is not None else ""
    return f"<{fn}({rep.secret_name!r}{key})>"


def positions(code: str, secrets: Sequence[str]) -> set[tuple[int, int]]:
    """(line, 0-based column) of every occurrence of these values inside a comment."""
    wanted = [s for s in set(secrets) if len(s) >= 4 and "\n" not in s and s in code]
    out: set[tuple[int, int]] = set()
    if not wanted or "#" not in code:
        return out
    try:
        for tok in tokenize.generate_tokens(io.StringIO(code).readline):
            if tok.type == tokenize.COMMENT:
                for secret in wanted:
                    i = tok.string.find(secret)
                    while i >= 0:
                        out.add((tok.start[0], tok.start[1] + i))
                        i = tok.string.find(secret, i + 1)
    except (tokenize.TokenError, SyntaxError):
        return set()
    return out


def scrub(code: str, reps: Sequence[Replacement], fn: str) -> tuple[str, set[str]]:
    """``code`` with every found value removed from its comments; the fingerprints handled."""
    todo = sorted(
        {r.finding.secret: r for r in reps if len(r.finding.secret) >= 4}.items(),
        key=lambda kv: -len(kv[0]),
    )
    todo = [(s, r) for s, r in todo if "\n" not in s and s in code]
    if not todo or "#" not in code:
        return code, set()
    edits: list[tuple[int, int, int, str]] = []
    done: set[str] = set()
    try:
        for tok in tokenize.generate_tokens(io.StringIO(code).readline):
            if tok.type != tokenize.COMMENT:
                continue
            text = tok.string
            for secret, rep in todo:
                if secret in text:
                    text = text.replace(secret, placeholder(rep, fn))
                    done.update(r.finding.fingerprint for r in reps if r.finding.secret == secret)
            if text != tok.string:
                edits.append((tok.start[0] - 1, tok.start[1], tok.end[1], text))
    except (tokenize.TokenError, SyntaxError):  # the caller checked it parses; be safe anyway
        return code, set()
    if not edits:
        return code, set()
    lines = code.splitlines(keepends=True)
    for row, start, end, text in sorted(edits, reverse=True):
        line = lines[row]
        lines[row] = line[:start] + text + line[end:]
    return "".join(lines), done
