"""``scan --repos``: the repository list, the in-process engine, resume, the report and errors.

The dask engine has its own tests (tests/test_org_dask.py); here ``--workers 0`` runs every
repository in this process, which must give the same findings as scanning each one alone.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from credmigrate.config import Config
from credmigrate.sources.history import scan_history
from credmigrate.sources.org import (
    OrgOptions,
    RepoSpec,
    display_name,
    parse_repo_list,
    read_repo_list,
    scan_repo,
)
from credmigrate.sources.org_state import finding_from_record, finding_record
from credmigrate.sources.worktree import scan_worktree
from tests.conftest import git
from tests.gitscan_helpers import run_cli
from tests.org_helpers import keys, make_repo, write_list


@pytest.fixture
def org(tmp_path: Path) -> list[Path]:
    return [make_repo(tmp_path / "org", f"r{i}", seed=i) for i in range(3)]


def _report(out: str) -> dict[str, Any]:
    doc = json.loads(out)
    assert isinstance(doc, dict)
    return doc


def test_list_parsing_comments_duplicates_relative_paths_and_urls(tmp_path: Path) -> None:
    text = (
        "# the platform team's repositories\n"
        "\n"
        "svc/api\n"
        "  svc/web   # trailing comment\n"
        "svc/api\n"
        "https://ci:hunter2@git.example.invalid/org/a.git\n"
        "git@git.example.invalid:org/b.git\n"
        "file:///srv/git/c.git\n"
    )
    specs, notes = parse_repo_list(text, tmp_path)
    assert [s.source for s in specs[:2]] == [str(tmp_path / "svc/api"), str(tmp_path / "svc/web")]
    assert [s.name for s in specs[:2]] == ["svc/api", "svc/web"]
    assert [s.is_url for s in specs] == [False, False, True, True, True]
    assert specs[2].name == "https://ci:***@git.example.invalid/org/a.git"
    assert "hunter2" not in " ".join(s.name for s in specs)
    assert notes == ["line 5: svc/api repeats line 3; scanned once"]


def test_display_name_hides_tokens_only() -> None:
    assert display_name("https://tok@h.invalid/r.git") == "https://***@h.invalid/r.git"
    assert display_name("https://h.invalid/r.git") == "https://h.invalid/r.git"
    assert display_name("/srv/repo") == "/srv/repo"


def test_empty_or_missing_list_is_bad_input(tmp_path: Path) -> None:
    from credmigrate.errors import BadInputError

    with pytest.raises(BadInputError, match="does not exist"):
        read_repo_list(tmp_path / "nope.txt")
    with pytest.raises(BadInputError, match="names no repository"):
        read_repo_list(write_list(tmp_path / "l.txt", ["# nothing"]))


def test_task_matches_a_scan_of_the_repository_alone(org: list[Path]) -> None:
    spec = RepoSpec(str(org[1]), "r1", is_url=False)
    alone = scan_history(org[1], Config())
    outcome = scan_repo(spec, OrgOptions(Config(), history=True))
    assert outcome.ok and outcome.result is not None
    assert keys(outcome.result.findings) == keys(alone.findings, "r1")
    assert {f.status for f in alone.findings} == {
        f.status for f in outcome.result.findings
    } and len(alone.findings) >= 5
    tree = scan_repo(spec, OrgOptions(Config()))
    assert tree.result is not None
    assert keys(tree.result.findings) == keys(scan_worktree([org[1]], Config()).findings, "r1")


def test_a_url_is_cloned_and_scanned_like_the_repository(org: list[Path], tmp_path: Path) -> None:
    url = RepoSpec(org[0].as_uri(), org[0].as_uri(), is_url=True)
    local = RepoSpec(str(org[0]), org[0].as_uri(), is_url=False)
    scratch = tmp_path / "scratch"
    for history in (True, False):
        opts = OrgOptions(Config(), history=history)
        a = scan_repo(url, opts, scratch=scratch)
        b = scan_repo(local, opts)
        assert a.result is not None and b.result is not None, (a.error, b.error)
        assert keys(a.result.findings) == keys(b.result.findings)
        assert a.result.findings  # HEAD's tree has secrets too
    assert list(scratch.iterdir()) == []  # the clone is gone


def test_cli_sequential_report_has_every_repo_and_the_summary(
    org: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "org" / "broken"
    broken.mkdir()
    (broken / ".git").write_text("gitdir: /nonexistent\n")
    lst = write_list(tmp_path / "repos.txt", ["org/r0", "org/r1", "org/r2", "org/broken"])
    code, out, err = run_cli(
        ["scan", "--repos", str(lst), "--history", "--workers", "0", "-f", "json"], capsys
    )
    assert code == 3  # a repository failed: bad input, after reporting the others
    doc = _report(out)
    rows = doc["repositories"]
    assert isinstance(rows, list)
    assert [r["repo"] for r in rows] == ["org/r0", "org/r1", "org/r2", "org/broken"]
    assert [r["status"] for r in rows] == ["scanned"] * 3 + ["failed"]
    assert "not a git repository" in rows[3]["error"]
    want = set()
    for name, path in zip(("org/r0", "org/r1", "org/r2"), org, strict=True):
        want |= keys(scan_history(path, Config()).findings, name)
    got = doc["findings"]
    assert isinstance(got, list)
    assert {(f["repo"], f["fingerprint"], f["status"]) for f in got} == want
    assert rows[0]["live"] + rows[0]["history_only"] == sum(1 for f in got if f["repo"] == "org/r0")
    assert "dask" not in err  # --workers 0 asked for this process: no hint about dask
    assert "error: repository org/broken: " in err


def test_text_report_shows_repo_with_each_path_and_the_table(
    org: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lst = write_list(tmp_path / "repos.txt", ["org/r0", "org/r1"])
    code, out, _err = run_cli(["scan", "--repos", str(lst), "--workers", "0"], capsys)
    assert code == 1
    assert "org/r0: app.py" in out and "org/r1: deploy.env" in out
    table = out[out.index("repository ") :].splitlines()
    assert table[0].split() == ["repository", "live", "history-only", "seconds", "status"]
    assert table[1].split()[0] == "org/r0" and table[1].split()[-1] == "scanned"


def test_without_dask_it_says_so_once_and_gives_the_same_findings(
    org: list[Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from credmigrate.sources import org_dask

    lst = write_list(tmp_path / "repos.txt", ["org/r0", "org/r1", "org/r2"])
    args = ["scan", "--repos", str(lst), "--history", "-f", "json", "--no-progress"]
    _c, seq, _e = run_cli([*args, "--workers", "0"], capsys)
    monkeypatch.setattr(org_dask, "available", lambda: False)
    code, out, err = run_cli(args, capsys)
    assert code == 1
    assert err.count("dask.distributed is not installed") == 1
    assert "credmigrate[org]" in err
    assert _report(out)["findings"] == _report(seq)["findings"]
    code, _out, err = run_cli([*args, "--scheduler", "tcp://127.0.0.1:1"], capsys)
    assert code == 2 and "--scheduler needs dask.distributed" in err


def test_state_skips_unchanged_repos_and_rescans_moved_ones(
    org: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lst = write_list(tmp_path / "repos.txt", ["org/r0", "org/r1", "org/r2"])
    state = tmp_path / "state"
    args = ["scan", "--repos", str(lst), "--history", "--workers", "0", "-f", "json"]
    args += ["--state", str(state)]
    _c, first, _e = run_cli(args, capsys)
    records = list(state.iterdir())
    assert len(records) == 3
    stored = "".join(p.read_text() for p in records)
    for f in _report(first)["findings"]:
        assert f["fingerprint"] in stored
    from tests import fakes

    assert fakes.github_pat("1-0") not in stored  # values are never recorded
    (org[1] / "new.py").write_text(f'TOKEN = "{fakes.github_pat("moved")}"\n')
    git(org[1], "add", "-A")
    git(org[1], "commit", "-q", "-m", "moved")
    _c, second, _e = run_cli(args, capsys)
    doc = _report(second)
    rows = doc["repositories"]
    assert [r["status"] for r in rows] == ["unchanged", "scanned", "unchanged"]
    before = {(f["repo"], f["fingerprint"]) for f in _report(first)["findings"]}
    after = {(f["repo"], f["fingerprint"]) for f in doc["findings"]}
    assert before < after
    assert {r for r, _ in after - before} == {"org/r1"}
    # other settings: the records are not reused
    _c, third, err = run_cli([*args[:-2], "--state", str(state), "--since", "HEAD~1"], capsys)
    assert "made with other scan settings" in err
    assert {r["status"] for r in _report(third)["repositories"]} == {"scanned"}
    # a baseline needs the values, which the state never holds: everything is scanned again
    base = tmp_path / "b.json"
    code, _out, err = run_cli([*args, "--update-baseline", str(base)], capsys)
    assert code == 0 and "unchanged since" not in err and err.count(" findings in ") == 3
    stored = json.loads(base.read_text())
    assert len(stored["fingerprints"]) == len(after)


def test_state_records_round_trip_without_the_value(org: list[Path]) -> None:
    result = scan_history(org[1], Config())
    for f in result.findings:
        back = finding_from_record(json.loads(json.dumps(finding_record(f))))
        assert back.secret == ""

        assert back == f._replace(secret="")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--state", "s"], "go with --repos FILE"),
        (["--repos", "L", "somepath"], "not PATHS"),
        (["--repos", "L", "--staged"], "--staged can't be combined"),
        (["--repos", "L", "--workers", "-1"], "--workers must be 0 or more"),
        (["--repos", "L", "--workers", "2", "--scheduler", "tcp://h:8786"], "can't go with"),
    ],
)
def test_usage_errors(
    args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_list(tmp_path / "L", ["x"])
    code, _out, err = run_cli(["scan", *args], capsys, cwd=tmp_path)
    assert code == 2
    assert message in err and "Traceback" not in err


def test_a_baseline_applies_across_repos_and_to_the_summary_counts(
    org: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lst = write_list(tmp_path / "repos.txt", ["org/r0", "org/r1"])
    base = tmp_path / "accepted.json"
    args = ["scan", "--repos", str(lst), "--history", "--workers", "0", "-f", "json"]
    code, _out, _err = run_cli([*args, "--update-baseline", str(base)], capsys)
    assert code == 0
    code, out, _err = run_cli([*args, "--baseline", str(base)], capsys)
    doc = _report(out)
    assert code == 0 and doc["findings"] == [] and doc["summary"]["suppressed"] > 0
    assert [(r["live"], r["history_only"]) for r in doc["repositories"]] == [(0, 0), (0, 0)]
