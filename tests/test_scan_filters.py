"""False-positive filters, through the whole detector: what must not be a finding.

Each negative sits next to a control (the same shape with a real-looking fake value) that is a
finding, so a test fails if the detector stops finding anything at all.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from credmigrate.detect import filters
from tests import fakes
from tests.fakes_scan import hex_digest, scan, uuid_like

CONTROL = fakes.password("control")


def _secrets(path: str, text: str) -> list[str]:
    return [f.secret for f in scan(path, text)]


PLACEHOLDERS = ["changeme", "<your-key>", "${DB_PASSWORD}", "{{ vault_secret }}", "xxxxxxxxxxxx",
                "****************", "%(password)s", "$DB_PASS", "your-api-key-here", "REPLACE_ME",
                "<%= ENV['TOKEN'] %>", "__API_TOKEN__"]  # fmt: skip


@pytest.mark.parametrize("value", PLACEHOLDERS)
@pytest.mark.parametrize(
    ("path", "template"),
    [
        ("settings.py", 'DB_PASSWORD = "{v}"\n'),
        ("config.yml", "api_token: '{v}'\n"),
        (".env", "API_SECRET={v}\n"),
        ("app.json", '{{"password": "{v}"}}\n'),
    ],
)
def test_placeholders_are_not_findings(value: str, path: str, template: str) -> None:
    if path == ".env" and " " in value:
        value = value.replace(" ", "")
    assert _secrets(path, template.format(v=value)) == []
    assert _secrets(path, template.format(v=CONTROL)) == [CONTROL]


def test_aws_documented_example_keys_are_not_findings() -> None:
    src = (
        'AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"\n'
        'AWS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"\n'
    )
    assert scan("aws.py", src) == []
    real = (
        f'AWS_ACCESS_KEY_ID = "{fakes.aws_key_id("doc")}"\n'
        f'AWS_SECRET_ACCESS_KEY = "{fakes.aws_secret_key("doc")}"\n'
    )
    rules = sorted(f.rule_id for f in scan("aws.py", real))
    assert rules == ["aws-access-key-id", "aws-secret-access-key"]


@pytest.mark.parametrize(
    "line",
    [
        'sha256 = "{sha256}"',
        'checksum = "{sha1}"',
        'file_sha512 = "{sha512}"',
        'integrity = "sha512-{b64}"',
        'git_sha = "{sha1}"',
        'request_id = "{uuid}"',
        'token = "{uuid}"',
    ],
)
def test_digests_and_uuids_are_not_findings(line: str) -> None:
    text = line.format(
        sha256=hex_digest("a"),
        sha1=hex_digest("b", "sha1"),
        sha512=hex_digest("c", "sha512"),
        b64=fakes.b64_blob(64, "sri"),
        uuid=uuid_like("u"),
    )
    assert _secrets("deps.py", text + "\n") == []


def test_hex_token_bound_to_a_secret_name_is_still_a_finding() -> None:
    # named hex values are often API keys: only hash-like *names* make a hex string a digest
    value = hex_digest("named", "md5")
    assert _secrets("client.py", f'api_token = "{value}"\n') == [value]


PUBLIC_MATERIAL = {
    "pem-public-key": 'PUBLIC_KEY = """-----BEGIN PUBLIC KEY-----\n{b}\n-----END PUBLIC KEY-----"""\n',
    "certificate": 'CERT = """-----BEGIN CERTIFICATE-----\n{b}\n-----END CERTIFICATE-----"""\n',
    "ssh-public-key": 'SSH_KEY = "ssh-rsa AAAAB3NzaC1yc2E{b} deploy@host"\n',
    "public-key-name": 'public_key = "{b}"\n',
}


@pytest.mark.parametrize("name", sorted(PUBLIC_MATERIAL))
def test_public_keys_and_certificates_are_not_findings(name: str) -> None:
    text = PUBLIC_MATERIAL[name].format(b=fakes.b64_blob(48, name).rstrip("="))
    assert scan("keys.py", text) == []


def test_private_key_control_is_a_finding() -> None:
    body = "\n".join(fakes.b64_blob(48, i) for i in range(3))
    text = f'KEY = """-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----"""\n'
    assert [f.rule_id for f in scan("keys.py", text)] == ["private-key"]


@pytest.mark.parametrize(
    "line",
    [
        'password_field = "password"',
        'PASSWORD_RESET_URL = "https://example.com/accounts/password/reset/"',
        'PASSWORD_RESET_TIMEOUT = "259200"',
        'token_type = "bearer_token_v2"',
        'password_hasher = "django.contrib.auth.hashers.Argon2PasswordHasher"',
        'secret_name = "prod/app/db"',
        'token_endpoint = "https://login.example.com/oauth2/v2.0/token"',
        'passenger_name = "Quentin Zyx"',
        'key_path = "/etc/ssl/private/server.key"',
        'PASSWORD_PROMPT = "Please enter your password:"',
    ],
)
def test_names_that_merely_contain_password_are_not_findings(line: str) -> None:
    assert _secrets("settings.py", line + "\n") == []


@pytest.mark.parametrize(
    "line",
    [
        'DB_PASSWORD = os.environ["DB_PASSWORD"]',
        'API_TOKEN = os.getenv("API_TOKEN")',
        'SECRET_KEY = os.environ.get("SECRET_KEY")',
        "password = config('DB_PASSWORD')",
        "api_key = settings.API_KEY",
    ],
)
def test_environment_lookups_are_not_findings(line: str) -> None:
    assert _secrets("settings.py", "import os\n" + line + "\n") == []


@pytest.mark.parametrize(
    "path",
    ["package-lock.json", "poetry.lock", "web/yarn.lock", "Pipfile.lock", "go.sum", "uv.lock"],
)
def test_lock_files_are_not_scanned_for_values(path: str) -> None:
    text = f'"password": "{CONTROL}",\ntoken = "{fakes.github_pat("lock")}"\n'
    assert scan(path, text) == []
    assert len(scan("package.json", text)) == 2  # control: same text, ordinary file


@pytest.mark.parametrize(
    ("fn", "value", "reason"),
    [
        (filters.placeholder, "", "empty"),
        (filters.placeholder, "${X}", "template"),
        (filters.placeholder, "********", "masked"),
        (filters.documented_example, "AKIAIOSFODNN7EXAMPLE", "documented example key"),
        (filters.hash_like, hex_digest("x"), "hex digest"),
        (filters.hash_like, uuid_like("x"), "uuid"),
        (filters.public_material, "ssh-ed25519 AAAAC3Nza", "public key or certificate"),
        (filters.not_a_value, "os.environ.get('X')", "identifier"),
    ],
)
def test_filter_functions_name_their_reason(
    fn: Callable[[str], str | None], value: str, reason: str
) -> None:
    assert fn(value) == reason
    assert fn(CONTROL) is None


@pytest.mark.parametrize("value", ["#{DbPassword}#", "pre-#{env}-post", "#{Octopus.Password}"])
def test_interpolation_templates_are_not_findings(value: str) -> None:
    assert _secrets("Web.config", f'<add key="DbPassword" value="{value}" />\n') == []
    assert _secrets("Web.config", f'<add key="DbPassword" value="{CONTROL}" />\n') == [CONTROL]
