"""Migrating a project, not a file: shapes met on public Python projects, kept without the network.

Each test is one family seen there: the same value in many files, a script run from its own
folder next to a package, an env var that used to win, test configurations, lock files and old
Pythons, config files that can't call Python, vendored code and committed bytecode.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import boto3

from credmigrate.cli.main import main
from credmigrate.config import Config
from credmigrate.findings.model import Span, Status
from credmigrate.migrate.pipeline import MigrateRequest, collect_findings, make_plan
from credmigrate.migrate.plan import PlanOptions, build_plan
from credmigrate.rewrite.accessor import ACCESSOR_MIN_PYTHON, render_accessor
from credmigrate.rewrite.deps import boto3_edits, python_floor_of
from tests import fakes
from tests.conftest import Repo
from tests.fakes_migrate import finding
from tests.moto_server import MotoServer


def _leaves(values: dict[str, str]) -> list[str]:
    out: list[str] = []
    for v in values.values():
        try:
            data = json.loads(v)
        except ValueError:
            data = None
        out.extend(data.values() if isinstance(data, dict) else [v])
    return out


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# ------------------------------------------------------------ one stored value per distinct value


def test_same_value_in_many_files_and_classes_is_stored_once() -> None:
    pw = fakes.password(1)
    key_id, key = fakes.aws_key_id(2), fakes.aws_secret_key(2)
    findings = [finding(f"app/module{i}.py", "DB_PASSWORD", pw, line=3) for i in range(14)]
    findings += [
        finding("config.py", "SQLALCHEMY_DATABASE_URI", pw, kind="class_attr", scope=cls, line=n)
        for n, cls in enumerate(("DevConfig", "LocalConfig", "ProdConfig", "StagingConfig"), 5)
    ]
    for path in ("scripts/upload.py", "scripts/sync.py"):
        findings += [
            finding(path, "aws_access_key_id", key_id, group=f"{path}#1", line=1),
            finding(path, "aws_secret_access_key", key, group=f"{path}#1", line=2),
        ]
    for mode in ("auto", "none"):
        plan = build_plan(findings, Config(), "shop", PlanOptions(group=mode))
        leaves = _leaves(dict(plan.values))
        assert sorted(leaves) == sorted({pw, key_id, key}), mode
        located = [loc for s in plan.secrets for k in s.keys for loc in k.locations]
        assert len(located) == len(findings)  # every location still points at a stored value
        assert plan.cost().secrets == len(plan.secrets) <= 3


def test_one_rotation_entry_per_history_only_value_and_no_bare_scheme() -> None:
    token = fakes.github_pat(3)
    findings = [
        finding(p, "TOKEN", token, status=Status.HISTORY_ONLY) for p in ("a.py", "b.py", "c.py")
    ]
    findings.append(finding("api.py", "AUTH_HEADER", "Bearer ", line=4))
    findings.append(finding("old.py", "AUTH", "Bearer ", status=Status.HISTORY_ONLY))
    plan = build_plan(findings, Config(), "shop", PlanOptions())
    assert [r.location for r in plan.rotation] == ["a.py:1; b.py:1; c.py:1"]
    assert plan.secrets == ()  # 'Bearer ' alone is no credential: not migrated either
    assert any("Bearer" in n for n in plan.notes)


def test_json_escaped_key_is_stored_unescaped_under_its_setting_name(tmp_path: Path) -> None:
    pem_escaped = "-----BEGIN PRIVATE KEY-----\\nMIIE" + fakes.token(40, 4) + "\\n-----END"
    (tmp_path / "sa.json").write_text('{\n  "private_key": "' + pem_escaped + '"\n}\n')
    pw = fakes.password(5)
    compose = f"services:\n  db:\n    environment:\n      - POSTGRES_PASSWORD={pw}\n"
    (tmp_path / "docker-compose.yml").write_text(compose)
    f1 = finding("sa.json", "x", pem_escaped, line=2, python=False, rule_id="private-key")
    f2 = finding("docker-compose.yml", "x", pw, line=4, python=False, rule_id="generic-secret")
    f2 = f2._replace(span=Span(4, 26, 4, 26 + len(pw)))
    plan = build_plan([f1, f2], Config(), "svc", PlanOptions(), root=tmp_path)
    stored = {k: v for s in plan.values.values() for k, v in json.loads(s).items()}
    assert stored["private_key"].startswith("-----BEGIN PRIVATE KEY-----\nMIIE")
    assert "\\n" not in stored["private_key"]
    assert stored["POSTGRES_PASSWORD"] == pw
    todo = " ".join(f.instruction for f in plan.flagged)
    assert "get_secret" not in todo and "${POSTGRES_PASSWORD}" in todo


# ------------------------------------------------------------ end to end on a small project

BOT = """\
import hashlib

