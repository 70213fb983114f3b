"""Store options reach Secrets Manager: tags, replicas, KMS key, rotation; usage errors."""

from __future__ import annotations

import pytest

from credmigrate.cli.main import main
from credmigrate.store.secrets_manager import SecretStore, StoreSettings
from tests import fakes
from tests.conftest import Repo
from tests.moto_server import FaultProxy, MotoServer


def _app(repo: Repo) -> None:
    repo.write("svc.py", f'DB_PASSWORD = "{fakes.password("opt")}"\n')
    repo.commit("svc")


def test_tags_replicas_kms_and_prefix(repo: Repo, moto: MotoServer) -> None:
    _app(repo)
    rc = main(
        [
            "migrate", str(repo.path), "--yes", "--no-history", "--prefix", "acme",
            "--tag", "team=payments", "--replica-region", "eu-west-1",
            "--kms-key-id", "alias/aws/secretsmanager",
        ]
    )  # fmt: skip
    assert rc == 0
    d = SecretStore()._client.describe_secret(SecretId="acme/repo/svc")
    tags = {t["Key"]: t["Value"] for t in d["Tags"]}
    assert tags["team"] == "payments" and tags["credmigrate:path"] == "svc.py"
    assert [r["Region"] for r in d["ReplicationStatus"]] == ["eu-west-1"]


def test_rotation_failure_is_a_store_error_and_a_rerun_retries_it(
    repo: Repo, fault_proxy: FaultProxy, capsys: pytest.CaptureFixture[str]
) -> None:
    _app(repo)
    before = (repo.path / "svc.py").read_bytes()
    args = [
        "migrate", str(repo.path), "--yes", "--no-history",
        "--rotation-lambda", "arn:aws:lambda:us-east-1:123456789012:function:nope",
        "--rotate-after-days", "30",
    ]  # fmt: skip
    fault_proxy.deny_ops = frozenset({"RotateSecret"})
    assert main(args) == 4
    assert "access denied to set up rotation for" in capsys.readouterr().err
    assert (repo.path / "svc.py").read_bytes() == before
    assert fault_proxy.counts["CreateSecret"] == 1
    fault_proxy.heal()
    rotates = fault_proxy.counts["RotateSecret"]
    main(args)  # moto then looks the Lambda up; whatever it answers, the set-up is retried
    assert fault_proxy.counts["RotateSecret"] == rotates + 1
    assert fault_proxy.counts["CreateSecret"] == 1  # the value itself is not written again


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--yes", "--dry-run"], "exclude each other"),
        (["--rotation-lambda", "arn:aws:lambda:x"], "go together"),
        (["--tag", "novalue"], "KEY=VALUE"),
        (["--name-template", "{prefix}/{bogus}"], "unknown field"),
        (["--group", "nope"], "nope"),
    ],
)
def test_usage_errors_exit_2(
    repo: Repo, moto: MotoServer, args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _app(repo)
    assert main(["migrate", str(repo.path), "--no-history", *args]) == 2
    assert message in capsys.readouterr().err


def test_without_yes_on_a_pipe_nothing_is_applied(
    repo: Repo, fault_proxy: FaultProxy, capsys: pytest.CaptureFixture[str]
) -> None:
    _app(repo)
    assert main(["migrate", str(repo.path), "--no-history"]) == 0
    assert "pass --yes" in capsys.readouterr().err
    assert fault_proxy.writes == 0


def test_dry_run_without_a_region_still_shows_a_plan(
    repo: Repo,
    moto: MotoServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _app(repo)
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    monkeypatch.delenv("AWS_REGION", raising=False)
    assert main(["migrate", str(repo.path), "--no-history", "--dry-run"]) == 0
    assert "assumes us-east-1" in capsys.readouterr().err
    assert main(["migrate", str(repo.path), "--no-history", "--yes"]) == 3
    assert "no AWS region configured" in capsys.readouterr().err


def test_endpoint_url_option_without_the_environment_variable(
    repo: Repo, moto: MotoServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    _app(repo)
    monkeypatch.delenv("AWS_ENDPOINT_URL_SECRETS_MANAGER")
    rc = main(
        [
            "migrate",
            str(repo.path),
            "--no-history",
            "--yes",
            "--endpoint-url",
            moto.url,
            "--region",
            "eu-west-1",
        ]
    )
    assert rc == 0
    monkeypatch.setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", moto.url)
    remote = SecretStore(StoreSettings(region="eu-west-1")).get("credmigrate/repo/svc")
    assert remote is not None and remote.arn.startswith("arn:aws:secretsmanager:eu-west-1:")
