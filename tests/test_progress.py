"""Progress bars: drawn on a terminal (a real pseudo-terminal here), never under CI or off a TTY."""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from credmigrate.sources.progress import NO_BARS, progress_bars, wanted
from tests import fakes
from tests.conftest import Repo
from tests.gitscan_helpers import env_line
from tests.moto_server import MotoServer

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def _repo_with_history(repo: Repo, commits: int = 3) -> None:
    for i in range(commits):
        repo.write(f"f{i}.env", env_line(70 + i))
        repo.commit(f"c{i}")


def _run_on_pty(
    args: Sequence[str], cwd: Path, *, ci: bool = False, stderr_tty: bool = True
) -> tuple[int, str]:
    """Run credmigrate with stderr on a pseudo-terminal (or a pipe); return (exit, stderr text)."""
    env = {**os.environ, "COLUMNS": "140", "TERM": "xterm-256color"}
    env.pop("CI", None)
    if ci:
        env["CI"] = "true"
    cmd = [sys.executable, "-m", "credmigrate", *args]
    if not stderr_tty:
        proc = subprocess.run(
            cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=180
        )
        return proc.returncode, proc.stderr.decode("utf-8", "replace")
    master, slave = pty.openpty()
    chunks: list[bytes] = []

    def drain() -> None:  # keep reading, or a full pty buffer would block the child
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain)
    reader.start()
    try:
        proc = subprocess.run(
            cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=slave, timeout=180
        )
    finally:
        os.close(slave)
        reader.join(timeout=10)
        os.close(master)
    return proc.returncode, _ANSI.sub("", b"".join(chunks).decode("utf-8", "replace"))


@pytest.mark.parametrize(
    ("ci", "tty", "enabled", "expected"),
    [
        (False, True, True, True),
        (True, True, True, False),
        (False, False, True, False),
        (False, True, False, False),
    ],
)
def test_bars_are_wanted_only_on_a_terminal_outside_ci(
    monkeypatch: pytest.MonkeyPatch, ci: bool, tty: bool, enabled: bool, expected: bool
) -> None:
    if ci:
        monkeypatch.setenv("CI", "true")
    stream = _Tty() if tty else io.StringIO()
    assert wanted(enabled, stream) is expected
    with progress_bars(enabled, stream) as bars:
        bars.task("x", total=2).advance(2)
        assert (bars is NO_BARS) is not expected
    assert (stream.getvalue() != "") is expected


def test_a_bar_shows_count_rate_and_eta_while_running() -> None:
    from credmigrate.sources.progress_rich import PUSH_EVERY, RichBars

    stream = _Tty()
    bars = RichBars(stream)
    task = bars.task("upload", total=10, unit="secrets")
    time.sleep(PUSH_EVERY * 2)
    task.advance(5)
    task.note("half way")
    bars.stop()
    text = _ANSI.sub("", stream.getvalue())
    assert "credmigrate: upload" in text and "5/10" in text and "half way" in text
    assert re.search(r"\d[\d,]* secrets/s", text), text
    assert re.search(r"eta \d+:\d\d", text), text


def test_history_scan_draws_counts_rate_and_eta_on_a_pty(repo: Repo) -> None:
    _repo_with_history(repo)
    code, err = _run_on_pty(["scan", "--history", "-j1", "-o", "../out.txt", "."], repo.path)
    assert code == 1
    final = [line for line in err.replace("\r", "\n").splitlines() if "3/3" in line]
    assert final, err
    line = final[-1]
    assert "credmigrate: history" in line
    assert re.search(r"\d[\d,]* blobs/s", line), line  # rate
    assert "done" in line, line  # the ETA column, once finished
    assert "3 commits" in line, line
    assert "━" in line  # the bar itself


@pytest.mark.parametrize("how", ["ci", "pipe", "flag"])
def test_no_bar_under_ci_off_a_tty_or_when_disabled(repo: Repo, how: str) -> None:
    _repo_with_history(repo)
    args = ["scan", "--history", "-j1", "-o", "../out.txt", "."]
    if how == "flag":
        args.append("--no-progress")
    code, err = _run_on_pty(args, repo.path, ci=how == "ci", stderr_tty=how != "pipe")
    assert code == 1
    assert "blobs/s" not in err and "━" not in err
    assert "credmigrate: note: history: 3 commits" in err  # the summary note still comes


def test_rich_is_not_imported_when_no_bar_is_drawn(repo: Repo) -> None:
    _repo_with_history(repo, 1)
    code = (
        "import sys\n"
        "from credmigrate.cli.main import main\n"
        "rc = main(['scan', '--history', '-o', 'out.txt', '.'])\n"
        "print(rc, 'rich' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=repo.path, capture_output=True, text=True, timeout=120
    )
    assert out.stdout.split() == ["1", "False"], out.stderr


def test_migrate_draws_rewrite_upload_and_verify_bars_on_a_pty(
    repo: Repo, moto: MotoServer
) -> None:
    for i in range(3):
        repo.write(f"svc{i}.py", f'DB_PASSWORD = "{fakes.password(f"bar{i}")}"\n')
    repo.write("requirements.txt", "boto3>=1.28.57\n")  # no "install boto3" step left: exit 0
    repo.commit("services")
    code, err = _run_on_pty(["migrate", ".", "--yes", "--no-history"], repo.path)
    assert code == 0, err
    lines = err.replace("\r", "\n").splitlines()
    for label, unit, total in (("rewrite", "files", 3), ("upload", "secrets", 3)):
        done = [ln for ln in lines if f"credmigrate: {label}" in ln and f"{total}/{total}" in ln]
        assert done and f"{unit}/s" in done[-1], (label, err)
    assert any("credmigrate: verify" in ln and "/3" in ln for ln in lines), err
    assert "3 created" in err
