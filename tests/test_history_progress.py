"""The history progress line: on a TTY only, never under CI."""

from __future__ import annotations

import io

import pytest

from credmigrate.config import Config
from credmigrate.sources.history import scan_history
from tests.conftest import Repo
from tests.gitscan_helpers import env_line


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def _repo_with_history(repo: Repo) -> None:
    for i in range(3):
        repo.write(f"f{i}.env", env_line(70 + i))
        repo.commit(f"c{i}")


@pytest.mark.parametrize(
    ("ci", "tty", "enabled", "shown"),
    [
        (False, True, True, True),
        (True, True, True, False),
        (False, False, True, False),
        (False, True, False, False),
    ],
)
def test_progress_line(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, ci: bool, tty: bool, enabled: bool, shown: bool
) -> None:
    _repo_with_history(repo)
    if ci:
        monkeypatch.setenv("CI", "true")
    err = _Tty() if tty else io.StringIO()
    monkeypatch.setattr("sys.stderr", err)
    result = scan_history(repo.path, Config(), jobs=1, progress=enabled)
    assert len(result.findings) == 3
    text = err.getvalue()
    if shown:
        assert "\rcredmigrate: history: 3 commits, 3/3 blobs scanned" in text
    else:
        assert text == ""
