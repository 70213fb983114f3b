"""History hard cases: corrupt objects, submodules, LFS pointers, binary and huge blobs, odd paths."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from credmigrate.config import Config
from credmigrate.sources.history import scan_history
from tests.conftest import Repo, git
from tests.gitscan_helpers import by_secret, env_line, json_findings, run_cli, token


def _loose_object(repo: Repo, sha: str) -> Path:
    path = repo.path / ".git" / "objects" / sha[:2] / sha[2:]
    assert path.is_file()
    path.chmod(stat.S_IRUSR | stat.S_IWUSR)
    return path


def _blob_of(repo: Repo, spec: str) -> str:
    return repo.git("rev-parse", spec).strip()


@pytest.mark.parametrize("damage", ["delete", "garble"])
def test_corrupt_object_is_reported_and_the_rest_scanned(
    repo: Repo, damage: str, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.write("good.env", env_line(20))
    repo.write("bad.env", env_line(21))
    repo.commit("two files")
    obj = _loose_object(repo, _blob_of(repo, "HEAD:bad.env"))
    if damage == "delete":
        obj.unlink()
    else:
        obj.write_bytes(b"x\x9c this is not zlib data" * 4)
    result = scan_history(repo.path, Config(), jobs=1)
    assert [f.secret for f in result.findings] == [token(20)]
    assert len(result.errors) == 1 and "bad.env" in result.errors[0]
    code, _out, err = run_cli(["scan", "--history", str(repo.path), "--no-progress"], capsys)
    assert code == 3
    assert "bad.env" in err and "Traceback" not in err


def test_submodules_are_skipped_and_named(repo: Repo, tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    git(lib, "init", "-q", "-b", "main")
    (lib / "x.env").write_text(env_line(22))
    git(lib, "add", "-A")
    git(lib, "commit", "-q", "-m", "lib")
    repo.write("a.txt", "a\n")
    repo.commit("init")
    repo.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", str(lib), "vendor/lib")
    repo.commit("add submodule")
    result = scan_history(repo.path, Config(), jobs=1)
    assert by_secret(result.findings, token(22)) == []
    assert any("submodules skipped" in n and "vendor/lib" in n for n in result.notes)
    assert result.errors == ()


def test_lfs_pointer_binary_and_oversized_blobs_are_skipped(repo: Repo) -> None:
    pointer = "version https://git-lfs.github.com/spec/v1\noid sha256:" + "ab" * 32 + "\nsize 12\n"
    repo.write("model.bin", pointer + env_line(23))
    repo.write("image.png", b"\x89PNG\0\0" + env_line(24).encode())
    repo.write("big.env", env_line(25) + "x" * 5000 + "\n")
    repo.write("ok.env", env_line(26))
    repo.commit("assorted")
    result = scan_history(repo.path, Config(max_file_size=4096), jobs=1)
    assert [f.secret for f in result.findings] == [token(26)]
    reasons = {s.path: s.reason for s in result.skipped}
    assert reasons["image.png"] == "binary"
    assert reasons["big.env"] == "too large"
    assert reasons["model.bin"] == "git-lfs pointer"
    assert any("LFS" in n for n in result.notes)


def test_non_utf8_path_does_not_crash(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    name = os.fsencode("caf") + b"\xe9.env"
    (repo.path / os.fsdecode(name)).write_text(env_line(27))
    repo.commit("latin-1 name")
    [f] = by_secret(scan_history(repo.path, Config(), jobs=1).findings, token(27))
    assert f.path == "caf\ufffd.env"
    for fmt in ("text", "json", "sarif", "junit"):
        code, out, _err = run_cli(
            ["scan", "--history", str(repo.path), "--format", fmt, "--no-progress"], capsys
        )
        assert code == 1 and out


def test_cli_history_json(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.write("s.env", env_line(28))
    sha = repo.commit("add")
    repo.write("s.env", "")
    repo.commit("remove")
    code, out, err = run_cli(["scan", "--history", str(repo.path), "--format", "json"], capsys)
    assert code == 1
    [doc] = [d for d in json_findings(out) if d["path"] == "s.env"]
    assert doc["status"] == "history-only"
    assert doc["commit"]["sha"] == sha
    assert token(28) not in out and token(28) not in err
    assert "\r" not in err  # no progress line off a TTY


def test_cli_history_clean_repo_exits_0(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.write("a.txt", "nothing here\n")
    repo.commit("init")
    code, _out, _err = run_cli(["scan", "--history", str(repo.path)], capsys)
    assert code == 0


def test_cli_branch_narrows(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.write("a.txt", "a\n")
    repo.commit("init")
    repo.git("checkout", "-q", "-b", "wip")
    repo.write("w.env", env_line(29))
    repo.commit("wip")
    repo.git("checkout", "-q", "main")
    args = ["scan", str(repo.path), "--branch", "main", "--format", "json"]
    assert run_cli(args, capsys)[0] == 0
    args[3] = "wip"
    assert run_cli(args, capsys)[0] == 1


def test_history_and_staged_conflict(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run_cli(["scan", "--history", "--staged"], capsys, cwd=repo.path)
    assert code == 2 and "--staged" in err


_KILL_ONE_WORKER = """
import os, signal, sys
from credmigrate.cli.main import main
from credmigrate.sources import blobscan

blobscan.BATCH = 1  # a batch per blob: each worker gets many
MAIN, MARK = os.getpid(), sys.argv[2]
real = blobscan._run_batch
seen = []

def dying(worker, jobs):
    seen.append(1)
    if len(seen) == 3 and os.getpid() != MAIN:
        try:  # the first worker here dies, the other one goes on
            os.close(os.open(MARK, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return real(worker, jobs)
        os.kill(os.getpid(), signal.SIGKILL)  # the OOM killer's way out
    return real(worker, jobs)

blobscan._run_batch = dying
sys.argv = ["credmigrate", "scan", "--history", "--jobs", "2", sys.argv[1]]
raise SystemExit(main())
"""


def test_a_killed_worker_ends_the_scan_with_an_error_not_a_hang(repo: Repo, tmp_path: Path) -> None:
    # A history worker killed mid-run (out of memory, a signal) owes results it will never
    # send: the scan must stop with one line and a non-zero exit, and the process must exit
    # although batches it queued for that worker can no longer be delivered.
    for i in range(40):
        repo.write(f"f{i}.txt", f"line {i}\n" * 50)
        repo.commit(f"c{i}")
    out = subprocess.run(
        [sys.executable, "-c", _KILL_ONE_WORKER, str(repo.path), str(tmp_path / "killed")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 3, out.stderr
    assert "a scan worker stopped unexpectedly" in out.stderr
    assert "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    assert (tmp_path / "killed").exists()  # one worker was killed, as planned
