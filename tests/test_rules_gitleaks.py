"""A team's existing gitleaks/betterleaks TOML config works with ``scan --rules FILE``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from credmigrate.cli.main import main
from credmigrate.config import Config
from credmigrate.detect.detector import Detector
from credmigrate.detect.rules import compile_regex, load_rule_file
from tests import fakes
from tests.fakes_scan import prefixed

GITLEAKS_CONFIG = """\
title = "team gitleaks config"

[extend]
useDefault = true

[allowlist]
description = "global allowlist"
paths = ['''(?:^|/)vendor/''']
regexes = ['''^acm_0000''']

[[rules]]
id = "acme-token"
description = "ACME API token"
regex = '''\\b(acm_(?i)[a-z0-9]{32})\\b'''
keywords = ["acm_"]
entropy = 3.0
tags = ["acme"]

[[rules]]
id = "acme-secret"
description = "ACME client secret"
regex = '''(?i)(acme)[_-]?secret\\s*[:=]\\s*['"]([a-z0-9]{40})['"]'''
secretGroup = 2
keywords = ["acme"]

  [rules.allowlist]
  stopwords = ["sandbox"]

[[rules]]
id = "widget-key"
description = "Widget key"
regex = '''wdgt-([A-Za-z0-9]{24})'''
keywords = ["wdgt-"]

  [[rules.allowlists]]
  description = "fixture lines"
  regexTarget = "line"
  regexes = ['''#\\s*test fixture''']

  [[rules.allowlists]]
  description = "keys in docs only"
  condition = "AND"
  regexTarget = "match"
  regexes = ['''^wdgt-''']
  paths = ['''(?:^|/)docs/''']

