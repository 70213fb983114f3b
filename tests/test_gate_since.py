"""The CI gate: ``scan --since BASE --baseline FILE --format sarif -o out.sarif``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from credmigrate.config import Config
from credmigrate.findings.model import Status
from credmigrate.sources.diff import scan_since
from tests.conftest import Repo
from tests.gitscan_helpers import env_line, run_cli, token


@pytest.fixture
def pr(repo: Repo) -> Repo:
    """main holds an old, unbaselined secret; HEAD is a feature branch off main."""
    repo.write("legacy.env", env_line(50))
    repo.write("app.py", "print('hello')\n")
    repo.commit("main with a legacy secret")
    repo.git("checkout", "-q", "-b", "feature")
    return repo


def _gate(
    repo: Repo, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, dict[str, Any]]:
    out = repo.path.parent / "credmigrate.sarif"
    args = ["scan", "--since", "main", "--format", "sarif", "-o", str(out), *extra]
    code, _stdout, _err = run_cli(args, capsys, cwd=repo.path)
    doc: dict[str, Any] = json.loads(out.read_text()) if out.exists() else {}
    out.unlink(missing_ok=True)
    return code, doc


def _results(doc: dict[str, Any]) -> list[dict[str, Any]]:
    results = doc["runs"][0]["results"]
    assert isinstance(results, list)
    return results


def test_clean_pr_passes_despite_old_secrets(pr: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    pr.write("legacy.env", "# touched\n" + env_line(50))  # edit around the old secret
    pr.write("app.py", "print('hello, world')\n")
    pr.commit("feature work")
    code, doc = _gate(pr, capsys)
    assert code == 0
    assert _results(doc) == []


def test_new_secret_fails_with_sarif(pr: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    pr.write("app.env", env_line(51))
    sha = pr.commit("oops")
    code, doc = _gate(pr, capsys)
    assert code == 1
    [res] = _results(doc)
    assert res["partialFingerprints"]
    assert res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "app.env"
    assert token(51) not in json.dumps(doc)
    [f] = scan_since(pr.path, Config(), "main").findings
    assert f.commit is not None and f.commit.sha == sha and f.status is Status.LIVE


def test_baselined_secret_passes(pr: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    pr.write("fixture.env", env_line(52))
    pr.commit("test fixture")
    # Outside the repository: the CI job's own baseline. One inside is read from the base
    # (main), where the PR cannot add to it (tests/test_gate_trusted.py).
    baseline = pr.path.parent / "ci-baseline.json"
    code, _o, _e = run_cli(
        ["scan", "--since", "main", "--update-baseline", str(baseline)], capsys, cwd=pr.path
    )
    assert code == 0
    code, doc = _gate(pr, capsys, "--baseline", str(baseline))
    assert code == 0 and _results(doc) == []
    pr.write("more.env", env_line(53))
    pr.commit("a second, new secret")
    code, doc = _gate(pr, capsys, "--baseline", str(baseline))
    assert code == 1 and len(_results(doc)) == 1


def test_secret_added_then_removed_in_the_range_fails(
    pr: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    pr.write("tmp.env", env_line(54))
    pr.commit("add")
    pr.write("tmp.env", "")
    pr.commit("remove again: still in the branch's history")
    code, _doc = _gate(pr, capsys)
    assert code == 1
    [f] = scan_since(pr.path, Config(), "main").findings
    assert f.status is Status.HISTORY_ONLY


def test_moved_secret_is_not_new(pr: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    pr.write("legacy.env", "FIRST=1\nSECOND=2\n" + env_line(50))
    pr.commit("move lines around")
    assert _gate(pr, capsys)[0] == 0


def test_merging_main_into_the_branch_is_not_new(
    pr: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    pr.write("feature.txt", "f\n")
    pr.commit("feature")
    pr.git("checkout", "-q", "main")
    pr.write("main-only.env", env_line(55))
    pr.commit("a secret that landed on main meanwhile")
    pr.git("checkout", "-q", "feature")
    pr.git("merge", "-q", "--no-edit", "main")
    assert _gate(pr, capsys)[0] == 0


def test_unknown_base_is_exit_3_with_hint(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    repo.write("a.txt", "a\n")
    repo.commit("init")
    code, _out, err = run_cli(["scan", "--since", "origin/main"], capsys, cwd=repo.path)
    assert code == 3
    assert "origin/main" in err and "fetch" in err


def test_documented_workflows_run_the_gate() -> None:
    root = Path(__file__).resolve().parent.parent
    gate = "credmigrate scan --since"
    for name in ("github-actions.yml", "gitlab-ci.yml"):
        text = (root / "docs" / "ci" / name).read_text()
        assert gate in text and "--format sarif" in text and "--baseline" in text
    gha = (root / "docs" / "ci" / "github-actions.yml").read_text()
    assert "github/codeql-action/upload-sarif" in gha and "fetch-depth: 0" in gha


def test_renaming_a_file_with_an_old_secret_is_not_new(
    pr: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    pr.git("mv", "legacy.env", "renamed.env")
    pr.commit("rename")
    assert _gate(pr, capsys)[0] == 0
