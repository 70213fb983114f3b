"""Every loader, fuzzed: rule files (ours, gitleaks/betterleaks TOML), config, baselines (ours,
detect-secrets, gitleaks JSON), saved plans and the journal.

Hypothesis mutates a valid document of each kind: truncates it, splices in invalid UTF-8 and NUL
bytes, replaces a value anywhere in it with a wrong type, a huge number or a deeply nested
value, or nests the whole document thousands deep. Whatever the input, a loader either returns
something usable or raises a CredmigrateError (exit 2 or 3) with one line of text; never another
exception (which the CLI would report as an internal error), never a hang (Hypothesis' deadline).
The CLI cases at the end check the same through ``credmigrate`` itself: one line, exit 2 or 3.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credmigrate.cli.main import main
from credmigrate.config import Config, load_config
from credmigrate.detect.detector import Detector
from credmigrate.detect.rules import assemble, parse_rules
from credmigrate.errors import CredmigrateError
from credmigrate.findings.baseline import Baseline
from credmigrate.migrate.journal import Journal
from credmigrate.migrate.plan import plan_from_json
from credmigrate.migrate.plan_text import render_plan
from credmigrate.sources.worktree import scan_worktree
from tests.gitscan_helpers import env_line

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FUZZ = settings(
    max_examples=60,
    deadline=5000,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# -- valid seeds ------------------------------------------------------------------------------

OUR_RULES = """
[[rules]]
id = "corp-key"
description = "Corp API key"
regex = '''(?i)corp[_-]?key\\s*=\\s*["']?([A-Z0-9]{20})'''
secretGroup = 1
keywords = ["corp"]
entropy = 3.0
confidence = "medium"
examples = ["corp_key = ABCDEFGHIJ0123456789"]
negative_examples = [{ text = "corp_key = EXAMPLEEXAMPLEEXAMPLE", path = "x.py" }]
[[rules.allowlists]]
regexes = ['''EXAMPLE''']
stopwords = ["example"]
"""

GITLEAKS = """
title = "gitleaks config"
[allowlist]
description = "global"
paths = ['''(^|/)vendor/''']
[[rules]]
id = "generic-api-key"
description = "Generic API Key"
regex = '''(?i)[\\w.-]{0,50}?(?:access|auth|api|credential|key)(?:[ \\t\\w.-]{0,20})(?:[\\s|']|[\\s|"]){0,3}(?:=|>|:{1,3}=|\\|\\||:|=>|\\?=|,)[\\x60'"\\s=]{0,5}([\\w.=-]{10,150})(?:[\\x60'"\\s;]|\\\\[nr]|$)'''
entropy = 3.5
keywords = ["access", "api", "auth", "key"]
[rules.allowlist]
regexTarget = "line"
regexes = ['''^\\s*#''']
[[rules]]
id = "pem"
description = "Private key"
regex = '''-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY-----[\\s\\S-]*?-----END'''
keywords = ["-----begin"]
"""

CONFIG = """
exclude = ["docs/**", "*.min.js"]
max_file_size = 1048576
disabled_rules = []
baseline = ".credmigrate-baseline.json"
min_confidence = "medium"
jobs = 1
prefix = "acme"
name_template = "{prefix}/{repo}/{module}"
[tags]
team = "payments"
"""

OUR_BASELINE = {
    "version": 1,
    "generated_by": "credmigrate",
    "fingerprints": ["a" * 40],
    "entries": [
        {"fingerprint": "a" * 40, "rule_id": "x", "path": "app.py", "secret_hash": "b" * 64}
    ],
}
DS_BASELINE = {
    "version": "1.5.0",
    "plugins_used": [{"name": "KeywordDetector"}],
    "results": {
        "app.py": [
            {
                "type": "Secret Keyword",
                "filename": "app.py",
                "hashed_secret": "c" * 40,
                "line_number": 3,
            }
        ]
    },
}
GL_BASELINE = [
    {"RuleID": "generic-api-key", "File": "app.py", "Secret": "s3cr3t-value-123", "StartLine": 1}
]

PLAN = {
    "credmigrate_plan": 1,
    "repo": "shop",
    "options": {
        "group": "auto",
        "name_template": None,
        "prefix": None,
        "region": "eu-west-1",
        "account": "*",
        "kms_key_id": None,
        "replica_regions": ["eu-central-1"],
        "tags": [["team", "payments"]],
        "rotation_lambda": None,
        "rotate_after_days": None,
    },
    "secrets": [
        {
            "name": "credmigrate/shop/app",
            "group": "module app",
            "keys": [
                {
                    "key": "DB_PASSWORD",
                    "fingerprints": ["f" * 40],
                    "locations": ["app.py:3 (password)"],
                    "redacted": "hu***",
                }
            ],
            "paths": ["app.py"],
            "description": "Migrated by credmigrate",
            "tags": [["credmigrate:repo", "shop"]],
            "value_sha256": "d" * 64,
            "size": 40,
        }
    ],
    "rotation": [
        {
            "fingerprint": "e" * 40,
            "rule_id": "github-pat",
            "location": "old.py:1",
            "redacted": "ghp_***",
            "status": "history-only",
            "commit": "abc",
        }
    ],
    "flagged": [
        {
            "path": "tests/t.py",
            "reason": "test file",
            "instruction": "move it",
            "fingerprints": ["9" * 40],
        }
    ],
    "rewrite_paths": ["app.py"],
    "source_digest": "0" * 64,
}
JOURNAL = {
    "credmigrate_journal": 1,
    "state": "uploading",
    "updated": "2026-01-01T00:00:00+00:00",
    "secrets": [
        {
            "name": "credmigrate/shop/app",
            "value_sha256": "d" * 64,
            "fingerprints": ["f" * 40],
            "outcome": "created",
            "arn": "arn:aws:secretsmanager:eu-west-1:1:secret:x",
            "version_id": "v1",
            "verified": True,
            "message": "",
        }
    ],
    "rewritten": ["app.py"],
}

# -- mutations --------------------------------------------------------------------------------

POISON = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from([10**4000, -(10**400), 2**63, 1e308, -0.0]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["\x00", "a\x00b", "\udcff", "é" * 3, "../../etc/passwd", "${HOME}"]),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
    st.integers(min_value=50, max_value=50_000).map(lambda n: f"\x01DEEP{n}\x01"),
)
_DEEP = re.compile(r'"\\u0001DEEP(\d+)\\u0001"')


def _expand(text: str) -> str:
    """Deep nesting is drawn as a marker and written out here: ``[[[...]]]``, n deep."""
    return _DEEP.sub(lambda m: "[" * int(m.group(1)) + "]" * int(m.group(1)), text)


def _replace_somewhere(doc: Any, data: st.DataObject) -> Any:
    """``doc`` with one node (chosen by Hypothesis) replaced by a poison value."""
    if isinstance(doc, (dict, list)) and doc and data.draw(st.booleans()):
        keys = list(doc.keys()) if isinstance(doc, dict) else list(range(len(doc)))
        k = data.draw(st.sampled_from(keys))
        copy: Any = dict(doc) if isinstance(doc, dict) else list(doc)
        copy[k] = _replace_somewhere(doc[k], data)
        return copy
    return data.draw(POISON)


def _bytes_mutation(raw: bytes, data: st.DataObject) -> bytes:
    kind = data.draw(st.sampled_from(["truncate", "splice", "nest", "repeat"]))
    if kind == "truncate":
        return raw[: data.draw(st.integers(0, len(raw)))]
    if kind == "splice":
        at = data.draw(st.integers(0, len(raw)))
        junk = data.draw(
            st.one_of(
                st.binary(max_size=8),
                st.sampled_from([b"\x00", b"\xff\xfe", b"\xc3\x28", b"\xed\xa0\x80", b"\x00" * 64]),
            )
        )
        return raw[:at] + junk + raw[at:]
    if kind == "nest":
        n = data.draw(st.integers(100, 20000))
        return b"[" * n + raw + b"]" * n
    return raw * data.draw(st.integers(2, 50))


def _mutated_json(seed: Any, data: st.DataObject) -> bytes:
    if data.draw(st.booleans()):
        text = _expand(json.dumps(_replace_somewhere(seed, data)))
        return text.encode("utf-8", "surrogatepass")
    return _bytes_mutation(json.dumps(seed).encode(), data)


def _mutated_toml(seed: str, data: st.DataObject) -> bytes:
    if data.draw(st.booleans()):
        return _bytes_mutation(seed.encode(), data)
    # a value replaced: the seed re-rendered with one poisoned field (TOML can't hold null or
    # nested-beyond-reason values as easily as JSON, so write them the way a hand would)
    doc = tomllib.loads(seed)
    poisoned = _replace_somewhere(doc, data)
    return _expand(_to_toml(poisoned)).encode("utf-8", "surrogatepass")


def _toml_value(v: Any) -> str:
    if v is None:
        return '""'
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v) if v == v and v not in (float("inf"), float("-inf")) else "nan"
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {_toml_value(x)}" for k, x in v.items()) + "}"
    return json.dumps(str(v))


def _to_toml(doc: Any) -> str:
    if not isinstance(doc, dict):
        return f"value = {_toml_value(doc)}\n"
    return "".join(f"{json.dumps(k)} = {_toml_value(v)}\n" for k, v in doc.items())


# -- the properties ---------------------------------------------------------------------------


def _fails_cleanly(action: Callable[[], object]) -> None:
    """``action`` returns, or raises a one-line CredmigrateError; nothing else."""
    try:
        action()
    except CredmigrateError as exc:
        assert int(exc.exit_code) in (2, 3)
        assert "\n" not in exc.message and exc.message.strip()
        assert len(exc.message) < 1000


def _use_rules(path: Path) -> None:
    rules = assemble([path], include_builtin=False)
    detector = Detector(rules, Config())
    detector.scan_bytes("app.py", b'corp_key = "ABCDEFGHIJ0123456789"\napi_key = "Zx9v8b7n6m5"\n')


@FUZZ
@given(data=st.data())
def test_our_rule_files(tmp_path: Path, data: st.DataObject) -> None:
    p = tmp_path / "rules.toml"
    p.write_bytes(_mutated_toml(OUR_RULES, data))
    _fails_cleanly(lambda: _use_rules(p))


@FUZZ
@given(data=st.data())
def test_gitleaks_rule_files(tmp_path: Path, data: st.DataObject) -> None:
    p = tmp_path / "gitleaks.toml"
    p.write_bytes(_mutated_toml(GITLEAKS, data))
    _fails_cleanly(lambda: _use_rules(p))


@FUZZ
@given(data=st.data())
def test_config(tmp_path: Path, data: st.DataObject) -> None:
    p = tmp_path / ".credmigrate.toml"
    p.write_bytes(_mutated_toml(CONFIG, data))
    (tmp_path / "app.py").write_text("x = 1\n")

    def load_and_scan() -> None:
        config = load_config(tmp_path)
        scan_worktree([tmp_path], config, jobs=1)

    _fails_cleanly(load_and_scan)


@FUZZ
@given(data=st.data(), seed=st.sampled_from([OUR_BASELINE, DS_BASELINE, GL_BASELINE]))
def test_baselines(tmp_path: Path, data: st.DataObject, seed: Any) -> None:
    p = tmp_path / "baseline.json"
    p.write_bytes(_mutated_json(seed, data))
    finding = Detector.default(Config()).scan_text("app.py", env_line(1))
    assert len(finding) == 1
    _fails_cleanly(lambda: Baseline.load(p).filter(finding))


@FUZZ
@given(data=st.data())
def test_saved_plans(data: st.DataObject) -> None:
    raw = _mutated_json(PLAN, data).decode("utf-8", "surrogateescape")

    def load_and_show() -> None:
        plan = plan_from_json(raw)
        render_plan(plan)
        plan.policy()
        plan.cost()

    _fails_cleanly(load_and_show)


@FUZZ
@given(data=st.data())
def test_journal(tmp_path: Path, data: st.DataObject) -> None:
    state = tmp_path / ".credmigrate"
    state.mkdir(exist_ok=True)
    (state / "journal.json").write_bytes(_mutated_json(JOURNAL, data))

    def load_and_use() -> None:
        journal = Journal.load(tmp_path)
        journal.to_data()
        sum(1 for e in journal.entries.values() if e.outcome in ("created", "updated"))

    _fails_cleanly(load_and_use)


def test_seeds_are_valid(tmp_path: Path) -> None:
    """The mutations start from documents each loader accepts."""
    assert parse_rules(OUR_RULES, "ours.toml") and parse_rules(GITLEAKS, "gl.toml", user=True)
    for i, seed in enumerate([OUR_BASELINE, DS_BASELINE, GL_BASELINE]):
        (tmp_path / f"b{i}.json").write_text(json.dumps(seed))
        Baseline.load(tmp_path / f"b{i}.json")
    render_plan(plan_from_json(json.dumps(PLAN)))
    (tmp_path / ".credmigrate").mkdir()
    (tmp_path / ".credmigrate/journal.json").write_text(json.dumps(JOURNAL))
    assert Journal.load(tmp_path).entries
    (tmp_path / ".credmigrate.toml").write_text(CONFIG)
    assert load_config(tmp_path).prefix == "acme"


# -- the same through the command line --------------------------------------------------------

NASTY = {
    "deep": b"[" * 100_000 + b"]" * 100_000,
    "huge-int": b'{"version": ' + b"9" * 5000 + b"}",
    "bad-utf8": b'{"version": 1, "fingerprints": ["\xff\xfe"]}',
    "nul": b'{"version": 1,\x00 "fingerprints": []}',
    "truncated": json.dumps(OUR_BASELINE).encode()[:37],
}
NASTY_TOML = {
    "deep": b"x = " + b"[" * 50_000 + b"]" * 50_000 + b"\n",
    "huge-int": b"max_file_size = " + b"9" * 5000 + b"\n",
    "bad-utf8": b'exclude = ["\xff"]\n',
    "nul": b'extra_rules = ["a\\u0000b"]\n',
    "wrong-type": b'exclude = "everything"\njobs = "many"\n',
}


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err and "internal error" not in err, err
    return lines[0]


@pytest.mark.parametrize("name", sorted(NASTY))
def test_cli_baseline_and_plan_and_journal(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / f"{name}.json"
    bad.write_bytes(NASTY[name])
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.py").write_text("x = 1\n")
    assert main(["scan", str(tmp_path / "src"), "--baseline", str(bad)]) == 3
    _one_line(capsys.readouterr().err)
    code = main(
        [
            "migrate",
            str(tmp_path / "src"),
            "--plan",
            str(bad),
            "--dry-run",
            "--region",
            "us-east-1",
            "--no-history",
        ]
    )
    assert code in (2, 3)
    _one_line(capsys.readouterr().err)


@pytest.mark.parametrize("name", sorted(NASTY_TOML))
def test_cli_config_and_rules(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / f"{name}.toml"
    bad.write_bytes(NASTY_TOML[name])
    (tmp_path / "a.py").write_text("x = 1\n")
    for args in (["--config", str(bad)], ["--rules", str(bad)]):
        code = main(["scan", str(tmp_path / "a.py"), *args])
        err = capsys.readouterr().err
        if code in (0, 1):  # e.g. a rule file without rules is valid
            assert "error" not in err
            continue
        assert code in (2, 3), err
        _one_line(err)


@pytest.mark.parametrize("option", ["--config", "--rules", "--baseline"])
def test_cli_input_that_never_ends_is_refused(
    option: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A FIFO (or /dev/zero) named as an input would block or fill memory: refused."""
    fifo = tmp_path / "endless"
    os.mkfifo(fifo)
    (tmp_path / "a.py").write_text("x = 1\n")
    assert main(["scan", str(tmp_path / "a.py"), option, str(fifo)]) == 3
    assert "named pipe" in _one_line(capsys.readouterr().err)


@pytest.mark.parametrize("line", ["max_file_size = -1", "max_file_size = 0", "jobs = -2"])
def test_cli_config_numbers_out_of_range(
    line: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".credmigrate.toml").write_text(line + "\n")
    (tmp_path / "a.py").write_text("x = 1\n")
    assert main(["scan", str(tmp_path)]) == 3
    assert line.split()[0] in _one_line(capsys.readouterr().err)
