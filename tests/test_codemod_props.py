"""Property: cutting a secret out of any string literal keeps the literal's value.

Hypothesis writes literals with braces, quotes, backslashes and escapes around a secret, in every
quote style and prefix; the rewritten module must evaluate to the same string when
``get_secret`` returns the secret, must compile, and must be stable under a second run.
"""

from __future__ import annotations

from typing import Any

from hypothesis import event, given, settings
from hypothesis import strategies as st

from credmigrate.findings.model import RewriteStatus
from credmigrate.rewrite.codemod import rewrite_source
from tests.fakes_codemod import replacements

SECRET = "Zq8" + "xW3" * 8  # alphanumeric, generated at import: not a real credential
TEXT = st.text(alphabet="ab {}%:/@'\"\\\t\n\u00e9", max_size=12)
QUOTES = st.sampled_from(['"', "'", '"""', "'''"])


def _literal(quote: str, raw_prefix: bool, before: str, after: str) -> str | None:
    body = before + SECRET + after
    if raw_prefix:
        if "\\" in body or quote[0] in body or "\n" in body:
            return None
        return "r" + quote + body + quote
    escaped = body.replace("\\", "\\\\").replace(quote[0], "\\" + quote[0]).replace("\n", "\\n")
    return quote + escaped + quote


def _run(source: str) -> Any:
    ns: dict[str, Any] = {}
    exec(compile(source.replace("from _acc import get_secret\n", ""), "m.py", "exec"), ns)
    return ns


@settings(max_examples=150, deadline=None)
@given(before=TEXT, after=TEXT, quote=QUOTES, raw_prefix=st.booleans(), fstring=st.booleans())
def test_rewritten_literal_keeps_its_value(
    before: str, after: str, quote: str, raw_prefix: bool, fstring: bool
) -> None:
    literal = _literal(quote, raw_prefix, before, after)
    if literal is None:
        return
    if fstring:
        literal = "f" + literal.replace("{", "{{").replace("}", "}}")
    source = f"X = {literal}\n"
    expected = _run(source)["X"]
    reps = replacements("app/m.py", source, {SECRET: "K"}, "n")
    out = rewrite_source("app/m.py", source, reps, "_acc")
    event(f"{out.status}: {out.reason}"[:60])
    assert out.status in (RewriteStatus.REWRITTEN, RewriteStatus.SKIPPED), out.reason
    if out.status == RewriteStatus.SKIPPED:
        assert out.new_source == source and out.needs_human
        return
    ns = {"get_secret": lambda name, key: SECRET}
    code = out.new_source.replace("from _acc import get_secret\n", "")
    exec(compile(code, "m.py", "exec"), ns)
    assert ns["X"] == expected
    assert SECRET not in out.new_source
    again = rewrite_source("app/m.py", out.new_source, reps, "_acc")
    assert again.new_source == out.new_source
