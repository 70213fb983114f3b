"""Python-aware refinement with the standard library's ``ast``.

For each finding in a ``.py`` file, find the string literal that holds it and record how it is
bound (assignment, class attribute, subscript, dict key, keyword argument, default, environment
fallback): the codemod needs exactly that. Generic (name = value) findings that are not inside a
string literal, or that sit in a docstring or comparison, are dropped: there is nothing to migrate.
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Callable
from dataclasses import replace

from credmigrate.findings.model import Binding, Confidence, Finding, Span

_STRINGISH = (ast.JoinedStr, ast.BinOp, ast.FormattedValue)


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else node.attr
    if isinstance(node, ast.Subscript):
        key = node.slice
        if isinstance(key, ast.Constant):
            return f"{_dotted(node.value)}[{key.value!r}]"
        return _dotted(node.value) + "[]"
    if isinstance(node, ast.Call):
        return _dotted(node.func) + "()"
    return ""


class _Index:
    """Parent links and string literals, only for the statements that hold a finding.

    A full ``ast.walk`` of a large module costs more than the rest of its scan; descending only
    into nodes whose line range covers a finding line touches a few dozen nodes.
    """

    def __init__(self, tree: ast.Module, lines: list[bytes], wanted: set[int]) -> None:
        self.lines = lines
        self.parent: dict[int, ast.AST] = {}
        self.literals: list[ast.Constant] = []
        self.docstrings: set[int] = set()
        stack: list[ast.AST] = [tree]
        while stack:
            node = stack.pop()
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                body = node.body
                if (
                    body
                    and isinstance(body[0], ast.Expr)
                    and isinstance(body[0].value, ast.Constant)
                ):
                    self.docstrings.add(id(body[0].value))
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                self.literals.append(node)
            for child in ast.iter_child_nodes(node):
                first = getattr(child, "lineno", None)
                if first is not None:
                    last = getattr(child, "end_lineno", None) or first
                    if not any(first <= ln <= last for ln in wanted):
                        continue
                self.parent[id(child)] = node
                stack.append(child)

    def char_col(self, line: int, byte_col: int) -> int:
        raw = self.lines[line - 1] if 0 < line <= len(self.lines) else b""
        return len(raw[:byte_col].decode("utf-8", "replace")) + 1

    def span(self, node: ast.AST) -> Span:
        end_line = getattr(node, "end_lineno", None) or node.lineno  # type: ignore[attr-defined]
        end_col = getattr(node, "end_col_offset", None) or 0
        return Span(
            node.lineno,  # type: ignore[attr-defined]
            self.char_col(node.lineno, node.col_offset),  # type: ignore[attr-defined]
            end_line,
            self.char_col(end_line, end_col),
        )

    def containing(self, f: Finding) -> ast.Constant | None:
        best: ast.Constant | None = None
        for node in self.literals:
            s = self.span(node)
            if (s.line, s.column) <= (f.span.line, f.span.column) and (
                f.span.end_line,
                f.span.end_column,
            ) <= (s.end_line, s.end_column):
                value = node.value
                if isinstance(value, str) and (
                    f.secret in value or _loosely_contains(value, f.secret)
                ):
                    best = node
                    break
        return best

    def scope(self, node: ast.AST) -> str:
        names: list[str] = []
        cur = self.parent.get(id(node))
        while cur is not None:
            if isinstance(cur, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                names.append(cur.name)
            cur = self.parent.get(id(cur))
        return ".".join(reversed(names))

    def in_class_body(self, stmt: ast.AST) -> bool:
        return isinstance(self.parent.get(id(stmt)), ast.ClassDef)


def _loosely_contains(value: str, secret: str) -> bool:
    # escapes in source (\n, \\) make the source text differ from the value
    try:
        return secret.encode().decode("unicode_escape") in value
    except UnicodeDecodeError:
        return False


def _assign_target(stmt: ast.Assign | ast.AnnAssign) -> ast.expr:
    return stmt.targets[0] if isinstance(stmt, ast.Assign) else stmt.target


def _callee(ix: _Index, kw: ast.keyword) -> str:
    """The dotted name of the call a keyword argument belongs to ('' if not a call)."""
    call = ix.parent.get(id(kw))
    return _dotted(call.func) if isinstance(call, ast.Call) else ""


def _binding(ix: _Index, const: ast.Constant, secret: str) -> Binding | None:
    root: ast.AST = const
    while isinstance(ix.parent.get(id(root)), _STRINGISH):
        root = ix.parent[id(root)]
    embedded = root is not const or const.value != secret
    parent = ix.parent.get(id(root))
    literal = ix.span(root)
    scope = ix.scope(root)

    def make(kind: str, name: str, target: str = "", call: str = "") -> Binding:
        return Binding(kind, name, target or name, scope, call, literal, embedded)

    if isinstance(parent, (ast.Assign, ast.AnnAssign)) and parent.value is root:
        target_node = _assign_target(parent)
        kind = "class_attr" if ix.in_class_body(parent) else "assign"
        if isinstance(target_node, ast.Name):
            return make(kind, target_node.id)
        if isinstance(target_node, ast.Attribute):
            return make("assign", target_node.attr, _dotted(target_node))
        if isinstance(target_node, ast.Subscript) and isinstance(target_node.slice, ast.Constant):
            return make("subscript", str(target_node.slice.value), _dotted(target_node.value))
        return None
    if isinstance(parent, ast.keyword) and parent.arg:
        return make("kwarg", parent.arg, parent.arg, _callee(ix, parent))
    if isinstance(parent, ast.Call) and root in parent.args:
        func = _dotted(parent.func)
        if (
            func.endswith(("environ.get", "getenv", "environ.setdefault"))
            and parent.args.index(root) == 1
        ):
            key = parent.args[0]
            name = str(key.value) if isinstance(key, ast.Constant) else ""
            return make("env_fallback", name, name, func)
        return make("positional", func.rsplit(".", 1)[-1], func, func)
    if isinstance(parent, ast.Dict):
        for k, v in zip(parent.keys, parent.values, strict=False):
            if v is root and isinstance(k, ast.Constant):
                return make("dict_key", str(k.value), _dict_path(ix, parent, str(k.value)))
        return None
    if isinstance(parent, ast.arguments):
        return _default_binding(parent, root, make)
    if isinstance(parent, (ast.Tuple, ast.List)):
        owner = ix.parent.get(id(parent))
        if isinstance(owner, ast.keyword) and owner.arg:
            return make("tuple", owner.arg, owner.arg, _callee(ix, owner))
        if isinstance(owner, (ast.Assign, ast.AnnAssign)):
            t = _assign_target(owner)
            return make("tuple", _dotted(t).rsplit(".", 1)[-1], _dotted(t))
    return None


def _dict_path(ix: _Index, d: ast.Dict, key: str) -> str:
    parts = [key]
    cur: ast.AST = d
    while True:
        parent = ix.parent.get(id(cur))
        if isinstance(parent, ast.Dict):
            k = next(
                (k for k, v in zip(parent.keys, parent.values, strict=False) if v is cur), None
            )
            parts.append(str(k.value) if isinstance(k, ast.Constant) else "?")
            cur = parent
            continue
        if isinstance(parent, (ast.Assign, ast.AnnAssign)):
            t = _assign_target(parent)
            parts.append(_dotted(t))
        elif isinstance(parent, ast.keyword) and parent.arg:
            parts.append(parent.arg)
        break
    return ".".join(reversed(parts))


def _default_binding(
    args: ast.arguments, root: ast.AST, make: Callable[[str, str, str], Binding]
) -> Binding | None:
    positional = args.posonlyargs + args.args
    with_defaults = zip(
        positional[len(positional) - len(args.defaults) :], args.defaults, strict=False
    )
    for a, d in (*with_defaults, *zip(args.kwonlyargs, args.kw_defaults, strict=False)):
        if d is root:
            return make("default", a.arg, a.arg)
    return None


def _is_comparison(ix: _Index, node: ast.AST) -> bool:
    return isinstance(ix.parent.get(id(node)), ast.Compare)


def refine(path: str, data: bytes, findings: list[Finding]) -> list[Finding]:
    """Attach bindings to findings in a Python file; drop generic ones with nothing to migrate."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(data, filename=path)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return findings  # not valid Python 3: keep the line-level findings as they are
    wanted = {ln for f in findings for ln in range(f.span.line, f.span.end_line + 1)}
    ix = _Index(tree, data.split(b"\n"), wanted)
    out: list[Finding] = []
    for f in findings:
        const = ix.containing(f)
        generic = f.confidence != Confidence.HIGH
        if const is None:
            if not generic:
                out.append(f)
            continue
        if generic and (id(const) in ix.docstrings or _is_comparison(ix, const)):
            continue
        out.append(replace(f, binding=_binding(ix, const, f.secret)))
    return out
