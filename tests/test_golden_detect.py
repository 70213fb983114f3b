"""The golden cases end to end: the scanner finds every fake secret (each occurrence, comments
included) and nothing else, and rewriting from its findings gives the golden output.

The codemod's golden test (test_codemod_golden.py) builds the findings from the markers; this
one takes them from the detector, so a shape that is not detected fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from credmigrate.detect.detector import Detector
from credmigrate.findings.model import Finding, Replacement
from credmigrate.rewrite.codemod import rewrite_source
from tests.fakes_codemod import materialize, replacements

GOLDEN = Path(__file__).parent / "golden"
PATH = "app/settings.py"
ACCESSOR = "_credmigrate_secrets"
# every case whose markers are secrets in a detectable place (flagged_shapes holds docstrings
# and match patterns, negative none, the rest values bound to no secret-like name at all)
CASES = [
    "multiline_shapes",
    "subscript_targets",
    "positional_signatures",
    "query_and_format",
    "service_account_pem",
    "or_fallback_wrappers",
    "digit_passwords",
    "values_in_comments",
    "credential_lists",
    "env_fallback",
    "django_settings",
    "flask_config",
    "client_kwargs",
    "function_defaults",
    "dataclass_defaults",
    "pydantic_settings",
    "config_classes",
    "config_readers",
    "module_constants",
    "collections",
    "connection_urls",
    "fstrings_concat",
    "private_keys",
]
# markers the generic rule does not count by design: their only name is a bare ``key`` or one
# the name filters call "not a secret" (CONFIG_KEY), or no secret-like name at all
NOT_BY_NAME = {
    "env_fallback": {"CONFIG_KEY"},
    "function_defaults": {"ONE_LINER"},
    "collections": {"FALLBACK_KEYS_0", "FALLBACK_KEYS_1", "ALLOWED"},
    "fstrings_concat": {"WEBHOOK_PATH"},
}


@pytest.fixture(scope="module")
def detector() -> Detector:
    return Detector.default()


def _scan(detector: Detector, source: str) -> list[Finding]:
    out = detector.scan_bytes(PATH, source.encode())
    assert isinstance(out, list)
    return out


@pytest.mark.parametrize("name", CASES)
def test_every_occurrence_found_and_rewritten(detector: Detector, name: str) -> None:
    before, secrets = materialize((GOLDEN / name / "before.py").read_text(), name)
    after, _ = materialize((GOLDEN / name / "after.py").read_text(), name)
    found = _scan(detector, before)
    stray = [(f.line, f.rule_id, f.redacted) for f in found if f.secret not in secrets]
    assert not stray, "found something that is not a planted secret (a user name?)"
    skip = NOT_BY_NAME.get(name, set())
    expected = {
        (r.finding.span.line, r.finding.span.column)
        for r in replacements(PATH, before, secrets, "x")
        if r.json_key not in skip
    }
    assert {(f.span.line, f.span.column) for f in found} == expected
    secret_name = f"credmigrate/demo/{name}"
    reps = [Replacement(f, secret_name, secrets[f.secret]) for f in found]
    out = rewrite_source(PATH, before, reps, ACCESSOR)
    assert not out.needs_human, out.needs_human
    if not skip:
        assert out.new_source == after
