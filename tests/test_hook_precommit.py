"""The pre-commit hook, run by the real ``pre-commit`` framework (``pre-commit try-repo``).

pre-commit installs credmigrate from a git repository into its own virtualenv, so the project as
it is on disk (committed or not) is snapshotted into a temporary git repository first. Building
that environment takes a while (pip installs the dependencies), so it is shared by the module.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from credmigrate.cli.main import main
from tests.conftest import GIT_ENV, Repo, git
from tests.gitscan_helpers import env_line, token

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def hooks_repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """(a git snapshot of this project, a PRE_COMMIT_HOME shared by the module's tests)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    base = tmp_path_factory.mktemp("hook")
    snap = base / "credmigrate"
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    for raw in listed.split(b"\0"):
        rel = os.fsdecode(raw)
        src = ROOT / rel
        if not raw or not src.is_file():
            continue
        dst = snap / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)
    assert (snap / ".pre-commit-hooks.yaml").is_file()
    git(snap, "init", "-q", "-b", "main")
    git(snap, "add", "-A")
    git(snap, "commit", "-q", "-m", "snapshot")
    yield snap, base / "pre-commit-home"


@pytest.fixture
def target(hooks_repo: tuple[Path, Path]) -> Repo:
    """A repository whose committed .pre-commit-config.yaml uses the snapshot's hook.

    ``pre-commit try-repo`` installs a fresh environment on every call (about 50 s here), so only
    one test uses it; the others go through ``pre-commit run`` and ``git commit`` with this
    config, which install the environment once into the module's PRE_COMMIT_HOME.
    """
    snap, _home = hooks_repo
    path = snap.parent / "target"
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir()
    git(path, "init", "-q", "-b", "main")
    repo = Repo(path)
    rev = git(snap, "rev-parse", "HEAD").strip()
    repo.write(
        ".pre-commit-config.yaml",
        f"repos:\n  - repo: {snap}\n    rev: {rev}\n    hooks:\n      - id: credmigrate\n",
    )
    repo.write("README.md", "target project\n")
    repo.commit("init")
    return repo


def _env(hooks: tuple[Path, Path]) -> dict[str, str]:
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(hooks[1]), "PRE_COMMIT_COLOR": "never"}
    env.pop("CI", None)
    return env


def _pre_commit(
    hooks: tuple[Path, Path], target: Repo, *args: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=target.path,
        env=_env(hooks),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def test_try_repo_blocks_a_staged_secret(hooks_repo: tuple[Path, Path], target: Repo) -> None:
    target.write("deploy.env", env_line(60))
    target.git("add", "deploy.env")
    out = _pre_commit(
        hooks_repo, target, "try-repo", str(hooks_repo[0]), "credmigrate", "--files", "deploy.env"
    )
    assert out.returncode == 1, out.stdout + out.stderr
    text = out.stdout + out.stderr
    assert "Failed" in text
    assert "deploy.env:1" in text and "github" in text
    assert token(60) not in text
    assert "credmigrate:allow" in text and "credmigrate migrate" in text


def test_git_commit_blocked_then_clean_commit_passes(
    hooks_repo: tuple[Path, Path], target: Repo
) -> None:
    assert _pre_commit(hooks_repo, target, "install").returncode == 0
    target.write("app.env", env_line(63))
    target.git("add", "app.env")
    env = _env(hooks_repo)
    blocked = subprocess.run(
        ["git", "commit", "-m", "leak"],
        cwd=target.path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert blocked.returncode != 0
    assert "app.env:1" in blocked.stdout + blocked.stderr
    assert target.git("log", "--format=%s", "-1").strip() == "init"
    target.git("rm", "-q", "--cached", "app.env")
    (target.path / "app.env").unlink()
    target.write("app.py", "print('hello')\n")
    target.git("add", "app.py")
    ok = subprocess.run(
        ["git", "commit", "-m", "clean"],
        cwd=target.path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "Passed" in ok.stdout + ok.stderr


def test_allowed_finding_passes(hooks_repo: tuple[Path, Path], target: Repo) -> None:
    target.write("fixture.env", env_line(61).rstrip("\n") + "  # credmigrate:allow\n")
    target.git("add", "fixture.env")
    out = _pre_commit(hooks_repo, target, "run", "--files", "fixture.env")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Passed" in out.stdout


def test_baselined_finding_passes(
    hooks_repo: tuple[Path, Path], target: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    target.write("known.env", env_line(62))
    target.git("add", "known.env")
    assert _pre_commit(hooks_repo, target, "run", "--files", "known.env").returncode == 1
    old = Path.cwd()
    os.chdir(target.path)
    try:
        assert main(["scan", "--staged", "--update-baseline", ".credmigrate-baseline.json"]) == 0
    finally:
        os.chdir(old)
    capsys.readouterr()
    target.write(".credmigrate.toml", 'baseline = ".credmigrate-baseline.json"\n')
    target.git("add", ".credmigrate.toml", ".credmigrate-baseline.json")
    out = _pre_commit(hooks_repo, target, "run", "--files", "known.env")
    assert out.returncode == 0, out.stdout + out.stderr
