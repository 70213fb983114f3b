"""Dataclasses from parsed JSON, checked field by field against their type hints.

Saved plans and the journal are files a user (or an attacker, or a crash) can edit. Building a
dataclass with ``Cls(**data)`` accepts any value for any field, and a wrong type then fails far
away, as an internal error. :func:`build` refuses it at the door, naming the field.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any, TypeVar, Union

from credmigrate.errors import BadInputError

T = TypeVar("T")


class _Mismatch(Exception):
    def __init__(self, where: str, expected: str) -> None:
        super().__init__(where)
        self.where, self.expected = where, expected


def _name(hint: Any) -> str:
    return getattr(hint, "__name__", None) or str(hint).replace("typing.", "")


def _convert(value: Any, hint: Any, where: str) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if hint is Any:
        return value
    if origin in (Union, types.UnionType):
        for arg in args:
            try:
                return _convert(value, arg, where)
            except _Mismatch:
                continue
        raise _Mismatch(where, " or ".join(_name(a) for a in args))
    if hint is type(None):
        if value is None:
            return None
        raise _Mismatch(where, "null")
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return _build(hint, value, where)
    if origin is tuple:
        if not isinstance(value, list):
            raise _Mismatch(where, "a list")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_convert(v, args[0], f"{where}[{i}]") for i, v in enumerate(value))
        if len(value) != len(args):
            raise _Mismatch(where, f"a list of {len(args)}")
        return tuple(
            _convert(v, a, f"{where}[{i}]")
            for i, (v, a) in enumerate(zip(value, args, strict=True))
        )
    if origin is list:
        if not isinstance(value, list):
            raise _Mismatch(where, "a list")
        return [_convert(v, args[0], f"{where}[{i}]") for i, v in enumerate(value)]
    if origin is dict or hint is dict:
        if not isinstance(value, dict):
            raise _Mismatch(where, "an object")
        vt = args[1] if args else Any
        return {str(k): _convert(v, vt, f"{where}.{k}") for k, v in value.items()}
    if hint is bool:
        if isinstance(value, bool):
            return value
        raise _Mismatch(where, "true or false")
    if hint is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise _Mismatch(where, "an integer")
    if hint is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        raise _Mismatch(where, "a number")
    if hint is str:
        if isinstance(value, str):
            return value
        raise _Mismatch(where, "a string")
    raise _Mismatch(where, _name(hint))  # a type this reader does not build from JSON


def _build(cls: type[T], data: Any, where: str) -> T:
    if not isinstance(data, dict):
        raise _Mismatch(where or cls.__name__, "an object")
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls) if f.init}  # type: ignore[arg-type]
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise _Mismatch(f"{where}.{unknown[0]}" if where else str(unknown[0]), "a known field")
    kwargs: dict[str, Any] = {}
    for name in fields:
        sub = f"{where}.{name}" if where else name
        if name in data:
            kwargs[name] = _convert(data[name], hints[name], sub)
        elif (
            fields[name].default is dataclasses.MISSING
            and fields[name].default_factory is dataclasses.MISSING
        ):
            raise _Mismatch(sub, "a value (missing)")
    return cls(**kwargs)


def build(cls: type[T], data: Any, source: str, *, skip: tuple[str, ...] = ()) -> T:
    """``cls`` from ``data`` (parsed JSON); ``BadInputError`` naming ``source`` and the field
    when a field is missing, unknown or of the wrong type. ``skip``: keys of ``data`` ignored."""
    if skip and isinstance(data, dict):
        data = {k: v for k, v in data.items() if k not in skip}
    try:
        return _build(cls, data, "")
    except _Mismatch as exc:
        where = exc.where if len(exc.where) <= 80 else exc.where[:77] + "..."
        raise BadInputError(f"{source}: {where!r} must be {exc.expected}") from None
    except RecursionError:
        raise BadInputError(f"{source}: nested too deeply") from None
