"""Applying planned edits: the transformer, and import insertion through AddImportsVisitor."""

from __future__ import annotations

import libcst as cst
from libcst.codemod import CodemodContext

from credmigrate.rewrite.codemod._context import Edits, Parents
from credmigrate.rewrite.codemod._imports import FastAddImportsVisitor


def _factory_arg(value: cst.BaseExpression) -> cst.Arg:
    no_ws = cst.SimpleWhitespace("")
    return cst.Arg(
        keyword=cst.Name("default_factory"),
        equal=cst.AssignEqual(whitespace_before=no_ws, whitespace_after=no_ws),
        value=cst.Lambda(params=cst.Parameters(), body=value),
    )


def _is_docstring(stmt: cst.CSTNode) -> bool:
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return False
    small = stmt.body[0]
    return isinstance(small, cst.Expr) and isinstance(
        small.value, (cst.SimpleString, cst.ConcatenatedString)
    )


class Apply(cst.CSTTransformer):
    """Apply planned edits; context wrappers receive the already-rewritten expression."""

    def __init__(self, edits: Edits) -> None:
        super().__init__()
        self.e = edits
        self.pending: dict[cst.FunctionDef, list[tuple[str, cst.BaseExpression]]] = {}

    def leave_SimpleString(
        self, original_node: cst.SimpleString, updated_node: cst.SimpleString
    ) -> cst.BaseExpression:
        return self.e.leaves.get(original_node, updated_node)

    def leave_FormattedString(
        self, original_node: cst.FormattedString, updated_node: cst.FormattedString
    ) -> cst.FormattedString:
        if not any(p in self.e.texts for p in original_node.parts):
            return updated_node
        parts: list[cst.BaseFormattedStringContent] = []
        for o, u in zip(original_node.parts, updated_node.parts, strict=True):
            parts.extend(
                self.e.texts.get(o, [u]) if isinstance(o, cst.FormattedStringText) else [u]
            )
        return updated_node.with_changes(parts=parts)

    def leave_Param(self, original_node: cst.Param, updated_node: cst.Param) -> cst.Param:
        spec = self.e.params.get(original_node)
        if spec is None or updated_node.default is None:
            return updated_node
        func, mode = spec
        self.pending.setdefault(func, []).append((updated_node.name.value, updated_node.default))
        ann = updated_node.annotation
        if ann is not None and mode == "union":
            none = cst.Name("None")
            ann = ann.with_changes(
                annotation=cst.BinaryOperation(ann.annotation, cst.BitOr(), none)
            )
        elif ann is not None and mode == "optional":
            index = cst.SubscriptElement(cst.Index(ann.annotation))
            ann = ann.with_changes(annotation=cst.Subscript(cst.Name("Optional"), [index]))
        return updated_node.with_changes(default=cst.Name("None"), annotation=ann)

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        fetches = self.pending.pop(original_node, None)
        if not fetches:
            return updated_node
        suite = updated_node.body
        if isinstance(suite, cst.IndentedBlock):
            block = suite
        else:  # def f(x=...): return x
            assert isinstance(suite, cst.SimpleStatementSuite)
            line = cst.SimpleStatementLine(
                suite.body, trailing_whitespace=suite.trailing_whitespace
            )
            block = cst.IndentedBlock([line])
        stmts: list[cst.BaseStatement] = []
        for name, value in fetches:
            test = cst.Comparison(
                cst.Name(name), [cst.ComparisonTarget(cst.Is(), cst.Name("None"))]
            )
            assign = cst.Assign([cst.AssignTarget(cst.Name(name))], value)
            stmts.append(cst.If(test, cst.IndentedBlock([cst.SimpleStatementLine([assign])])))
        body = list(block.body)
        at = 1 if body and _is_docstring(body[0]) else 0
        new_body = block.with_changes(body=[*body[:at], *stmts, *body[at:]])
        return updated_node.with_changes(body=new_body)

    def leave_AnnAssign(
        self, original_node: cst.AnnAssign, updated_node: cst.AnnAssign
    ) -> cst.AnnAssign:
        func = self.e.anns.get(original_node)
        if func is None or updated_node.value is None:
            return updated_node
        return updated_node.with_changes(value=cst.Call(func, [_factory_arg(updated_node.value)]))

    def leave_Arg(self, original_node: cst.Arg, updated_node: cst.Arg) -> cst.Arg:
        if original_node not in self.e.args:
            return updated_node
        return _factory_arg(updated_node.value).with_changes(comma=updated_node.comma)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        spec = self.e.envs.get(original_node)
        if spec is None:
            return updated_node
        idx, parens, keep_none = spec
        value = updated_node.args[idx].value
        if keep_none:  # config("X", default=None) or ...: a missing variable must not raise
            args = list(updated_node.args)
            args[idx] = args[idx].with_changes(value=cst.Name("None"))
        else:
            args = [a for i, a in enumerate(updated_node.args) if i != idx]
        if not keep_none and idx == len(updated_node.args) - 1:
            args[-1] = args[-1].with_changes(comma=updated_node.args[idx].comma)  # keep layout
        call = updated_node.with_changes(args=args, lpar=[], rpar=[])
        lpar, rpar = list(updated_node.lpar), list(updated_node.rpar)
        if parens:
            lpar, rpar = [cst.LeftParen()], [cst.RightParen()]
        return cst.BooleanOperation(call, cst.Or(), value, lpar=lpar, rpar=rpar)


