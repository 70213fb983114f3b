"""Error types and the exit-code policy.

Every failure that reaches the user is one of these; the CLI's error boundary turns it into one
line on stderr and the exit code it carries. Exit codes mean one thing each.
"""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    CLEAN = 0
    FINDINGS = 1
    USAGE = 2
    BAD_INPUT = 3
    STORE_FAILURE = 4
    VERIFY_FAILED = 5
    INTERRUPTED = 130


class CredmigrateError(Exception):
    """Base error: one line for the user plus the exit code it maps to."""

    exit_code: ExitCode = ExitCode.BAD_INPUT

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(CredmigrateError):
    exit_code = ExitCode.USAGE


class BadInputError(CredmigrateError):
    """Unreadable input, a corrupt repository, an invalid rule or config file, a dirty tree."""

    exit_code = ExitCode.BAD_INPUT


class GitError(BadInputError):
    """The git repository could not be read."""


class RuleError(BadInputError):
    """A rule file is invalid."""


class StoreError(CredmigrateError):
    """The secret store refused or failed (access denied, throttling, network)."""

    exit_code = ExitCode.STORE_FAILURE


class VerifyError(CredmigrateError):
    """A value read back from the store differs, or the migrated code does not work."""

    exit_code = ExitCode.VERIFY_FAILED
