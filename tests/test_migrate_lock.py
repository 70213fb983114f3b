"""One migration at a time per repository, with real concurrent processes."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from credmigrate.migrate.lock import LockedError, repo_lock
from credmigrate.store.secrets_manager import SecretStore
from tests.conftest import Repo
from tests.moto_server import MotoServer
from tests.test_migrate_faults import MODULES, make_app

REGION = ("--region", "us-east-1")  # resolved before the lock; no store call is made
HOLD = """
import sys, time
from pathlib import Path
from credmigrate.migrate.lock import repo_lock
with repo_lock(Path(sys.argv[1]), wait=0):
    print("held", flush=True)
    sys.stdin.read()
"""


def _holder(state: Path) -> subprocess.Popen[str]:
    state.mkdir(mode=0o700, exist_ok=True)
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(state)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def _migrate(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "credmigrate", "migrate", str(repo), "--no-history", *REGION, *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_second_run_refuses_naming_the_holder(repo: Repo) -> None:
    repo.write("app.py", "print('hi')\n")
    repo.commit()
    holder = _holder(repo.path / ".credmigrate")
    try:
        t0 = time.monotonic()
        proc = _migrate(repo.path, "--yes", "--lock-wait", "0.5")
        waited = time.monotonic() - t0
    finally:
        holder.communicate("")
    assert proc.returncode == 3, proc.stderr
    [line] = proc.stderr.splitlines()
    assert line.startswith("credmigrate: error: another credmigrate migrate is running")
    assert f"pid {holder.pid} on {socket.gethostname()} since " in line
    assert waited >= 0.5  # it waited before refusing


def test_waiting_run_proceeds_once_the_holder_ends(repo: Repo) -> None:
    repo.write("app.py", "print('hi')\n")
    repo.commit()
    holder = _holder(repo.path / ".credmigrate")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "credmigrate",
            "migrate",
            str(repo.path),
            "--no-history",
            *REGION,
            "--yes",
            "--lock-wait",
            "30",
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.0)
    assert proc.poll() is None  # still waiting for the lock
    holder.communicate("")
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "nothing to migrate" in err


def test_stale_lock_of_a_killed_run_is_taken_over(repo: Repo) -> None:
    repo.write("app.py", "print('hi')\n")
    repo.commit()
    state = repo.path / ".credmigrate"
    holder = _holder(state)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    record = json.loads((state / "lock").read_text())
    assert record["pid"] == holder.pid  # the dead run's record is still there
    proc = _migrate(repo.path, "--yes", "--lock-wait", "0")
    assert proc.returncode == 0, proc.stderr
    assert f"took over the lock of pid {holder.pid} on " in proc.stderr
    assert (state / "lock").read_text() == ""  # released cleanly this time


def test_nested_acquire_in_one_process_is_allowed_but_another_process_is_not(
    tmp_path: Path,
) -> None:
    state = tmp_path / "state"
    state.mkdir(mode=0o700)
    with repo_lock(state, wait=0) as first:
        assert first.stale is None
        with repo_lock(state, wait=0):
            pass
        proc = subprocess.run(
            [sys.executable, "-c", HOLD, str(state)], input="", capture_output=True, text=True
        )
        assert proc.returncode != 0 and "LockedError" in proc.stderr
    with repo_lock(state, wait=0):  # released: free again
        pass
    _ = LockedError


def test_two_migrations_at_once_do_not_interleave(repo: Repo, moto: MotoServer) -> None:
    make_app(repo)
    env = {**os.environ}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "credmigrate",
                "migrate",
                str(repo.path),
                "--no-history",
                "--yes",
                "--writes-per-second",
                "0",
                "--lock-wait",
                "120",
            ],
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
            env=env,
        )
        for _ in range(2)
    ]
    errs = [p.communicate(timeout=300)[1] for p in procs]
    codes = dict(zip(errs, (p.returncode for p in procs), strict=True))
    created = [e for e in errs if "created" in e and " 0 created" not in e]
    assert len(created) == 1, errs  # one run did the work; the other found it done
    [idle] = [e for e in errs if "nothing to migrate" in e]
    assert codes[idle] == 0, errs
    # the working run exits 1 only for what it leaves to a human (e.g. add boto3), and says so
    left = "a human must act" in created[0] or "steps left for a human" in created[0]
    assert codes[created[0]] == (1 if left else 0), errs
    store = SecretStore()
    assert all(store.version_count(f"credmigrate/repo/app/{m}") == 1 for m in MODULES)
    journal = json.loads((repo.path / ".credmigrate/journal.json").read_text())
    assert journal["state"] == "done"


def test_symlinked_state_dir_is_refused_before_anything_is_written(repo: Repo) -> None:
    repo.write("app.py", "print('hi')\n")
    repo.commit()
    elsewhere = repo.path.parent / "elsewhere"
    elsewhere.mkdir()
    (repo.path / ".credmigrate").symlink_to(elsewhere)
    proc = _migrate(repo.path, "--yes")
    assert proc.returncode == 3
    [line] = proc.stderr.splitlines()
    assert "refusing to use state directory" in line and "symlink" in line
    assert list(elsewhere.iterdir()) == []
