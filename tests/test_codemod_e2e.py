"""A sample app: scan, rewrite, store the values in moto, then run the app in a subprocess.

The migration command uploads for real; here the upload is a plain boto3 call so that this test
exercises only the rewrite and the runtime accessor. The values really come from the store:
deleting the secret makes the import fail with the accessor's clear error.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import boto3

from credmigrate.config import Config
from credmigrate.detect.detector import Detector
from credmigrate.findings.model import Replacement, RewriteStatus
from credmigrate.rewrite.project import accessor_replacement_files, plan_rewrites, write_outcomes
from tests import fakes
from tests.moto_server import MotoServer

NAME = "credmigrate/shop/settings"

SETTINGS = '''\
"""Shop settings."""
import os

SECRET_KEY = "{secret_key}"
DATABASES = {{
    "default": {{
        "NAME": "shop",
        "PASSWORD": "{db_password}",  # production database
    }}
}}
CACHE_URL = "redis://:{cache_password}@cache.example.com:6379/0"
GITHUB_TOKEN = os.environ.get("GITHUB_TOKEN", "{github_token}")


def connect(user="shop", password="{fn_password}"):
    return f"{{user}}:{{password}}"
'''

CLIENT = """\
from shop.settings import DATABASES, SECRET_KEY, connect

SIGNING = SECRET_KEY
"""

PROBE = """\
import json
import shop.client as c
import shop.settings as s
print(json.dumps([c.SIGNING, s.DATABASES["default"]["PASSWORD"], s.CACHE_URL,
                  s.GITHUB_TOKEN, s.connect()]))
"""


def _run(root: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "GITHUB_TOKEN")}
    return subprocess.run(
        [sys.executable, "-c", PROBE], cwd=root, env=env, capture_output=True, text=True, timeout=60
    )


def test_migrated_app_reads_its_secrets_from_the_store(moto: MotoServer, tmp_path: Path) -> None:
    values = {
        "secret_key": fakes.token(50, "e2e-sk"),
        "db_password": fakes.password("e2e-db"),
        "cache_password": fakes.password("e2e-cache"),
        "github_token": fakes.github_pat("e2e-gh"),
        "fn_password": fakes.password("e2e-fn"),
    }
    root = tmp_path / "shop-repo"
    (root / "shop").mkdir(parents=True)
    (root / "shop" / "__init__.py").write_text("")
    (root / "shop" / "settings.py").write_text(SETTINGS.format(**values))
    (root / "shop" / "client.py").write_text(CLIENT)
    (root / "requirements.txt").write_text("django>=4\n")
    original = _run(root)
    assert original.returncode == 0, original.stderr
    expected = json.loads(original.stdout)

    text = (root / "shop" / "settings.py").read_text()
    findings = Detector.default(Config()).scan_text("shop/settings.py", text)
    assert {f.secret for f in findings} == set(values.values())
    reps = [Replacement(f, NAME, f"K{f.line}") for f in findings]
    outcomes = plan_rewrites(root, reps, Config())
    assert [o.status for o in outcomes] == [RewriteStatus.REWRITTEN]
    outcomes += accessor_replacement_files(root, Config(), [NAME], [o.path for o in outcomes])
    boto3.client("secretsmanager").create_secret(
        Name=NAME, SecretString=json.dumps({r.json_key: r.finding.secret for r in reps})
    )
    write_outcomes(root, outcomes)
    for secret in values.values():
        assert secret not in (root / "shop" / "settings.py").read_text()
    assert "boto3" in (root / "requirements.txt").read_text()

    migrated = _run(root)
    assert migrated.returncode == 0, migrated.stderr
    assert json.loads(migrated.stdout) == expected

    again = plan_rewrites(root, reps, Config())
    assert [o.status for o in again] == [RewriteStatus.UNCHANGED]

    boto3.client("secretsmanager").delete_secret(SecretId=NAME, ForceDeleteWithoutRecovery=True)
    gone = _run(root)
    assert gone.returncode != 0
    assert "SecretUnavailableError" in gone.stderr and NAME in gone.stderr
    assert "no such secret" in gone.stderr
