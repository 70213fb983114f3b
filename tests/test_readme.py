"""Every `credmigrate ...` command the README shows runs, as written, on a small repository.

(`./scripts/demo` and `./scripts/check` are run by `.ci/run`; the `pip install` lines by
tests/test_install_wheel.py.) Placeholders are mapped: `path/to/repo` is the scenario repo.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from credmigrate.cli.main import main
from credmigrate.findings.baseline import write_baseline
from tests import fakes
from tests.conftest import Repo

README = Path(__file__).resolve().parents[1] / "README.md"


def readme_commands() -> list[str]:
    text = README.read_text(encoding="utf-8")
    out: list[str] = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        for line in block.replace("\\\n", " ").splitlines():
            words = shlex.split(line, comments=True)
            if words and words[0] == "credmigrate":
                out.append(shlex.join(words))
    return out


def test_readme_has_the_commands_this_test_runs() -> None:
    cmds = readme_commands()
    assert any(c.startswith("credmigrate scan --history") for c in cmds)
    assert any(c.startswith("credmigrate migrate --yes") for c in cmds)
    assert len(cmds) >= 12


GITLEAKS_TOML = """
[[rules]]
id = "team-token"
description = "Our internal token"
regex = '''\\b(team_[a-z0-9]{24})\\b'''
keywords = ["team_"]
"""


@pytest.fixture
def scenario(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> Repo:
    repo.write("app/__init__.py", "")
    repo.write("app/settings.py", "DEBUG = False\n")
    repo.commit("base")
    repo.git("update-ref", "refs/remotes/origin/main", "HEAD")
    repo.write("app/settings.py", f'DEBUG = False\nSLACK_TOKEN = "{fakes.slack_bot_token(7)}"\n')
    repo.commit("add a token")
    rules_dir = Path(__file__).resolve().parents[1] / "rules"
    repo.write("my-rules.toml", (rules_dir / "saas.toml").read_text(encoding="utf-8"))
    repo.write(".gitleaks.toml", GITLEAKS_TOML)
    write_baseline(repo.path / ".credmigrate-baseline.json", [])  # the gate accepts nothing yet
    repo.write("repos.txt", "# scan --repos: this repository\n.\n")
    repo.commit("tooling files")
    monkeypatch.chdir(repo.path)
    return repo


def _run(cmd: str, repo: Repo) -> int:
    argv = [repo.path.as_posix() if w == "path/to/repo" else w for w in shlex.split(cmd)]
    assert argv[0] == "credmigrate"
    return main(argv[1:])


def test_every_readme_command_runs(
    scenario: Repo, moto: object, capsys: pytest.CaptureFixture[str]
) -> None:
    results: dict[str, int] = {}
    for cmd in readme_commands():
        code = _run(cmd, scenario)
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err, cmd
        results[cmd] = code
        assert code in (0, 1), f"{cmd!r} exited {code}: {captured.err.strip()[-300:]}"
    # the ones with a definite outcome
    assert results["credmigrate scan --history ."] == 1
    gate = [
        v for c, v in results.items() if c.startswith("credmigrate scan --since origin/main --b")
    ]
    assert gate == [1]
    assert results["credmigrate rules check my-rules.toml"] == 0
    assert results["credmigrate migrate --dry-run ."] == 0
    org = [v for c, v in results.items() if c.startswith("credmigrate scan --repos")]
    assert org == [1, 1]
    # after the migrate commands the token is gone from the tree
    settings = (scenario.path / "app" / "settings.py").read_text(encoding="utf-8")
    assert "get_secret(" in settings and "SLACK_TOKEN" in settings