[[rules]]
id = "team-private-key"
description = "Private key (gitleaks' own multi-line shape)"
regex = '''(?i)-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----[\\s\\S-]{64,}?KEY(?: BLOCK)?-----'''
keywords = ["-----begin"]
"""

LOWER = "abcdefghijklmnopqrstuvwxyz0123456789"


def _scan_json(
    root: Path, config: Path, capsys: pytest.CaptureFixture[str], *extra: str
) -> list[dict[str, Any]]:
    code = main(["scan", "--rules", str(config), "-f", "json", "--no-progress", *extra, str(root)])
    captured = capsys.readouterr()
    doc = json.loads(captured.out)
    findings: list[dict[str, Any]] = doc["findings"]
    assert code == (1 if findings else 0), captured.err
    return findings


@pytest.fixture
def config(tmp_path: Path) -> Path:
    p = tmp_path / "gitleaks.toml"
    p.write_text(GITLEAKS_CONFIG)
    return p


@pytest.fixture
def root(tmp_path: Path) -> Path:
    r = tmp_path / "tree"
    r.mkdir()
    return r


def _write(root: Path, rel: str, text: str) -> None:
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text)


def _hits(findings: list[dict[str, Any]]) -> set[tuple[str, str, int]]:
    return {(f["rule_id"], f["path"], f["line"]) for f in findings}


def test_gitleaks_config_loads_with_its_fields(config: Path) -> None:
    rules = {r.id: r for r in load_rule_file(config)}
    assert set(rules) == {"acme-token", "acme-secret", "widget-key", "team-private-key"}
    assert rules["acme-secret"].secret_group == 2
    assert rules["acme-token"].entropy == 3.0
    assert rules["acme-token"].keywords == ("acm_",)
    assert rules["team-private-key"].multiline  # [\s\S] crosses lines: whole-text matching
    assert not rules["widget-key"].multiline
    widget = rules["widget-key"].allowlists
    assert [a.condition for a in widget][:2] == ["OR", "AND"]
    assert widget[0].regex_target == "line"
    # every rule of the file carries the global allowlist too
    assert all(any(a.paths == (r"(?:^|/)vendor/",) for a in r.allowlists) for r in rules.values())


def test_inline_case_flag_in_the_middle_of_a_pattern() -> None:
    # Go: (?i) in the middle applies to the rest of the group; the prefix stays case-sensitive.
    pat = compile_regex(r"\b(acm_(?i)[a-z0-9]{8})\b")
    assert pat.search("acm_AbCd1234")
    assert not pat.search("ACM_abcd1234")
    # and a flag group in one alternative does not leak into the next
    alt = compile_regex(r"(?:x(?i)ab|cd)")
    assert alt.fullmatch("xAB") and alt.fullmatch("cd") and not alt.fullmatch("CD")


def test_custom_rules_find_what_they_should(
    config: Path, root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mixed = "acm_" + fakes.token(32, "mixed", LOWER + "ABCDEFGHIJ")
    upper_prefix = "ACM_" + fakes.token(32, "up", LOWER)
    secret40 = fakes.token(40, "acme", LOWER)
    widget = "wdgt-" + fakes.token(24, "w")
    _write(root, "src/app.cfg", f"token = {mixed}\nother = {upper_prefix}\n")
    _write(root, "src/client.py", f'ACME_SECRET = "{secret40}"\n')
    _write(root, "src/widget.txt", f"key: {widget}\n")
    findings = _scan_json(root, config, capsys, "--show-secrets")
    by_rule = {f["rule_id"]: f for f in findings}
    assert by_rule["acme-token"]["path"] == "src/app.cfg"
    assert by_rule["acme-token"]["line"] == 1
    # secretGroup = 2: the secret is the 40 chars, not the "acme" of group 1
    assert by_rule["acme-secret"]["secret"] == secret40
    assert by_rule["widget-key"]["secret"] == widget[len("wdgt-") :]
    assert not any(f["path"] == "src/app.cfg" and f["line"] == 2 for f in findings)


def test_entropy_threshold_drops_low_entropy_values(
    config: Path, root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(root, "a.txt", "t = acm_" + "ab" * 16 + "\n")
    _write(root, "b.txt", "t = " + prefixed("acm_", 32, "hi") + "\n")
    assert _hits(_scan_json(root, config, capsys)) == {("acme-token", "b.txt", 1)}


def test_keywords_gate_the_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # a rule only runs on lines holding one of its keywords (gitleaks' prefilter)
    cfg = tmp_path / "kw.toml"
    cfg.write_text(
        '[[rules]]\nid = "zed"\ndescription = "Zed"\n'
        "regex = '''\\b(zz[a-z0-9]{30})\\b'''\nkeywords = [\"zedkey\"]\n"
    )
    root = tmp_path / "t"
    root.mkdir()
    value = prefixed("zz", 30, "kw")
    _write(root, "with.txt", f"zedkey = {value}\n")
    _write(root, "without.txt", f"other = {value}\n")
    assert _hits(_scan_json(root, cfg, capsys)) == {("zed", "with.txt", 1)}


def test_global_allowlist_paths_and_regexes(
    config: Path, root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    token = prefixed("acm_", 32, "g")
    aws = fakes.aws_key_id("global")
    _write(root, "vendor/lib.txt", f"t = {token}\nid = {aws}\n")
    _write(root, "src/lib.txt", f"t = {token}\nid = {aws}\n")
    _write(root, "src/fixture.txt", "t = acm_0000" + fakes.token(28, "fx", LOWER) + "\n")
    hits = _hits(_scan_json(root, config, capsys))
    # the global allowlist applies to built-in rules too, as in gitleaks
    assert hits == {("acme-token", "src/lib.txt", 1), ("aws-access-key-id", "src/lib.txt", 2)}


def test_rule_allowlist_stopwords(
    config: Path, root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stop = "sandbox" + fakes.token(33, "s", LOWER)
    real = fakes.token(40, "r", LOWER)
    _write(root, "a.py", f'ACME_SECRET = "{stop}"\nacme_secret = "{real}"\n')
    hits = {h for h in _hits(_scan_json(root, config, capsys)) if h[0] == "acme-secret"}
    assert hits == {("acme-secret", "a.py", 2)}


def test_rule_allowlists_regex_target_line_and_and_condition(
    config: Path, root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    w1, w2, w3 = ("wdgt-" + fakes.token(24, i) for i in range(3))
    _write(root, "src/a.txt", f"k = {w1}  # test fixture\nk = {w2}\n")
    _write(root, "docs/guide.md", f"k = {w3}\n")  # path AND match regex: allowed
    _write(root, "src/b.md", f"k = {w3}\n")  # match regex alone: AND fails, reported
    hits = _hits(_scan_json(root, config, capsys))
    assert hits == {("widget-key", "src/a.txt", 2), ("widget-key", "src/b.md", 1)}


def test_multiline_gitleaks_rule_finds_a_pem_block(
    config: Path, root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = "\n".join(fakes.b64_blob(48, i) for i in range(4))
    pem = "-----BEGIN FAKE PRIVATE KEY-----\n" + body + "\n-----END FAKE PRIVATE KEY-----\n"
    _write(root, "keys/id.pem", "# a key\n" + pem)
    # alone, the team's rule finds the block ...
    alone = Detector(load_rule_file(config), Config()).scan_text("keys/id.pem", "# a key\n" + pem)
    assert [(f.rule_id, f.span.line, f.span.end_line) for f in alone] == [
        ("team-private-key", 2, 7)
    ]
    # ... and with the built-in rules, one finding stays for that block (no duplicate)
    findings = _scan_json(root, config, capsys)
    assert [(f["line"], f["end_line"]) for f in findings] == [(2, 7)]


@pytest.mark.parametrize(
    "marker", ["# gitleaks:allow", "# credmigrate:allow", "# pragma: allowlist secret"]
)
def test_inline_markers_suppress_custom_and_builtin_rules(
    marker: str, config: Path, root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    token = prefixed("acm_", 32, "m")
    aws = fakes.aws_key_id("m")
    _write(root, "a.py", f'T = "{token}"  {marker}\nK = "{aws}"  {marker}\nU = "{token}"\n')
    assert _hits(_scan_json(root, config, capsys)) == {("acme-token", "a.py", 3)}


def test_betterleaks_style_top_level_allowlists_array(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = tmp_path / "betterleaks.toml"
    cfg.write_text(
        "[[allowlists]]\n"
        'description = "generated"\n'
        "paths = ['''(?:^|/)gen/''']\n"
        '[[rules]]\nid = "zed"\ndescription = "Zed"\n'
        "regex = '''\\b(zz[a-z0-9]{30})\\b'''\nkeywords = [\"zz\"]\n"
    )
    root = tmp_path / "t"
    value = prefixed("zz", 30, "bl")
    _write(root, "gen/out.txt", f"v = {value}\n")
    _write(root, "src/in.txt", f"v = {value}\n")
    assert _hits(_scan_json(root, cfg, capsys)) == {("zed", "src/in.txt", 1)}


def test_multiline_rule_locates_a_secret_below_the_match_start(tmp_path: Path) -> None:
    cfg = tmp_path / "wrapped.toml"
    cfg.write_text(
        '[[rules]]\nid = "wrapped"\ndescription = "Wrapped password"\n'
        "regex = '''(?s)password\\s*=\\s*\\(\\s*\"([^\"]{8,})\"'''\n"
        'keywords = ["password"]\n'
    )
    secret = fakes.password("wrapped")
    src = f'x = 1\nconnect(\n    password=(\n        "{secret}"\n    ),\n)\n'
    detector = Detector(load_rule_file(cfg), Config())
    (f,) = detector.scan_text("a.txt", src)
    assert (f.span.line, f.span.column, f.span.end_line, f.span.end_column) == (
        4,
        10,
        4,
        10 + len(secret),
    )
    # an allow marker on the match's first line suppresses it
    marked = src.replace("password=(", "password=(  # gitleaks:allow")
    assert detector.scan_text("a.txt", marked) == []


def test_path_rules_with_and_without_regex(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = tmp_path / "paths.toml"
    cfg.write_text(
        '[[rules]]\nid = "kube-config-file"\ndescription = "A kubeconfig committed"\n'
        "path = '''(?:^|/)\\.kube/config$'''\n"
        '[[rules]]\nid = "tf-password"\ndescription = "Terraform variable default"\n'
        "path = '''\\.tfvars$'''\n"
        "regex = '''(?i)password\\s*=\\s*\"([^\"]{8,})\"'''\n"
    )
    root = tmp_path / "t"
    value = fakes.password("tf")
    _write(root, "home/.kube/config", "apiVersion: v1\nkind: Config\n")
    _write(root, "prod.tfvars", f'db_password = "{value}"\n')
    _write(root, "prod.tf", f'# password = "{value}"\n')
    hits = {(f["rule_id"], f["path"]) for f in _scan_json(root, cfg, capsys)}
    assert ("kube-config-file", "home/.kube/config") in hits
    assert ("tf-password", "prod.tfvars") in hits
    assert not any(rule == "tf-password" and p == "prod.tf" for rule, p in hits)


@pytest.mark.parametrize(
    ("pattern", "matches", "rejects"),
    [
        (r"\b(pat[[:alnum:]]{6}\.[[:xdigit:]]{4})\b", "pat9Zx4Yw.0aF3", "pat9Zx4Y_.0aF3"),
        (r"^[[:upper:][:digit:]]+$", "AB12", "Ab12"),
        (r"^[^[:space:]]+$", "a-b", "a b"),
        (r"^[[:punct:]]+$", "!/@[`{~", "a"),
        (r"^[a[]+$", "a[a", "b"),  # a literal [ inside a class
        (r"^[a--]+$", "a-", "b"),  # Python would read a doubled - as a set operation
        (r"^[&&x]+$", "&x", "y"),
    ],
)
def test_go_bracket_expressions_translate_without_warnings(
    pattern: str, matches: str, rejects: str
) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no FutureWarning about nested sets reaches the user
        compiled = compile_regex(pattern)
    assert compiled.search(matches)
    assert not compiled.search(rejects)


@pytest.mark.parametrize(
    ("pattern", "text", "group"),
    [
        (r"key=(?<secret>[a-z]{4})", "key=abcd", "abcd"),  # Go named group
        (r"(?<=key=)([a-z]{4})", "key=wxyz", "wxyz"),  # lookbehind untouched
        (r"tok_(\x{41}+)", "tok_AAA", "AAA"),  # Go braced hex escape
        (r"v([\x{61}-\x{63}]+)", "vabcz", "abc"),
    ],
)
def test_go_only_syntax_is_translated(pattern: str, text: str, group: str) -> None:
    m = compile_regex(pattern).search(text)
    assert m is not None
    assert m.group("secret" if "secret" in m.re.groupindex else 1) == group
