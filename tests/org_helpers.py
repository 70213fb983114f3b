"""Generated repositories with planted fake secrets, for the ``scan --repos`` tests."""

from __future__ import annotations

from pathlib import Path

from credmigrate.findings.model import Finding
from tests import fakes
from tests.conftest import git

Key = tuple[str, str, str]  # (repo, fingerprint, status)


def make_repo(root: Path, name: str, seed: int, *, commits: int = 4) -> Path:
    """A repository whose history holds secrets that HEAD no longer has, and some that it does."""
    path = root / name
    path.mkdir(parents=True)
    git(path, "init", "-q", "-b", "main")
    for i in range(commits):
        (path / "app.py").write_text(
            f'GITHUB_TOKEN = "{fakes.github_pat(f"{seed}-{i}")}"\nX = {i}\n', encoding="utf-8"
        )
        (path / f"notes-{i}.txt").write_text(f"plain text {seed} {i}\n", encoding="utf-8")
        if i % 2 == 0:
            key = fakes.aws_key_id(f"{seed}-{i}")
            secret = fakes.aws_secret_key(f"{seed}-{i}")
            (path / "deploy.env").write_text(
                f"AWS_ACCESS_KEY_ID={key}\nAWS_SECRET_ACCESS_KEY={secret}\n", encoding="utf-8"
            )
        git(path, "add", "-A")
        git(path, "commit", "-q", "-m", f"change {i}")
    if seed % 2:
        git(path, "checkout", "-q", "-b", "feature")
        (path / "feature.py").write_text(
            f'SLACK = "{fakes.slack_bot_token(seed)}"\n', encoding="utf-8"
        )
        git(path, "add", "-A")
        git(path, "commit", "-q", "-m", "feature")
        git(path, "checkout", "-q", "main")
    return path


def keys(findings: list[Finding] | tuple[Finding, ...], repo: str = "") -> set[Key]:
    """What identifies a finding across runs: its repository, fingerprint and status."""
    return {(repo or f.repo, f.fingerprint, f.status.value if f.status else "") for f in findings}


def write_list(path: Path, lines: list[str]) -> Path:
    path.write_text("# repositories to scan\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path
