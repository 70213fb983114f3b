"""A read-only pre-order walk over a libcst tree, without libcst's visitor machinery.

``node.visit(visitor)`` rebuilds every node (constructor and validation) even for a read-only
CSTVisitor; reading the children straight off the nodes' dataclass fields is three times
cheaper, and the rewrite only needs to read.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

import libcst as cst

_FIELDS: dict[type, tuple[str, ...]] = {}


def _children(node: cst.CSTNode) -> list[cst.CSTNode]:
    """The node's children, read off its dataclass fields (in field order)."""
    names = _FIELDS.get(type(node))
    if names is None:
        names = _FIELDS[type(node)] = tuple(f.name for f in dataclasses.fields(node))
    out: list[cst.CSTNode] = []
    for name in names:
        value = getattr(node, name)
        if isinstance(value, cst.CSTNode):
            out.append(value)
        elif isinstance(value, (tuple, list)):
            out.extend(v for v in value if isinstance(v, cst.CSTNode))
    return out


def walk(
    root: cst.CSTNode, handlers: Mapping[type, Callable[[Any], None]]
) -> dict[cst.CSTNode, cst.CSTNode]:
    """Call ``handlers[type(node)]`` on every node, parents first; return each node's parent.

    Children come in field order: source order, except where a node lists a field out of it
    (a function's decorators come after its body).
    """
    parents: dict[cst.CSTNode, cst.CSTNode] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        handler = handlers.get(type(node))
        if handler is not None:
            handler(node)
        children = _children(node)
        for child in children:
            parents[child] = node
        stack.extend(reversed(children))  # pre-order, first child first
    return parents
