"""The generic-candidate scorer and the filters added with it: each negative next to a control."""

from __future__ import annotations

import base64

import pytest

from credmigrate.detect import filters, scoring
from credmigrate.findings.model import Confidence
from tests import fakes
from tests.fakes_scan import scan


def _secrets(path: str, text: str) -> list[str]:
    return [f.secret for f in scan(path, text)]


def _candidate(
    value: str, name: str = "password", path: str = "app/config.yml"
) -> scoring.Candidate:
    return scoring.Candidate(
        name, value, path, f"{name}: {value}", ("generic",), "generic-secret-config"
    )


def test_weights_cover_every_feature_and_scoring_is_deterministic() -> None:
    weights, thresholds = scoring._model()
    assert len(weights) == len(scoring.FEATURES)
    assert {"medium", "low", "medium_password_outside_samples"} <= set(thresholds)
    c = _candidate(fakes.password("det"))
    assert scoring.probability(c) == scoring.probability(c)
    assert len(scoring.features(c)) == len(scoring.FEATURES)


def test_random_values_outscore_word_made_samples() -> None:
    real = scoring.probability(_candidate(fakes.password("real")))
    for sample in ("testpassword", "mysecretkey", "P4$$w0rd", "supersecretpassword"):
        assert scoring.probability(_candidate(sample)) < real


def test_a_word_sample_in_tests_is_dropped_but_a_random_value_is_kept() -> None:
    assert (
        scoring.confidence(_candidate("P4$$word", path="tests/test_db.py"), Confidence.MEDIUM)
        is None
    )
    kept = scoring.confidence(
        _candidate(fakes.password("t"), path="tests/test_db.py"), Confidence.MEDIUM
    )
    assert kept == Confidence.MEDIUM


@pytest.mark.parametrize(
    ("user", "password", "reported"),
    [
        ("deploy", fakes.password("basic"), True),
        ("deploy", "password", False),  # placeholder password
        ("", fakes.password("nouser"), False),  # no user
    ],
)
def test_basic_credentials_must_decode_to_user_and_password(
    user: str, password: str, reported: bool
) -> None:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    found = _secrets("tests/fixtures/session.yml", f"    - Basic {token}\n")
    assert found == ([token] if reported else [])


def test_basic_values_that_are_not_base64_of_user_password_are_not_findings() -> None:
    assert filters.basic_auth_reason("login_and_password_removed") is not None
    prose = base64.b64encode(b"Hello World this is not auth").decode()
    assert filters.basic_auth_reason(prose) == "not user:password"


@pytest.mark.parametrize(
    "value",
    ["3333333333-alice", "1234567890abcdefghijkl", "[a-f0-9]{32}", "x9y8z7w6...", "pass%20pass"],
)
def test_made_up_shapes_are_not_secrets(value: str) -> None:
    assert _secrets("config/app.yml", f"  api_token: {value}\n") == []
    control = fakes.token(24, value)
    assert _secrets("config/app.yml", f"  api_token: {control}\n") == [control]


def test_a_password_equal_to_the_user_name_is_a_local_default() -> None:
    line = 'DSN="host=db user=app password=app dbname=app"\n'
    assert _secrets("ci/.travis.yml", line) == []
    control = fakes.password("dsn")
    assert _secrets("ci/.travis.yml", line.replace("password=app", f"password={control}")) == [
        control
    ]


def test_unquoted_word_followed_by_prose_is_not_a_value() -> None:
    assert _secrets("README.md", "It scans for credentials: provider keys and passwords.\n") == []
    control = fakes.password("env")
    assert _secrets("README.md", f"    DB_PASSWORD={control}\n") == [control]
