"""Helpers shared by the history, staged, hook and gate tests."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from credmigrate.cli.main import main
from credmigrate.config import Config
from credmigrate.findings.model import Finding
from credmigrate.sources.history import scan_history
from tests import fakes


def token(seed: int | str) -> str:
    """A fake GitHub token: a high-confidence rule finds it in any file."""
    return fakes.github_pat(seed)


def env_line(seed: int | str, name: str = "GITHUB_TOKEN") -> str:
    return f'{name}="{token(seed)}"\n'


def history(path: Path, **kwargs: Any) -> list[Finding]:
    result = scan_history(path, Config(), jobs=kwargs.pop("jobs", 1), **kwargs)
    return list(result.findings)


def by_secret(findings: Sequence[Finding], secret: str) -> list[Finding]:
    return [f for f in findings if f.secret == secret]


def run_cli(
    args: Sequence[str], capsys: pytest.CaptureFixture[str], cwd: Path | None = None
) -> tuple[int, str, str]:
    old = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        code = main(list(args))
    finally:
        os.chdir(old)
    out, err = capsys.readouterr()
    return code, out, err


def json_findings(text: str) -> list[dict[str, Any]]:
    doc = json.loads(text)
    findings = doc["findings"]
    assert isinstance(findings, list)
    return findings
