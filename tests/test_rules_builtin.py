"""The built-in rules: they compile, document themselves, and pass their own examples."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from credmigrate.cli.main import main
from credmigrate.detect.rulecheck import check_rules
from credmigrate.detect.rules import Rule, builtin_rule_dir, builtin_rules, load_rule_file
from tests import fakes

RULE_FILES = sorted(builtin_rule_dir().glob("*.toml"))
BUILTIN = builtin_rules()


def test_builtin_rules_are_found_and_ids_are_unique() -> None:
    assert len(RULE_FILES) >= 5
    ids = [r.id for r in BUILTIN]
    assert len(ids) == len(set(ids))
    # issue 2 coverage, spot-checked by id
    for rid in ("aws-access-key-id", "aws-secret-access-key", "github-token", "private-key"):
        assert rid in ids


@pytest.mark.parametrize("rule", BUILTIN, ids=lambda r: r.id)
def test_rule_compiles_and_documents_itself(rule: Rule) -> None:
    # builtin_rules() defers compilation for start-up speed; compile every rule here.
    if rule.regex:
        assert isinstance(rule.compiled, re.Pattern)
    if rule.path:
        assert rule.compiled_path is not None
    for al in rule.allowlists:
        assert all(isinstance(r, re.Pattern) for r in al.compiled_regexes)
        assert all(isinstance(p, re.Pattern) for p in al.compiled_paths)
    assert rule.description.strip() and rule.description != rule.id
    assert rule.examples, f"{rule.id} has no examples"
    assert rule.negative_examples, f"{rule.id} has no negative examples"
    if rule.regex:
        groups = rule.compiled.groups
        assert rule.secret_group <= groups


def test_every_builtin_example_passes_through_the_whole_scan_path() -> None:
    failures = check_rules(BUILTIN)
    assert failures == [], [(f.rule_id, f.kind, f.example.path) for f in failures]


def test_check_rules_reports_a_broken_example(tmp_path: Path) -> None:
    # the control for the test above: a rule whose example cannot match is reported
    f = tmp_path / "r.toml"
    f.write_text(
        "[[rules]]\n"
        'id = "fake-widget"\n'
        'description = "Widget token"\n'
        "regex = '''\\b(wdg_[a-z0-9]{20})\\b'''\n"
        'keywords = ["wdg_"]\n'
        'examples = ["nothing to see here"]\n'
        'negative_examples = ["wdg_k2lm9qr4tz7xw1vb8nm3"]\n'
    )
    failures = check_rules(load_rule_file(f))
    assert {(x.rule_id, x.kind) for x in failures} == {
        ("fake-widget", "missed"),
        ("fake-widget", "matched"),
    }


def test_cli_rules_check_on_builtin_files_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["rules", "check", *map(str, RULE_FILES)])
    out = capsys.readouterr().out
    assert code == 0, out
    for path in RULE_FILES:
        assert f"{path}: " in out and "ok" in out


def test_cli_rules_check_names_the_broken_example(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "mine.toml"
    f.write_text(
        "[[rules]]\n"
        'id = "good-rule"\n'
        'description = "Good"\n'
        "regex = '''\\b(gdr_[a-z0-9]{20})\\b'''\n"
        'keywords = ["gdr_"]\n'
        'examples = ["x = gdr_' + "a1" * 10 + '"]\n'
        'negative_examples = ["gdr_short"]\n'
        "[[rules]]\n"
        'id = "broken-rule"\n'
        'description = "Broken"\n'
        "regex = '''\\b(brk_[a-z0-9]{20})\\b'''\n"
        'keywords = ["brk_"]\n'
        'examples = ["brk_tooshort"]\n'
        'negative_examples = ["nothing"]\n'
    )
    code = main(["rules", "check", str(f)])
    out = capsys.readouterr().out
    assert code == 1
    assert "broken-rule: example not detected" in out
    assert "good-rule:" not in out
    assert "1 failed" in out


def test_cli_rules_list_lists_every_id(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "list"]) == 0
    listed = {line.split()[0] for line in capsys.readouterr().out.splitlines() if line.strip()}
    assert listed == {r.id for r in BUILTIN}


def test_cli_rules_list_includes_extra_rule_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "extra.toml"
    f.write_text('[[rules]]\nid = "team-widget"\nregex = "wdg_[a-z]{8}"\n')
    assert main(["rules", "list", "--rules", str(f)]) == 0
    out = capsys.readouterr().out
    assert "team-widget" in out and "aws-access-key-id" in out


BAD_RULE_FILES = {
    "invalid-toml": ("[[rules]\nid = 'x'\n", "invalid TOML"),
    "bad-regex": ("[[rules]]\nid = 'x'\nregex = '(unclosed'\n", "invalid regex"),
    "missing-id": ("[[rules]]\nregex = 'abc'\n", "'id'"),
    "bad-allowlist-regex": (
        "[[rules]]\nid = 'x'\nregex = 'abc'\n[rules.allowlist]\nregexes = ['[z-a]']\n",
        "invalid regex",
    ),
    "bad-keywords": ("[[rules]]\nid = 'x'\nregex = 'abc'\nkeywords = 3\n", "keywords"),
    "secret-group-not-a-number": (
        "[[rules]]\nid = 'x'\nregex = '(a)bc'\nsecretGroup = 'two'\n",
        "secretGroup must be a number",
    ),
    "secret-group-out-of-range": (
        "[[rules]]\nid = 'x'\nregex = '(a)bc'\nsecretGroup = 3\n",
        "secretGroup 3",
    ),
    "entropy-not-a-number": (
        "[[rules]]\nid = 'x'\nregex = 'abc'\nentropy = 'high'\n",
        "entropy must be a number",
    ),
    "bad-allowlist-condition": (
        "[[rules]]\nid = 'x'\nregex = 'abc'\n[rules.allowlist]\ncondition = 'XOR'\n",
        "condition must be OR or AND",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_RULE_FILES))
@pytest.mark.parametrize("command", ["check", "scan", "list"])
def test_bad_rule_file_is_one_line_exit_3(
    case: str, command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content, expect = BAD_RULE_FILES[case]
    f = tmp_path / "bad.toml"
    f.write_text(content)
    (tmp_path / "src").mkdir()
    argv = {
        "check": ["rules", "check", str(f)],
        "scan": ["scan", "--rules", str(f), str(tmp_path / "src")],
        "list": ["rules", "list", "--rules", str(f)],
    }[command]
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 3
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("credmigrate: error:")
    assert expect in lines[0]
    assert "Traceback" not in err


def test_missing_rule_file_is_exit_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["rules", "check", str(tmp_path / "nope.toml")])
    err = capsys.readouterr().err
    assert code == 3
    assert "rule file not found" in err and len(err.strip().splitlines()) == 1


def test_cli_rules_check_with_builtin_reports_a_rule_shadowed_by_a_builtin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # alone, the rule passes; with the built-in rules active, a more specific built-in rule
    # (aws-access-key-id) wins its example, which --with-builtin shows
    f = tmp_path / "mine.toml"
    f.write_text(
        "[[rules]]\n"
        'id = "team-aws-id"\n'
        'description = "AWS key id, team flavour"\n'
        "regex = '''\\b(AKIA[A-Z2-7]{16})\\b'''\n"
        'keywords = ["akia"]\n'
        'confidence = "medium"\n'
        f'examples = ["id = {fakes.aws_key_id("team")}"]\n'
        'negative_examples = ["id = AKIA1234"]\n'
    )
    assert main(["rules", "check", str(f)]) == 0
    assert main(["rules", "check", "--with-builtin", str(f)]) == 1
    out = capsys.readouterr().out
    assert "team-aws-id: example not detected" in out
