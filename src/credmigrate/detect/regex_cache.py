"""Python regexes compiled once per machine: their compiled form is kept in the disk cache.

``re.compile`` parses a pattern and generates its matcher code in every new process: for the
hundred-odd rule and filter regexes a working-tree scan meets, that is a fifth of its run. What
it produces is plain data (flags, a list of opcodes, the group names) that CPython's ``_sre``
module turns into a pattern in microseconds, so that data is stored under the cache directory
(:mod:`credmigrate.detect.cache`) and handed straight to ``_sre.compile`` in later runs.

The stored form is CPython's private matcher code, so the cache key is the exact interpreter
build and ``_sre``'s own version number, ``_sre`` validates the code it is given, and anything
unexpected (another Python implementation, a changed internal API, a damaged file) means plain
``re.compile``. The result is the same pattern object ``re`` builds (patterns compare equal,
which in CPython compares the code; a test checks every built-in pattern).
"""

from __future__ import annotations

import marshal
import re
import sys
from typing import Any

from credmigrate.detect import cache

_Entry = tuple[int, bytes, int, dict[str, int], tuple[str | None, ...]]

try:  # CPython only: the parser and code generator behind re.compile, and _sre itself
    import importlib
    from array import array

    _sre: Any = importlib.import_module("_sre")
    _new_re = sys.version_info >= (3, 11)  # before 3.11: sre_compile and sre_parse
    _compiler: Any = importlib.import_module("re._compiler" if _new_re else "sre_compile")
    _parser: Any = importlib.import_module("re._parser" if _new_re else "sre_parse")
    _code = _compiler._code
    _KEY = f"{sys.implementation.name} {sys.version} {_sre.MAGIC} {_sre.CODESIZE}".encode()
    _TYPECODE = {2: "H", 4: "I"}[_sre.CODESIZE]
    _OK = sys.implementation.name == "cpython" and array(_TYPECODE).itemsize == _sre.CODESIZE
except (ImportError, AttributeError, KeyError):  # pragma: no cover - not CPython
    _OK = False

_table: dict[tuple[str, int], _Entry] | None = None
_new: dict[tuple[str, int], _Entry] = {}
_saver_registered = False


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, from the cache when this pattern was compiled before."""
    if not _OK:
        return re.compile(pattern, flags)
    key = (pattern, int(flags))
    entry = _load().get(key)
    if entry is not None:
        try:
            return _build(pattern, entry)
        except Exception:  # damaged or foreign entry: compile it afresh
            pass
    return _compile_new(pattern, key)


def _build(pattern: str, entry: _Entry) -> re.Pattern[str]:
    all_flags, code, groups, groupindex, indexgroup = entry
    ops = array(_TYPECODE, code).tolist()
    compiled: re.Pattern[str] = _sre.compile(
        pattern, all_flags, ops, groups, groupindex, indexgroup
    )
    return compiled


def _compile_new(pattern: str, key: tuple[str, int]) -> re.Pattern[str]:
    compiled = re.compile(pattern, key[1])  # re's own checks and errors, and the result used
    try:
        p = _parser.parse(pattern, key[1])
        ops = _code(p, key[1])
        groupindex = dict(p.state.groupdict)
        indexgroup: list[str | None] = [None] * p.state.groups
        for name, i in groupindex.items():
            indexgroup[i] = name
        entry: _Entry = (
            key[1] | p.state.flags,
            array(_TYPECODE, ops).tobytes(),
            p.state.groups - 1,
            groupindex,
            tuple(indexgroup),
        )
        if _build(pattern, entry) != compiled:  # not what re built: don't keep it
            return compiled
    except Exception:
        return compiled
    _new[key] = entry
    _register_saver()
    return compiled


def _read() -> dict[tuple[str, int], _Entry]:
    """The table as the cache file holds it now ({} when absent or unreadable)."""
    blob = cache.load("re", _KEY, "bin")
    if blob is None:
        return {}
    try:
        table = marshal.loads(blob)
    except (EOFError, ValueError, TypeError):
        return {}
    return table if isinstance(table, dict) else {}


def _load() -> dict[tuple[str, int], _Entry]:
    global _table
    if _table is None:
        _table = _read()
    return _table


def _register_saver() -> None:
    global _saver_registered
    if not _saver_registered:
        import atexit

        atexit.register(save)
        _saver_registered = True


def save() -> None:
    """Add the patterns compiled in this process to the cache (at exit; a worker calls it)."""
    if not _new:
        return
    table = _read()  # as it is now: another process may have added some
    table.update(_new)
    _new.clear()
    cache.store("re", _KEY, "bin", marshal.dumps(table))
