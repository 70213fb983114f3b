"""The field walk finds what a libcst CSTVisitor finds: same parents, bindings and literals."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from credmigrate.rewrite.codemod._context import _Collect

GOLDEN = Path(__file__).parent / "golden"
SAMPLES = [
    '@app.route("/")\ndef index(x="d"):\n    import os as o\n    return f"ok {x!r:>{w}}"\n',
    "from __future__ import annotations\ntry:\n    import ujson as json\nexcept ImportError:\n"
    "    import json\nclass A(B, metaclass=M):\n    y: 'T' = lambda: 'v'\n",
    "match x:\n    case {'k': 'v'}:\n        from .rel import thing\n",
]


class _Reference(cst.CSTVisitor):
    """The CSTVisitor this walk replaced: parents from a stack, handlers from _Collect."""

    def __init__(self) -> None:
        super().__init__()
        self.c = _Collect()
        self.stack: list[cst.CSTNode] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if self.stack:
            self.c.parents[node] = self.stack[-1]
        self.stack.append(node)
        handler = getattr(self.c, f"visit_{type(node).__name__}", None)
        if handler is not None:
            handler(node)
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        self.stack.pop()


@pytest.mark.parametrize(
    "source", SAMPLES + [p.read_text(encoding="utf-8") for p in sorted(GOLDEN.glob("*/*.py"))]
)
def test_same_as_a_cst_visitor(source: str) -> None:
    module = cst.parse_module(source)
    ref = _Reference()
    module.visit(ref)
    fast = _Collect()
    fast.walk(module)
    assert {id(k): id(v) for k, v in fast.parents.items()} == {
        id(k): id(v) for k, v in ref.c.parents.items()
    }
    assert fast.names == ref.c.names
    assert fast.future_annotations == ref.c.future_annotations
    assert {id(x) for x in fast.leaves} == {id(x) for x in ref.c.leaves}
    assert len(fast.leaves) == len(ref.c.leaves) > 0
