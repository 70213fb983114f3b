"""The error boundary's click-free half: any failure becomes one line on stderr and an exit code.

:func:`credmigrate.cli.main.main` handles click's own exceptions and hands the rest here; the
hook's fast path (:mod:`credmigrate.cli.fast`), which never imports click, hands everything here.
"""

from __future__ import annotations

import os
import sys

from credmigrate.errors import CredmigrateError, ExitCode


def _say(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def exit_code_for(exc: BaseException) -> int:
    """Report ``exc`` in one line and return its exit code; re-raise what is not ours to stop."""
    if isinstance(exc, CredmigrateError):
        _say(f"credmigrate: error: {exc.message}")
        return int(exc.exit_code)
    if isinstance(exc, KeyboardInterrupt):
        _say("credmigrate: interrupted")
        return int(ExitCode.INTERRUPTED)
    if isinstance(exc, BrokenPipeError):
        return int(ExitCode.CLEAN)
    if isinstance(exc, MemoryError):
        _say("credmigrate: error: out of memory")
        return int(ExitCode.BAD_INPUT)
    if isinstance(exc, OSError):
        _say(f"credmigrate: error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))
        return int(ExitCode.BAD_INPUT)
    if not isinstance(exc, Exception) or os.environ.get("CREDMIGRATE_DEBUG"):
        raise exc
    # The exception's text is withheld: an unexpected error may quote the data it failed on,
    # and that data can be a secret. Where it happened is enough to report it.
    _say(
        f"credmigrate: internal error: {type(exc).__name__} at {where(exc)} "
        "(set CREDMIGRATE_DEBUG=1 for the details, and please report it)"
    )
    return int(ExitCode.BAD_INPUT)


def where(exc: BaseException) -> str:
    """``module.py:line`` of the innermost frame of the traceback."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return "unknown location"
    return f"{os.path.basename(tb.tb_frame.f_code.co_filename)}:{tb.tb_lineno}"
