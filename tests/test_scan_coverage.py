"""Coverage of the secrets users meet most, each in the file shape where it is usually found.

Values are generated fakes with each provider's shape; the test checks that the whole working-tree
scan finds the secret, under the expected rule, with the secret's exact span.
"""

from __future__ import annotations

import base64
import string
from dataclasses import dataclass

import pytest

from credmigrate.config import Config
from credmigrate.sources.worktree import scan_worktree
from tests import fakes
from tests.fakes_scan import slice_span

HEX = "0123456789abcdef"
LOWER_DIGITS = string.ascii_lowercase + string.digits
URLSAFE = string.ascii_letters + string.digits + "_-"


@dataclass(frozen=True)
class Case:
    path: str
    text: str
    secret: str
    rule: str


def _pem(label: str, seed: str) -> str:
    body = "\n".join(fakes.b64_blob(48, f"{seed}{i}") for i in range(5))
    return f"-----BEGIN {label}-----\n{body}\n-----END {label}-----"


def _cases() -> dict[str, Case]:
    c: dict[str, Case] = {}
    pw = fakes.password
    t = fakes.token

    def add(name: str, path: str, text: str, secret: str, rule: str) -> None:
        c[name] = Case(path, text, secret, rule)

    k = fakes.aws_key_id("cov")
    add(
        "aws-key-id-ini",
        ".aws/credentials",
        f"[default]\naws_access_key_id = {k}\n",
        k,
        "aws-access-key-id",
    )
    s = fakes.aws_secret_key("cov")
    add(
        "aws-secret-ini",
        ".aws/credentials",
        f"[default]\naws_secret_access_key = {s}\n",
        s,
        "aws-secret-access-key",
    )
    pem = _pem("PRIVATE KEY", "gcp").replace("\n", "\\n")
    sa = (
        '{\n  "type": "service_account",\n  "project_id": "demo",\n  "private_key": "'
        + pem
        + '\\n",\n  "client_email": "svc@demo.iam.gserviceaccount.com"\n}\n'
    )
    add("gcp-service-account", "keys/sa.json", sa, pem + "\\n", "gcp-service-account-key")
    g = "AIza" + t(35, "gcp", URLSAFE)
    add(
        "gcp-api-key",
        "web/config.js",
        f'const firebaseConfig = {{ apiKey: "{g}" }};\n',
        g,
        "gcp-api-key",
    )
    az = fakes.b64_blob(64, "az")
    add(
        "azure-conn-string",
        "appsettings.json",
        f'{{"Storage": "DefaultEndpointsProtocol=https;AccountName=demo;AccountKey={az};EndpointSuffix=core.windows.net"}}\n',
        az,
        "azure-storage-account-key",
    )
    gh = fakes.github_pat("cov")
    add(
        "github-pat-yaml",
        ".github/workflows/ci.yml",
        f"env:\n  GH_TOKEN: {gh}\n",
        gh,
        "github-token",
    )
    gl = "glpat-" + t(20, "gl", URLSAFE)
    add(
        "gitlab-pat",
        "scripts/release.sh",
        f'curl --header "PRIVATE-TOKEN: {gl}" https://gitlab.example.com/api\n',
        gl,
        "gitlab-token",
    )
    sl = fakes.slack_bot_token("cov")
    add("slack-bot-yaml", "config/slack.yml", f"bot_token: {sl}\n", sl, "slack-token")
    st = fakes.stripe_live("cov")
    add("stripe-live", "billing/settings.py", f'stripe.api_key = "{st}"\n', st, "stripe-secret-key")
    tw = t(32, "tw", HEX)
    add("twilio-auth", "sms.py", f'TWILIO_AUTH_TOKEN = "{tw}"\n', tw, "twilio-auth-token")
    sg = "SG." + t(22, "sg1", URLSAFE) + "." + t(43, "sg2", URLSAFE)
    add("sendgrid", "mail.env", f"SENDGRID_API_KEY={sg}\n", sg, "sendgrid-api-key")
    mg = "key-" + t(32, "mg", LOWER_DIGITS)
    add("mailgun", "mail.py", f'MAILGUN_KEY = "{mg}"\n', mg, "mailgun-api-key")
    oa = "sk-proj-" + t(20, "oa1", URLSAFE) + "T3BlbkFJ" + t(20, "oa2", URLSAFE)
    add("openai", "ai/.env", f"OPENAI_API_KEY={oa}\n", oa, "openai-api-key")
    an = "sk-ant-api03-" + t(95, "an", URLSAFE)
    add(
        "anthropic",
        "ai/client.py",
        f'client = Anthropic(api_key="{an}")\n',
        an,
        "anthropic-api-key",
    )
    npm = "npm_" + t(36, "npm")
    add(
        "npm-token-npmrc",
        ".npmrc",
        f"//registry.npmjs.org/:_authToken={npm}\n",
        npm,
        "npmrc-auth",
    )
    add(
        "npm-token-ci",
        ".github/workflows/publish.yml",
        f"env:\n  NODE_AUTH_TOKEN: {npm}\n",
        npm,
        "npm-access-token",
    )
    pypi = "pypi-AgEIcHlwaS5vcmc" + t(70, "pypi", URLSAFE)
    add(
        "pypi-pypirc",
        ".pypirc",
        f"[pypi]\nusername = __token__\npassword = {pypi}\n",
        pypi,
        "pypi-upload-token",
    )
    dh = "dckr_pat_" + t(27, "dh", URLSAFE)
    add(
        "dockerhub",
        "ci/push.sh",
        f"echo {dh} | docker login -u bot --password-stdin\n",
        dh,
        "dockerhub-token",
    )
    auth = base64.b64encode(f"bot:{pw('dcfg')}".encode()).decode()
    add(
        "docker-config",
        ".docker/config.json",
        f'{{"auths": {{"https://index.docker.io/v1/": {{"auth": "{auth}"}}}}}}\n',
        auth,
        "docker-config-auth",
    )
    header = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"JWT"}').decode().rstrip("=")
    payload = base64.urlsafe_b64encode(b'{"sub":"fake-user","iat":1700000000}').decode().rstrip("=")
    jwt = f"{header}.{payload}.{t(43, 'jwt', URLSAFE)}"
    add("jwt", "tests_data/session.txt", f"session={jwt}\n", jwt, "jwt")
    rsa = _pem("RSA PRIVATE KEY", "rsa")
    add("pem-rsa", "deploy/id_rsa", rsa + "\n", rsa, "private-key")
    ossh = _pem("OPENSSH PRIVATE KEY", "ossh")
    add("openssh", "deploy/id_ed25519", ossh + "\n", ossh, "private-key")
    ppk_lines = "\n".join(fakes.b64_blob(48, f"ppk{i}") for i in range(3))
    ppk = (
        f"PuTTY-User-Key-File-3: ssh-rsa\nEncryption: none\nComment: fake\nPublic-Lines: 1\n{fakes.b64_blob(48, 'pub')}\n"
        f"Private-Lines: 3\n{ppk_lines}\nPrivate-MAC: {t(64, 'mac', HEX)}\n"
    )
    add("putty", "keys/server.ppk", ppk, ppk.split("\nPrivate-MAC")[0], "putty-private-key")
    for scheme, rule_path in [
        ("postgresql", "db.py"),
        ("mysql", "db.py"),
        ("mongodb+srv", "db.py"),
        ("redis", "cache.py"),
        ("amqp", "queue.py"),
        ("mssql+pyodbc", "db.py"),
    ]:
        p = pw(scheme)
        add(
            f"uri-{scheme}",
            f"app/{rule_path}",
            f'URL = "{scheme}://svc:{p}@host.internal:1234/x"\n',
            p,
            "uri-password",
        )
    gc = pw("gitcred")
    add(
        "git-credentials",
        ".git-credentials",
        f"https://deploy:{gc}@github.com\n",
        gc,
        "uri-password",
    )
    basic = base64.b64encode(f"api:{pw('basic')}".encode()).decode()
    add(
        "basic-auth-header",
        "scripts/call.sh",
        f"curl -H 'Authorization: Basic {basic}' https://api.example.com\n",
        basic,
        "basic-auth-header",
    )
    bearer = t(40, "bearer", URLSAFE)
    add(
        "bearer-header",
        "client.py",
        f'HEADERS = {{"Authorization": "Bearer {bearer}"}}\n',
        bearer,
        "authorization-header",
    )
    dj = t(50, "dj", string.ascii_letters + string.digits + "!@#%^&*(-_=+)")
    add(
        "django-secret-key", "mysite/settings.py", f"SECRET_KEY = '{dj}'\n", dj, "django-secret-key"
    )
    for name, path, fmt in [
        ("env-file", ".env", "DB_PASSWORD={v}\n"),
        ("yaml", "config/database.yml", "production:\n  password: {v}\n"),
        ("json", "config/app.json", '{{"db": {{"password": "{v}"}}}}\n'),
        ("ini", "setup.cfg", "[db]\npassword = {v}\n"),
        (
            "properties",
            "src/main/resources/application.properties",
            "spring.datasource.password={v}\n",
        ),
        ("xml", "conf/server.xml", '<Resource name="jdbc/app" username="app" password="{v}" />\n'),
        ("bashrc", "home/.bashrc", "export API_TOKEN={v}\n"),
        ("toml", "config.toml", '[service]\napi_key = "{v}"\n'),
    ]:
        v = pw(name)
        rule = (
            "generic-secret-config"
            if name in {"env-file", "yaml", "ini", "properties", "bashrc"}
            else "generic-secret-assignment"
        )
        add(f"generic-{name}", path, fmt.format(v=v), v, rule)
    nt = pw("netrc")
    add(
        "netrc",
        "home/.netrc",
        f"machine api.example.com\n  login deploy\n  password {nt}\n",
        nt,
        "netrc-password",
    )
    pg = pw("pgpass")
    add("pgpass", "home/.pgpass", f"db.internal:5432:app:app_user:{pg}\n", pg, "pgpass-password")
    ht = (
        "$apr1$"
        + t(8, "salt", LOWER_DIGITS)
        + "$"
        + t(22, "ht", string.ascii_letters + string.digits + "./")
    )
    add("htpasswd", "deploy/.htpasswd", f"admin:{ht}\n", ht, "htpasswd-hash")
    sh = (
        "$6$"
        + t(8, "shsalt", LOWER_DIGITS)
        + "$"
        + t(86, "sh", string.ascii_letters + string.digits + "./")
    )
    add("shadow", "etc/shadow", f"root:{sh}:19000:0:99999:7:::\n", sh, "shadow-hash")
    cs = pw("adonet")
    add(
        "adonet-connection-string",
        "appsettings.json",
        '{"ConnectionStrings": {"Default": "Server=db;Database=app;User Id=sa;Password='
        + cs
        + ';"}}\n',
        cs,
        "connection-string-password",
    )
    ap = pw("appsetting")
    add(
        "dotnet-appsetting",
        "Web.config",
        f'<appSettings>\n  <add key="SmtpPassword" value="{ap}" />\n</appSettings>\n',
        ap,
        "appsetting-secret",
    )
    return c


