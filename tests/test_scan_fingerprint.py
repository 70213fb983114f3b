"""Fingerprints (stable, no line numbers) and redaction (never the value)."""

from __future__ import annotations

import string

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from credmigrate.findings.fingerprint import fingerprint, secret_hash
from credmigrate.findings.redact import redact
from tests import fakes
from tests.fakes_scan import only, scan

SECRET_CHARS = string.ascii_letters + string.digits + "+/=_-!@#$%^&.:~"
secrets_st = st.text(alphabet=SECRET_CHARS, min_size=1, max_size=120)
any_text = st.text(min_size=0, max_size=60)


def test_fingerprint_is_stable_when_lines_are_inserted_above() -> None:
    pw = fakes.password("stable")
    before = f'DB_PASSWORD = "{pw}"\n'
    after = "import os\n\n# settings for production\nDEBUG = False\n" + before
    f1, f2 = only(scan("app/settings.py", before), pw), only(scan("app/settings.py", after), pw)
    assert f1.span.line != f2.span.line
    assert f1.fingerprint == f2.fingerprint


def test_fingerprint_differs_by_path_and_by_rule() -> None:
    key = fakes.aws_key_id("fp")
    line = f"aws_access_key_id = {key}\n"
    a = only(scan("a/config.txt", line), key)
    b = only(scan("b/config.txt", line), key)
    assert a.fingerprint != b.fingerprint
    assert fingerprint(key, "aws-access-key-id", "a/config.txt") == a.fingerprint
    assert fingerprint(key, "another-rule", "a/config.txt") != a.fingerprint
    assert fingerprint(key + "x", "aws-access-key-id", "a/config.txt") != a.fingerprint


@settings(max_examples=200, deadline=None)
@given(secrets_st, any_text, any_text)
def test_fingerprint_is_deterministic_and_hides_the_value(
    secret: str, rule: str, path: str
) -> None:
    fp = fingerprint(secret, rule, path)
    assert fp == fingerprint(secret, rule, path)
    assert len(fp) == 40 and all(c in string.hexdigits for c in fp)
    assume(len(secret) >= 4)
    assert secret not in fp


@settings(max_examples=200, deadline=None)
@given(secrets_st, secrets_st, any_text, any_text)
def test_fingerprint_separates_its_parts(s1: str, s2: str, rule: str, path: str) -> None:
    assume(s1 != s2)
    assert fingerprint(s1, rule, path) != fingerprint(s2, rule, path)
    # moving characters between the parts gives another fingerprint (no ambiguous concatenation)
    assert fingerprint(s1, rule + "x", path) != fingerprint(s1, rule, "x" + path)
    assert secret_hash(s1) != secret_hash(s2)


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=16, max_size=200), st.text(min_size=16, max_size=200))
def test_redact_reveals_at_most_four_characters_of_a_long_secret(s: str, other: str) -> None:
    # the redacted form is a function of the first 4 characters and the length, nothing else
    t = (s[:4] + other)[: len(s)].ljust(len(s), "z")
    assert redact(s) == redact(t)
    revealed = redact(s).split("*", 1)[0]
    assert len(revealed) <= 4 and s.startswith(revealed)


@settings(max_examples=300, deadline=None)
@given(secrets_st)
def test_redact_never_contains_the_whole_secret(s: str) -> None:
    r = redact(s)
    assert s not in r
    assert len(r) > 0


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=1, max_size=8))
def test_redact_short_secrets_shows_no_character(s: str) -> None:
    assert set(redact(s)) == {"*"}


def test_redact_empty() -> None:
    assert redact("") == ""
