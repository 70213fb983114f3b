"""Python-aware detection: each finding in a .py file carries its binding and the literal's span."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from credmigrate.findings.model import Binding
from tests import fakes
from tests.fakes_scan import only, scan, slice_span


@dataclass(frozen=True)
class Case:
    source: str
    secret: str
    kind: str
    name: str
    target: str
    scope: str = ""
    call: str = ""
    embedded: bool = False
    literal: str = ""  # the literal expression's source text; default: the quoted secret


def _cases() -> dict[str, Case]:
    p = [fakes.password(f"py{i}") for i in range(12)]
    tok = fakes.token(32, "pytok")
    pat = fakes.github_pat("py")
    return {
        "module-constant": Case(f'import os\n\nDB_PASSWORD = "{p[0]}"\n', p[0], "assign", "DB_PASSWORD", "DB_PASSWORD"),
        "annotated": Case(f"API_TOKEN: str = '{p[1]}'\n", p[1], "assign", "API_TOKEN", "API_TOKEN"),
        "class-attribute": Case(
            f'class Settings:\n    """Config."""\n\n    API_TOKEN = "{p[2]}"\n',
            p[2], "class_attr", "API_TOKEN", "API_TOKEN", scope="Settings",
        ),
        "subclass-attribute": Case(
            "class Base:\n    pass\n\n\nclass Prod(Base):\n"
            f"    debug = False\n    client_secret = '{p[3]}'\n",
            p[3], "class_attr", "client_secret", "client_secret", scope="Prod",
        ),
        "attribute-in-method": Case(
            "class Client:\n    def __init__(self):\n"
            f"        self.api_key = '{p[4]}'\n",
            p[4], "assign", "api_key", "self.api_key", scope="Client.__init__",
        ),
        "app-config-subscript": Case(
            f"app = Flask(__name__)\napp.config['SECRET_KEY'] = '{tok}'\n",
            tok, "subscript", "SECRET_KEY", "app.config",
        ),
        "nested-dict": Case(
            "DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n"
            f"        'PASSWORD': '{p[5]}',\n    }}\n}}\n".replace("}}", "}"),
            p[5], "dict_key", "PASSWORD", "DATABASES.default.PASSWORD",
        ),
        "kwarg": Case(
            f'conn = psycopg2.connect(host="db", user="app", password="{p[6]}")\n',
            p[6], "kwarg", "password", "password", call="psycopg2.connect",
        ),
        "function-default": Case(
            f'def connect(host, password="{p[7]}"):\n    return host, password\n',
            p[7], "default", "password", "password",
            scope="connect",
        ),
        "kwonly-default": Case(
            f"async def fetch(url, *, api_token='{p[8]}'):\n    return url\n",
            p[8], "default", "api_token", "api_token", scope="fetch",
        ),
        "env-fallback": Case(
            f"import os\nDB = os.environ.get('X_PASSWORD', '{p[9]}')\n",
            p[9], "env_fallback", "X_PASSWORD", "X_PASSWORD", call="os.environ.get",
        ),
        "env-setdefault": Case(
            f'os.environ.setdefault("DB_PASSWORD", "{p[2]}")\n',
            p[2], "env_fallback", "DB_PASSWORD", "DB_PASSWORD", call="os.environ.setdefault",
        ),
        "fstring-url": Case(
            f'DSN = f"postgresql://app:{p[10]}@{{host}}:5432/app"\n',
            p[10], "assign", "DSN", "DSN", embedded=True,
            literal=f'f"postgresql://app:{p[10]}@{{host}}:5432/app"',
        ),
        "concatenation": Case(
            f'AUTH = "token " + "{pat}"\n',
            pat, "assign", "AUTH", "AUTH", embedded=True, literal=f'"token " + "{pat}"',
        ),
        "connection-url": Case(
            f"engine = create_engine('mysql+pymysql://svc:{p[11]}@db.internal/app', echo=False)\n",
            p[11], "positional", "create_engine", "create_engine", call="create_engine",
            embedded=True, literal=f"'mysql+pymysql://svc:{p[11]}@db.internal/app'",
        ),
        "auth-tuple": Case(
            f'r = requests.get(url, auth=("admin", "{p[1]}"))\n',
            p[1], "tuple", "auth", "auth", call="requests.get",
        ),
        "non-ascii-before": Case(
            f'CONF = {{"café": "crème", "db_password": "{p[0]}"}}\n',
            p[0], "dict_key", "db_password", "CONF.db_password",
        ),
    }  # fmt: skip


CASES = _cases()


@pytest.mark.parametrize("name", sorted(CASES))
def test_binding_and_literal_span(name: str) -> None:
    case = CASES[name]
    f = only(scan("app/settings.py", case.source), case.secret)
    # the finding's own span is exactly the secret
    assert slice_span(case.source, f.span) == case.secret
    b = f.binding
    assert isinstance(b, Binding), f.rule_id
    got = (b.kind, b.name, b.target, b.call, b.embedded)
    assert got == (case.kind, case.name, case.target, case.call, case.embedded)
    if name != "function-default":  # see test_function_default_scope
        assert b.scope == case.scope
    assert b.literal is not None
    literal = case.literal or _quoted(case.source, case.secret)
    assert slice_span(case.source, b.literal) == literal


def _quoted(source: str, secret: str) -> str:
    for q in ('"', "'"):
        if f"{q}{secret}{q}" in source:
            return f"{q}{secret}{q}"
    raise AssertionError("test case has no quoted secret")


def test_function_default_scope() -> None:
    # a default is evaluated where the def is; the binding records the function it belongs to
    f = only(scan("a.py", CASES["function-default"].source), CASES["function-default"].secret)
    assert f.binding is not None and f.binding.scope in {"", "connect"}


def test_url_password_rule_in_python() -> None:
    case = CASES["connection-url"]
    f = only(scan("db.py", case.source), case.secret)
    assert f.rule_id == "uri-password"


def test_multiline_literal_span() -> None:
    # black-style wrapping: the value alone on the line below "name=("
    secret = fakes.password("ml")
    src = f'CONFIG = dict(\n    host="db",\n    password=(\n        "{secret}"\n    ),\n)\n'
    f = only(scan("m.py", src), secret)
    assert f.binding is not None and f.binding.kind == "kwarg"
    assert f.binding.literal is not None
    assert slice_span(src, f.binding.literal) == f'"{secret}"'
    assert (f.span.line, f.binding.literal.line) == (4, 4)


@pytest.mark.parametrize(
    "template",
    [
        'SECRET_KEY = (\n    os.environ["SECRET_KEY"]\n)\n',
        'PASSWORD_HELP = (\n    "Enter your password here please"\n)\n',
        'CONF = {{\n    "db_password": (\n        "{s}"  # credmigrate:allow\n    ),\n}}\n',
        'token = (\n)\nx = "{s}"\n',
    ],
)
def test_wrapped_values_that_are_not_findings(template: str) -> None:
    assert scan("w.py", template.format(s=fakes.password("wrapped"))) == []


def test_wrapped_value_then_same_line_value_are_both_found() -> None:
    a, b = fakes.password("wa"), fakes.password("wb")
    src = f'API_TOKEN = (\n    "{a}"\n)\nDB_PASSWORD = "{b}"\n'
    found = {f.secret: f.span.line for f in scan("w.py", src)}
    assert found == {a: 2, b: 4}


def test_same_source_outside_python_has_no_binding() -> None:
    case = CASES["module-constant"]
    f = only(scan("settings.txt", case.source), case.secret)
    assert f.binding is None


def test_syntax_error_still_scanned_line_level() -> None:
    secret = fakes.password("syntax")
    src = f'def broken(:\n    pass\nDB_PASSWORD = "{secret}"\n'
    f = only(scan("broken.py", src), secret)
    assert f.span.line == 3 and f.binding is None


def test_python2_file_still_scanned() -> None:
    secret = fakes.password("py2")
    src = f'print "hello"\nDB_PASSWORD = "{secret}"\n'
    assert only(scan("legacy.py", src), secret).span.line == 2


@pytest.mark.parametrize(
    "template",
    [
        '"""Module doc: the default is password = "{s}" for tests."""\nx = 1\n',
        'def check(pw):\n    """Compare: password = "{s}" here."""\n    return pw\n',
        'def check(password):\n    return password == "{s}"\n',
    ],
    ids=["module-docstring", "function-docstring", "comparison"],
)
def test_docstrings_and_comparisons_are_not_findings(template: str) -> None:
    secret = fakes.password("doc")
    assert scan("doc.py", template.format(s=secret)) == []
    # the control: the same text in a non-Python file is a finding
    assert [f.secret for f in scan("doc.txt", template.format(s=secret))] == [secret]