CASES = _cases()


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple[str, str, str]]]:
    """One tree per case (paths may repeat between cases), scanned once each."""
    out: dict[str, list[tuple[str, str, str]]] = {}
    base = tmp_path_factory.mktemp("coverage")
    for name, case in CASES.items():
        root = base / name
        p = root / case.path
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(case.text)
        result = scan_worktree([root], Config())
        out[name] = [(f.rule_id, f.secret, slice_span(case.text, f.span)) for f in result.findings]
    return out


@pytest.mark.parametrize("name", sorted(CASES))
def test_found_with_exact_span(name: str, scanned: dict[str, list[tuple[str, str, str]]]) -> None:
    case = CASES[name]
    hits = [h for h in scanned[name] if h[1] == case.secret]
    assert hits, (case.rule, [(r, len(s)) for r, s, _ in scanned[name]])
    assert hits[0][0] == case.rule
    assert hits[0][2] == case.secret  # the span covers exactly the secret


def test_long_minified_line_keeps_exact_columns() -> None:
    # long lines are matched in windows around keywords; columns must stay per character
    from tests.fakes_scan import scan

    gh = fakes.github_pat("long")
    key = fakes.aws_key_id("long")
    line = 'var a="é";' * 700 + f'var t="{gh}";' + "x" * 3000 + f';var id="{key}";' + "ü" * 500
    text = "// bundle\n" + line + "\n"
    found = {f.rule_id: f for f in scan("static/app.js", text)}
    assert set(found) >= {"github-token", "aws-access-key-id"}
    for f in found.values():
        assert f.span.line == 2
        assert slice_span(text, f.span) == f.secret
