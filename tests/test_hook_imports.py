"""The pre-commit hook's import budget, and its click-free fast path.

``credmigrate scan --staged`` runs on every commit, so what it imports is part of its contract:
the budget is written down here as the modules it must NOT import (asserted on ``sys.modules`` of
a real run in a fresh interpreter, never on time). Timing lives in bench/hook.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from credmigrate.cli import fast
from tests.conftest import Repo
from tests.gitscan_helpers import env_line, run_cli, token

# Heavy or unrelated to a staged scan: detect-secrets' plugins and its `requests`, the migration
# stack (boto3, libcst, jinja2), progress/UI libraries (rich, tqdm), gitpython, click itself,
# parallelism, and our own stages the hook never reaches.
FORBIDDEN = (
    "click",
    "detect_secrets",
    "requests",
    "urllib3",
    "boto3",
    "botocore",
    "libcst",
    "jinja2",
    "rich",
    "tqdm",
    "dask",
    "git",  # gitpython
    "pathspec",  # only with exclude patterns
    "multiprocessing",
    "concurrent",
    "tomllib",  # no config file in this repository, and the parsed rules come from the cache
    "tempfile",
    "hashlib",  # nothing is fingerprinted on a clean commit
    "dataclasses",  # with inspect, ast, dis, tokenize: the records are named tuples
    "inspect",
    "pickle",  # the parsed rules are cached with marshal
    "credmigrate.cli.main",
    "credmigrate.migrate",
    "credmigrate.rewrite",
    "credmigrate.store",
    "credmigrate.sources.history",
    "credmigrate.sources.linegate",
    "credmigrate.sources.shards",
    "credmigrate.detect.ds_adapter",
    "credmigrate.detect.user_regex",  # google-re2: user rule files only
    "re2",
    "credmigrate.detect.python_ast",
    "credmigrate.findings.baseline",
)

_PROBE = """
import json, sys
from credmigrate.cli import fast
code = fast.run(sys.argv[2:])
with open(sys.argv[1], "w") as fh:
    json.dump({"code": code, "modules": sorted(sys.modules)}, fh)
