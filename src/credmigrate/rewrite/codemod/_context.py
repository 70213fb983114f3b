"""Reading a literal's syntactic context, and the transformer that applies the planned edits."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor

from credmigrate.rewrite.codemod._walk import walk

Parents = Mapping[cst.CSTNode, cst.CSTNode]

_NO_PARENS = (
    cst.Assign,
    cst.AnnAssign,
    cst.Arg,
    cst.Element,
    cst.DictElement,
    cst.Return,
    cst.Param,
)
_DATACLASS = {"dataclasses.dataclass", "pydantic.dataclasses.dataclass"}
_PYDANTIC_BASES = {"BaseSettings", "BaseModel"}


def dotted(node: cst.CSTNode | None) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr.value}" if base else ""
    return ""


@dataclass
class Scope:
    """What the whole module tells us: parents, imported names, local pydantic classes."""

    module: cst.Module
    parents: Parents
    names: dict[str, str]
    pydantic_classes: set[str] = field(default_factory=set)
    env_readers: set[str] = field(default_factory=set)  # names bound to environ.Env(...)
    future_annotations: bool = False

    def origin(self, dotted_name: str) -> str:
        """Resolve the first component through imports: ``environ.get`` → ``os.environ.get``."""
        head, _, rest = dotted_name.partition(".")
        base = self.names.get(head, head)
        return f"{base}.{rest}" if rest else base


@dataclass
class Edits:
    leaves: dict[cst.SimpleString, cst.BaseExpression] = field(default_factory=dict)
    texts: dict[cst.FormattedStringText, list[cst.BaseFormattedStringContent]] = field(
        default_factory=dict
    )
    params: dict[cst.Param, tuple[cst.FunctionDef, str]] = field(default_factory=dict)
    anns: dict[cst.AnnAssign, cst.BaseExpression] = field(default_factory=dict)
    args: set[cst.Arg] = field(default_factory=set)
    envs: dict[cst.Call, tuple[int, bool, bool]] = field(default_factory=dict)

    def any(self) -> bool:
        return bool(self.leaves or self.texts)

    def nodes(self) -> list[cst.CSTNode]:
        """Every node an edit is keyed on (the function of a parameter edit too)."""
        funcs = [func for func, _ in self.params.values()]
        return [
            *self.leaves,
            *self.texts,
            *self.params,
            *funcs,
            *self.anns,
            *self.args,
            *self.envs,
        ]


class _Collect:
    """One pass over the tree: parents (cheaper than ParentNodeProvider), strings, imports.

    :func:`walk` visits children in field order, which is source order except where a field
    is listed out of it (decorators after the body): the parents and import bindings are the
    same as a CSTVisitor's, and nothing depends on the order of ``leaves`` (a literal is chosen
    by position and value, never by being first).
    """

    def __init__(self) -> None:
        self.leaves: list[cst.SimpleString | cst.FormattedStringText] = []
        self.names: dict[str, str] = {}
        self.future_annotations = False
        self.parents: dict[cst.CSTNode, cst.CSTNode] = {}

    def walk(self, root: cst.CSTNode) -> None:
        handlers: dict[type, Callable[[Any], None]] = {
            cst.SimpleString: self.visit_SimpleString,
            cst.FormattedString: self.visit_FormattedString,
            cst.Import: self.visit_Import,
            cst.ImportFrom: self.visit_ImportFrom,
        }
        self.parents = walk(root, handlers)

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        self.leaves.append(node)

    def visit_FormattedString(self, node: cst.FormattedString) -> None:
        self.leaves.extend(p for p in node.parts if isinstance(p, cst.FormattedStringText))

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            full = dotted(alias.name)
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self.names[alias.asname.name.value] = full
            else:
                head = full.split(".")[0]
                self.names[head] = head

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        mod = "." * len(node.relative) + (dotted(node.module) if node.module else "")
        if mod == "__future__" and not isinstance(node.names, cst.ImportStar):
            self.future_annotations |= any(dotted(a.name) == "annotations" for a in node.names)
        if isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            name = dotted(alias.name)
            bound = name
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                bound = alias.asname.name.value
            self.names[bound] = f"{mod}.{name}"


def scan_module(
    module: cst.Module,
) -> tuple[Scope, list[cst.SimpleString | cst.FormattedStringText]]:
    """One pass: parents, string leaves, import bindings, and the module's top-level names."""
    c = _Collect()
    c.walk(module)
    names = c.names
    scope = Scope(module, c.parents, names, future_annotations=c.future_annotations)
    for stmt in module.body:
        if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
            names.setdefault(stmt.name.value, "<local>")
        if isinstance(stmt, cst.ClassDef) and _class_kind(scope, stmt) == "pydantic":
            scope.pydantic_classes.add(stmt.name.value)
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                targets = small.targets if isinstance(small, cst.Assign) else ()
                for t in targets:
                    if isinstance(t.target, cst.Name):
                        names.setdefault(t.target.value, "<local>")
                        value = small.value if isinstance(small, cst.Assign) else None
                        if isinstance(value, cst.Call) and scope.origin(dotted(value.func)) in (
                            "environ.Env",
                            "environ.FileAwareEnv",
                        ):
                            scope.env_readers.add(t.target.value)
    return scope, c.leaves


def inside(parents: Parents, node: cst.CSTNode, kind: type[object]) -> bool:
    cur = parents.get(node)
    while cur is not None:
        if isinstance(cur, kind):
            return True
        cur = parents.get(cur)
    return False


