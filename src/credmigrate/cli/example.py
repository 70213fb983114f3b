"""The whole story on the built-in example: scan, migrate into a local store, run, report.

Runs in a temporary git repository with its own identity and an isolated AWS configuration,
so it works on a fresh machine (no ``~/.aws``, no git identity) and touches nothing of the
user's. The example's history holds a token that was committed and later deleted: it can't be
rewritten, so it ends on the rotation list.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from credmigrate.errors import BadInputError, VerifyError

_GIT_ENV = {
    "GIT_AUTHOR_NAME": "credmigrate demo",
    "GIT_AUTHOR_EMAIL": "demo@credmigrate.invalid",
    "GIT_COMMITTER_NAME": "credmigrate demo",
    "GIT_COMMITTER_EMAIL": "demo@credmigrate.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
}
# A token that lived in history only: built at run time, never a literal in this source.
_OLD_DEPLOY = "deploy/old_settings.py"


def example_dir() -> Path:
    """The example app: inside the wheel as ``credmigrate/_examples``, or ``examples/``."""
    packaged = Path(str(resources.files("credmigrate"))) / "_examples" / "webapp"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[3] / "examples" / "webapp"
    if checkout.is_dir():
        return checkout
    raise BadInputError("the built-in example is missing: the installation is incomplete")


def _git(cwd: Path, *args: str) -> None:
    env = {**os.environ, **_GIT_ENV, "GIT_CONFIG_GLOBAL": os.devnull}
    proc = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise BadInputError(f"git {args[0]} failed in the demo repository: {proc.stderr.strip()}")


def _history_token() -> str:
    import random
    import string

    rng = random.Random("credmigrate-demo")
    return (
        "gh" + "p_" + "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(36))
    )


def build_repo(dest: Path) -> None:
    """Copy the example into ``dest`` as a git repo whose history holds a deleted token."""
    shutil.copytree(example_dir(), dest, ignore=shutil.ignore_patterns("__pycache__"))
    _git(dest, "init", "-q", "-b", "main")
    _git(dest, "add", "-A")
    _git(dest, "commit", "-q", "-m", "Example service")
    old = dest / _OLD_DEPLOY
    old.parent.mkdir(parents=True, exist_ok=True)
    old.write_text(f'GITHUB_TOKEN = "{_history_token()}"\n', encoding="utf-8")
    _git(dest, "add", "-A")
    _git(dest, "commit", "-q", "-m", "Add deploy settings")
    old.unlink()
    old.parent.rmdir()
    _git(dest, "add", "-A")
    _git(dest, "commit", "-q", "-m", "Remove deploy settings (the token is still in history)")


@contextmanager
def _env(values: dict[str, str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _run_app(repo: Path, env: dict[str, str]) -> tuple[int, str, str]:
    proc = subprocess.run(
        [sys.executable, "-m", "webapp.main"],
        cwd=repo,
        env={**os.environ, **env, "PYTHONPATH": str(repo)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    return proc.returncode, proc.stdout, proc.stderr


@dataclass(frozen=True)
class DemoResult:
    repo: Path
    scan_exit: int
    migrate_exit: int
    values_match: bool
    report: Path | None


def run_demo(
    cli: Callable[[Sequence[str]], int],
    say: Callable[[str], None],
    keep: Path | None = None,
) -> DemoResult:
    """Run the story; ``cli`` is the command line's ``main`` so each step is the real command."""
    work = Path(tempfile.mkdtemp(prefix="credmigrate-demo-"))
    repo = keep if keep is not None else work / "webapp"
    if keep is not None and keep.exists():
        raise BadInputError(f"{keep} already exists; choose a new directory for --keep")
    aws_dir = work / "aws"
    aws_dir.mkdir()
    (aws_dir / "config").write_text("", encoding="utf-8")
    (aws_dir / "credentials").write_text("", encoding="utf-8")
    try:
        build_repo(repo)
        say(f"== 1. The example application, as a git repository: {repo}")
        before = _run_app(repo, {})
        if before[0] != 0:
            raise BadInputError(f"the example failed to run: {before[2].strip()[-200:]}")
        say("== 2. Scan the working tree and every commit in history")
        scan_exit = cli(["scan", str(repo), "--history", "--no-progress", "--no-color"])
        from credmigrate.store.local import local_secrets_manager

        with local_secrets_manager() as url:
            env = {
                "AWS_ENDPOINT_URL_SECRETS_MANAGER": url,
                "AWS_ACCESS_KEY_ID": "demo",
                "AWS_SECRET_ACCESS_KEY": "demo",
                "AWS_SESSION_TOKEN": "demo",
                "AWS_DEFAULT_REGION": "us-east-1",
                "AWS_CONFIG_FILE": str(aws_dir / "config"),
                "AWS_SHARED_CREDENTIALS_FILE": str(aws_dir / "credentials"),
            }
            say(f"== 3. Migrate into a local Secrets Manager stand-in at {url}")
            with _env(env):
                migrate_exit = cli(
                    [
                        "migrate",
                        str(repo),
                        "--yes",
                        "--report-dir",
                        str(work / "report"),
                        "--purge-file-dir",
                        str(work),
                    ]
                )
            say("== 4. Run the migrated application: it now fetches its secrets at runtime")
            after = _run_app(repo, env)
        if after[0] != 0:
            raise VerifyError(f"the migrated example failed: {after[2].strip()[-300:]}")
        match = after[1] == before[1]
        say(after[1].rstrip())
        say(
            "the migrated program reads the same values as the original (compared by hash): "
            + ("yes" if match else "NO")
        )
        report = next(iter(sorted((work / "report").glob("*.md"))), None)
        if report is not None:
            say(f"== 5. Report ({report})")
            say(report.read_text(encoding="utf-8"))
        if not match:
            raise VerifyError("the migrated example does not read the original values")
        return DemoResult(repo, scan_exit, migrate_exit, match, report)
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)