def apply_edits(module: cst.Module, parents: Parents, edits: Edits) -> cst.Module:
    """:class:`Apply` over the top-level statements that hold an edit; the rest is kept as is.

    Every edit sits inside one top-level statement (a parameter's fetch goes into its own
    function, in the same statement), so visiting only those gives the same code as visiting
    the whole module, for a fraction of the cost in a large file with a few secrets.
    """
    touched: set[cst.CSTNode] = set()
    for node in edits.nodes():
        while (parent := parents.get(node)) is not None and parent is not module:
            node = parent
        touched.add(node)
    transformer = Apply(edits)
    body: list[cst.BaseStatement] = []
    for stmt in module.body:
        if stmt not in touched:
            body.append(stmt)
            continue
        new = stmt.visit(transformer)
        if not isinstance(new, cst.BaseStatement):  # Apply never removes or splits statements
            raise RuntimeError("applying the edits lost a statement")
        body.append(new)
    if transformer.pending:
        raise RuntimeError("a parameter's fetch found no function to go into")
    return module.with_changes(body=body)


def add_imports(module: cst.Module, imports: CodemodContext) -> cst.Module:
    """Run libcst's AddImportsVisitor on the module's head only, then put the rest back.

    The visitor decides from the leading docstring, the first block of imports and the
    statement after it (only its leading lines), but walks (and copies) the whole tree, which
    made it most of a rewrite's cost. It sees the head, with every statement it only needs the
    place of (compound statements, the first statement after the imports) swapped for a marker
    line; a test checks the result equals running it on the whole module. The visitor needs
    no metadata, so it is run directly (``transform_module`` would deep-copy the tree first).
    """
    cut = next(
        (i for i, stmt in enumerate(module.body) if i >= 1 and not _is_import(stmt)),
        len(module.body) - 1,
    )
    head, tail = module.body[: cut + 1], module.body[cut + 1 :]
    originals: dict[str, cst.BaseStatement] = {}
    body: list[cst.BaseStatement] = []
    for i, stmt in enumerate(head):
        if isinstance(stmt, cst.SimpleStatementLine) and (i == 0 or _is_import(stmt)):
            body.append(stmt)
            continue
        marker = f"__credmigrate_statement_{i}__"
        originals[marker] = stmt
        lines = getattr(stmt, "leading_lines", ())  # the visitor may move or add blank lines
        body.append(cst.SimpleStatementLine([cst.Expr(cst.Name(marker))], leading_lines=lines))
    visitor = FastAddImportsVisitor(imports)
    shallow = visitor.transform_module_impl(module.with_changes(body=body))
    restored: list[cst.BaseStatement] = []
    for stmt in shallow.body:
        name = _marker_name(stmt)
        if name in originals:
            assert isinstance(stmt, cst.SimpleStatementLine)
            restored.append(originals.pop(name).with_changes(leading_lines=stmt.leading_lines))
        else:
            restored.append(stmt)
    if originals:  # the visitor dropped a statement: never risk losing code
        raise RuntimeError("import insertion lost statements")
    return shallow.with_changes(body=[*restored, *tail])


def _is_import(stmt: cst.BaseStatement) -> bool:
    return isinstance(stmt, cst.SimpleStatementLine) and any(
        isinstance(small, (cst.Import, cst.ImportFrom)) for small in stmt.body
    )


def _marker_name(stmt: cst.BaseStatement) -> str:
    if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1:
        small = stmt.body[0]
        if isinstance(small, cst.Expr) and isinstance(small.value, cst.Name):
            return small.value.value
    return ""
