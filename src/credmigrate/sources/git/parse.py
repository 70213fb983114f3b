"""Parsers for git's machine-readable output (``--raw -z``, ``-U0`` patches).

Pure functions over bytes, no process handling: :mod:`credmigrate.sources.git.repo` runs git and feeds
these. Paths are decoded with replacement so a non-UTF-8 name never stops a scan.
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterable, Iterator
from typing import NamedTuple

NULL_SHA = "0" * 40
COMMIT_MARK = b"\x01"
GITLINK_MODE = "160000"
SYMLINK_MODE = "120000"


class CommitHeader(NamedTuple):
    """A commit of ``git log``: its id, author and ISO date. Tuples here and below: a class
    made by @dataclass costs ~0.7 ms of start-up each (it execs generated source), a
    NamedTuple almost nothing, and the pre-commit hook imports these modules."""

    sha: str
    author: str
    date: str


class RawChange(NamedTuple):
    """One ``--raw`` entry: a path whose blob changed in a commit (or in the index)."""

    old_mode: str
    new_mode: str
    old_blob: str
    new_blob: str
    status: str
    path: str

    @property
    def is_submodule(self) -> bool:
        return GITLINK_MODE in (self.new_mode, self.old_mode)

    @property
    def adds_content(self) -> bool:
        """True when the new side is a regular file blob (not deleted, symlink or submodule)."""
        return (
            self.new_blob != NULL_SHA
            and self.status != "D"
            and self.new_mode not in (GITLINK_MODE, SYMLINK_MODE)
        )


def decode_path(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


def split_nul(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Split a stream of byte chunks on NUL, yielding each token (empty ones included)."""
    rest = b""
    for chunk in chunks:
        if not chunk:
            continue
        data = rest + chunk
        parts = data.split(b"\0")
        rest = parts.pop()
        yield from parts
    if rest:
        yield rest


def parse_raw_log(tokens: Iterable[bytes]) -> Iterator[CommitHeader | RawChange]:
    """Parse ``git log --raw -z --no-abbrev --format=%x01%H%x00%an <%ae>%x00%aI``.

    Yields a :class:`CommitHeader` followed by that commit's :class:`RawChange` entries.
    """
    it = iter(tokens)
    for tok in it:
        tok = tok.lstrip(b"\n")
        if not tok:
            continue
        if tok.startswith(COMMIT_MARK):
            sha = tok[1:].decode("ascii", "replace")
            author = next(it, b"").decode("utf-8", "replace")
            date = next(it, b"").decode("ascii", "replace").strip()
            yield CommitHeader(sha, author, date)
        elif tok.startswith(b":"):
            path = next(it, b"")
            if tok.rstrip().split(b" ")[-1][:1] in (b"R", b"C"):  # rename/copy: old, new path
                path = next(it, b"")
            change = _raw_entry(tok, path)
            if change is not None:
                yield change


# What parse_log_blobs yields: (COMMIT, sha, author, date), (ADDED, path, blob) for a regular
# file blob a commit brings, (SUBMODULE, path, "") for a gitlink; nothing for deletions/symlinks.
COMMIT, ADDED, SUBMODULE = 0, 1, 2
LogItem = tuple[int, str, str, str] | tuple[int, str, str]
_GITLINK_B = GITLINK_MODE.encode()
_SYMLINK_B = SYMLINK_MODE.encode()
_NULL_B = NULL_SHA.encode()


def parse_log_blobs(chunks: Iterable[bytes]) -> Iterator[LogItem]:
    """:func:`parse_raw_log` for the history walk, as plain tuples and a chunk at a time.

    The same reading of the same output (its tests compare the two), without a dataclass per
    entry or a generator step per token: the walk of a large history spends most of its
    parsing time there.
    """
    rest = b""
    carry: list[bytes] = []
    for chunk in chunks:
        if not chunk:
            continue
        parts = (rest + chunk).split(b"\0")
        rest = parts.pop()
        toks = carry + parts if carry else parts
        i = yield from _parse_tokens(toks, final=False)
        carry = toks[i:]
    toks = [*carry, rest] if rest else carry
    yield from _parse_tokens(toks, final=True)


def _parse_tokens(toks: list[bytes], final: bool) -> Generator[LogItem, None, int]:
    """Parse complete records of ``toks``; return where an incomplete one starts."""
    i, n = 0, len(toks)
    while i < n:
        tok = toks[i]
        if tok[:1] == b"\n":
            tok = tok.lstrip(b"\n")
        if not tok:
            i += 1
            continue
        lead = tok[:1]
        if lead == COMMIT_MARK:
            if i + 2 >= n and not final:
                return i
            author = toks[i + 1] if i + 1 < n else b""
            date = toks[i + 2] if i + 2 < n else b""
            yield (
                COMMIT,
                tok[1:].decode("ascii", "replace"),
                author.decode("utf-8", "replace"),
                date.decode("ascii", "replace").strip(),
            )
            i += 3
        elif lead == b":":
            skip = 2 if tok.rstrip().split(b" ")[-1][:1] in (b"R", b"C") else 1
            if i + skip >= n and not final:
                return i
            path = toks[i + skip] if i + skip < n else b""
            i += skip + 1
            fields = tok[1:].split(b" ")
            if len(fields) < 5:
                continue
            new_mode, new_blob, status = fields[1], fields[3], fields[4][:1]
            if new_mode == _GITLINK_B:
                yield (SUBMODULE, decode_path(path), "")
            elif new_blob != _NULL_B and status != b"D" and new_mode != _SYMLINK_B:
                yield (ADDED, decode_path(path), new_blob.decode("ascii", "replace"))
        else:
            i += 1
    return n


def _raw_entry(meta: bytes, path: bytes) -> RawChange | None:
    fields = meta[1:].split(b" ")
    if len(fields) < 5:
        return None
    old_mode, new_mode, old_blob, new_blob, status = (
        f.decode("ascii", "replace") for f in fields[:5]
    )
    return RawChange(old_mode, new_mode, old_blob, new_blob, status[:1], decode_path(path))


def parse_raw_entries(data: bytes) -> list[RawChange]:
    """Parse the ``--raw -z`` part of a ``git diff`` output (no commit headers)."""
    return [c for c in parse_raw_log(data.split(b"\0")) if isinstance(c, RawChange)]


_HUNK = re.compile(rb"^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


def parse_added_lines(patch: bytes) -> list[list[tuple[int, int]]]:
    """For a ``-U0`` patch, the added line ranges (first, last; 1-based) of each file section.

    Sections are returned in output order, one per ``diff --git`` header, so they line up with
    the ``--raw`` entries of the same command. Hunk bodies are skipped by count, never parsed, so
    file content can't be mistaken for a header.
    """
    sections: list[list[tuple[int, int]]] = []
    lines = patch.split(b"\n")
    i = 0
    n = len(lines)
    while i < n:
        line = lines[i]
        i += 1
        if line.startswith(b"diff --git ") or line.startswith(b"diff --cc "):
            sections.append([])
            continue
        m = _HUNK.match(line)
        if m is None or not sections:
            continue
        old_count = 1 if m.group(1) is None else int(m.group(1))
        start = int(m.group(2))
        new_count = 1 if m.group(3) is None else int(m.group(3))
        if new_count:
            sections[-1].append((start, start + new_count - 1))
        body = old_count + new_count
        while body and i < n:
            if not lines[i].startswith(b"\\"):
                body -= 1
            i += 1
    return sections
