"""credmigrate's own hook passes on credmigrate: every fake secret in the repository is either
in rules/ (each rule's examples) or accepted in the project's baseline, and a new one is caught."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from credmigrate.cli.main import main
from tests import fakes

ROOT = Path(__file__).resolve().parents[1]


def test_the_project_scans_clean_with_its_baseline(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", str(ROOT)]) == 0, capsys.readouterr().out[-2000:]


def test_a_new_secret_in_tests_is_still_caught(tmp_path: Path) -> None:
    copy = tmp_path / "project"
    files = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    for name in filter(None, files):
        src = ROOT / name.decode()
        if src.is_file():
            dst = copy / name.decode()
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
    (copy / "tests" / "test_new.py").write_text(f'TOKEN = "{fakes.github_pat("self")}"\n')
    assert main(["scan", str(copy)]) == 1
