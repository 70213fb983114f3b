"""``-o`` and the other user-named outputs: atomic replacement only for regular files.

Device nodes and FIFOs are made in a temporary folder (never the real /dev). The tests run as
whatever user runs the suite; the device cases need root (CI containers are), and skip without.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from credmigrate import atomic
from credmigrate.errors import BadInputError, UsageError
from tests.gitscan_helpers import env_line, run_cli

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="mknod needs root")


@pytest.fixture
def src(tmp_path: Path) -> Path:
    d = tmp_path / "src"
    d.mkdir()
    (d / "app.env").write_text(env_line(7))
    return d


def _null_device(where: Path) -> Path:
    node = where / "null"
    os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # the same device as /dev/null
    return node


@needs_root
def test_output_to_a_device_writes_through_and_keeps_the_device(
    src: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    node = _null_device(tmp_path)
    code, out, err = run_cli(["scan", str(src), "-o", str(node)], capsys)
    assert code == 1, err
    st = os.lstat(node)
    assert stat.S_ISCHR(st.st_mode) and st.st_rdev == os.makedev(1, 3)
    assert out == ""
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".null.")]  # no temp file


def test_output_to_a_fifo_is_streamed_not_replaced(
    src: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []

    def reader() -> None:
        with open(fifo, "rb") as fh:
            got.append(fh.read())

    t = threading.Thread(target=reader)
    t.start()
    code, _out, err = run_cli(["scan", str(src), "-f", "json", "-o", str(fifo)], capsys)
    t.join(10)
    assert code == 1, err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert json.loads(got[0])["summary"]["findings"] == 1


def test_dash_and_dev_stdout_go_to_standard_output(src: Path, tmp_path: Path) -> None:
    for target in ("-", "/dev/stdout"):
        out = tmp_path / f"captured{len(target)}.json"
        with open(out, "wb") as fh:
            proc = subprocess.run(
                [sys.executable, "-m", "credmigrate", "scan", str(src), "-f", "json", "-o", target],
                stdout=fh,
                stderr=subprocess.PIPE,
                text=True,
            )
        assert proc.returncode == 1, proc.stderr
        assert json.loads(out.read_text())["summary"]["findings"] == 1
        assert stat.S_ISREG(os.lstat(out).st_mode)


def test_a_directory_is_refused_in_one_line(
    src: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "reports"
    target.mkdir()
    code, _out, err = run_cli(["scan", str(src), "-o", str(target)], capsys)
    assert code == 2
    assert err.count("\n") == 1 and "is a directory" in err
    assert list(target.iterdir()) == []
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_symlink_to_a_file_is_refused_and_its_target_untouched(
    src: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    link = tmp_path / "report.txt"
    link.symlink_to(victim)
    code, _out, err = run_cli(["scan", str(src), "-o", str(link)], capsys)
    assert code == 3
    assert err.count("\n") == 1 and "symlink" in err
    assert victim.read_text() == "precious\n"
    assert link.is_symlink()


@needs_root
def test_a_symlink_to_a_device_writes_to_the_device(src: Path, tmp_path: Path) -> None:
    node = _null_device(tmp_path)
    link = tmp_path / "out"
    link.symlink_to(node)
    atomic.write_output(link, "report\n")
    assert link.is_symlink() and stat.S_ISCHR(os.stat(link).st_mode)


@needs_root
def test_a_block_device_is_refused(tmp_path: Path) -> None:
    node = tmp_path / "disk"
    os.mknod(node, 0o600 | stat.S_IFBLK, os.makedev(7, 200))  # a loop device number
    with pytest.raises(BadInputError, match="block device"):
        atomic.write_output(node, "report\n")
    assert stat.S_ISBLK(os.lstat(node).st_mode)


def test_a_regular_file_is_replaced_atomically_keeping_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "r.txt"
    target.write_text("old\n")
    target.chmod(0o640)
    inode = target.stat().st_ino
    atomic.write_output(target, "new\n")
    assert target.read_text() == "new\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert target.stat().st_ino != inode  # replaced by rename, not rewritten in place


def test_internal_atomic_write_refuses_to_replace_a_non_file(tmp_path: Path) -> None:
    fifo = tmp_path / "journal.json"
    os.mkfifo(fifo)
    with pytest.raises(BadInputError, match="named pipe"):
        atomic.write_text(fifo, "{}\n")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    link = tmp_path / "j2.json"
    link.symlink_to(tmp_path / "elsewhere.json")
    with pytest.raises(BadInputError, match="symlink"):
        atomic.write_text(link, "{}\n")
    assert not (tmp_path / "elsewhere.json").exists()


def test_update_baseline_to_a_directory_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        atomic.write_output(tmp_path, "x", what="baseline")
