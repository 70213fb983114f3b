"""Hyperscan prefilter regexes: a rule's prefilter must admit every line its regex can match,
and the scan must find the same with the prefilter as with the plain keywords."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credmigrate.config import Config
from credmigrate.detect import prefilter as prefilter_module
from credmigrate.detect.detector import Detector
from credmigrate.detect.prefilter import REGEX_PREFIX, Prefilter
from credmigrate.detect.python_gate import gate_entries
from credmigrate.detect.rules import Rule, builtin_rules
from credmigrate.errors import RuleError

pytestmark = pytest.mark.skipif(not prefilter_module.HYPERSCAN, reason="needs hyperscan")

PREFILTERED = [r for r in builtin_rules() if r.prefilter]


def test_some_rules_use_a_prefilter() -> None:
    assert {"generic-secret-assignment", "uri-password"} <= {r.id for r in PREFILTERED}


@pytest.mark.parametrize("rule", PREFILTERED, ids=lambda r: r.id)
def test_prefilter_admits_every_positive_example(rule: Rule) -> None:
    pf = Prefilter([REGEX_PREFIX + rule.prefilter])
    for ex in rule.examples:
        data = ex.text.encode()
        hit_lines = {data.count(b"\n", 0, pos) for _, pos in pf.hits(data)}
        for m in rule.compiled.finditer(ex.text):
            line = ex.text.count("\n", 0, m.start())
            assert line in hit_lines, f"{rule.id}: prefilter misses {ex.text!r}"


def _all_examples() -> list[tuple[str, str]]:
    out = []
    for r in builtin_rules():
        for ex in (*r.examples, *r.negative_examples):
            out.append((ex.path, ex.text))
    return out


def test_same_findings_with_and_without_prefilter_regexes(monkeypatch: pytest.MonkeyPatch) -> None:
    config = Config(min_confidence="low")
    with_regex = Detector.default(config)
    monkeypatch.setattr(prefilter_module, "HYPERSCAN", False)
    keywords_only = Detector.default(config)
    assert not any(k.startswith(REGEX_PREFIX) for k in keywords_only.prefilter.keywords)
    for path, text in _all_examples():
        a = [(f.rule_id, f.span, f.secret) for f in with_regex.scan_text(path, text)]
        b = [(f.rule_id, f.span, f.secret) for f in keywords_only.scan_text(path, text)]
        assert a == b, (path, text[:60])


def test_invalid_prefilter_is_a_rule_error() -> None:
    with pytest.raises(RuleError, match="prefilter"):
        Prefilter([REGEX_PREFIX + "(unclosed"])


def _for_lines_of(
    rule: Rule, examples: int
) -> Callable[[Callable[[str], None]], Callable[[], None]]:
    """Run a check on lines generated from ``rule``'s regex: printable ASCII and tabs (what code
    is written in), the same lines on every run."""
    ascii_text = st.sampled_from(["\t", *map(chr, range(32, 127))])
    lines = st.from_regex(rule.compiled, fullmatch=False, alphabet=ascii_text)
    fixed = settings(
        max_examples=examples, deadline=None, database=None, derandomize=True,
        suppress_health_check=list(HealthCheck),
    )  # fmt: skip
    return lambda check: fixed(given(lines)(check))


@pytest.mark.parametrize("rule", PREFILTERED, ids=lambda r: r.id)
def test_prefilter_admits_generated_matches(rule: Rule) -> None:
    """A prefilter must admit every line its rule can match, not only the written examples:
    lines generated from the rule's own regex must all be hit."""
    pf = Prefilter([REGEX_PREFIX + rule.prefilter])

    @_for_lines_of(rule, 300)
    def check(line: str) -> None:
        for m in rule.compiled.finditer(line):
            data = m.group(0).encode()
            assert pf.hits(data), f"{rule.id}: prefilter misses {m.group(0)!r}"

    check()


KEYWORDED = [r for r in builtin_rules() if r.regex and r.keywords and not r.prefilter]


@pytest.mark.parametrize("rule", KEYWORDED, ids=lambda r: r.id)
def test_keywords_cover_generated_matches(rule: Rule) -> None:
    """Without a prefilter regex a rule reads only lines holding one of its keywords (gitleaks'
    semantics), so every line its regex can match must hold one: lines generated from the
    regex must all contain a keyword."""
    keywords = [k.lower() for k in rule.keywords]

    @_for_lines_of(rule, 80)
    def check(line: str) -> None:
        if rule.compiled.search(line) is not None:
            low = line.lower()
            assert any(k in low for k in keywords), f"{rule.id}: no keyword in {line!r}"

    check()


def test_python_only_entries_are_looked_for_in_python_source_only() -> None:
    # Two databases, one without the AST gate's entries, ids kept: a literal before and after
    # the Python-only entry keeps its index in both.
    pf = Prefilter(["token", REGEX_PREFIX + r"\(['\"]root['\"],", "secret"], python_only={1})
    data = b'x = token\nconnect(("root", "pw"))\ny = secret\n'
    assert sorted(kid for kid, _ in pf.hits(data)) == [0, 1, 2]
    assert sorted(kid for kid, _ in pf.hits(data, python=False)) == [0, 2]
    assert pf.hits(data, python=False) == [h for h in pf.hits(data) if h[0] != 1]


def test_python_only_entries_without_hyperscan(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prefilter_module, "_hs", None)
    pf = Prefilter(["token", "pass", "secret"], python_only={1})
    data = b"token pass secret\n"
    assert pf.engine == "bytes.find"
    assert sorted(kid for kid, _ in pf.hits(data)) == [0, 1, 2]
    assert sorted(kid for kid, _ in pf.hits(data, python=False)) == [0, 2]


def test_the_detector_keeps_the_gate_out_of_other_files_only() -> None:
    detector = Detector.default(Config())
    pf = detector.prefilter
    gate = {i for i, k in enumerate(pf.keywords) if k in gate_entries(True)}
    assert pf.python_only == gate  # every gate entry, and no rule's entry
    line = b'client.login(("admin", "hunter2-but-longer"))\n'
    assert {kid for kid, _ in pf.hits(line)} & gate
    assert not {kid for kid, _ in pf.hits(line, python=False)} & gate


@pytest.mark.parametrize(
    "line",
    [
        '("root", "toor")',
        "[ 'deploy' ,  r'x'",
        '(\n    "ops@example.com", "pw")',
        "['a.b+c@mail.example.org',b'pw']",
        '("administrator",\n  u"x")',
    ],
)
def test_the_split_user_tuple_entries_hit_what_the_single_one_did(line: str) -> None:
    # The ("root", "...") gate shape is two entries for speed; together they must hit every
    # line the one alternation hit, and no other.
    one = (
        r"[(\[][ \t]*(?:\r?\n[ \t]*)?['\"](?:root|admin|administrator|deploy|deployer|postgres|"
        r"sa|ubuntu|guest|ftpuser|[\w.+\-]{1,64}@[\w.\-]{1,64})['\"][ \t]*,[ \t]*"
        r"(?:\r?\n[ \t]*)?[rbu]?['\"]"
    )
    split = [e for e in gate_entries(True) if "ftpuser" in e or "]{1,64}@[" in e]
    assert len(split) == 2
    data = line.encode()
    before = {pos for _, pos in Prefilter([REGEX_PREFIX + one]).hits(data)}
    after = {pos for _, pos in Prefilter(split).hits(data)}
    assert before and before == after