TOKEN = "{token}"

if __name__ == "__main__":
    print(hashlib.sha256(TOKEN.encode()).hexdigest())
"""

SETTINGS = """\
import os
import shlex

DB_PASSWORD = "{pw}"
SECRET_KEY = os.environ.get("SECRET_KEY", "{key}")
"""

WORKER = """\
DB_PASSWORD = "{pw}"
"""

CONFIG = """\
class Config:
    API_KEY = "{api}"


class TestConfig(Config):
    API_KEY = "{test_api}"
"""

MAIN = """\
import hashlib
from api.settings import DB_PASSWORD, SECRET_KEY
from worker import DB_PASSWORD as W
from config import Config

for v in (DB_PASSWORD, SECRET_KEY, W, Config.API_KEY):
    print(hashlib.sha256(v.encode()).hexdigest())
"""


def _python(cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
    out = subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env=env or dict(os.environ),
    )
    assert out.returncode == 0, out.stderr
    return out.stdout


def _project(repo: Repo) -> dict[str, str]:
    values = {
        "token": fakes.slack_bot_token(6),
        "pw": fakes.password(7),
        "key": fakes.token(50, 8),
        "api": fakes.token(40, 9),
        "test_api": fakes.token(40, 10),
    }
    repo.write("bot/app.py", BOT.format(**values))
    repo.write("bot/requirements.txt", "requests\n")
    repo.write("api/__init__.py", "")
    repo.write("api/settings.py", SETTINGS.format(**values))
    repo.write("worker.py", WORKER.format(**values))
    repo.write("config.py", CONFIG.format(**values))
    repo.write("main.py", MAIN)
    repo.write("requirements.txt", "flask\n")
    repo.commit("app")
    return values


def test_migrated_project_runs_from_where_it_ran(repo: Repo, moto: MotoServer) -> None:
    values = _project(repo)
    bot_before = _python(repo.path / "bot", "app.py")
    main_before = _python(repo.path, "main.py")
    # 1: the test configuration's value stays in the source for a human (flagged)
    assert main(["migrate", str(repo.path), "--yes", "--writes-per-second", "0"]) == 1

    for v in values.values():
        if v != values["test_api"]:
            for path in ("bot/app.py", "api/settings.py", "worker.py", "config.py"):
                assert v not in (repo.path / path).read_text()
    # a test configuration is never rewritten
    assert values["test_api"] in (repo.path / "config.py").read_text()
    # one accessor per place the code is imported from: the script's folder, the package, root
    assert (repo.path / "bot" / "_credmigrate_secrets.py").is_file()
    assert (repo.path / "api" / "_credmigrate_secrets.py").is_file()
    assert (repo.path / "_credmigrate_secrets.py").is_file()
    assert (
        "from api._credmigrate_secrets import get_secret"
        in (repo.path / "api" / "settings.py").read_text()
    )
    for req in ("bot/requirements.txt", "requirements.txt"):
        assert "boto3>=1.28.57" in (repo.path / req).read_text()

    # started the way it was started, with the same values
    assert _python(repo.path / "bot", "app.py") == bot_before
    assert _python(repo.path, "main.py") == main_before

    # one stored value per distinct value (the password is in two files)
    client = boto3.client("secretsmanager")
    names = [s["Name"] for s in client.list_secrets()["SecretList"]]
    stored = {n: client.get_secret_value(SecretId=n)["SecretString"] for n in names}
    leaves = _leaves(stored)
    # the test configuration's value is found only in test code: never uploaded
    assert len(leaves) == len(set(leaves)) == len(values) - 1

    # the env var that used to win still wins over the stored value
    dead = {**os.environ, "AWS_ENDPOINT_URL_SECRETS_MANAGER": "http://127.0.0.1:9"}
    dead["SECRET_KEY"] = "from-the-environment"
    code = "import api.settings as s; print(s.SECRET_KEY)"
    # DB_PASSWORD in the same module is fetched at import, so AWS is needed for the module;
    # with a secrets file standing in for AWS, the env var still wins over the stored value
    secrets_file = repo.path.parent / "secrets.json"
    secrets_file.write_text(json.dumps({n: json.loads(v) for n, v in stored.items()}))
    dead["CREDMIGRATE_SECRETS_FILE"] = str(secrets_file)
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=repo.path, capture_output=True, text=True, env=dead
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "from-the-environment"

    # a second run changes nothing
    state = repo.git("status", "--porcelain")
    assert main(["migrate", str(repo.path), "--yes", "--writes-per-second", "0"]) == 1
    assert repo.git("status", "--porcelain") == state


def test_env_prints_export_lines_for_config_files(repo: Repo, moto: MotoServer) -> None:
    pw = fakes.password(11)
    repo.write(
        "docker-compose.yml",
        f"services:\n  db:\n    environment:\n      - POSTGRES_PASSWORD={pw}\n",
    )
    repo.commit("compose")
    # 1: the compose file still holds the value until it reads ${POSTGRES_PASSWORD}
    assert main(["migrate", str(repo.path), "--yes", "--writes-per-second", "0"]) == 1
    out = subprocess.run(
        [sys.executable, "-m", "credmigrate", "env", str(repo.path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert f"export POSTGRES_PASSWORD={shlex.quote(pw)}" in out.stdout.splitlines()


# ------------------------------------------------------------ vendored code, bytecode


def test_vendored_code_is_skipped_unless_asked_and_bytecode_is_reported(repo: Repo) -> None:
    token = fakes.github_pat(12)
    own = fakes.github_pat(13)
    repo.write("node_modules/pkg/index.js", f'const token = "{token}";\n')
    repo.write("myenv/pyvenv.cfg", "home = /usr/bin\n")
    repo.write("myenv/Lib/site-packages/pkg/mod.py", f'TOKEN = "{token}"\n')
    repo.write("static/vendor/app.min.js", f'var t="{token}";\n')
    repo.write("settings.py", f'GITHUB_TOKEN = "{own}"\n')
    repo.write("__pycache__/settings.cpython-311.pyc", b"\x00\x00" + own.encode() + b"\x00")
    repo.commit("vendored")
    req = MigrateRequest(root=repo.path, config=Config(), history=False)
    scanned = collect_findings(repo.path, Config(), history=False)
    assert {f.path for f in scanned.findings} == {"settings.py"}
    assert any("vendored" in n and "--include-vendored" in n for n in scanned.notes)
    plan = make_plan(req, scanned)
    assert any("git rm --cached '__pycache__/settings.cpython-311.pyc'" in n for n in plan.notes)
    everything = collect_findings(repo.path, Config(), history=False, include_vendored=True)
    assert len({f.path for f in everything.findings}) >= 3


# ------------------------------------------------------------ dependencies and Python versions


def test_lock_files_stop_the_edit_with_the_exact_command(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\ndependencies = ["flask"]\n')
    for lock, command in (
        ("uv.lock", "uv add 'boto3>=1.28.57'"),
        ("poetry.lock", "poetry add 'boto3>=1.28.57'"),
        ("Pipfile.lock", "pipenv install 'boto3>=1.28.57'"),
    ):
        (tmp_path / lock).write_text("")
        (edit,) = boto3_edits(tmp_path)
        assert edit.new == edit.old and command in edit.note
        (tmp_path / lock).unlink()
    (edit,) = boto3_edits(tmp_path)
    assert "boto3>=1.28.57" in edit.new and not edit.note


def test_requirements_that_cannot_be_appended_to_are_not_corrupted(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_bytes("flask==3.0\n".encode("utf-16"))
    (edit,) = boto3_edits(tmp_path)
    assert edit.new == edit.old and "UTF-16" in edit.note
    (tmp_path / "requirements.txt").write_text("flask==3.0 --hash=sha256:" + "0" * 64 + "\n")
    (edit,) = boto3_edits(tmp_path)
    assert edit.new == edit.old and "hash" in edit.note
    (tmp_path / "requirements.txt").unlink()
    (edit,) = boto3_edits(tmp_path)
    assert "pip install 'boto3>=1.28.57'" in edit.note  # no dependency file: still told where


def test_declared_python_decides_the_boto3_pin_and_whether_to_rewrite(repo: Repo) -> None:
    assert python_floor_of(repo.path) is None
    repo.write("runtime.txt", "python-3.6.15\n")
    assert python_floor_of(repo.path) == ((3, 6), "runtime.txt")
    ast.parse(
        render_accessor("_credmigrate_secrets", use_caching_library=False),
        feature_version=ACCESSOR_MIN_PYTHON,
    )
    repo.write("setup.py", "setup(classifiers=['Programming Language :: Python :: 2.7'])\n")
    repo.write("app/settings.py", f'SECRET_KEY = "{fakes.token(50, 14)}"\n')
    repo.commit("py2")
    scanned = collect_findings(repo.path, Config(), history=False)
    plan = make_plan(MigrateRequest(root=repo.path, config=Config(), history=False), scanned)
    assert plan.rewrite_paths == ()
    assert any("Python 2.7" in f.reason for f in plan.flagged)


# ------------------------------------------------------------ the project's line length


def test_rewritten_lines_respect_the_configured_line_length(repo: Repo) -> None:
    from credmigrate.rewrite.wrap import line_length

    token = fakes.token(40, 15)
    repo.write("pyproject.toml", "[tool.ruff]\nline-length = 79\n")
    repo.write(
        "service/settings.py",
        f'class ProductionSettings:\n    PAYMENTS_PROVIDER_API_TOKEN = "{token}"  # live\n',
    )
    repo.commit("long")
    assert line_length(repo.path, "service/settings.py") == 79
    scanned = collect_findings(repo.path, Config(), history=False)
    plan = make_plan(MigrateRequest(root=repo.path, config=Config(), history=False), scanned)
    (outcome,) = [o for o in plan.outcomes if o.path == "service/settings.py"]
    assert token not in outcome.new_source and "get_secret(" in outcome.new_source
    assert max(len(line) for line in outcome.new_source.splitlines()) <= 79
    assert "# live" in outcome.new_source
    compile(outcome.new_source, "settings.py", "exec")


def test_a_call_inside_an_f_string_is_never_wrapped() -> None:
    from credmigrate.rewrite.wrap import fit

    line = 'URL = f\'postgresql://u:{get_secret("credmigrate/x/app/settings", "DB")}@h/db\'\n'
    assert fit("", line, 40) == line


def test_the_plan_names_each_accessor_once_with_the_files_importing_it(repo: Repo) -> None:
    repo.write("bot/app.py", f'TOKEN = "{fakes.slack_bot_token(16)}"\n')
    repo.write("api/__init__.py", "")
    repo.write("api/settings.py", f'SECRET_KEY = "{fakes.token(50, 17)}"\n')
    repo.commit("two places")
    scanned = collect_findings(repo.path, Config(), history=False)
    plan = make_plan(MigrateRequest(root=repo.path, config=Config(), history=False), scanned)
    generated = [n for n in plan.notes if "(generated)" in n]
    assert generated == [
        "api/_credmigrate_secrets.py (generated): imported as "
        "`from api._credmigrate_secrets import get_secret` by api/settings.py",
        "bot/_credmigrate_secrets.py (generated): imported as "
        "`from _credmigrate_secrets import get_secret` by bot/app.py",
    ]


def test_every_literal_holding_a_reported_value_is_rewritten(repo: Repo, moto: MotoServer) -> None:
    """The Django tutorial shape: a commented-out copy first, then an env-var default."""
    key = "django-insecure-" + fakes.token(50, 18)
    repo.write(
        "site/settings.py",
        "import os\n"
        f"# SECRET_KEY = '{key}'\n"
        "SECRET_KEY = os.environ.get(\n"
        f"    'DJANGO_SECRET_KEY', '{key}')\n"
        f"SIGNING_KEY = '{key}'\n"
        "DATABASE_URI = 'postgresql://app:2996@localhost/app'\n"  # credmigrate:allow - a fake for the test
        "BASIC_AUTH_PASSWORD = '2996'\n"
        "PORT_NOTE = 'listens on 29960'\n",
    )
    repo.write("requirements.txt", "django\n")
    repo.commit("settings")
    assert main(["migrate", str(repo.path), "--yes", "--writes-per-second", "0"]) == 0
    text = (repo.path / "site" / "settings.py").read_text()
    assert key not in text  # the live lines and the commented-out copy
    assert "# SECRET_KEY = '<" in text  # the comment says where the value went
    assert "'2996'" not in text and "listens on 29960" in text  # short: whole literals only
    assert "os.environ.get(\n    'DJANGO_SECRET_KEY') or get_secret(" in text
    assert "SECRET_KEY')" in text  # keyed by a setting's name, not the rule id
    report = json.loads((repo.path / ".credmigrate" / "migration-report.json").read_text())
    assert not [f for f in report["needs_human"] if f["path"] == "site/settings.py"]
    env = {**os.environ, "DJANGO_SECRET_KEY": "from-env"}
    out = _python(repo.path / "site", "-c", "import settings; print(settings.SECRET_KEY)", env=env)
    assert out.strip() == "from-env"


def test_a_later_production_override_still_wins_without_aws(repo: Repo, moto: MotoServer) -> None:
    key = fakes.token(50, 19)
    repo.write(
        "settings.py",
        "import os\n"
        f'SECRET_KEY = "{key}"\n'
        'if os.environ.get("ENVIRONMENT") == "production":\n'
        '    SECRET_KEY = os.getenv("SECRET_KEY")\n',
    )
    repo.write("requirements.txt", "flask\n")
    repo.commit("settings")
    scanned = collect_findings(repo.path, Config(), history=False)
    plan = make_plan(MigrateRequest(root=repo.path, config=Config(), history=False), scanned)
    assert any("SECRET_KEY (env SECRET_KEY)" in n for n in plan.notes)
    assert main(["migrate", str(repo.path), "--yes", "--writes-per-second", "0"]) == 0
    text = (repo.path / "settings.py").read_text()
    assert key not in text and "SECRET_KEY = os.environ.get('SECRET_KEY') or get_secret(" in text
    prod = {**os.environ, "ENVIRONMENT": "production", "SECRET_KEY": "prod-key"}
    prod["AWS_ENDPOINT_URL_SECRETS_MANAGER"] = "http://127.0.0.1:9"  # no store in production
    code = "import settings; print(settings.SECRET_KEY)"
    assert _python(repo.path, "-c", code, env=prod).strip() == "prod-key"
    assert _python(repo.path, "-c", code).strip() == key  # development: from the store