"""


def _hook_run(repo: Repo, tmp_path: Path, *files: str) -> tuple[int, set[str]]:
    out = tmp_path / "modules.json"
    argv = ["scan", "--staged", "--no-progress", *files]
    subprocess.run(
        [sys.executable, "-c", _PROBE, str(out), *argv],
        cwd=repo.path,
        check=True,
        capture_output=True,
    )
    data = json.loads(out.read_text())
    return data["code"], set(data["modules"])


def _forbidden(modules: set[str]) -> list[str]:
    return sorted(m for m in modules for bad in FORBIDDEN if m == bad or m.startswith(bad + "."))


def test_clean_commit_stays_within_the_import_budget(repo: Repo, tmp_path: Path) -> None:
    repo.write("app.py", "def f():\n    return 1\n")
    repo.write("notes.md", "# notes\n")
    repo.commit("init")
    repo.write(
        "app.py", "def f():\n    api_key = load_key()\n    return 2\n"
    )  # a keyword, no secret
    repo.write("notes.md", "# notes\n\nthe password is in the vault\n")
    repo.git("add", "app.py", "notes.md")
    _hook_run(repo, tmp_path, "app.py", "notes.md")  # the first run fills the rule cache
    code, modules = _hook_run(repo, tmp_path, "app.py", "notes.md")
    assert code == 0
    assert "credmigrate.sources.staged" in modules  # the probe really ran the staged scan
    assert _forbidden(modules) == []


def test_a_blocked_commit_still_skips_the_heavy_stacks(repo: Repo, tmp_path: Path) -> None:
    repo.write("a.txt", "a\n")
    repo.commit("init")
    repo.write("deploy.env", env_line(60))
    repo.git("add", "deploy.env")
    code, modules = _hook_run(repo, tmp_path, "deploy.env")
    assert code == 1
    heavy = ("click", "detect_secrets", "requests", "boto3", "libcst", "git", "credmigrate.migrate")
    assert [m for m in _forbidden(modules) if m.split(".")[0] in heavy or m in heavy] == []


def test_a_token_that_a_generic_rule_also_matches_is_not_scored(repo: Repo, tmp_path: Path) -> None:
    """``GITHUB_TOKEN = "ghp_..."``: the generic name = value rule matches inside the provider
    finding, which wins anyway; its value filters and the scoring model are not loaded."""
    repo.write("a.txt", "a\n")
    repo.commit("init")
    repo.write("settings.cfg", f"GITHUB_TOKEN = {token(61)}\n")
    repo.git("add", "settings.cfg")
    code, modules = _hook_run(repo, tmp_path, "settings.cfg")
    assert code == 1
    assert "credmigrate.detect.scoring" not in modules
    assert "credmigrate.detect.ds_adapter" not in modules


@pytest.mark.parametrize(
    "argv",
    [
        ["scan", "--staged", "--no-progress", "a.py"],
        ["scan", "--staged", "-f", "json", "--", "-odd.py"],
        ["scan", "--history", "--format=sarif", "-j", "2", "."],
        ["scan", "x", "--jobs=1", "--no-progress"],
        ["scan", ".", "-f", "sarif", "-o", "results.sarif"],
        ["scan", "--output=-", "."],
    ],
)
def test_fast_path_takes_plain_scan_command_lines(argv: list[str]) -> None:
    assert fast.parse(argv) is not None


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--version"],
        ["rules", "list"],
        ["scan", "--help"],
        ["scan", "--staged", "--baseline", "b.json"],
        ["scan", "-f", "xml"],
        ["scan", "-f"],
        ["scan", "-fjson"],
        ["scan", "-j", "-1"],
        ["scan", "-"],
        ["scan", "--stag"],  # click would complete or reject it: not ours to guess
        ["scan", "-oreport.json"],  # an attached short option's value: click's to read
        ["scan", "--output="],
        ["scan", "-o"],
    ],
)
def test_anything_else_goes_to_click(argv: list[str]) -> None:
    assert fast.parse(argv) is None


def test_fast_path_and_click_give_the_same_report(
    repo: Repo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.write("a.txt", "a\n")
    repo.commit("init")
    repo.write("deploy.env", env_line(61))
    repo.git("add", "deploy.env")
    argv = ["scan", "--staged", "--no-progress", "--format", "json", "deploy.env"]
    code, out, err = run_cli(argv, capsys, cwd=repo.path)
    monkeypatch.chdir(repo.path)
    fast_code = fast.run(argv)
    fast_out, fast_err = capsys.readouterr()
    assert (fast_code, fast_out, fast_err) == (code, out, err)
    assert code == 1 and token(61) not in out + err


def test_fast_path_and_click_write_the_same_report_file(
    repo: Repo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.write("deploy.env", env_line(62))
    repo.commit("init")
    argv = ["scan", "--no-progress", "-f", "sarif", "-o", "click.sarif", "."]
    code, out, err = run_cli(argv, capsys, cwd=repo.path)
    monkeypatch.chdir(repo.path)
    assert fast.parse(argv) is not None
    fast_code = fast.run([*argv[:5], "fast.sarif", "."])
    fast_out, fast_err = capsys.readouterr()
    assert (fast_code, fast_out, fast_err.replace("fast.sarif", "click.sarif")) == (code, out, err)
    assert code == 1
    click_doc = json.loads((repo.path / "click.sarif").read_text())
    fast_doc = json.loads((repo.path / "fast.sarif").read_text())
    assert fast_doc == click_doc and click_doc["runs"][0]["results"]


def test_a_tree_scan_imports_no_dataclasses_nor_click(repo: Repo, tmp_path: Path) -> None:
    """``scan .`` in a repository (a CI step, an editor hook) takes the hook's light path: git
    lists the files, so neither pathspec nor its dataclasses are needed."""
    repo.write("deploy.env", env_line(63))
    repo.write(".gitignore", "*.log\n")
    repo.commit("init")
    out = tmp_path / "modules.json"
    subprocess.run(
        [sys.executable, "-c", _PROBE, str(out), "scan", "--no-progress", "-f", "json", "."],
        cwd=repo.path,
        check=True,
        capture_output=True,
    )
    data = json.loads(out.read_text())
    assert data["code"] == 1  # the token was found: the scan really ran
    modules = set(data["modules"])
    assert "credmigrate.sources.walker" in modules
    assert {"dataclasses", "inspect", "click", "pathspec"} & modules == set()
