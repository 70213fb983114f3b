"""Properties of the detector over arbitrary content: no crash, spans always point at the secret."""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from credmigrate.findings.model import Skipped
from tests import fakes
from tests.fakes_scan import default_detector, slice_span

# Lines drawn from all of (UTF-8 encodable) Unicode without "\n" or other Unicode line breaks;
# "\r" stays, as in CRLF files.
line_st = st.text(
    st.characters(codec="utf-8", exclude_characters="\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"),
    max_size=80,
)
PATHS = ("conf/app.txt", "settings.py", "deploy/.env", "web/config.json", "min.js")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(line_st, max_size=12),
    st.integers(min_value=0, max_value=12),
    line_st,
    st.sampled_from(PATHS),
    st.integers(min_value=0, max_value=10_000),
)
def test_a_key_anywhere_is_found_with_its_exact_span(
    lines: list[str], at: int, prefix: str, path: str, seed: int
) -> None:
    key = fakes.aws_key_id(seed)
    # the key must stand as a word: the prefix ends in a separator
    line = prefix + " id = " + key + " ;"
    lines = list(lines)
    lines.insert(min(at, len(lines)), line)
    text = "\n".join(lines) + "\n"
    assume(not any(m in text for m in ("gitleaks:allow", "credmigrate:allow", "allowlist secret")))
    found = [f for f in default_detector().scan_text(path, text) if f.secret == key]
    assert found, "the key was not found"
    for f in found:
        assert slice_span(text, f.span) == key
        assert f.span.line == min(at, len(lines) - 1) + 1


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from(PATHS))
def test_arbitrary_bytes_never_crash(data: bytes, path: str) -> None:
    result = default_detector().scan_bytes(path, data)
    if isinstance(result, Skipped):
        assert result.reason == "binary"
        return
    text = data.decode("utf-8", "replace")
    n_lines = text.count("\n") + 1
    for f in result:
        assert 1 <= f.span.line <= f.span.end_line <= n_lines
        assert f.span.column >= 1 and f.span.end_column >= 1
