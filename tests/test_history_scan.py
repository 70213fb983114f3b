"""History scanning on real git repositories built in tmp_path."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from credmigrate.config import Config
from credmigrate.findings.model import Status
from credmigrate.sources.history import scan_history
from credmigrate.sources.worktree import scan_worktree
from tests.conftest import Repo, git
from tests.gitscan_helpers import by_secret, env_line, history, token


def test_added_then_removed_is_history_only(repo: Repo) -> None:
    repo.write("app/settings.env", env_line(1))
    sha = repo.commit("add token")
    repo.write("app/settings.env", "GITHUB_TOKEN=\n")
    repo.commit("remove token")
    [f] = by_secret(history(repo.path), token(1))
    assert f.status is Status.HISTORY_ONLY
    assert f.path == "app/settings.env"
    assert f.commit is not None and f.commit.sha == sha
    assert f.commit.author == "Test Author <author@example.invalid>"
    assert f.commit.date[:4].isdigit() and "T" in f.commit.date
    assert f.commit.refs == ("main~1",)


def test_still_present_is_live_with_the_worktree_fingerprint(repo: Repo) -> None:
    repo.write("cfg.env", env_line(2))
    repo.commit("add")
    repo.write("cfg.env", "# comment\n" + env_line(2))
    repo.commit("edit around it")
    [f] = by_secret(history(repo.path), token(2))
    assert f.status is Status.LIVE
    tree = scan_worktree([repo.path], Config())
    assert [t.fingerprint for t in tree.findings if t.secret == token(2)] == [f.fingerprint]
    # the second blob (edited file) is another location of the same secret, at line 2
    assert [(loc.path, loc.line) for loc in f.other_locations] == [("cfg.env", 2)]


def test_only_on_a_non_default_branch(repo: Repo) -> None:
    repo.write("README.md", "hello\n")
    repo.commit("init")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("deploy.env", env_line(3))
    repo.commit("secret on a branch")
    repo.git("checkout", "-q", "main")
    [f] = by_secret(history(repo.path), token(3))
    assert f.status is Status.HISTORY_ONLY  # not in HEAD (main)
    assert f.commit is not None and f.commit.refs == ("feature",)
    assert by_secret(history(repo.path, refs=["main"]), token(3)) == []
    assert len(by_secret(history(repo.path, refs=["feature"]), token(3))) == 1


def test_only_in_a_tag(repo: Repo) -> None:
    repo.write("README.md", "hello\n")
    repo.commit("init")
    repo.git("checkout", "-q", "-b", "release")
    repo.write("release.env", env_line(4))
    repo.commit("release with a secret")
    repo.git("tag", "-a", "-m", "v1", "v1.0")
    repo.git("checkout", "-q", "main")
    repo.git("branch", "-q", "-D", "release")
    [f] = by_secret(history(repo.path), token(4))
    assert f.commit is not None and f.commit.refs == ("tags/v1.0^0",)


def test_renamed_file_keeps_both_paths_and_tree_fingerprint(repo: Repo) -> None:
    repo.write("old/name.env", env_line(5))
    first = repo.commit("add")
    (repo.path / "new").mkdir()
    repo.git("mv", "old/name.env", "new/name.env")
    second = repo.commit("rename")
    found = by_secret(history(repo.path), token(5))
    assert {(f.path, f.commit.sha if f.commit else "") for f in found} == {
        ("old/name.env", first),
        ("new/name.env", second),
    }
    assert all(f.status is Status.LIVE for f in found)
    new = next(f for f in found if f.path == "new/name.env")
    assert [loc.path for loc in new.other_locations] == ["old/name.env"]
    tree = scan_worktree([repo.path], Config())
    assert new.fingerprint in {t.fingerprint for t in tree.findings}


def test_secret_from_a_merged_branch_is_dated_to_its_own_commit(repo: Repo) -> None:
    repo.write("a.txt", "a\n")
    repo.commit("init")
    repo.git("checkout", "-q", "-b", "side")
    repo.write("side.env", env_line(6))
    side = repo.commit("side secret")
    repo.git("checkout", "-q", "main")
    repo.write("b.txt", "b\n")
    repo.commit("main work")
    repo.git("merge", "-q", "--no-ff", "-m", "merge side", "side")
    [f] = by_secret(history(repo.path), token(6))
    assert f.commit is not None and f.commit.sha == side
    assert f.status is Status.LIVE


def test_secret_introduced_by_a_merge_resolution(repo: Repo) -> None:
    repo.write("conf.env", "X=base\n")
    repo.commit("init")
    repo.git("checkout", "-q", "-b", "side")
    repo.write("conf.env", "X=side\n")
    repo.commit("side")
    repo.git("checkout", "-q", "main")
    repo.write("conf.env", "X=main\n")
    repo.commit("main")
    with pytest.raises(subprocess.CalledProcessError):  # a conflict, resolved by hand below
        repo.git("merge", "-q", "side")
    repo.write("conf.env", env_line(7))
    repo.git("add", "conf.env")
    repo.git("commit", "-q", "--no-edit")
    merge = repo.git("rev-parse", "HEAD").strip()
    [f] = by_secret(history(repo.path), token(7))
    assert f.commit is not None and f.commit.sha == merge


def test_same_blob_in_many_commits_reported_once_with_all_locations(repo: Repo) -> None:
    content = env_line(8)
    repo.write("one.env", content)
    c1 = repo.commit("one")
    for i in range(5):
        repo.write("unrelated.txt", f"{i}\n")
        repo.commit(f"unrelated {i}")
    repo.write("two.env", content)  # the same blob at a second path
    c2 = repo.commit("copy")
    repo.git("rm", "-q", "one.env")
    repo.commit("drop one")
    repo.write("one.env", content)  # and back again
    c3 = repo.commit("restore")
    found = by_secret(history(repo.path), token(8))
    assert sorted(f.path for f in found) == ["one.env", "two.env"]
    one = next(f for f in found if f.path == "one.env")
    assert one.commit is not None and one.commit.sha == c1
    assert {(loc.path, loc.commit) for loc in one.other_locations} == {
        ("two.env", c2),
        ("one.env", c3),
    }


def test_stash_and_unreachable_objects_are_not_scanned(repo: Repo) -> None:
    repo.write("clean.txt", "clean\n")
    repo.commit("init")
    repo.write("clean.txt", env_line(9))
    repo.git("stash", "-q")
    repo.write("lost.env", env_line(10))
    repo.commit("to be dropped")
    repo.git("reset", "-q", "--hard", "HEAD~1")
    dangling = repo.path / "dangling.env"
    dangling.write_text(env_line(11))
    repo.git("hash-object", "-w", str(dangling))
    dangling.unlink()
    result = scan_history(repo.path, Config(), jobs=1)
    secrets = {f.secret for f in result.findings}
    assert not secrets & {token(9), token(10), token(11)}
    assert any("stash" in n for n in result.notes)


def test_shallow_clone_scans_what_is_there(repo: Repo, tmp_path: Path) -> None:
    repo.write("old.env", env_line(12))
    repo.commit("old secret")
    repo.write("old.env", "gone\n")
    repo.commit("removed")
    repo.write("new.env", env_line(13))
    repo.commit("new secret")
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo.path}", str(clone))
    result = scan_history(clone, Config(), jobs=1)
    secrets = {f.secret for f in result.findings}
    assert token(13) in secrets and token(12) not in secrets
    assert any("history truncated: shallow clone" in n for n in result.notes)
    assert result.errors == ()


def test_bare_repository(repo: Repo, tmp_path: Path) -> None:
    repo.write("x.env", env_line(14))
    repo.commit("add")
    bare = tmp_path / "bare.git"
    git(tmp_path, "clone", "-q", "--bare", str(repo.path), str(bare))
    [f] = by_secret(history(bare), token(14))
    assert f.status is Status.LIVE


def test_empty_repository(repo: Repo) -> None:
    result = scan_history(repo.path, Config(), jobs=1)
    assert result.findings == () and result.errors == ()
    assert any("empty repository" in n for n in result.notes)


def test_detached_head(repo: Repo) -> None:
    repo.write("a.txt", "a\n")
    repo.commit("init")
    repo.git("checkout", "-q", "--detach")
    repo.write("d.env", env_line(15))
    sha = repo.commit("on a detached head")
    result = scan_history(repo.path, Config(), jobs=1)
    [f] = by_secret(result.findings, token(15))
    assert f.commit is not None and f.commit.sha == sha and f.status is Status.LIVE
    assert any("detached" in n for n in result.notes)


def test_parallel_matches_serial(repo: Repo) -> None:
    for i in range(40):
        repo.write(f"f{i % 7}.env", env_line(100 + i))
        repo.write(f"m{i % 5}.py", f"TOKEN = '{token(100 + i % 3)}'\nX = {i}\n")
        repo.commit(f"c{i}")
    serial = history(repo.path, jobs=1)
    parallel = history(repo.path, jobs=2)
    assert len(serial) == 40 + 5 * 3
    # workers own paths, so even what the line gate skips is the same: identical results
    assert serial == parallel
    assert [f.other_locations for f in serial] == [f.other_locations for f in parallel]


def test_unknown_branch_is_a_git_error(repo: Repo) -> None:
    from credmigrate.errors import GitError

    repo.write("a.txt", "a\n")
    repo.commit("init")
    with pytest.raises(GitError, match="unknown revision"):
        scan_history(repo.path, Config(), refs=["nope"], jobs=1)


def test_not_a_repository(tmp_path: Path) -> None:
    from credmigrate.errors import GitError

    with pytest.raises(GitError, match="not a git repository"):
        scan_history(tmp_path, Config(), jobs=1)
