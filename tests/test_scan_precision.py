"""Precision cases found on real repositories (ipython, pytest): each must stay quiet, and its
control (the same value where it would be a real credential) must still be found."""

from __future__ import annotations

import pytest

from credmigrate.config import Config
from credmigrate.detect.detector import Detector
from credmigrate.findings.model import Confidence
from tests import fakes


def scan(path: str, text: str, min_confidence: str = "medium") -> list[str]:
    det = Detector.default(Config(min_confidence=min_confidence))
    return [f.secret for f in det.scan_text(path, text)]


def test_secret_word_must_be_in_the_last_part_of_a_dotted_name() -> None:
    # pygments-style style maps: Token.Header is not a token
    assert scan("style.py", 'STYLE = {Token.Header: "ansibrightred"}\n') == []
    value = fakes.password("dotted")
    assert scan("conf.py", f'app.config.api_token = "{value}"\n') == [value]


def test_import_paths_are_not_values() -> None:
    assert scan("magics.py", 'TABLE = {"pwd": "IPython.core.magics.osm:OSMagics"}\n') == []


@pytest.mark.parametrize(
    "path",
    [
        "docs/how-to/fixtures.rst",
        "README.md",
        "tests/test_login.py",
        "examples/app/conf.py",
        "src/conftest.py",
    ],
)
def test_the_value_decides_in_docs_tests_and_examples(path: str) -> None:
    # a random password is reported wherever it is: real keys leak through test fixtures
    value = fakes.password(path)
    text = f'user = User(name="Susan", password="{value}")\n'
    assert scan(path, text) == [value]
    # a sample made of ordinary words is not, even bound to a password name
    sample = 'user = User(name="Susan", username="susan", password="P4$$word")\n'
    assert scan(path, sample) == []
    assert scan(path, 'client = Client(api_key="test-api-key-1234")\n') == []


def test_nonces_are_low_confidence() -> None:
    nonce = fakes.token(32, "nonce")
    text = f'HEADER = \'WWW-Authenticate: Digest realm="me", nonce="{nonce}"\'\n'
    assert scan("tests/test_digest.py", text) == []
    found = Detector.default(Config(min_confidence="low")).scan_text("tests/test_digest.py", text)
    assert [(f.secret, f.confidence) for f in found] == [(nonce, Confidence.LOW)]


def test_provider_keys_in_tests_are_still_reported() -> None:
    key = fakes.github_pat("in-tests")
    assert scan("tests/test_client.py", f'TOKEN = "{key}"\n') == [key]


@pytest.mark.parametrize("value", ["abc123", "123456", "qwerty", "foobar"])
def test_well_known_sample_values_are_placeholders(value: str) -> None:
    assert scan("app/settings.py", f'API_KEY = "{value}"\n') == []
