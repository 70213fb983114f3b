"""Values in test code are reported and flagged, never uploaded by default; a migration that
leaves values in the source exits 1 and names every such file."""

from __future__ import annotations

import pytest

from credmigrate.cli.main import main
from credmigrate.config import Config
from credmigrate.detect import testcode
from credmigrate.migrate.plan import PlanOptions, build_plan
from credmigrate.store.secrets_manager import SecretStore
from tests import fakes
from tests.conftest import Repo
from tests.fakes_migrate import finding
from tests.moto_server import MotoServer


@pytest.mark.parametrize(
    "path",
    [
        "tests/test_api.py",
        "pkg/tests/helpers.py",
        "test_views.py",
        "catalog/tests.py",
        "client_test.py",
        "unit_test/db.py",
        "src/testing/stubs.py",
        "conftest.py",
        "app/fixtures/aws.py",
        "config/test.py",
        "project/settings_test.py",
        "project/test_settings.py",
    ],
)
def test_test_paths(path: str) -> None:
    assert testcode.is_test_path(path)


@pytest.mark.parametrize(
    "path", ["app/settings.py", "latest.py", "contest/app.py", "attestation.py", "config/prod.py"]
)
def test_application_paths(path: str) -> None:
    assert not testcode.is_test_path(path)


@pytest.mark.parametrize("scope", ["TestingConfig", "TestConfig", "Settings.TestClient", "Test"])
def test_test_scopes(scope: str) -> None:
    assert testcode.is_test_scope(scope)


@pytest.mark.parametrize("scope", ["Config", "ProductionConfig", "Tester", "Testimonial", ""])
def test_application_scopes(scope: str) -> None:
    assert not testcode.is_test_scope(scope)


def test_plan_flags_test_values_and_uploads_the_rest() -> None:
    app, fixture, cls, shared = (fakes.password(s) for s in ("app", "fix", "cls", "shared"))
    findings = [
        finding("app/settings.py", "DB_PASSWORD", app),
        finding("tests/conftest.py", "AWS_SECRET", fixture),
        finding("config.py", "MAIL_PASSWORD", cls, scope="TestingConfig", kind="class_attr"),
        finding("app/settings.py", "API_TOKEN", shared, line=2),
        finding("tests/test_api.py", "API_TOKEN", shared),
    ]
    plan = build_plan(findings, Config(), "repo", PlanOptions())
    uploaded = set(plan.values.values())
    assert not any(fixture in str(v) or cls in str(v) for v in uploaded)
    assert any(app in str(v) and shared in str(v) for v in uploaded)
    reasons = {f.path: f.reason for f in plan.flagged}
    assert reasons["tests/conftest.py"] == "test code: not uploaded"
    assert reasons["config.py"] == "test configuration (TestingConfig): not uploaded"
    # its value is also the application's: uploaded (the test file itself is not rewritten)
    assert "not uploaded" not in reasons["tests/test_api.py"]
    everything = build_plan(findings, Config(), "repo", PlanOptions(include_tests=True))
    assert any(fixture in str(v) for v in everything.values.values())


def test_migrate_exits_1_naming_each_file_left_for_a_human(
    repo: Repo, moto: MotoServer, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.write("svc.py", f'DB_PASSWORD = "{fakes.password("svc")}"\n')
    repo.write("tests/test_svc.py", f'AWS_KEY = "{fakes.aws_key_id("t")}"\n')
    repo.commit("svc")
    rc = main(["migrate", str(repo.path), "--yes", "--no-history"])
    err = capsys.readouterr().err
    assert rc == 1, err
    assert "values left in the source of 1 file(s)" in err
    assert "tests/test_svc.py: test code: not uploaded" in err
    names = [s["Name"] for s in SecretStore()._client.list_secrets()["SecretList"]]
    assert names == ["credmigrate/repo/svc"]  # the test value was not uploaded
    assert "get_secret" in (repo.path / "svc.py").read_text()
