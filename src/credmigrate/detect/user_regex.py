"""Regexes from rule files the user brings, bounded: the only importer of google-re2.

A rule from ``--rules`` or a config's ``extra_rules`` (ours, or a gitleaks/betterleaks config)
is someone else's regex. In Python's backtracking ``re``, ``(a+)+$`` on a line of 50 ``a``
followed by anything else runs for longer than anyone waits, and a scan (or a CI gate) hangs.
So user rules run on RE2, a linear-time engine with the Go syntax gitleaks rules are written
in. A user regex RE2 can't run (a lookaround or a backreference: Python-only syntax) falls
back to ``re`` under a per-call time budget; past it, the scan stops with exit 3 naming the
rule. The built-in rules are ours, tested, and stay on ``re``.
"""

from __future__ import annotations

import contextlib
import re
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType
from typing import Any, cast

from credmigrate.errors import BadInputError

MATCH_BUDGET_SECONDS = 2.0

try:  # without google-re2 (no wheel for the platform) every user regex runs under the budget
    import re2 as _re2
except ImportError:  # pragma: no cover - a dependency wherever it has wheels
    _re2 = None


class SlowRuleError(BadInputError):
    """A user rule's regex exceeded its time budget on one input."""


def _options() -> Any:
    assert _re2 is not None
    opts = _re2.Options()
    opts.log_errors = False  # RE2 would print its own multi-line complaint on stderr
    return opts


def compile_user(pattern: str, python_pattern: str, label: str) -> re.Pattern[str]:
    """``pattern`` (Go/RE2 syntax) on RE2 when it can; else ``python_pattern`` on ``re``
    under the time budget. ``label`` names the rule in the slow-rule error. ``re.error``
    propagates for a pattern neither engine accepts."""
    if _re2 is not None:
        try:
            return cast("re.Pattern[str]", _re2.compile(pattern, _options()))
        except Exception:  # re2.error: syntax RE2 lacks; try Python's
            pass
    return cast("re.Pattern[str]", Budgeted(re.compile(python_pattern), label))


class _Expired(Exception):
    pass


def _expire(signum: int, frame: FrameType | None) -> None:
    raise _Expired


@contextlib.contextmanager
def _budget(label: str, seconds: float) -> Iterator[None]:
    """SIGALRM after ``seconds`` interrupts ``re`` (it checks for signals while matching).
    Only the main thread gets signals; elsewhere the call runs unbounded."""
    usable = (
        seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return
    old = signal.signal(signal.SIGALRM, _expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _Expired:
        raise SlowRuleError(
            f"rule {label} took over {seconds:g} s on one line: its regex backtracks "
            "catastrophically; rewrite it in RE2 syntax (no lookaround or backreference) "
            "or remove it"
        ) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


class Budgeted:
    """A compiled ``re`` pattern whose every call runs under :data:`MATCH_BUDGET_SECONDS`."""

    def __init__(self, pattern: re.Pattern[str], label: str) -> None:
        self._p = pattern
        self.label = label
        self.pattern = pattern.pattern
        self.groups = pattern.groups
        self.groupindex = pattern.groupindex
        self.flags = pattern.flags

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        with _budget(self.label, MATCH_BUDGET_SECONDS):
            return self._p.search(string, pos, endpos)

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        with _budget(self.label, MATCH_BUDGET_SECONDS):
            return self._p.match(string, pos, endpos)

    def fullmatch(
        self, string: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> re.Match[str] | None:
        with _budget(self.label, MATCH_BUDGET_SECONDS):
            return self._p.fullmatch(string, pos, endpos)

    def finditer(
        self, string: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        it = self._p.finditer(string, pos, endpos)
        while True:
            with _budget(self.label, MATCH_BUDGET_SECONDS):
                m = next(it, None)
            if m is None:
                return
            yield m

    def findall(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        with _budget(self.label, MATCH_BUDGET_SECONDS):
            return self._p.findall(string, pos, endpos)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Budgeted, (self._p, self.label))
