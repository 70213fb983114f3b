"""The libcst adapter: rewrite Python source so each secret literal becomes a runtime fetch.

:func:`rewrite_source` returns a :class:`RewriteOutcome` (rewritten / unchanged / skipped /
failed), never raises. A literal is touched only when the finding's position points at it AND
the literal's value really contains the secret; anything else is left for a human. How each
shape is rewritten (the context is read from the syntax tree, not guessed from names):

- plain expressions (module constants, settings dicts, ``app.config[...] =``, class attributes,
  keyword and positional arguments, list/tuple elements): the literal becomes
  ``get_secret(name, key)``, evaluated exactly where the literal was;
- dataclass / pydantic field defaults: ``field(default_factory=lambda: ...)`` /
  ``Field(default_factory=lambda: ...)``, so importing the class fetches nothing;
- function defaults: the default becomes ``None`` and the body starts with
  ``if p is None: p = get_secret(...)`` (fetch per call, cached by the accessor);
- ``os.environ.get("X", "lit")`` / ``os.getenv``: ``os.environ.get("X") or get_secret(...)``,
  so the environment still wins and the store is only asked as the fallback;
- a secret embedded in a larger string (URL password, f-string, concatenation): only that part
  becomes ``{get_secret(...)}`` in an f-string; the rest of the text stays visible.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Sequence
from typing import Any

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor

from credmigrate.findings.model import Replacement, RewriteOutcome, RewriteStatus
from credmigrate.rewrite.codemod import _comments
from credmigrate.rewrite.codemod import _context as ctxmod
from credmigrate.rewrite.codemod._apply import add_imports, apply_edits
from credmigrate.rewrite.codemod._locate import (
    ALIAS,
    FUNC,
    Hit,
    State,
    by_leaf,
    human,
    instruction,
    locate_all,
    raw_text,
)
from credmigrate.rewrite.codemod._positions import LeafPositions
from credmigrate.rewrite.text import escape_braces as _esc
from credmigrate.rewrite.text import in_source, other_quote, py_str, split_literal, unified_diff

__all__ = ["instruction", "rewrite_source"]

_PY = f"{sys.version_info[0]}.{sys.version_info[1]}"


def rewrite_source(
    path: str, source: str, replacements: Sequence[Replacement], accessor_module: str
) -> RewriteOutcome:
    """Rewrite one file's source; a value in every case (internal errors become FAILED)."""
    try:
        return _rewrite(path, source, replacements, accessor_module)
    except Exception as exc:  # outcomes are values: one file never aborts a run
        msg = f"{type(exc).__name__}: {exc}"
        for r in replacements:
            msg = msg.replace(r.finding.secret, "<secret>") if r.finding.secret else msg
        return RewriteOutcome(
            path, RewriteStatus.FAILED, reason=f"internal error ({msg}); rewrite by hand"
        )


def _failed(path: str, why: str) -> RewriteOutcome:
    return RewriteOutcome(path, RewriteStatus.FAILED, reason=why)


def _rewrite(path: str, source: str, reps: Sequence[Replacement], accessor: str) -> RewriteOutcome:
    bom = source.startswith("\ufeff")
    text = source[1:] if bom else source
    try:
        ast.parse(text, filename=path)
    except SyntaxError as exc:
        return _failed(
            path,
            f"not valid Python {_PY} (line {exc.lineno}: {exc.msg}): a syntax error, Python 2, "
            "or newer syntax - not rewritten: fix the file or move its secrets by hand",
        )
    if not any(in_source(r.finding.secret, text) for r in reps):
        return _nothing_here(path, source, reps, accessor)  # e.g. a rerun: no parse needed
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        return _failed(path, f"libcst cannot parse line {exc.raw_line}: {exc.message}")
    scope, leaves = ctxmod.scan_module(module)
    st = State(scope, LeafPositions(module, text), scope.parents, list(leaves), accessor)
    if scope.names.get(FUNC, f"{accessor}.{FUNC}") != f"{accessor}.{FUNC}":
        st.fn = ALIAS
    in_comments = _comments.positions(text, [r.finding.secret for r in reps])
    comment_reps = [
        r for r in reps if (r.finding.span.line, r.finding.span.column - 1) in in_comments
    ]
    code_reps = [r for r in reps if r not in comment_reps]
    hits = locate_all(st, text, code_reps)
    edits = ctxmod.Edits()
    imports = CodemodContext()
    for leaf_hits in by_leaf(st, hits):
        _plan_leaf(st, leaf_hits, edits, imports)
    code = text
    if edits.any():
        new_module = apply_edits(scope.module, scope.parents, edits)
        fn_alias = ALIAS if st.fn == ALIAS else None
        AddImportsVisitor.add_needed_import(imports, accessor, FUNC, fn_alias)
        new_module = add_imports(new_module, imports)
        code = new_module.code
    code, _ = _comments.scrub(code, reps, st.fn)
    for rep in comment_reps:
        if rep.finding.secret in code:
            human(st, rep, "the value sits in a comment that could not be edited")
        else:
            st.handled.append(rep.finding.fingerprint)
    if code == text:
        return _result(path, source, source, st, reps)
    try:
        compile(code, path, "exec", dont_inherit=True)
    except SyntaxError as exc:
        return _failed(path, f"rewrite did not compile (line {exc.lineno}: {exc.msg}); unchanged")
    return _result(path, source, ("\ufeff" if bom else "") + code, st, reps)


