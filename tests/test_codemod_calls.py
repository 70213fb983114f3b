"""The fetch call is built node by node, exactly as libcst parses its text."""

from __future__ import annotations

import libcst as cst
from hypothesis import given
from hypothesis import strategies as st

from credmigrate.findings.model import Replacement
from credmigrate.rewrite.codemod import _call
from tests.fakes_codemod import replacements

_TEXT = st.text(st.characters(min_codepoint=32, max_codepoint=0x2FF), min_size=1, max_size=12)


def _rep(name: str, key: str | None) -> Replacement:
    src = 'X = "fake-value-for-call-test"\n'
    (rep,) = replacements("app/x.py", src, {"fake-value-for-call-test": "X"}, name)
    return Replacement(rep.finding, name, key)


@given(name=_TEXT, key=st.none() | _TEXT, quote=st.sampled_from(["'", '"', "'''", '"""']))
def test_same_tree_as_parsing_the_text(name: str, key: str | None, quote: str) -> None:
    call = _call(_rep(name, key), "get_secret", quote)
    q = quote[0]
    literals = [name] if key is None else [name, key]
    if any(q in t or "\\" in t or not t.isprintable() for t in literals):
        assert call is None
        return
    text = "get_secret(" + ", ".join(q + t + q for t in literals) + ")"
    assert call is not None
    assert call.deep_equals(cst.parse_expression(text))
    assert cst.Module([]).code_for_node(call) == text
