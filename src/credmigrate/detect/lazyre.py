"""``re`` with patterns compiled on first use: ``from credmigrate.detect import lazyre as re``.

A module of filters holds a few dozen regexes that a clean pre-commit run never evaluates;
compiling them at import costs about 10 ms, a tenth of the hook's whole run. A
:class:`LazyPattern` compiles on its first call, then binds the compiled pattern's methods onto
itself, so later calls cost what a plain pattern's do. Everything else is ``re``'s own.
"""

from __future__ import annotations

import re as _re
from re import DOTALL as DOTALL
from re import IGNORECASE as IGNORECASE
from re import MULTILINE as MULTILINE
from re import VERBOSE as VERBOSE
from re import I as I
from re import M as M
from re import Match as Match
from re import Pattern as Pattern
from re import S as S
from re import X as X
from re import error as error
from re import escape as escape
from re import findall as findall
from re import finditer as finditer
from re import fullmatch as fullmatch
from re import match as match
from re import search as search
from re import split as split
from re import sub as sub
from typing import Any, cast

_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")


class LazyPattern:
    """A regex compiled when first used; then its methods are the compiled pattern's own."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags

    def _compile(self) -> _re.Pattern[str]:
        from credmigrate.detect import regex_cache

        compiled = regex_cache.compile(self.pattern, self.flags)
        for name in _METHODS:
            setattr(self, name, getattr(compiled, name))
        self.groupindex = compiled.groupindex
        self.groups = compiled.groups
        return compiled

    def __getattr__(self, name: str) -> Any:  # only reached before the first compile
        if name in _METHODS or name in ("groupindex", "groups"):
            return getattr(self._compile(), name)
        raise AttributeError(name)


def compile(pattern: str, flags: int = 0) -> _re.Pattern[str]:
    """A pattern that compiles itself on first use (typed as the pattern it stands for)."""
    return cast("_re.Pattern[str]", LazyPattern(pattern, flags))