def _nothing_here(
    path: str, source: str, reps: Sequence[Replacement], accessor: str
) -> RewriteOutcome:
    handled: list[str] = []
    human: list[tuple[str, str]] = []
    for rep in reps:
        if rep.secret_name in source and FUNC in source:
            handled.append(rep.finding.fingerprint)  # already rewritten earlier
        else:
            why = "the secret is no longer at this place (file changed?)"
            human.append((rep.finding.fingerprint, instruction(rep, accessor, why)))
    status = RewriteStatus.SKIPPED if human else RewriteStatus.UNCHANGED
    reason = "the secret is no longer at this place (file changed?)" if human else ""
    return RewriteOutcome(
        path, status, source, "", reason, tuple(dict.fromkeys(handled)), tuple(human)
    )


def _result(
    path: str, old: str, new: str, st: State, reps: Sequence[Replacement]
) -> RewriteOutcome:
    secrets = [r.finding.secret for r in reps]
    human = tuple(st.needs_human)
    handled = tuple(dict.fromkeys(st.handled))
    reason = "; ".join(dict.fromkeys(st.whys))
    if new == old:
        status = RewriteStatus.SKIPPED if human else RewriteStatus.UNCHANGED
        return RewriteOutcome(path, status, new, "", reason, handled, human)
    diff = unified_diff(path, old, new, secrets)
    return RewriteOutcome(path, RewriteStatus.REWRITTEN, new, diff, reason, handled, human)


def _call(rep: Replacement, fn: str, quote: str) -> cst.Call | None:
    """``fn('name', 'key')`` in ``quote``, built as libcst would parse it (no parser run)."""
    q = quote[0]
    texts = [py_str(rep.secret_name, q)]
    if rep.json_key is not None:
        texts.append(py_str(rep.json_key, q))
    strings = [t for t in texts if t is not None]
    if len(strings) != len(texts):
        return None
    comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    args = [cst.Arg(cst.SimpleString(t), comma=comma) for t in strings[:-1]]
    return cst.Call(cst.Name(fn), [*args, cst.Arg(cst.SimpleString(strings[-1]))])


def _plan_leaf(
    st: State, group: tuple[list[Hit], list[Hit]], edits: ctxmod.Edits, imports: CodemodContext
) -> None:
    hits, riders = group
    leaf = hits[0].leaf
    why = ""
    new: cst.BaseExpression | list[cst.BaseFormattedStringContent] | None = None
    top: cst.CSTNode = leaf
    if ctxmod.inside(st.parents, leaf, cst.FormattedStringExpression):
        why = "the secret sits inside a nested f-string expression"
    else:
        node: cst.CSTNode = leaf if isinstance(leaf, cst.SimpleString) else st.parents[leaf]
        top = ctxmod.top_string_expr(st.parents, node)
        why = ctxmod.forbidden_context(st.parents, top)
    if not why:
        new = _leaf_replacement(st, hits)
        why = "" if new is not None else "the secret name or key cannot be written in this literal"
    if why or new is None:
        for h in [*hits, *riders]:
            human(st, h.rep, why)
        return
    if isinstance(leaf, cst.SimpleString):
        edits.leaves[leaf] = new  # type: ignore[assignment]
    else:
        edits.texts[leaf] = new  # type: ignore[assignment]
    ctxmod.plan_context(st.scope, top, edits, imports)
    st.handled.extend(h.rep.finding.fingerprint for h in [*hits, *riders])


def _leaf_replacement(
    st: State, hits: list[Hit]
) -> cst.BaseExpression | list[cst.BaseFormattedStringContent] | None:
    leaf = hits[0].leaf
    raw, _, _ = raw_text(st, leaf)
    if isinstance(leaf, cst.SimpleString):
        parts = split_literal(leaf.value)
        assert parts is not None
        h = hits[0]
        concat = isinstance(st.parents[leaf], cst.ConcatenatedString)
        if len(hits) == 1 and h.start == 0 and h.end == len(raw) and not concat:
            call = _call(h.rep, st.fn, parts.quote)
            call = call or _call(h.rep, st.fn, other_quote(parts.quote))
            if call is None:
                return None
            return call.with_changes(lpar=leaf.lpar, rpar=leaf.rpar)
        inner = other_quote(parts.quote)
        body = _split(raw, hits, inner, st.fn, escape=True)
        if body is None:
            return None
        prefix = parts.prefix.replace("u", "") + "f"
        start = prefix + parts.quote
        end: Any = parts.quote
        return cst.FormattedString(parts=body, start=start, end=end, lpar=leaf.lpar, rpar=leaf.rpar)
    fstring = st.parents[leaf]
    assert isinstance(fstring, cst.FormattedString)
    return _split(raw, hits, other_quote(fstring.quote), st.fn, escape=False)


def _split(
    raw: str, hits: list[Hit], quote: str, fn: str, *, escape: bool
) -> list[cst.BaseFormattedStringContent] | None:
    out: list[cst.BaseFormattedStringContent] = []
    cur = 0
    for h in hits:
        call = _call(h.rep, fn, quote)
        if call is None:
            return None
        before = raw[cur : h.start]
        if before:
            out.append(cst.FormattedStringText(_esc(before) if escape else before))
        out.append(cst.FormattedStringExpression(expression=call))
        cur = h.end
    rest = raw[cur:]
    if rest:
        out.append(cst.FormattedStringText(_esc(rest) if escape else rest))
    return out
