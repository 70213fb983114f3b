"""AST-first detection: shapes the line rules cannot read, and the ones it must not take."""

from __future__ import annotations

import pytest

from credmigrate.detect.detector import Detector
from credmigrate.findings.model import Finding
from tests import fakes


@pytest.fixture(scope="module")
def detector() -> Detector:
    return Detector.default()


def scan(detector: Detector, path: str, source: str) -> list[Finding]:
    out = detector.scan_bytes(path, source.encode())
    assert isinstance(out, list)
    return out


PW = fakes.password("shapes")
PW2 = fakes.password("shapes-2")


@pytest.mark.parametrize(
    "source",
    [
        # unknown callees: positional arguments are never read
        f'x = make_client("svc-user", "{PW}")\n',
        f'conn = mysql.connector.connect("root", "{PW}")\n',
        # a pair that is not a credential
        f'LANGUAGES = [("en", "English"), ("fr", "{PW}")]\n',
        'ADMINS = [("John", "john@example.com")]\n',
        # a comparison tests a value, a docstring describes one
        f'def check(password):\n    return password == "{PW}"\n',
        f'def f():\n    """password = "{PW}" in the docs"""\n',
        # an allow marker on the value's line
        f'PASSWORD = (\n    "{PW}"  # credmigrate:allow\n)\n',
    ],
)
def test_not_findings(detector: Detector, source: str) -> None:
    assert scan(detector, "app/db.py", source) == []


def test_positional_password_through_the_signature_never_the_user(detector: Detector) -> None:
    src = (
        "import MySQLdb as mdb\nimport pymysql\n"
        f'db = mdb.connect("localhost", "webuser", "{PW}", "shop")\n'
        f'conn = pymysql.connect(\n    "db", "root",\n    "{PW2}",\n    "shop",\n)\n'
    )
    found = scan(detector, "app/db.py", src)
    assert [(f.secret, f.line) for f in found] == [(PW, 3), (PW2, 6)]
    assert found[0].binding is not None and found[0].binding.call == "MySQLdb.connect"
    assert found[0].binding.name == "passwd"


def test_name_and_literal_on_different_lines(detector: Detector) -> None:
    src = f"import os\nSECRET_KEY = os.environ.get(\n    'DJANGO_SECRET_KEY',\n    '{PW}',\n)\n"
    (f,) = scan(detector, "app/settings.py", src)
    assert (f.line, f.secret, f.rule_id) == (4, PW, "env-fallback-literal")


def test_every_occurrence_is_a_finding_with_one_fingerprint(detector: Detector) -> None:
    src = f'# PASSWORD = "{PW}"\nPASSWORD = "{PW}"\nDSN = dict(password="{PW}")\n'
    found = scan(detector, "app/settings.py", src)
    assert [f.line for f in found] == [1, 2, 3]
    assert len({f.fingerprint for f in found}) == 1
    assert found[0].binding is not None and found[0].binding.kind == "comment"
    assert found[0].binding.name == "PASSWORD"


def test_test_configuration_class_is_in_the_scope(detector: Detector) -> None:
    src = f'class Config:\n    pass\nclass TestingConfig(Config):\n    MAIL_PASSWORD = "{PW}"\n'
    (f,) = scan(detector, "config.py", src)
    assert f.binding is not None and f.binding.scope == "TestingConfig"


def test_a_file_that_does_not_parse_keeps_the_line_findings_and_says_so(
    detector: Detector,
) -> None:
    src = f'print "python 2"\nDB_PASSWORD = "{PW}"\n'
    (f,) = scan(detector, "legacy.py", src)
    assert f.secret == PW and "not valid Python 3" in f.description


def test_bearer_prefix_names_the_environment_fallback(detector: Detector) -> None:
    src = f'import os\nHEADER = "Bearer " + os.getenv("UPSTREAM", "{PW}")\n'
    (f,) = scan(detector, "client.py", src)
    assert f.secret == PW and f.rule_id == "env-fallback-literal"


def test_a_method_argument_is_not_the_value(detector: Detector) -> None:
    src = 'def f(password):\n    password = password.encode("latin1")\n    return password\n'
    assert scan(detector, "auth.py", src) == []


def test_a_commented_out_assignment_is_a_finding(detector: Detector) -> None:
    src = f"# DB_PASSWORD = '{PW}'\nDEBUG = True\n"
    (f,) = scan(detector, "app/settings.py", src)
    assert f.secret == PW and f.binding is not None and f.binding.kind == "comment"


def test_an_identifier_with_the_same_letters_is_not_an_occurrence(detector: Detector) -> None:
    tok = fakes.token(24, "ident")
    src = f'TOKEN_{tok} = 1\nAPI_TOKEN = "{tok}"\n'
    found = scan(detector, "app/settings.py", src)
    assert all("not valid Python" not in f.description for f in found)
    assert [f.line for f in found] == [2]


@pytest.mark.parametrize(
    "field",
    ['attr.ib(default="{v}")', 'attrs.field(default="{v}")', 'Field("{v}", description="x")'],
)
def test_field_defaults_take_the_attribute_name(detector: Detector, field: str) -> None:
    tok = fakes.token(26, "field")
    src = f"class Settings:\n    api_token: str = {field.format(v=tok)}\n"
    (f,) = scan(detector, "app/settings.py", src)
    assert f.secret == tok and f.binding is not None and f.binding.name == "api_token"
