"""The fast AddImportsVisitor: libcst's behaviour, without the per-instance introspection."""

from __future__ import annotations

import libcst as cst
import libcst.matchers as m
import pytest
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor

from credmigrate.rewrite.codemod import _imports
from credmigrate.rewrite.codemod._imports import FastAddImportsVisitor

SOURCES = [
    '"""Doc."""\n\nimport os\n\nX = 1\n',
    "from _credmigrate_secrets import other\nX = 1\n",
    "from _credmigrate_secrets import *\n",
    "import os, sys\nfrom a import (b,\n    c)\n\ndef f():\n    import late\n",
    "",
]


@pytest.mark.parametrize("source", SOURCES)
def test_same_output_as_libcst(source: str) -> None:
    tree = cst.parse_module(source)
    outputs = []
    for cls in (AddImportsVisitor, FastAddImportsVisitor):
        ctx = CodemodContext()
        AddImportsVisitor.add_needed_import(ctx, "_credmigrate_secrets", "get_secret")
        AddImportsVisitor.add_needed_import(ctx, "typing", "Optional")
        AddImportsVisitor.add_needed_import(ctx, "pydantic")
        outputs.append(cls(ctx).transform_module(tree).code)
    assert outputs[0] == outputs[1]
    assert "from typing import Optional" in outputs[1]


def test_the_fast_path_is_in_use() -> None:
    """A libcst that renamed the gatherer would silently fall back to the slow path."""
    assert FastAddImportsVisitor.visit_Module is not AddImportsVisitor.visit_Module
    gatherer = FastAddImportsVisitor.visit_Module.__globals__[_imports._GATHERER]
    assert issubclass(gatherer, _imports._ClassIntrospection)
    assert len(dir(FastAddImportsVisitor(CodemodContext()))) < 50 < len(dir(AddImportsVisitor))


def test_matcher_decorated_methods_are_still_found() -> None:
    """Subclasses using libcst's @visit / @call_if_inside keep working: markers are listed."""
    seen: list[str] = []

    class Decorated(FastAddImportsVisitor):
        @m.visit(m.Name())
        def on_any_name(self, node: cst.Name) -> None:
            seen.append(node.value)

        @m.call_if_inside(m.ImportFrom())
        def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
            seen.append("alias")

    assert "on_any_name" in dir(Decorated(CodemodContext()))
    assert Decorated.on_visit is m.MatcherDecoratableTransformer.on_visit
    assert FastAddImportsVisitor.on_visit is cst.CSTTransformer.on_visit
    Decorated(CodemodContext()).transform_module(cst.parse_module("from a import b\nx = 1\n"))
    assert seen.count("alias") == 1 and "x" in seen and "b" in seen