def top_string_expr(parents: Parents, node: cst.CSTNode) -> cst.CSTNode:
    """Climb through implicit and ``+`` concatenation to the whole string expression."""
    while True:
        parent = parents.get(node)
        if isinstance(parent, cst.ConcatenatedString) or (
            isinstance(parent, cst.BinaryOperation) and isinstance(parent.operator, cst.Add)
        ):
            node = parent
            continue
        return node


def forbidden_context(parents: Parents, top: cst.CSTNode) -> str:
    parent = parents.get(top)
    if isinstance(parent, cst.Expr):
        return "a bare string statement (docstring?) holds the secret"
    if inside(parents, top, cst.MatchPattern) or isinstance(parent, cst.MatchValue):
        return "a match/case pattern cannot call a function"
    if inside(parents, top, cst.Annotation):
        return "the secret sits in a type annotation"
    return ""


def _class_of(parents: Parents, stmt: cst.CSTNode) -> cst.ClassDef | None:
    line = parents.get(stmt)
    block = parents.get(line) if line is not None else None
    owner = parents.get(block) if block is not None else None
    return owner if isinstance(owner, cst.ClassDef) else None


def _class_kind(scope: Scope, cls: cst.ClassDef) -> str:
    for d in cls.decorators:
        expr = d.decorator.func if isinstance(d.decorator, cst.Call) else d.decorator
        if scope.origin(dotted(expr)) in _DATACLASS:
            return "dataclass"
    for base in cls.bases:
        name = dotted(base.value)
        if name.rsplit(".", 1)[-1] in _PYDANTIC_BASES or name in scope.pydantic_classes:
            return "pydantic"
    return ""


def _factory(scope: Scope, kind: str, imports: CodemodContext) -> cst.BaseExpression:
    module, obj = ("dataclasses", "field") if kind == "dataclass" else ("pydantic", "Field")
    if scope.names.get(obj, f"{module}.{obj}") == f"{module}.{obj}":
        AddImportsVisitor.add_needed_import(imports, module, obj)
        return cst.Name(obj)
    AddImportsVisitor.add_needed_import(imports, module)
    return cst.Attribute(cst.Name(module), cst.Name(obj))


def _is_arg_at(call: cst.Call, arg: cst.Arg, position: int) -> bool:
    if arg.keyword is not None:
        return arg.keyword.value == "default"
    positional = [a for a in call.args if a.keyword is None and not a.star]
    return arg in positional and positional.index(arg) == position and not arg.star


def _ann_mode(scope: Scope, param: cst.Param, imports: CodemodContext) -> str:
    if param.annotation is None:
        return ""
    code = scope.module.code_for_node(param.annotation.annotation)
    if "None" in code or "Optional" in code or code == "Any":
        return ""
    if scope.future_annotations:
        return "union"
    if scope.names.get("Optional", "typing.Optional") == "typing.Optional":
        AddImportsVisitor.add_needed_import(imports, "typing", "Optional")
        return "optional"
    return ""


def plan_context(scope: Scope, top: cst.CSTNode, edits: Edits, imports: CodemodContext) -> None:
    """Decide the wrapper for a rewritten string expression from where it stands."""
    parents = scope.parents
    parent = parents.get(top)
    if isinstance(parent, cst.Param) and parent.default is top:
        params = parents.get(parent)
        func = parents.get(params) if params is not None else None
        if isinstance(func, cst.FunctionDef):
            edits.params[parent] = (func, _ann_mode(scope, parent, imports))
        return
    if isinstance(parent, cst.AnnAssign) and parent.value is top:
        cls = _class_of(parents, parent)
        kind = _class_kind(scope, cls) if cls is not None else ""
        ann = scope.module.code_for_node(parent.annotation.annotation)
        if kind and "ClassVar" not in ann:
            edits.anns[parent] = _factory(scope, kind, imports)
        return
    if isinstance(parent, cst.Arg) and parent.value is top:
        call = parents.get(parent)
        if not isinstance(call, cst.Call):
            return
        callee = scope.origin(dotted(call.func))
        idx = list(call.args).index(parent)
        if callee in ("os.environ.get", "os.getenv") and _is_arg_at(call, parent, 1):
            edits.envs[call] = (idx, _needs_parens(parents, call), False)
            return
        if _is_config_reader(scope, call, dotted(call.func)) and _keyword(parent) == "default":
            edits.envs[call] = (idx, _needs_parens(parents, call), True)  # keep default=None
            return
        owner = parents.get(call)
        if (
            callee in ("dataclasses.field", "pydantic.Field")
            and _is_arg_at(call, parent, 0)
            and isinstance(owner, cst.AnnAssign)
            and owner.value is call
        ):
            cls = _class_of(parents, owner)
            if cls is not None and _class_kind(scope, cls):
                edits.args.add(parent)


def _keyword(arg: cst.Arg) -> str:
    return arg.keyword.value if arg.keyword is not None else ""


def _is_config_reader(scope: Scope, call: cst.Call, name: str) -> bool:
    """python-decouple's ``config(...)`` or a django-environ ``env(...)``, without a cast."""
    reader = scope.origin(name) == "decouple.config" or name.split(".")[0] in scope.env_readers
    if not reader or len(name.split(".")) > 2:
        return False
    return not any(_keyword(a) == "cast" for a in call.args)


def _needs_parens(parents: Parents, call: cst.Call) -> bool:
    return not call.lpar and not isinstance(parents.get(call), _NO_PARENS)
