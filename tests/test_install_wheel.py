"""The built wheel (not the editable checkout) ships the rules and runs.

Builds the wheel from this checkout, installs it into a bare target directory, and runs the
installed copy in a subprocess whose import path holds only that directory plus the venv's
dependencies, from a working directory outside the checkout.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import fakes

REPO_ROOT = Path(__file__).resolve().parents[1]


def _pip(*args: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    wheel_dir = tmp_path_factory.mktemp("wheel")
    target = tmp_path_factory.mktemp("target")
    built = _pip(
        "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheel_dir), str(REPO_ROOT)
    )
    if built.returncode != 0:  # no build backend in this environment: let pip fetch it
        built = _pip("wheel", "--no-deps", "-q", "-w", str(wheel_dir), str(REPO_ROOT))
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = wheel_dir.glob("credmigrate-*.whl")
    inst = _pip("install", "--no-deps", "-q", "--target", str(target), str(wheel))
    assert inst.returncode == 0, inst.stderr[-2000:]
    return target


def _run(target: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "XDG_CACHE_HOME"}}
    env["PYTHONPATH"] = str(target)
    env["HOME"] = str(cwd)  # a fresh rules cache
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=120, cwd=cwd, env=env
    )


def test_installed_package_and_rules_come_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    code = (
        "import credmigrate, credmigrate.detect.rules as r\n"
        "print(credmigrate.__file__)\n"
        "print(r.builtin_rule_dir())\n"
        "print(len(r.builtin_rules()))\n"
    )
    out = _run(installed, tmp_path, "-c", code)
    assert out.returncode == 0, out.stderr
    module_file, rule_dir, count = out.stdout.split("\n")[:3]
    assert Path(module_file).resolve().is_relative_to(installed.resolve())
    assert Path(rule_dir).resolve() == (installed / "credmigrate" / "_rules").resolve()
    shipped = sorted(p.name for p in (installed / "credmigrate" / "_rules").glob("*.toml"))
    assert shipped == sorted(p.name for p in (REPO_ROOT / "rules").glob("*.toml"))
    assert int(count) >= 20


def test_installed_cli_lists_rules_and_finds_a_key(installed: Path, tmp_path: Path) -> None:
    listed = _run(installed, tmp_path, "-m", "credmigrate", "rules", "list")
    assert listed.returncode == 0, listed.stderr
    ids = {line.split()[0] for line in listed.stdout.splitlines() if line.strip()}
    assert {"aws-access-key-id", "github-token", "private-key", "uri-password"} <= ids

    project = tmp_path / "project"
    project.mkdir()
    (project / "settings.cfg").write_text(f"aws_access_key_id = {fakes.aws_key_id('wheel')}\n")
    found = _run(installed, tmp_path, "-m", "credmigrate", "scan", str(project))
    assert found.returncode == 1, found.stderr
    assert "aws-access-key-id" in found.stdout
    page = tmp_path / "report.html"  # the templates ship in the wheel as package data
    html = _run(
        installed,
        tmp_path,
        "-m",
        "credmigrate",
        "scan",
        "-f",
        "html",
        "-o",
        str(page),
        str(project),
    )
    assert html.returncode == 1, html.stderr
    assert "aws-access-key-id" in page.read_text(encoding="utf-8")

    (project / "settings.cfg").write_text("region = eu-west-1\n")
    clean = _run(installed, tmp_path, "-m", "credmigrate", "scan", str(project))
    assert clean.returncode == 0, clean.stdout + clean.stderr
