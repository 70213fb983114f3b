"""The CLI's error boundary: any failure is one line on stderr and a documented exit code."""

from __future__ import annotations

from pathlib import Path

import pytest

from credmigrate.cli.main import main
from credmigrate.sources import worktree as scan_module


def _boom(*args: object, **kwargs: object) -> object:
    raise RuntimeError("unexpected state")


def test_unexpected_exception_is_one_line_exit_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(scan_module, "scan_worktree", _boom)
    (tmp_path / "a.txt").write_text("hello\n")
    code = main(["scan", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 3
    assert "Traceback" not in err
    assert err.count("\n") == 1 and "internal error: RuntimeError at test_cli_errors.py:" in err
    # the exception's own text is withheld: it could quote a secret
    assert "unexpected state" not in err


def test_debug_variable_reraises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scan_module, "scan_worktree", _boom)
    monkeypatch.setenv("CREDMIGRATE_DEBUG", "1")
    with pytest.raises(RuntimeError):
        main(["scan", str(tmp_path)])


def test_keyboard_interrupt_exits_130(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(*args: object, **kwargs: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(scan_module, "scan_worktree", interrupted)
    assert main(["scan", str(tmp_path)]) == 130
    assert "interrupted" in capsys.readouterr().err
