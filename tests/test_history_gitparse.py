"""git output parsers: raw log records and -U0 hunk ranges."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from credmigrate.detect.detector import in_ranges
from credmigrate.sources.git.parse import (
    ADDED,
    COMMIT,
    GITLINK_MODE,
    SUBMODULE,
    CommitHeader,
    LogItem,
    RawChange,
    parse_added_lines,
    parse_log_blobs,
    parse_raw_log,
    split_nul,
)

A = "a" * 40
B = "b" * 40
Z = "0" * 40


def test_raw_log_with_rename_and_odd_path() -> None:
    data = (
        b"\x01" + b"c" * 40 + b"\0Ann <a@x>\0" + b"2024-01-01T00:00:00+00:00\0\n"
        b":100644 100644 " + A.encode() + b" " + B.encode() + b" R087\0old.py\0new\xff.py\0"
        b":000000 160000 " + Z.encode() + b" " + A.encode() + b" A\0vendor/lib\0"
    )
    items = list(parse_raw_log(split_nul([data[:7], data[7:50], data[50:]])))
    assert items[0] == CommitHeader("c" * 40, "Ann <a@x>", "2024-01-01T00:00:00+00:00")
    rename, sub = items[1], items[2]
    assert isinstance(rename, RawChange) and isinstance(sub, RawChange)
    assert (rename.path, rename.status, rename.old_blob, rename.new_blob) == (
        "new\ufffd.py",
        "R",
        A,
        B,
    )
    assert rename.adds_content
    assert sub.is_submodule and not sub.adds_content


def _reference(data: bytes) -> list[LogItem]:
    """What the history walk takes from parse_raw_log's records."""
    out: list[LogItem] = []
    for it in parse_raw_log(split_nul([data])):
        if isinstance(it, CommitHeader):
            out.append((COMMIT, it.sha, it.author, it.date))
        elif it.new_mode == GITLINK_MODE:
            out.append((SUBMODULE, it.path, ""))
        elif it.adds_content:
            out.append((ADDED, it.path, it.new_blob))
    return out


_RECORDS = [
    b"\x01" + b"c" * 40 + b"\0Ann <a@x>\0" + b"2024-01-01T00:00:00+00:00\0\n",
    b":100644 100644 " + A.encode() + b" " + B.encode() + b" M\0src/app.py\0",
    b":100644 100644 " + A.encode() + b" " + B.encode() + b" R087\0old.py\0new\xff.py\0",
    b":000000 160000 " + Z.encode() + b" " + A.encode() + b" A\0vendor/lib\0",
    b":100644 000000 " + A.encode() + b" " + Z.encode() + b" D\0gone.txt\0",
    b":000000 120000 " + Z.encode() + b" " + B.encode() + b" A\0link\0",
    b"\x01" + b"d" * 40 + b"\0Bob\0" + b"2024-01-02T00:00:00+00:00\0\n",
]


@given(
    st.lists(st.sampled_from(_RECORDS), max_size=12),
    st.lists(st.integers(min_value=1, max_value=60), min_size=1, max_size=30),
)
def test_log_blobs_read_the_log_as_the_record_parser_does(
    records: list[bytes], cuts: list[int]
) -> None:
    data = b"".join(records)
    chunks, pos = [], 0
    for n in cuts * (len(data) // max(1, sum(cuts)) + 1):
        chunks.append(data[pos : pos + n])
        pos += n
    chunks.append(data[pos:])
    assert list(parse_log_blobs(chunks)) == _reference(data)


def test_added_lines_skip_hunk_bodies_that_look_like_headers() -> None:
    patch = (
        b"diff --git a/x b/x\nindex 1..2 100644\n--- a/x\n+++ b/x\n"
        b"@@ -1,2 +1,3 @@\n-old\n-@@ -9 +9 @@\n+new\n+diff --git a/y b/y\n+@@ -5 +5 @@\n"
        b"@@ -10,0 +12 @@ ctx\n+tail\n\\ No newline at end of file\n"
        b"diff --git a/z b/z\nBinary files a/z and b/z differ\n"
    )
    assert parse_added_lines(patch) == [[(1, 3), (12, 12)], []]


@given(
    st.lists(st.tuples(st.integers(1, 1000), st.integers(0, 20)), max_size=10), st.integers(1, 1100)
)
def test_in_ranges_matches_a_set(spans: list[tuple[int, int]], line: int) -> None:
    ranges = [(a, a + n) for a, n in spans]
    covered = {x for a, b in ranges for x in range(a, b + 1)}
    assert in_ranges(line, line, ranges) == (line in covered)
