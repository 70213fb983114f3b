"""Values passed between stages: immutable, picklable records (named tuples).

Named tuples rather than dataclasses: the pre-commit hook imports this module on every commit,
and ``dataclasses`` (with ``inspect``, which it imports) and creating each dataclass cost about
a fifth of the hook's run; a named tuple class is a few times cheaper to create. Change one
with ``record._replace(field=value)``.

A :class:`Finding` holds the secret value in memory (the migration needs it) but never shows it:
``repr`` hides it and every report uses :attr:`Finding.redacted`.
"""

from __future__ import annotations

import enum
from typing import NamedTuple


class Confidence(str, enum.Enum):
    HIGH = "high"  # a provider-specific format, or validated structure
    MEDIUM = "medium"  # a generic assignment with an entropic value
    LOW = "low"  # weak evidence; reported only when asked

    def __str__(self) -> str:
        return self.value


class Status(str, enum.Enum):
    LIVE = "live"  # present in the working tree / at HEAD
    HISTORY_ONLY = "history-only"  # only in git history: rotate, can't rewrite

    def __str__(self) -> str:
        return self.value


class Span(NamedTuple):
    """A region of a file: 1-based lines, 1-based columns, end column exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int


class Binding(NamedTuple):
    """Where a Python string literal holding a secret is bound.

    kind is one of: ``assign`` (``NAME = '...'``, ``obj.attr = '...'``), ``class_attr``,
    ``subscript`` (``app.config['KEY'] = '...'``), ``dict_key`` (``{'password': '...'}``, nested
    keys joined with '.'), ``kwarg`` (``connect(password='...')``), ``default`` (a function
    parameter default), ``env_fallback`` (``os.environ.get('X', '...')``), ``positional`` (a
    positional call argument such as ``Auth.Token('...')``), ``tuple`` (an element of a tuple/list
    bound to a name).
    """

    kind: str
    name: str  # the secret-like name: variable, key, kwarg or env var
    target: str = ""  # the full dotted target: "DATABASES.default.PASSWORD", "app.config"
    scope: str = ""  # enclosing class/function qualname; "" at module level
    call: str = ""  # for kwarg/positional/env_fallback: the dotted callee
    literal: Span | None = None  # the exact span of the whole literal expression (quotes included)
    embedded: bool = False  # secret is part of a larger literal (URL password, f-string)


class Commit(NamedTuple):
    """The commit that introduced a finding in history."""

    sha: str
    author: str
    date: str  # ISO 8601
    refs: tuple[str, ...] = ()


class Location(NamedTuple):
    """Another place that carries the same secret (history scans)."""

    path: str
    commit: str = ""
    line: int = 0


class Finding(NamedTuple):
    rule_id: str
    description: str
    path: str  # posix, relative to the scanned root
    span: Span  # the secret value itself
    secret: str  # never in repr()
    fingerprint: str
    confidence: Confidence
    redacted: str
    line_text_hash: str = ""  # hash of the stripped line; for detect-secrets baselines
    binding: Binding | None = None
    group: str = ""  # findings that belong together (AWS key id + secret): same group id
    commit: Commit | None = None
    status: Status | None = None
    other_locations: tuple[Location, ...] = ()
    repo: str = ""  # ``scan --repos``: the repository it was found in ("" for one repository)

    @property
    def line(self) -> int:
        return self.span.line

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.span.line, self.span.column, self.rule_id)

    def __repr__(self) -> str:
        return _repr(self, "secret")


class Skipped(NamedTuple):
    """A file or object that was not scanned, and why (binary, too large, symlink, unreadable)."""

    path: str
    reason: str


class RepoSummary(NamedTuple):
    """One repository of a ``scan --repos`` run: what it held, or why it has no answer."""

    repo: str
    status: str  # scanned, unchanged (resumed from --state), failed, interrupted
    live: int = 0  # findings in the working tree / at HEAD
    history_only: int = 0  # findings only in git history
    seconds: float = 0.0
    error: str = ""
    revision: str = ""  # what was scanned (HEAD; with history, a digest of every ref)


class ScanResult(NamedTuple):
    findings: tuple[Finding, ...]
    skipped: tuple[Skipped, ...] = ()
    files_scanned: int = 0
    bytes_scanned: int = 0
    notes: tuple[str, ...] = ()  # e.g. "history truncated: shallow clone"
    errors: tuple[str, ...] = ()  # non-fatal errors (corrupt objects): exit 3 at the end
    suppressed: int = 0  # findings hidden by a baseline or inline marker
    repos: tuple[RepoSummary, ...] = ()  # ``scan --repos``: one row per repository


class RewriteStatus(str, enum.Enum):
    REWRITTEN = "rewritten"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"  # deliberately not rewritten (test file, unknown shape): needs a human
    FAILED = "failed"  # syntax error, unparsable, rewrite did not compile

    def __str__(self) -> str:
        return self.value


class Replacement(NamedTuple):
    """One secret occurrence to replace in source with a runtime fetch.

    ``json_key`` is the key inside a JSON secret, or ``None`` when the secret holds a plain string.
    """

    finding: Finding
    secret_name: str
    json_key: str | None = None


class RewriteOutcome(NamedTuple):
    """The result of rewriting one file: a value, never an exception."""

    path: str  # relative to the repository root
    status: RewriteStatus
    new_source: str = ""  # never in repr()
    diff: str = ""  # unified diff, with every secret value redacted (safe to show and store)
    reason: str = ""  # for skipped/failed: why, and what a human should do
    handled: tuple[str, ...] = ()  # fingerprints that this rewrite replaced
    needs_human: tuple[tuple[str, str], ...] = ()  # (fingerprint, instruction) left in place

    def __repr__(self) -> str:
        return _repr(self, "new_source")


def _repr(record: tuple[object, ...], hidden: str) -> str:
    """A record's repr without one field (a secret value, or source text holding one)."""
    fields: tuple[str, ...] = getattr(record, "_fields", ())
    shown = ", ".join(f"{k}={getattr(record, k)!r}" for k in fields if k != hidden)
    return f"{type(record).__name__}({shown})"


def as_dict(record: tuple[object, ...]) -> dict[str, object]:
    """A record as a dict, nested records too (what ``dataclasses.asdict`` gave)."""
    return {k: _plain(getattr(record, k)) for k in getattr(record, "_fields", ())}


def _plain(value: object) -> object:
    if isinstance(value, tuple):
        if hasattr(value, "_fields"):
            return as_dict(value)
        return tuple(_plain(v) for v in value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value
