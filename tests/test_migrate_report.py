"""The report, the rotation list, the purge file, the journal, and limits checked before upload."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from credmigrate.cli.main import main
from credmigrate.config import Config
from credmigrate.errors import BadInputError
from credmigrate.migrate.apply import ApplyOptions, apply_plan, covers
from credmigrate.migrate.journal import Journal
from credmigrate.migrate.plan import PlanOptions, build_plan
from credmigrate.migrate.report import write_purge_file
from credmigrate.store.secrets_manager import SecretStore
from tests import fakes
from tests.conftest import Repo
from tests.fakes_migrate import finding
from tests.moto_server import FaultProxy, MotoServer


def test_history_secrets_go_on_the_rotation_list_and_the_purge_file(
    repo: Repo, moto: MotoServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    live_pw, old_token = fakes.password("live"), fakes.github_pat("old")
    repo.write("svc.py", f'DB_PASSWORD = "{live_pw}"\n')
    repo.write("old.py", f'GITHUB_TOKEN = "{old_token}"\n')
    repo.write("requirements.txt", "boto3>=1.28.57\n")  # no "install boto3" step: exit 0
    repo.commit("both")
    repo.git("rm", "-q", "old.py")
    repo.commit("remove old")
    purge_dir = tmp_path / "purge"
    rc = main(["migrate", str(repo.path), "--yes", "--purge-file-dir", str(purge_dir)])
    captured = capsys.readouterr()
    assert rc == 0, captured.err
    assert "Rotate (only in git history, not migrated): 1" in captured.out
    assert old_token not in captured.out and live_pw not in captured.out
    report = json.loads((repo.path / ".credmigrate/migration-report.json").read_text())
    assert [s["name"] for s in report["secrets"]] == ["credmigrate/repo/svc"]
    whys = [r["why"] for r in report["rotate"]]
    assert any(w.startswith("only in git history") for w in whys) and any(
        "migrated" in w for w in whys
    )
    assert report["iam_policy"]["Statement"][0]["Resource"][0].startswith(
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:credmigrate/repo/svc-"
    )
    md = (repo.path / ".credmigrate/migration-report.md").read_text()
    assert "git filter-repo --replace-text" in md
    assert "## Cost estimate" in md and report["cost"]["monthly_usd"] == 0.4
    html = (repo.path / ".credmigrate/migration-report.html").read_text()  # the twin
    assert report["secrets"][0]["arn"] in html and "only in git history" in html
    assert "svc.py" in html and "get_secret(" in html  # the rewrite's diff
    journal = (repo.path / ".credmigrate/journal.json").read_text()
    for text in (md, html, json.dumps(report), journal):
        assert live_pw not in text and old_token not in text
    purge = Path(report["purge"]["replace_text_file"])
    assert purge.parent == purge_dir
    assert stat.S_IMODE(purge.stat().st_mode) == 0o600
    lines = purge.read_text().splitlines()
    assert f"literal:{live_pw}==>***REMOVED-BY-CREDMIGRATE***" in lines
    assert f"literal:{old_token}==>***REMOVED-BY-CREDMIGRATE***" in lines
    assert "holds secret values" in captured.err
    assert (repo.path / ".credmigrate/.gitignore").read_text() == "*\n"
    assert repo.git("status", "--porcelain", "--", ".credmigrate") == ""


def test_purge_file_is_never_written_inside_the_repository(tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match="inside the repository"):
        write_purge_file(tmp_path, "r", [fakes.password(1)], tmp_path / "sub")
    assert not (tmp_path / "sub").exists()


def test_a_value_over_64_kb_is_refused_before_any_call(repo: Repo, fault_proxy: FaultProxy) -> None:
    big = fakes.token(70_000, "big")
    plan = build_plan([finding("cert.py", "PRIVATE_KEY", big)], Config(), "repo", PlanOptions())
    with pytest.raises(BadInputError, match="over Secrets Manager's 64 KB limit"):
        apply_plan(
            plan, repo.path, SecretStore(), Journal.load(repo.path), ApplyOptions(allow_dirty=True)
        )
    assert fault_proxy.counts == {}


def test_journal_records_outcomes_without_values(repo: Repo, moto: MotoServer) -> None:
    pw = fakes.password("j")
    plan = build_plan([finding("a.py", "PASSWORD", pw)], Config(), "repo", PlanOptions())
    journal = Journal.load(repo.path)
    result = apply_plan(plan, repo.path, SecretStore(), journal, ApplyOptions(allow_dirty=True))
    assert [e.outcome for e in result.entries] == ["created"]
    data = Journal.load(repo.path)
    entry = data.entries["credmigrate/repo/a"]
    assert entry.verified and entry.arn.startswith("arn:aws:secretsmanager:")
    assert data.state == "done"
    assert pw not in (repo.path / ".credmigrate/journal.json").read_text()
    assert [p.name for p in (repo.path / ".credmigrate").iterdir()] == [
        "journal.json"
    ]  # no temp left


def test_unreadable_journal_is_bad_input(tmp_path: Path) -> None:
    (tmp_path / ".credmigrate").mkdir()
    (tmp_path / ".credmigrate/journal.json").write_text("{not json")
    with pytest.raises(BadInputError, match="unreadable journal"):
        Journal.load(tmp_path)


def test_covers_accepts_a_superset_after_a_partial_rewrite() -> None:
    both = json.dumps({"A": "1", "B": "2"})
    assert covers(both, json.dumps({"B": "2"}))
    assert not covers(both, json.dumps({"B": "3"}))
    assert not covers("plain", "other")
    assert covers("plain", "plain")
