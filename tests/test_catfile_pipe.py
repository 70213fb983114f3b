"""The blob reader lets git run ahead: its cat-file pipe holds 1 MiB, not the default 64 KiB."""

from __future__ import annotations

import fcntl

import pytest

from credmigrate.sources.git.repo import open_repo
from tests.conftest import Repo


@pytest.mark.skipif(not hasattr(fcntl, "F_GETPIPE_SZ"), reason="Linux pipes only")
def test_cat_file_pipe_is_widened(repo: Repo) -> None:
    repo.write("a.txt", "x" * 300_000)
    repo.commit("one blob")
    sha = repo.git("rev-parse", "HEAD:a.txt").strip()
    reader = open_repo(repo.path).blob_reader(10_000_000)
    try:
        blobs = list(reader.read([sha] * 40))  # more than a one-shot run: the long-lived git
        assert all(b.data == b"x" * 300_000 for b in blobs)
        proc = reader._proc
        assert proc is not None and proc.stdout is not None
        size = fcntl.fcntl(proc.stdout.fileno(), fcntl.F_GETPIPE_SZ)
        assert size >= 1 << 20
    finally:
        reader.close()
