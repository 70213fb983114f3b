"""``credmigrate scan`` exit codes and one-line errors, in-process and as a real process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from credmigrate.cli.main import main
from tests import fakes


def _tree(tmp_path: Path, secret: bool) -> Path:
    root = tmp_path / "tree"
    root.mkdir(exist_ok=True)
    (root / "app.py").write_text("DEBUG = True\n")
    if secret:
        (root / "aws.txt").write_text(f"aws_access_key_id = {fakes.aws_key_id('exit')}\n")
    return root


def _one_error_line(err: str) -> str:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("credmigrate: error: ")
    return lines[0]


def test_clean_tree_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", str(_tree(tmp_path, secret=False))]) == 0
    assert "0 findings" in capsys.readouterr().out


def test_findings_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", str(_tree(tmp_path, secret=True))]) == 1
    assert "aws-access-key-id" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["scan", "--bogus", "ROOT"], "No such option"),
        (["scan", "--format", "xml", "ROOT"], "'xml' is not one of"),
        (["scan", "ROOT", "-f"], "requires an argument"),
        (["scan", "--min-confidence", "extreme", "ROOT"], "is not one of"),
        (["scan", "--max-file-size", "many", "ROOT"], "is not a valid integer"),
        (["scan", "--max-file-size", "0", "ROOT"], "must be positive"),
        (["nosuchcommand"], "No such command"),
    ],
)
def test_usage_errors_exit_2(
    argv: list[str], needle: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(_tree(tmp_path, secret=True))
    code = main([root if a == "ROOT" else a for a in argv])
    line = _one_error_line(capsys.readouterr().err)
    assert code == 2
    assert needle in line


@pytest.mark.parametrize(
    ("case", "needle"),
    [
        ("missing-path", "no such file or directory"),
        ("bad-pyproject", "invalid TOML"),
        ("bad-config-type", "must be a list of strings"),
        ("bad-min-confidence", "min_confidence"),
        ("missing-config", "config file not found"),
        ("bad-rule-file", "invalid regex"),
        ("missing-baseline", "does not exist"),
        ("bad-baseline", "baseline"),
        ("disabled-unknown", "disabled rule not found"),
    ],
)
def test_bad_input_exits_3_with_one_line(
    case: str, needle: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _tree(tmp_path, secret=True)
    argv = ["scan", str(root)]
    if case == "missing-path":
        argv = ["scan", str(tmp_path / "nope")]
    elif case == "bad-pyproject":
        (root / "pyproject.toml").write_text("[tool.credmigrate\nexclude = [\n")
    elif case == "bad-config-type":
        (root / "pyproject.toml").write_text('[tool.credmigrate]\nexclude = "*.txt"\n')
    elif case == "bad-min-confidence":
        (root / ".credmigrate.toml").write_text('min_confidence = "extreme"\n')
    elif case == "missing-config":
        argv = ["scan", "--config", str(tmp_path / "none.toml"), str(root)]
    elif case == "bad-rule-file":
        (tmp_path / "r.toml").write_text("[[rules]]\nid = 'x'\nregex = '[unclosed'\n")
        argv = ["scan", "--rules", str(tmp_path / "r.toml"), str(root)]
    elif case == "missing-baseline":
        argv = ["scan", "--baseline", str(tmp_path / "none.json"), str(root)]
    elif case == "bad-baseline":
        (tmp_path / "b.json").write_text("{not json")
        argv = ["scan", "--baseline", str(tmp_path / "b.json"), str(root)]
    elif case == "disabled-unknown":
        (root / "pyproject.toml").write_text('[tool.credmigrate]\ndisabled_rules = ["no-such"]\n')
    code = main(argv)
    captured = capsys.readouterr()
    line = _one_error_line(captured.err)
    assert code == 3
    assert needle in line
    assert captured.out == ""


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    return subprocess.run(
        [sys.executable, "-m", "credmigrate", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env=env,
    )


def test_real_process_exit_codes(tmp_path: Path) -> None:
    dirty = _tree(tmp_path, secret=True)
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "a.txt").write_text("nothing here\n")
    assert _run("scan", str(clean)).returncode == 0
    found = _run("scan", str(dirty))
    assert found.returncode == 1 and "aws-access-key-id" in found.stdout
    usage = _run("scan", "--format", "xml", str(dirty))
    assert usage.returncode == 2
    _one_error_line(usage.stderr)
    bad = _run("scan", str(tmp_path / "missing"))
    assert bad.returncode == 3
    _one_error_line(bad.stderr)


def test_real_process_default_path_is_cwd_and_no_color_off_a_tty(tmp_path: Path) -> None:
    root = _tree(tmp_path, secret=True)
    out = _run("scan", cwd=root)
    assert out.returncode == 1
    assert "aws.txt" in out.stdout
    assert "\x1b[" not in out.stdout  # stdout is a pipe, not a TTY


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "html"])
def test_scan_path_never_imports_boto3_or_libcst(tmp_path: Path, fmt: str) -> None:
    root = _tree(tmp_path, secret=True)
    (root / "settings.py").write_text(f'DB_PASSWORD = "{fakes.password("imp")}"\n')
    code = (
        "import sys\n"
        "from credmigrate.cli.main import main\n"
        f"rc = main(['scan', '-f', {fmt!r}, '-o', {str(tmp_path / 'r')!r}, {str(root)!r}])\n"
        "bad = [m for m in ('boto3', 'botocore', 'libcst', 'dask', 'distributed') if m in sys.modules]\n"
        "print(rc, ','.join(bad) or 'none')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    assert out.stdout.split() == ["1", "none"], out.stderr
