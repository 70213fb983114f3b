"""``scan --staged``: index content, added lines only."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from credmigrate.config import Config
from credmigrate.sources.staged import scan_staged
from tests.conftest import Repo
from tests.gitscan_helpers import env_line, run_cli, token


def _secrets(repo: Repo, paths: list[str] | None = None) -> list[str]:
    return [f.secret for f in scan_staged(repo.path, Config(), paths).findings]


def test_staged_new_file_blocks(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.write("a.txt", "a\n")
    repo.commit("init")
    repo.write("deploy.env", env_line(30))
    repo.git("add", "deploy.env")
    assert _secrets(repo) == [token(30)]
    code, out, err = run_cli(["scan", "--staged"], capsys, cwd=repo.path)
    assert code == 1
    assert "deploy.env:1" in out and token(30) not in out + err
    assert (
        "credmigrate:allow" in err and "credmigrate migrate" in err and "--update-baseline" in err
    )


def test_before_the_first_commit(repo: Repo) -> None:
    repo.write("deploy.env", env_line(31))
    repo.git("add", "deploy.env")
    assert _secrets(repo) == [token(31)]


def test_only_added_lines_count(repo: Repo) -> None:
    repo.write("cfg.env", env_line(32))
    repo.commit("an old secret, already committed")
    repo.write("cfg.env", env_line(32) + "DEBUG=1\n")
    repo.git("add", "cfg.env")
    assert _secrets(repo) == []
    repo.write("cfg.env", env_line(32) + "DEBUG=1\n" + env_line(33, "OTHER_TOKEN"))
    repo.git("add", "cfg.env")
    assert _secrets(repo) == [token(33)]


def test_index_content_not_worktree(repo: Repo) -> None:
    repo.write("a.env", "A=1\n")
    repo.commit("init")
    repo.write("a.env", "A=2\n")
    repo.git("add", "a.env")
    repo.write("a.env", env_line(34))  # unstaged: not part of the commit
    assert _secrets(repo) == []
    repo.write("b.env", env_line(35))
    repo.git("add", "b.env")
    repo.write("b.env", "cleaned in the tree but not in the index\n")
    assert _secrets(repo) == [token(35)]


def test_allow_marker_and_config_baseline(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.write("a.txt", "a\n")
    repo.commit("init")
    repo.write("allowed.env", env_line(36).rstrip("\n") + "  # credmigrate:allow\n")
    repo.git("add", "allowed.env")
    assert run_cli(["scan", "--staged"], capsys, cwd=repo.path)[0] == 0
    repo.write("known.env", env_line(37))
    repo.git("add", "known.env")
    assert run_cli(["scan", "--staged"], capsys, cwd=repo.path)[0] == 1
    code, _o, _e = run_cli(
        ["scan", "--staged", "--update-baseline", ".credmigrate-baseline.json"],
        capsys,
        cwd=repo.path,
    )
    assert code == 0
    assert token(37) not in (repo.path / ".credmigrate-baseline.json").read_text()
    repo.write("pyproject.toml", '[tool.credmigrate]\nbaseline = ".credmigrate-baseline.json"\n')
    assert run_cli(["scan", "--staged"], capsys, cwd=repo.path)[0] == 0


def test_named_files_only(repo: Repo) -> None:
    repo.write("a.txt", "a\n")
    repo.commit("init")
    repo.write("one.env", env_line(38))
    repo.write("two.env", env_line(39))
    repo.git("add", "-A")
    assert _secrets(repo, [str(repo.path / "two.env")]) == [token(39)]


def test_named_unchanged_file_is_scanned_whole(repo: Repo) -> None:
    repo.write("old.env", env_line(40))
    repo.commit("committed earlier")
    # pre-commit run --all-files passes every tracked file; none has a staged change
    assert _secrets(repo, [str(repo.path / "old.env")]) == [token(40)]
    assert _secrets(repo) == []


def test_json_output_for_staged(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.write("x.env", env_line(41))
    repo.git("add", "x.env")
    code, out, _err = run_cli(["scan", "--staged", "--format", "json"], capsys, cwd=repo.path)
    assert code == 1
    assert [f["path"] for f in json.loads(out)["findings"]] == ["x.env"]


def test_hook_path_imports_no_store_codemod_template_or_bar_library(repo: Repo) -> None:
    repo.write("clean.py", "x = 1\n")
    repo.git("add", "clean.py")
    code = (
        "import sys\n"
        "from credmigrate.cli.main import main\n"
        "rc = main(['scan', '--staged', 'clean.py'])\n"
        "assert rc == 0, rc\n"
        "heavy = ('boto3', 'botocore', 'libcst', 'jinja2', 'markupsafe', 'rich', 'dask', 'distributed')\n"
        "bad = [m for m in heavy if m in sys.modules]\n"
        "assert not bad, bad\n"
        "print('ok')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=repo.path, capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().endswith("ok")


def test_bare_repository_is_refused(repo: Repo, tmp_path: Path) -> None:
    from credmigrate.errors import GitError

    repo.write("a.txt", "a\n")
    repo.commit("init")
    bare = tmp_path / "b.git"
    repo.git("clone", "-q", "--bare", str(repo.path), str(bare))
    with pytest.raises(GitError, match="work tree"):
        scan_staged(bare, Config())


def test_renamed_file_with_an_old_secret_does_not_block(repo: Repo) -> None:
    repo.write("old_name.env", env_line(42) + "A=1\n")
    repo.commit("legacy")
    repo.git("mv", "old_name.env", "new_name.env")
    assert _secrets(repo, [str(repo.path / "new_name.env")]) == []
    repo.write("new_name.env", env_line(42) + "A=1\n" + env_line(43, "NEW_TOKEN"))
    repo.git("add", "new_name.env")
    assert _secrets(repo, [str(repo.path / "new_name.env")]) == [token(43)]
