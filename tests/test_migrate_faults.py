"""`credmigrate migrate` under faults, end to end through the real scanner and moto over HTTP.

In each case: no source file changes unless the whole upload succeeded and was read back, one
clear line on stderr, and the documented exit code (3 dirty/changed, 4 store, 5 read-back).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from credmigrate.cli.main import main
from credmigrate.store.secrets_manager import SecretStore, StoreSettings
from tests import fakes
from tests.conftest import Repo
from tests.moto_server import FaultProxy, MotoServer

MODULES = ("billing", "search", "mailer")


def make_app(repo: Repo) -> dict[str, str]:
    """Three modules, two secrets each; committed. Returns {module: password}."""
    passwords: dict[str, str] = {}
    for i, mod in enumerate(MODULES):
        pw = fakes.password(f"{mod}{i}")
        passwords[mod] = pw
        repo.write(
            f"app/{mod}.py",
            f'"""The {mod} service."""\n\nDB_PASSWORD = "{pw}"  # fake\n'
            f'GITHUB_TOKEN = "{fakes.github_pat(mod)}"\n\n\ndef hello() -> str:\n    return "hi"\n',
        )
    repo.write("app/__init__.py", "")
    repo.commit("app")
    return passwords


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.parts and ".credmigrate" not in p.parts
    }


def run(repo: Repo, *args: str) -> int:
    return main(["migrate", str(repo.path), "--no-history", "--yes", *args])


def one_error_line(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.startswith("credmigrate: error:")]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_dry_run_changes_nothing(
    repo: Repo, fault_proxy: FaultProxy, capsys: pytest.CaptureFixture[str]
) -> None:
    make_app(repo)
    before = snapshot(repo.path)
    assert main(["migrate", str(repo.path), "--dry-run", "--no-history"]) == 0
    out = capsys.readouterr().out
    assert "credmigrate/repo/app/billing" in out and "GetSecretValue" in out
    assert snapshot(repo.path) == before
    assert fault_proxy.writes == 0


def test_apply_then_rerun_is_a_no_op(repo: Repo, fault_proxy: FaultProxy) -> None:
    passwords = make_app(repo)
    assert run(repo) == 0
    store = SecretStore()
    for mod, pw in passwords.items():
        remote = store.get(f"credmigrate/repo/app/{mod}")
        assert remote is not None and remote.value is not None
        assert json.loads(remote.value)["DB_PASSWORD"] == pw
        assert pw not in (repo.path / f"app/{mod}.py").read_text()
    writes = fault_proxy.writes
    repo.commit("migrated")
    after = snapshot(repo.path)
    assert run(repo) == 0
    assert fault_proxy.writes == writes  # the rerun made no write call
    assert snapshot(repo.path) == after
    assert all(store.version_count(f"credmigrate/repo/app/{m}") == 1 for m in MODULES)


def test_endpoint_dies_mid_upload_then_rerun_completes(
    repo: Repo, fault_proxy: FaultProxy, capsys: pytest.CaptureFixture[str]
) -> None:
    make_app(repo)
    before = snapshot(repo.path)
    fault_proxy.die_after_writes = 2  # the third create reaches the store, its answer is lost
    assert run(repo, "--group", "none") == 4
    assert "cannot reach the secret store" in one_error_line(capsys.readouterr().err)
    assert snapshot(repo.path) == before
    journal = json.loads((repo.path / ".credmigrate/journal.json").read_text())
    assert journal["state"] == "uploading"
    direct = SecretStore(StoreSettings(endpoint_url=fault_proxy.upstream_url))
    assert len(direct.list_names()) == 3  # the lost answer's create did reach the store
    fault_proxy.heal()
    assert run(repo, "--group", "none") == 0
    assert "resumed an interrupted run (2 secret(s) were already stored)" in capsys.readouterr().err
    store = SecretStore()
    names = store.list_names()
    assert len(names) == 2 * len(MODULES)  # every value exactly once
    assert all(store.version_count(n) == 1 for n in names)
    assert snapshot(repo.path) != before


def test_access_denied(
    repo: Repo, fault_proxy: FaultProxy, capsys: pytest.CaptureFixture[str]
) -> None:
    make_app(repo)
    before = snapshot(repo.path)
    fault_proxy.deny_ops = frozenset({"CreateSecret"})
    assert run(repo) == 4
    assert "access denied" in one_error_line(capsys.readouterr().err)
    assert snapshot(repo.path) == before


def test_throttling_is_retried(repo: Repo, fault_proxy: FaultProxy) -> None:
    make_app(repo)
    fault_proxy.throttle_ops = frozenset({"CreateSecret"})
    fault_proxy.throttle_remaining = 2
    assert run(repo) == 0
    assert fault_proxy.counts["CreateSecret"] == len(MODULES) + 2


def test_throttling_that_never_ends(
    repo: Repo,
    fault_proxy: FaultProxy,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "2")
    make_app(repo)
    before = snapshot(repo.path)
    fault_proxy.throttle_ops = frozenset({"CreateSecret"})
    fault_proxy.throttle_remaining = 10_000
    assert run(repo) == 4
    assert "throttled" in one_error_line(capsys.readouterr().err)
    assert snapshot(repo.path) == before


def test_existing_secret_with_another_value(
    repo: Repo, moto: MotoServer, capsys: pytest.CaptureFixture[str]
) -> None:
    make_app(repo)
    before = snapshot(repo.path)
    store = SecretStore()
    store.create(
        "credmigrate/repo/app/search", json.dumps({"DB_PASSWORD": "other-" + fakes.token(12, 9)})
    )
    assert run(repo) == 4
    line = one_error_line(capsys.readouterr().err)
    assert "already exists with a different value" in line and "--update-existing" in line
    assert snapshot(repo.path) == before
    assert run(repo, "--update-existing") == 0
    assert store.version_count("credmigrate/repo/app/search") == 2


def test_name_scheduled_for_deletion(
    repo: Repo, moto: MotoServer, capsys: pytest.CaptureFixture[str]
) -> None:
    make_app(repo)
    before = snapshot(repo.path)
    store = SecretStore()
    store.create("credmigrate/repo/app/mailer", "x" * 10)
    store.delete("credmigrate/repo/app/mailer")
    assert run(repo) == 4
    assert "scheduled for deletion" in one_error_line(capsys.readouterr().err)
    assert snapshot(repo.path) == before


def test_read_back_mismatch_exits_5(
    repo: Repo, fault_proxy: FaultProxy, capsys: pytest.CaptureFixture[str]
) -> None:
    make_app(repo)
    before = snapshot(repo.path)
    fault_proxy.tamper_reads = True
    assert run(repo) == 5
    assert "does not match" in one_error_line(capsys.readouterr().err)
    assert snapshot(repo.path) == before


def test_dirty_tree_is_refused_before_any_upload(
    repo: Repo, fault_proxy: FaultProxy, capsys: pytest.CaptureFixture[str]
) -> None:
    make_app(repo)
    path = repo.path / "app/search.py"
    path.write_text(path.read_text() + "# local edit\n")
    before = snapshot(repo.path)
    assert run(repo) == 3
    assert "uncommitted changes in files to be rewritten: app/search.py" in one_error_line(
        capsys.readouterr().err
    )
    assert snapshot(repo.path) == before
    assert fault_proxy.counts.get("CreateSecret", 0) == 0
    assert run(repo, "--allow-dirty") == 0


def test_odd_paths_make_valid_names(repo: Repo, moto: MotoServer) -> None:
    pw = fakes.password("odd")
    repo.write("weird dir/ünï cödé.py", f'DB_PASSWORD = "{pw}"\n')
    repo.write("pkg/key-abcdef.py", f'API_PASSWORD = "{fakes.password("odd2")}"\n')
    repo.commit("odd")
    assert run(repo) == 0
    names = sorted(SecretStore().list_names())
    assert names == ["credmigrate/repo/pkg/key_abcdef", "credmigrate/repo/weird_dir/_n_c_d_"]


def test_saved_plan_is_applied_and_refused_after_a_change(
    repo: Repo, moto: MotoServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    passwords = make_app(repo)
    plan_file = tmp_path / "plan.json"
    assert (
        main(["migrate", str(repo.path), "--no-history", "--dry-run", "--plan-out", str(plan_file)])
        == 0
    )
    text = plan_file.read_text()
    assert all(pw not in text for pw in passwords.values())
    repo.write("app/billing.py", f'DB_PASSWORD = "{fakes.password("changed")}"\n')
    repo.commit("changed")
    assert run(repo, "--plan", str(plan_file)) == 3
    assert "source changed" in one_error_line(capsys.readouterr().err)
    assert SecretStore().list_names() == []
    assert (
        main(["migrate", str(repo.path), "--no-history", "--dry-run", "--plan-out", str(plan_file)])
        == 0
    )
    assert run(repo, "--plan", str(plan_file)) == 0
    assert len(SecretStore().list_names()) == len(MODULES)


def test_interrupted_run_exits_130_and_the_rerun_resumes(
    repo: Repo, moto: MotoServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_app(repo)
    before = snapshot(repo.path)
    real_create = SecretStore.create
    calls: list[str] = []

    def create_then_interrupt(self: SecretStore, name: str, value: str, **kw: object) -> object:
        calls.append(name)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real_create(self, name, value, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(SecretStore, "create", create_then_interrupt)
    assert run(repo, "--group", "none") == 130
    assert snapshot(repo.path) == before
    journal = json.loads((repo.path / ".credmigrate/journal.json").read_text())
    assert journal["state"] == "uploading"
    stored = len(SecretStore().list_names())
    assert 1 <= stored < 2 * len(MODULES)
    monkeypatch.setattr(SecretStore, "create", real_create)
    assert run(repo, "--group", "none") == 0
    store = SecretStore()
    assert len(store.list_names()) == 2 * len(MODULES)
    assert all(store.version_count(n) == 1 for n in store.list_names())
