"""The gate a pull request cannot switch off: ``--since REV`` reads its inputs from REV.

Each test is a pull request trying to silence the gate through the files that configure it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Repo
from tests.gitscan_helpers import env_line, run_cli, token
from tests.test_reports_sarif import _validator

NOTICE = "credmigrate-gate-input-changed"
BASELINE = ".credmigrate-baseline.json"


@pytest.fixture
def pr(repo: Repo) -> Repo:
    """main has a config naming a baseline; HEAD is a feature branch off main."""
    repo.write(".credmigrate.toml", f'baseline = "{BASELINE}"\nexclude = ["docs/**"]\n')
    repo.write("app.py", "print('hello')\n")
    repo.commit("main")
    repo.git("checkout", "-q", "-b", "feature")
    return repo


def _gate(
    repo: Repo, capsys: pytest.CaptureFixture[str], *extra: str, fmt: str = "json"
) -> tuple[int, str, str]:
    return run_cli(["scan", "--since", "main", "--format", fmt, *extra], capsys, cwd=repo.path)


def _rules(report: str) -> list[str]:
    return sorted(f["rule_id"] for f in json.loads(report)["findings"])


def _baseline_accepting(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    """What a PR author would do: write the baseline from the branch's own findings."""
    code, _o, _e = run_cli(
        ["scan", "--since", "main", "--allow-config-changes", "--update-baseline", BASELINE],
        capsys,
        cwd=repo.path,
    )
    assert code == 0


def test_secret_baselined_in_the_same_commit_is_blocked(
    pr: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    pr.write("deploy.env", env_line(61))
    pr.commit("add a token")
    _baseline_accepting(pr, capsys)
    pr.git("add", "-A")
    pr.git("commit", "-q", "--amend", "-m", "add a token and accept it in the baseline")
    assert BASELINE in pr.git("show", "--name-only", "--format=", "HEAD")
    code, out, err = _gate(pr, capsys)
    assert code == 1, err
    rules = _rules(out)
    assert NOTICE in rules and len(rules) == 2  # the secret itself, and the baseline change
    notice = next(f for f in json.loads(out)["findings"] if f["rule_id"] == NOTICE)
    assert notice["path"] == BASELINE
    assert token(61) not in out
    # the old behaviour, now opt-in after review: the PR's own baseline is honoured
    code, out, err = _gate(pr, capsys, "--allow-config-changes")
    assert code == 0 and _rules(out) == []
    assert f"--allow-config-changes: used the reviewed commits' {BASELINE}" in err


def test_pr_that_only_edits_excludes_is_flagged_in_every_format(
    pr: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    pr.write(".credmigrate.toml", f'baseline = "{BASELINE}"\nexclude = ["**"]\n')
    pr.commit("exclude everything")
    code, out, _e = _gate(pr, capsys)
    assert code == 1 and _rules(out) == [NOTICE]
    code, text, _e = _gate(pr, capsys, fmt="text")
    assert code == 1 and NOTICE in text and ".credmigrate.toml changed since main" in text
    code, sarif, _e = _gate(pr, capsys, fmt="sarif")
    doc = json.loads(sarif)
    _validator().validate(doc)  # still valid SARIF 2.1.0, with a rule entry for the notice
    results = doc["runs"][0]["results"]
    assert code == 1 and [r["ruleId"] for r in results] == [NOTICE]
    rules = doc["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules if r["id"] == NOTICE] == [NOTICE]
    code, junit, _e = _gate(pr, capsys, fmt="junit")
    assert code == 1 and NOTICE in junit and "<failure" in junit


def test_excluding_the_new_secret_does_not_hide_it(
    pr: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    pr.write(".credmigrate.toml", f'baseline = "{BASELINE}"\nexclude = ["secrets/**"]\n')
    pr.write("secrets/prod.env", env_line(62))
    pr.commit("a secret in a folder the PR excludes")
    code, out, _e = _gate(pr, capsys)
    assert code == 1
    findings = json.loads(out)["findings"]
    assert {f["path"] for f in findings} == {"secrets/prod.env", ".credmigrate.toml"}


def test_min_confidence_raised_in_pyproject_is_flagged_but_other_edits_are_not(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.write("pyproject.toml", '[project]\nname = "x"\nversion = "1"\n')
    repo.commit("main")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("pyproject.toml", '[project]\nname = "x"\nversion = "2"\n')
    repo.commit("release 2: not the gate's business")
    assert _gate(repo, capsys)[0] == 0
    repo.write(
        "pyproject.toml",
        '[project]\nname = "x"\nversion = "2"\n\n[tool.credmigrate]\nmin_confidence = "high"\n',
    )
    repo.commit("quieter gate")
    code, out, _e = _gate(repo, capsys)
    assert code == 1 and _rules(out) == [NOTICE]


def test_rule_file_allowlist_added_by_the_pr_is_not_used(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    rule = (
        '[[rules]]\nid = "corp-key"\ndescription = "Corp key"\n'
        "regex = '''CORP_[A-Z0-9]{20}'''\nkeywords = [\"corp_\"]\n"
    )
    repo.write("ci/rules.toml", rule)
    repo.write(".credmigrate.toml", 'extra_rules = ["ci/rules.toml"]\n')
    repo.commit("main")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("ci/rules.toml", rule + "[allowlist]\npaths = ['''.*''']\n")
    repo.write("service.cfg", "key = CORP_ABCDEFGHIJ0123456789\n")
    repo.commit("a corp key, and an allowlist for everything")
    code, out, _e = _gate(repo, capsys)
    assert code == 1
    assert _rules(out) == sorted(["corp-key", NOTICE])


def test_baseline_accepted_on_main_still_applies(
    pr: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    pr.git("checkout", "-q", "main")
    fixture = pr.write("fixtures/test.env", env_line(63))
    code, _o, _e = run_cli(["scan", "--update-baseline", BASELINE, "."], capsys, cwd=pr.path)
    assert code == 0
    fixture.unlink()
    pr.commit("accept the coming test fixture (reviewed on main)")
    pr.git("checkout", "-q", "-b", "feature2")
    pr.write("fixtures/test.env", env_line(63))
    pr.commit("add the accepted fixture")
    code, out, err = _gate(pr, capsys)
    assert code == 0, err
    assert json.loads(out)["findings"] == []
    assert json.loads(out)["summary"]["suppressed"] == 1


def test_config_outside_the_repository_is_the_ci_jobs_own(
    pr: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    own = tmp_path / "gate.toml"
    own.write_text('exclude = ["vendor/**"]\n')
    pr.write("vendor/lib.env", env_line(64))
    pr.write(".credmigrate.toml", 'exclude = ["**"]\n')
    pr.commit("vendored secret; repo config edited")
    code, out, _e = _gate(pr, capsys, "--config", str(own))
    doc: dict[str, Any] = json.loads(out)
    assert code == 0 and doc["findings"] == []  # the CI job's config excludes vendor/ itself


def test_rule_path_escaping_the_repository_is_not_copied_from_git(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.write(".credmigrate.toml", 'extra_rules = ["../../outside.toml"]\n')
    repo.write("app.py", "x = 1\n")
    repo.commit("main")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("b.py", "y = 2\n")
    repo.commit("work")
    code, _out, err = _gate(repo, capsys)
    assert code == 3
    [line] = err.strip().splitlines()
    assert "rule file not found" in line and "outside.toml" in line
