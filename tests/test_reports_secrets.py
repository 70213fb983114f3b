"""No report format shows a secret value unless show_secrets is set."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from credmigrate.errors import ExitCode, UsageError
from credmigrate.findings.model import Finding, ScanResult, Skipped
from credmigrate.report import FORMATS, render
from tests.fakes_reports import PATHS, RULE_IDS, findings_st, make_finding, secrets_st

FIXED_TEXT = (*PATHS, *RULE_IDS, "old/path.py", "Test Author", "DB_PASSWORD")


@st.composite
def _scan(draw: st.DrawFn) -> tuple[ScanResult, list[str]]:
    secrets = draw(st.lists(secrets_st, min_size=1, max_size=5, unique=True))
    for s in secrets:
        assume(not any(s in text for text in FIXED_TEXT))
    findings: list[Finding] = [draw(findings_st(secret=s)) for s in secrets]
    result = ScanResult(
        tuple(findings),
        skipped=(Skipped("img.png", "binary"),),
        files_scanned=len(findings) + 1,
        suppressed=draw(st.integers(0, 3)),
    )
    return result, secrets


@settings(max_examples=60, deadline=None)
@given(_scan(), st.sampled_from(FORMATS), st.booleans())
def test_no_secret_value_in_any_format_unless_asked(
    scan: tuple[ScanResult, list[str]], fmt: str, color: bool
) -> None:
    result, secrets = scan
    hidden = render(result, fmt, color=color)
    for s in secrets:
        assert s not in hidden
    # the control: the same check finds the values when they are meant to be shown
    shown = render(result, fmt, color=color, show_secrets=True)
    for s in secrets:
        assert s in shown


@pytest.mark.parametrize("fmt", FORMATS)
def test_rendering_is_deterministic(fmt: str) -> None:
    fs = tuple(make_finding(path=p, line=i + 1) for i, p in enumerate(PATHS))
    assert render(ScanResult(fs), fmt) == render(ScanResult(tuple(reversed(fs))), fmt)


def test_unknown_format_is_a_usage_error() -> None:
    with pytest.raises(UsageError) as info:
        render(ScanResult(()), "xml")
    assert info.value.exit_code == ExitCode.USAGE
    assert "text, json, sarif, junit, html" in info.value.message
