"""Finding the literal that holds a secret: by position, then verified by value."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import libcst as cst

from credmigrate.findings.model import Replacement
from credmigrate.rewrite.codemod import _context as ctxmod
from credmigrate.rewrite.codemod._positions import LeafPositions
from credmigrate.rewrite.text import in_source, literal_value, split_is_clean, split_literal
from credmigrate.rewrite.text import occurrences as _occ
from credmigrate.rewrite.text import position_at as _pos_at

FUNC = "get_secret"
ALIAS = "_credmigrate_get_secret"
Leaf = cst.SimpleString | cst.FormattedStringText


@dataclass
class Hit:
    rep: Replacement
    leaf: Leaf
    start: int
    end: int


@dataclass
class State:
    scope: ctxmod.Scope
    pos: LeafPositions
    parents: ctxmod.Parents
    leaves: list[Leaf]
    accessor: str
    fn: str = FUNC
    needs_human: list[tuple[str, str]] = field(default_factory=list)
    whys: list[str] = field(default_factory=list)
    handled: list[str] = field(default_factory=list)


def instruction(rep: Replacement, accessor: str, why: str) -> str:
    f = rep.finding
    key = f", {rep.json_key!r}" if rep.json_key is not None else ""
    return (
        f"{f.path}:{f.span.line}:{f.span.column}: {why}; replace the value by hand with "
        f"get_secret({rep.secret_name!r}{key}) from {accessor}"
    )


def human(st: State, rep: Replacement, why: str) -> None:
    st.needs_human.append((rep.finding.fingerprint, instruction(rep, st.accessor, why)))
    st.whys.append(why)


def locate_all(st: State, text: str, reps: Sequence[Replacement]) -> list[Hit]:
    leaves = st.leaves
    hits: list[Hit] = []
    for rep in reps:
        secret = rep.finding.secret
        if not in_source(secret, text):
            if rep.secret_name in text and st.fn in text:
                st.handled.append(rep.finding.fingerprint)  # already rewritten earlier
            else:
                human(st, rep, "the secret is no longer at this place (file changed?)")
            continue
        hit = _locate(st, leaves, rep)
        if hit is not None:
            hits.append(hit)
    return hits


def _locate(st: State, leaves: Sequence[Leaf], rep: Replacement) -> Hit | None:
    f = rep.finding
    found: list[tuple[Leaf, int, tuple[int, int]]] = []
    for leaf in leaves:
        if f.secret not in leaf.value:
            continue  # the body is part of the value: no need for its position
        raw, line, col = raw_text(st, leaf)
        for off in _occ(raw, f.secret):
            found.append((leaf, off, _pos_at(line, col, raw, off)))
    want = (f.span.line, f.span.column - 1)
    chosen = [c for c in found if c[2] == want]
    lit = f.binding.literal if f.binding else None
    if not found and lit is not None:
        whole = _whole_value(st, leaves, rep, (lit.line, lit.column - 1))
        if whole is not None:
            return whole
    if not chosen and lit is not None:
        lo, hi = (lit.line, lit.column - 1), (lit.end_line, lit.end_column - 1)
        chosen = [c for c in found if lo <= c[2] < hi]
    if not chosen:
        chosen = [c for c in found if c[2][0] == f.span.line]
    if len(chosen) != 1:
        why = "no string literal holds it here" if not chosen else "several literals match"
        human(st, rep, f"cannot locate the literal safely ({why})")
        return None
    leaf, off, _ = chosen[0]
    why = _verify(st, leaf, off, f.secret)
    if why:
        human(st, rep, why)
        return None
    return Hit(rep, leaf, off, off + len(f.secret))


def _whole_value(
    st: State, leaves: Sequence[Leaf], rep: Replacement, at: tuple[int, int]
) -> Hit | None:
    """A literal written with escapes (a PEM key's ``\\n``) whose whole value is the secret."""
    for leaf in leaves:
        if not isinstance(leaf, cst.SimpleString):
            continue
        start = st.pos[leaf].start
        if (start.line, start.column) != at:
            continue
        parts = split_literal(leaf.value)
        if parts is None or "b" in parts.prefix or "f" in parts.prefix:
            return None
        if literal_value(leaf.value) != rep.finding.secret:
            return None
        return Hit(rep, leaf, 0, len(parts.body))
    return None


def raw_text(st: State, leaf: Leaf) -> tuple[str, int, int]:
    start = st.pos[leaf].start
    if isinstance(leaf, cst.FormattedStringText):
        return leaf.value, start.line, start.column
    parts = split_literal(leaf.value)
    if parts is None:
        return "", start.line, start.column
    return parts.body, start.line, start.column + len(parts.prefix) + len(parts.quote)


def _verify(st: State, leaf: Leaf, off: int, secret: str) -> str:
    """Why the secret can't be cut out of this literal, or "" when it can."""
    unclean = "the literal's value does not cleanly contain the secret (escapes?)"
    if isinstance(leaf, cst.SimpleString):
        parts = split_literal(leaf.value)
        if parts is None:
            return unclean
        prefix, quote = parts.prefix, parts.quote
    else:
        fs = st.parents[leaf]
        if not isinstance(fs, cst.FormattedString):
            return unclean
        prefix, quote = fs.prefix.lower(), fs.quote
    if "b" in prefix:
        return "a bytes literal holds it (get_secret returns str: add .encode())"
    raw, _, _ = raw_text(st, leaf)
    if "\\N{" in raw or not split_is_clean(prefix, quote, raw, off, off + len(secret), secret):
        return unclean
    return ""


def by_leaf(st: State, hits: list[Hit]) -> list[tuple[list[Hit], list[Hit]]]:
    """Hits grouped per literal, as (to replace, riders).

    The shortest secret wins where findings overlap (a URL's password rather than the whole
    URL): a hit that contains chosen ones rides along and is handled when they are; a partial
    overlap needs a human.
    """
    groups: dict[int, tuple[list[Hit], list[Hit]]] = {}
    for h in sorted(hits, key=lambda h: h.end - h.start):
        chosen, riders = groups.setdefault(id(h.leaf), ([], []))
        inner = [o for o in chosen if o.start < h.end and h.start < o.end]
        if not inner:
            chosen.append(h)
        elif all(h.start <= o.start and o.end <= h.end for o in inner):
            riders.append(h)
        else:
            human(st, h.rep, "overlaps another secret in the same literal")
    return [(sorted(c, key=lambda h: h.start), r) for c, r in groups.values() if c]
