"""libcst's AddImportsVisitor, without its fixed per-instance introspection cost.

libcst's matcher-decorator support (``MatcherDecoratableTransformer``/``...Visitor``) walks
``dir(self)`` - about a thousand inherited ``visit_*``/``leave_*`` names - three times for every
instance, looking for methods marked by ``@visit``, ``@leave`` or ``@call_if_inside``.
AddImportsVisitor builds two such objects per module (itself, and the gatherer of the imports
already there): about 25 ms of a 45 ms rewrite, whatever the file's size. What the walk can find
depends only on the class, so the subclasses here answer ``dir()`` with the names that could
carry a marker (everything except plain undecorated functions and C slots: markers are
attributes set on the function) plus the instance's own attributes; libcst's code still looks at
each of those and decides. Without any marked method, the matcher dispatch per node has nothing
to do, so those classes use the plain visitor's. The visitor's logic is libcst's, unchanged:
its ``visit_Module`` is reused as is, only bound to build the gatherer through the same
cheaper subclass.
"""

from __future__ import annotations

import inspect
import types
from collections.abc import Callable
from typing import Any

import libcst as cst
from libcst.codemod.visitors import AddImportsVisitor
from libcst.codemod.visitors import _add_imports as _libcst_add_imports
from libcst.matchers import MatcherDecoratableTransformer, MatcherDecoratableVisitor
from libcst.matchers._decorators import (
    CONSTRUCTED_LEAVE_MATCHER_ATTR,
    CONSTRUCTED_VISIT_MATCHER_ATTR,
    VISIT_NEGATIVE_MATCHER_ATTR,
    VISIT_POSITIVE_MATCHER_ATTR,
)

_GATHERER = "_GatherTopImportsBeforeStatements"
# The function attributes libcst's matcher decorators set.
_MARKERS = (
    CONSTRUCTED_LEAVE_MATCHER_ATTR,
    CONSTRUCTED_VISIT_MATCHER_ATTR,
    VISIT_NEGATIVE_MATCHER_ATTR,
    VISIT_POSITIVE_MATCHER_ATTR,
)


def _marked(value: object) -> bool:
    targets = (value, getattr(value, "__func__", None))  # staticmethod/classmethod too
    return any(t is not None and hasattr(t, m) for t in targets for m in _MARKERS)


_NAMES: dict[type, tuple[str, ...]] = {}


def _candidate_names(cls: type) -> tuple[str, ...]:
    """Class attributes carrying a matcher marker (what libcst's walk can find), per class."""
    names = _NAMES.get(cls)
    if names is None:
        names = tuple(n for n in dir(cls) if _marked(inspect.getattr_static(cls, n, None)))
        _NAMES[cls] = names
    return names


_DISPATCH = ("on_visit", "on_leave", "on_visit_attribute", "on_leave_attribute")


class _ClassIntrospection:
    """``dir()`` limited to what libcst's matcher introspection can find anything under.

    A class with no marked method also gets the plain visitor's per-node dispatch: the matcher
    dispatch then only finds nothing to match, at twice the cost per node.
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        transformer = issubclass(cls, cst.CSTTransformer)
        if _candidate_names(cls):
            base: type = MatcherDecoratableTransformer if transformer else MatcherDecoratableVisitor
        else:
            base = cst.CSTTransformer if transformer else cst.CSTVisitor
        for name in _DISPATCH:
            setattr(cls, name, getattr(base, name))

    def __dir__(self) -> list[str]:
        return sorted({*_candidate_names(type(self)), *vars(self)})


def _rebound(func: Callable[..., Any], **names: object) -> Callable[..., Any]:
    """``func`` with some of its module's global names bound to other objects (for it only)."""
    assert isinstance(func, types.FunctionType)
    if not all(n in func.__code__.co_names for n in names):
        return func  # libcst changed: keep its own (slower) code rather than guess
    scope = {**func.__globals__, **names}
    new = types.FunctionType(
        func.__code__, scope, func.__name__, func.__defaults__, func.__closure__
    )
    new.__kwdefaults__ = func.__kwdefaults__
    new.__qualname__ = func.__qualname__
    return new


_Gatherer: type[Any] | None = getattr(_libcst_add_imports, _GATHERER, None)


if _Gatherer is not None:

    class _FastGatherer(_ClassIntrospection, _Gatherer):  # type: ignore[misc,valid-type]
        pass

    _visit_module = _rebound(AddImportsVisitor.visit_Module, **{_GATHERER: _FastGatherer})
else:  # pragma: no cover - a libcst without that class: its own visit_Module
    _visit_module = AddImportsVisitor.visit_Module


class FastAddImportsVisitor(_ClassIntrospection, AddImportsVisitor):
    """AddImportsVisitor with the matcher introspection computed once per class."""

    visit_Module = _visit_module
