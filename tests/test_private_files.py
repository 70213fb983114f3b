"""The filter-repo expressions file (secret values) and ``.credmigrate/``: planted traps.

Each test plants what an attacker sharing the machine could (a symlink where the file will be
written, a directory owned by someone else, a world-writable folder) and asserts that nothing
is written through it. The suite runs as root in CI containers; ownership traps use another
uid via chown, which needs root, and skip without it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from credmigrate import atomic
from credmigrate.errors import BadInputError
from credmigrate.migrate.report import write_purge_file

NOBODY = 65534
needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="chown to another uid needs root")
VALUES = ["s3cr3t-value-number-one", "another-secret-value-2"]


def _private(tmp_path: Path) -> Path:
    d = tmp_path / "state"
    d.mkdir(mode=0o700)
    return d


def test_expressions_file_is_created_0600_exclusively(tmp_path: Path) -> None:
    out = write_purge_file(tmp_path / "repo", "repo", VALUES, _private(tmp_path))
    assert out is not None
    st = os.lstat(out)
    assert stat.S_ISREG(st.st_mode) and st.st_mode & 0o777 == 0o600
    assert "literal:s3cr3t-value-number-one==>" in out.read_text()


def test_umask_does_not_widen_the_mode(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        out = write_purge_file(tmp_path / "repo", "repo", VALUES, tmp_path / "fresh")
    finally:
        os.umask(old)
    assert out is not None and out.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "fresh").stat().st_mode & 0o777 == 0o700


def test_planted_symlink_at_the_file_name_is_not_written_through(tmp_path: Path) -> None:
    d = _private(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("untouched\n")
    (d / "repo-replace-text.txt").symlink_to(victim)
    out = write_purge_file(tmp_path / "repo", "repo", VALUES, d)
    assert out is not None and out.name != "repo-replace-text.txt"
    assert victim.read_text() == "untouched\n"
    assert (d / "repo-replace-text.txt").is_symlink()
    assert os.lstat(out).st_mode & 0o777 == 0o600


def test_dangling_symlink_is_not_followed_to_create_a_file(tmp_path: Path) -> None:
    d = _private(tmp_path)
    target = tmp_path / "attacker-reads-this.txt"
    (d / "repo-replace-text.txt").symlink_to(target)
    out = write_purge_file(tmp_path / "repo", "repo", VALUES, d)
    assert out is not None
    assert not target.exists()


def test_previous_run_own_file_is_replaced_in_place(tmp_path: Path) -> None:
    d = _private(tmp_path)
    first = write_purge_file(tmp_path / "repo", "repo", VALUES[:1], d)
    second = write_purge_file(tmp_path / "repo", "repo", VALUES, d)
    assert first == second and second is not None
    assert "another-secret-value-2" in second.read_text()


@needs_root
def test_file_planted_by_another_user_is_left_alone(tmp_path: Path) -> None:
    d = _private(tmp_path)
    planted = d / "repo-replace-text.txt"
    planted.write_text("theirs\n")
    os.chown(planted, NOBODY, NOBODY)
    planted.chmod(0o644)
    out = write_purge_file(tmp_path / "repo", "repo", VALUES, d)
    assert out is not None and out != planted
    assert planted.read_text() == "theirs\n"


def test_hard_link_to_another_file_is_not_written_through(tmp_path: Path) -> None:
    d = _private(tmp_path)
    victim = d / "victim"
    victim.write_text("untouched\n")
    victim.chmod(0o600)
    os.link(victim, d / "repo-replace-text.txt")
    out = write_purge_file(tmp_path / "repo", "repo", VALUES, d)
    assert out is not None and out.name != "repo-replace-text.txt"
    assert victim.read_text() == "untouched\n"


def test_world_writable_directory_is_refused(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)  # like /tmp
    with pytest.raises(BadInputError, match="world-writable"):
        write_purge_file(tmp_path / "repo", "repo", VALUES, shared)
    assert list(shared.iterdir()) == []


def test_symlinked_directory_is_refused(tmp_path: Path) -> None:
    real = _private(tmp_path)
    link = tmp_path / "link"
    link.symlink_to(real)
    with pytest.raises(BadInputError, match="symlink"):
        write_purge_file(tmp_path / "repo", "repo", VALUES, link)
    assert list(real.iterdir()) == []


@needs_root
def test_directory_owned_by_another_user_is_refused(tmp_path: Path) -> None:
    theirs = _private(tmp_path)
    os.chown(theirs, NOBODY, NOBODY)
    with pytest.raises(BadInputError, match="belongs to uid"):
        write_purge_file(tmp_path / "repo", "repo", VALUES, theirs)
    assert list(theirs.iterdir()) == []


def test_state_dir_symlink_is_refused(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (repo / ".credmigrate").symlink_to(elsewhere)
    with pytest.raises(BadInputError, match="symlink"):
        atomic.private_dir(repo / ".credmigrate", what="state directory")
    assert list(elsewhere.iterdir()) == []


@needs_root
def test_state_dir_owned_by_another_user_is_refused(tmp_path: Path) -> None:
    state = tmp_path / ".credmigrate"
    state.mkdir()
    os.chown(state, NOBODY, NOBODY)
    with pytest.raises(BadInputError, match="belongs to uid 65534"):
        atomic.private_dir(state, what="state directory")
