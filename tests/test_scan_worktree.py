"""Working-tree scans: which files are read, which are skipped and why, on real trees."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pytest

from credmigrate.cli.main import main
from credmigrate.config import Config
from credmigrate.findings.model import ScanResult
from credmigrate.sources import walker, worktree
from credmigrate.sources.worktree import scan_worktree
from tests import fakes
from tests.conftest import Repo


def _secret_line(seed: str) -> tuple[str, str]:
    key = fakes.aws_key_id(seed)
    return key, f"aws_access_key_id = {key}\n"


def _paths(result: ScanResult) -> set[str]:
    return {f.path for f in result.findings}


def _skips(result: ScanResult) -> dict[str, str]:
    return {s.path: s.reason for s in result.skipped}


def test_git_repo_scans_tracked_and_untracked_but_not_ignored(repo: Repo) -> None:
    repo.write(".gitignore", "ignored.txt\nbuild/\n")
    repo.write("tracked.txt", _secret_line("t")[1])
    repo.commit("init")
    repo.write("untracked.txt", _secret_line("u")[1])
    repo.write("ignored.txt", _secret_line("i")[1])
    repo.write("build/out.txt", _secret_line("b")[1])
    result = scan_worktree([repo.path], Config())
    assert _paths(result) == {"tracked.txt", "untracked.txt"}
    assert result.files_scanned == 3  # .gitignore, tracked.txt, untracked.txt


def test_git_subdirectory_paths_are_relative_to_the_scanned_root(repo: Repo) -> None:
    repo.write("app/conf/settings.txt", _secret_line("s")[1])
    repo.write("other.txt", _secret_line("o")[1])
    repo.commit("init")
    result = scan_worktree([repo.path / "app"], Config())
    assert _paths(result) == {"conf/settings.txt"}


def test_outside_git_gitignore_is_honoured_nested_too(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    (root / "sub" / "deep").mkdir(parents=True)
    (root / ".gitignore").write_text("*.log\nsecret-dir/\n")
    (root / "sub" / ".gitignore").write_text("local.txt\n!keep.log\n")
    for rel in (
        "a.txt",
        "a.log",
        "secret-dir/x.txt",
        "sub/local.txt",
        "sub/keep.log",
        "sub/deep/local.txt",
        "local.txt",
    ):
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(_secret_line(rel)[1])
    result = scan_worktree([root], Config())
    # sub/.gitignore applies below sub/ only (and its negation re-includes keep.log)
    assert _paths(result) == {"a.txt", "sub/keep.log", "local.txt"}
    # the same files without git on PATH (pathspec matches the .gitignore files then)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PATH", str(tmp_path / "no-bin"))
        assert _paths(scan_worktree([root], Config())) == {"a.txt", "sub/keep.log", "local.txt"}


def test_outside_git_the_listing_ignores_other_repositories_and_global_excludes(
    tmp_path: Path, repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A hook runs with GIT_INDEX_FILE set for its repository (an index listing tracked.txt
    # would hide it as "not untracked"), and the user's global excludes describe their
    # repositories, not this directory.
    repo.write("tracked.txt", "nothing here\n")
    repo.commit("init")
    monkeypatch.setenv("GIT_INDEX_FILE", str(repo.path / ".git" / "index"))
    excludes = tmp_path / "global-ignore"
    excludes.write_text("*.txt\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    (tmp_path / "gitconfig").write_text(f"[core]\n\texcludesFile = {excludes}\n")
    root = tmp_path / "export"
    root.mkdir()
    (root / "tracked.txt").write_text(_secret_line("t")[1])
    (root / "node_modules" / "pkg").mkdir(parents=True)
    (root / "node_modules" / "pkg" / "index.txt").write_text(_secret_line("n")[1])
    monkeypatch.setattr(walker, "_walk", _no_fallback)  # git lists, even for a relative root
    monkeypatch.chdir(tmp_path)
    result = scan_worktree([Path("export")], Config())
    assert _paths(result) == {"tracked.txt"}


def test_outside_git_the_scratch_repository_is_private_and_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch_base = tmp_path / "tmp"
    scratch_base.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch_base))
    seen: list[tuple[str, int]] = []
    real_run = subprocess.run

    def spy(argv: list[str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
        git_dir = next((a.split("=", 1)[1] for a in argv if a.startswith("--git-dir=")), None)
        if git_dir is not None:
            seen.append((git_dir, os.stat(git_dir).st_mode & 0o777))
        return real_run(argv, **kwargs)  # type: ignore[call-overload,no-any-return]

    monkeypatch.setattr(subprocess, "run", spy)
    monkeypatch.setattr(walker, "_walk", _no_fallback)
    root = tmp_path / "export"
    root.mkdir()
    (root / "a.txt").write_text(_secret_line("a")[1])
    assert _paths(scan_worktree([root], Config())) == {"a.txt"}
    [(git_dir, mode)] = seen
    assert git_dir.startswith(str(scratch_base)) and mode == 0o700
    assert list(scratch_base.iterdir()) == []  # removed after the listing


def test_git_is_asked_only_when_a_repository_may_be_above(
    tmp_path: Path, repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = tmp_path / "plain" / "deep"
    plain.mkdir(parents=True)
    assert walker._no_repository_above(plain)
    assert not walker._no_repository_above(repo.path)
    (repo.path / "sub").mkdir()
    assert not walker._no_repository_above(repo.path / "sub")
    monkeypatch.setenv("GIT_DIR", str(repo.path / ".git"))
    assert not walker._no_repository_above(plain)


def _no_fallback(root: Path) -> Iterator[str]:
    raise AssertionError(f"git should have listed {root}")


def test_outside_git_a_nested_repository_is_listed_by_its_own_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A directory of checkouts: each one's tracked and untracked files, minus what its
    # .gitignore ignores; its .git directory is never read as files.
    root = tmp_path / "checkouts"
    inner = Repo(root / "app")
    inner.path.mkdir(parents=True)
    inner.git("init", "-q", "-b", "main")
    inner.write(".gitignore", "*.log\n")
    inner.write("tracked.txt", _secret_line("tracked")[1])
    inner.commit("init")
    inner.write("untracked.txt", _secret_line("untracked")[1])
    inner.write("debug.log", _secret_line("log")[1])
    (root / "top.txt").write_text(_secret_line("top")[1])
    monkeypatch.setattr(walker, "_walk", _no_fallback)
    result = scan_worktree([root], Config())
    assert _paths(result) == {"top.txt", "app/tracked.txt", "app/untracked.txt"}
    assert not [s for s in result.skipped if s.path.startswith("app/.git")]


def test_config_exclude_and_cli_exclude(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "t"
    for rel in ("src/a.txt", "fixtures/b.txt", "docs/c.md"):
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(_secret_line(rel)[1])
    result = scan_worktree([root], Config(exclude=("fixtures/**",)))
    assert _paths(result) == {"src/a.txt", "docs/c.md"}
    code = main(["scan", "-f", "json", "--exclude", "fixtures/", "--exclude", "*.md", str(root)])
    doc = json.loads(capsys.readouterr().out)
    assert code == 1
    assert {f["path"] for f in doc["findings"]} == {"src/a.txt"}


def test_binary_and_oversized_files_are_skipped_and_counted(tmp_path: Path) -> None:
    root = tmp_path / "t"
    root.mkdir()
    line = _secret_line("bin")[1]
    (root / "blob.bin").write_bytes(b"\x00\x01" + line.encode())
    (root / "big.txt").write_text(line + "x" * 5000 + "\n")
    (root / "small.txt").write_text(line)
    result = scan_worktree([root], Config(max_file_size=4096))
    assert _skips(result) == {"blob.bin": "binary", "big.txt": "too large"}
    assert _paths(result) == {"small.txt"}
    assert result.files_scanned == 1
    assert result.bytes_scanned == len(line)


def test_skipped_summary_is_reported_by_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "t"
    root.mkdir()
    (root / "blob.bin").write_bytes(b"\x00" * 10)
    (root / "big.txt").write_text("y" * 300)
    code = main(["scan", "--max-file-size", "100", str(root)])
    out = capsys.readouterr().out
    assert code == 0
    assert "2 files skipped" in out and "binary: 1" in out and "too large: 1" in out


def test_symlink_out_of_the_root_is_skipped_and_never_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text(_secret_line("out")[1])
    root = tmp_path / "t"
    root.mkdir()
    (root / "inside.txt").write_text(_secret_line("in")[1])
    (root / "link-out.txt").symlink_to(outside)
    (root / "link-in.txt").symlink_to(root / "inside.txt")
    (root / "dir-out").symlink_to(tmp_path, target_is_directory=True)
    read: list[Path] = []
    real_open = open

    def spy(file: str, mode: str = "r") -> BinaryIO:
        read.append(Path(file).resolve())
        return real_open(file, "rb")

    monkeypatch.setattr(worktree, "open", spy, raising=False)  # the module's reads only
    result = scan_worktree([root], Config())
    assert _paths(result) == {"inside.txt"}  # once, not again through link-in.txt
    assert _skips(result)["link-out.txt"] == "symlink out of the root"
    assert outside.resolve() not in read
    assert not any(p.name == "outside.txt" for p in read)
    assert read  # the spy sees the reads


def test_symlink_out_of_a_git_repo_is_skipped(repo: Repo, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.txt"
    outside.write_text(_secret_line("g")[1])
    (repo.path / "link.txt").symlink_to(outside)
    repo.commit("link")
    result = scan_worktree([repo.path], Config())
    assert result.findings == ()
    assert _skips(result) == {"link.txt": "symlink out of the root"}


def test_invalid_utf8_keeps_line_and_column(tmp_path: Path) -> None:
    root = tmp_path / "t"
    root.mkdir()
    key = fakes.aws_key_id("utf8")
    data = b"caf\xe9 \xff\xfe\n" + b"\xc3\x28 ok\n" + b"\xe9\xe9 id = " + key.encode() + b"\n"
    (root / "latin1.txt").write_bytes(data)
    result = scan_worktree([root], Config())
    (f,) = result.findings
    assert f.secret == key
    assert (f.span.line, f.span.column) == (3, 9)  # two replacement chars + " id = "
    assert f.span.end_column == 9 + len(key)


def test_unreadable_file_is_skipped_not_a_crash(tmp_path: Path) -> None:
    root = tmp_path / "t"
    root.mkdir()
    locked = root / "locked.txt"
    locked.write_text(_secret_line("lock")[1])
    (root / "ok.txt").write_text(_secret_line("ok")[1])
    locked.chmod(0)
    try:
        if os.access(locked, os.R_OK):
            pytest.skip("running with privileges that ignore file permissions")
        result = scan_worktree([root], Config())
    finally:
        locked.chmod(0o644)
    assert _paths(result) == {"ok.txt"}
    assert _skips(result) == {"locked.txt": "unreadable: permission denied"}


def test_read_error_is_skipped_not_a_crash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The same path as above for runs as root, where chmod cannot make a file unreadable.
    root = tmp_path / "t"
    root.mkdir()
    (root / "locked.txt").write_text(_secret_line("lock")[1])
    (root / "io.txt").write_text(_secret_line("io")[1])
    (root / "ok.txt").write_text(_secret_line("ok")[1])
    real_open = open

    def failing(file: str, mode: str = "r") -> BinaryIO:
        name = os.path.basename(file)
        if name == "locked.txt":
            raise PermissionError(13, "Permission denied", file)
        if name == "io.txt":
            raise OSError(5, "Input/output error", file)
        return real_open(file, "rb")

    monkeypatch.setattr(worktree, "open", failing, raising=False)  # the module's reads only
    result = scan_worktree([root], Config())
    assert _paths(result) == {"ok.txt"}
    assert _skips(result) == {
        "locked.txt": "unreadable: permission denied",
        "io.txt": "unreadable: Input/output error",
    }


def test_fifo_is_skipped_not_read(tmp_path: Path) -> None:
    # Reading a FIFO blocks forever: run in a subprocess so a regression fails, not hangs.
    root = tmp_path / "t"
    root.mkdir()
    os.mkfifo(root / "pipe")
    (root / "ok.txt").write_text(_secret_line("fifo")[1])
    out = subprocess.run(
        [sys.executable, "-m", "credmigrate", "scan", "-f", "json", str(root)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 1, out.stderr
    doc = json.loads(out.stdout)
    assert [f["path"] for f in doc["findings"]] == ["ok.txt"]
    # git lists the directory (in a repository or not) and lists regular files and symlinks
    # only, so the FIFO is never opened; named on the command line, it is reported as skipped.
    assert doc["skipped"] == []
    named = subprocess.run(
        [sys.executable, "-m", "credmigrate", "scan", "-f", "json", "pipe"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert named.returncode == 0, named.stderr
    assert json.loads(named.stdout)["skipped"] == [{"path": "pipe", "reason": "not a regular file"}]


def test_nonexistent_path_is_exit_3_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["scan", str(tmp_path / "missing")])
    err = capsys.readouterr().err
    assert code == 3
    assert err.strip().splitlines() == [
        f"credmigrate: error: no such file or directory: {tmp_path / 'missing'}"
    ]


def test_single_file_argument_is_scanned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "a.txt").write_text(_secret_line("file")[1])
    monkeypatch.chdir(tmp_path)
    code = main(["scan", "-f", "json", "conf/a.txt"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [f["path"] for f in doc["findings"]] == ["conf/a.txt"]


def test_parallel_scan_gives_the_same_findings(tmp_path: Path) -> None:
    root = tmp_path / "many"
    root.mkdir()
    expected = set()
    for i in range(450):
        sub = root / f"d{i % 7}"
        sub.mkdir(exist_ok=True)
        if i % 18 == 0:  # Python files: bindings are computed in the workers too
            line = f'DB_PASSWORD = "{fakes.password(i)}"\n'
            (sub / f"f{i}.py").write_text(f"# file {i}\n" + line)
            expected.add(f"d{i % 7}/f{i}.py")
        elif i % 9 == 0:
            line = _secret_line(f"p{i}")[1]
            (sub / f"f{i}.txt").write_text(f"# file {i}\n" + line)
            expected.add(f"d{i % 7}/f{i}.txt")
        else:
            (sub / f"f{i}.txt").write_text(f"value_{i} = {i}\n")

    def key(r: ScanResult) -> list[tuple[str, int, int, str, str, object]]:
        return [
            (f.path, f.line, f.span.column, f.rule_id, f.fingerprint, f.binding) for f in r.findings
        ]

    one = scan_worktree([root], Config(), jobs=1)
    two = scan_worktree([root], Config(), jobs=2)
    assert _paths(one) == expected
    assert sum(f.binding is not None for f in two.findings) == 25  # the .py files
    assert key(one) == key(two)
    assert (
        (one.files_scanned, one.bytes_scanned)
        == (two.files_scanned, two.bytes_scanned)
        == (
            450,
            sum(p.stat().st_size for p in root.rglob("*.*")),
        )
    )


@pytest.mark.parametrize(("name", "sep"), [(".env", "="), ("settings.py", " = ")])
def test_utf8_bom_and_crlf_keep_a_first_line_secret(tmp_path: Path, name: str, sep: str) -> None:
    root = tmp_path / "t"
    root.mkdir()
    pw = fakes.password("bom")
    value = f'"{pw}"' if name.endswith(".py") else pw
    first = f"DB_PASSWORD{sep}{value}"
    (root / name).write_bytes(b"\xef\xbb\xbf" + first.encode() + b"\r\nDEBUG=1\r\n")
    (f,) = scan_worktree([root], Config()).findings
    assert f.secret == pw
    # columns count from after the BOM, as editors (and Python's ast) do
    assert (f.span.line, f.span.column) == (1, first.index(pw) + 1)


def test_several_roots_keep_same_named_files_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "x.txt").write_text(_secret_line(name)[1])
    monkeypatch.chdir(tmp_path)
    both = scan_worktree([Path("a"), Path("b")], Config())
    assert sorted(f.path for f in both.findings) == ["a/x.txt", "b/x.txt"]
    assert len({f.fingerprint for f in both.findings}) == 2
    # one root: paths stay relative to it
    assert [f.path for f in scan_worktree([Path("a")], Config()).findings] == ["x.txt"]


def test_ignored_directory_named_explicitly_is_scanned(repo: Repo) -> None:
    repo.write(".gitignore", "build/\n")
    repo.write("src/app.txt", "nothing\n")
    repo.commit("init")
    repo.write("build/out/config.txt", _secret_line("built")[1])
    assert scan_worktree([repo.path], Config()).findings == ()  # ignored from the top
    for root, expected in (
        (repo.path / "build", "out/config.txt"),
        (repo.path / "build" / "out", "config.txt"),
    ):
        assert [f.path for f in scan_worktree([root], Config()).findings] == [expected]
    # a directory that is simply empty of listed files stays empty (no walk of untracked junk)
    (repo.path / "src" / "empty").mkdir()
    assert scan_worktree([repo.path / "src" / "empty"], Config()).files_scanned == 0


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_text_with_bom_is_scanned(tmp_path: Path, encoding: str) -> None:
    root = tmp_path / "t"
    root.mkdir()
    key = fakes.aws_key_id(encoding)
    text = f"# deploy script\r\n$id = 'é'; aws_access_key_id = {key}\r\n"
    bom = b"\xff\xfe" if encoding.endswith("le") else b"\xfe\xff"
    (root / "deploy.ps1").write_bytes(bom + text.encode(encoding))
    (root / "blob.bin").write_bytes(b"\xff\xfe\x00\xd8")  # a BOM, then an unpaired surrogate
    result = scan_worktree([root], Config())
    (f,) = result.findings
    assert (f.secret, f.span.line, f.span.column) == (key, 2, text.splitlines()[1].index(key) + 1)
    assert _skips(result) == {"blob.bin": "binary"}
