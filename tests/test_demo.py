"""`credmigrate demo` on a 'fresh machine': empty HOME, no git identity, no AWS variables; it
must succeed, really verify the migrated program, and leave no process running."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _moto_pids() -> set[int]:
    out = subprocess.run(["ps", "-eo", "pid=,args="], capture_output=True, text=True).stdout
    return {int(line.split(None, 1)[0]) for line in out.splitlines() if "moto.server" in line}


def test_demo_runs_on_a_fresh_home(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AWS_", "GIT_")) and k not in {"HOME", "XDG_CACHE_HOME"}
    }
    home = tmp_path / "home"
    home.mkdir()
    env.update(HOME=str(home), GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    before = _moto_pids()
    proc = subprocess.run(
        [sys.executable, "-m", "credmigrate", "demo"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = proc.stdout
    assert (
        "the migrated program reads the same values as the original (compared by hash): yes" in out
    )
    assert "history-only" in out  # the deleted token is on the rotation list
    assert "Traceback" not in proc.stderr
    assert _moto_pids() <= before  # the local store was stopped
    assert not (home / ".aws").exists()
