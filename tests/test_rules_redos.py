"""A user's rule regex that backtracks catastrophically must not hang a scan.

``(a+)+$`` on a line of ``a`` ending in something else takes Python's ``re`` about 2^n steps:
32 characters already take minutes. User rules run on RE2 (linear time); one RE2 can't run
(lookaround) runs under a time budget and the scan stops naming it.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from credmigrate.detect import user_regex
from credmigrate.detect.rules import assemble, parse_rules

SLOW = "(a+)+$"
SLOW_PY_ONLY = "(?=a)(a+)+$"  # the lookahead keeps it off RE2


def _rule_file(tmp_path: Path, rule_id: str, regex: str) -> Path:
    p = tmp_path / f"{rule_id}.toml"
    p.write_text(f"[[rules]]\nid = \"{rule_id}\"\ndescription = \"d\"\nregex = '''{regex}'''\n")
    return p


def _scan(tmp_path: Path, rules: Path, line: str) -> tuple[int, str, float]:
    data = tmp_path / "data.txt"
    data.write_text(line + "\n")
    t0 = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "credmigrate", "scan", str(data), "--rules", str(rules)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return proc.returncode, proc.stderr, time.monotonic() - t0


def test_catastrophic_user_regex_finishes_on_the_linear_engine(tmp_path: Path) -> None:
    rules = _rule_file(tmp_path, "slow-rule", SLOW)
    code, err, seconds = _scan(tmp_path, rules, "a" * 40 + "!")
    assert code == 0, err
    assert seconds < 60  # Python's re would need hours for 40 characters


def test_python_only_catastrophic_regex_stops_naming_the_rule(tmp_path: Path) -> None:
    rules = _rule_file(tmp_path, "slow-look", SLOW_PY_ONLY)
    code, err, seconds = _scan(tmp_path, rules, "a" * 40 + "!")
    assert code == 3
    [line] = err.splitlines()
    assert "rule slow-look" in line and "slow-look.toml" in line and "backtracks" in line
    assert line.endswith("data.txt)")
    assert seconds < 60


def test_user_rules_use_re2_builtin_rules_do_not(tmp_path: Path) -> None:
    [user] = parse_rules(
        f"[[rules]]\nid = 'u'\ndescription = 'd'\nregex = '''{SLOW}'''\n", "u.toml", user=True
    )
    assert user.user and not isinstance(user.compiled, re.Pattern)
    assert user.compiled.search("a" * 100_000 + "!") is None
    builtin = next(r for r in assemble() if r.regex)
    assert not builtin.user and isinstance(builtin.compiled, re.Pattern)


def test_user_rule_keeps_its_matches_and_groups_on_re2(tmp_path: Path) -> None:
    [rule] = parse_rules(
        "[[rules]]\nid = 'k'\ndescription = 'd'\nregex = '''(?i)key\\s*=\\s*([a-z0-9]{8,})'''\n",
        "k.toml",
        user=True,
    )
    m = rule.compiled.search("éé KEY = abcdef123456 y")
    assert m is not None and m.group(1) == "abcdef123456" and m.start(1) == 9
    assert rule.compiled.groups == 1


def test_budgeted_pattern_raises_with_the_label(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(user_regex, "MATCH_BUDGET_SECONDS", 0.2)
    pat = user_regex.compile_user(SLOW_PY_ONLY, SLOW_PY_ONLY, "my-rule (x.toml)")
    assert isinstance(pat, user_regex.Budgeted)
    with pytest.raises(user_regex.SlowRuleError, match=r"rule my-rule \(x.toml\) took over 0.2 s"):
        list(pat.finditer("a" * 40 + "!"))
    assert pat.search("aaa") is not None  # a fast call still works after a slow one
