"""The start-up cache: parsed rules and the compiled hyperscan database are reused, and a
damaged cache is rebuilt rather than trusted."""

from __future__ import annotations

from pathlib import Path

import pytest

from credmigrate.config import Config
from credmigrate.detect import prefilter as prefilter_module
from credmigrate.detect import rules as rules_module
from credmigrate.detect.detector import Detector
from tests import fakes


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    rules_module.builtin_rules.cache_clear()
    return tmp_path / "cache" / "credmigrate"


def _finds_key(det: Detector) -> bool:
    key = fakes.github_pat("cache")
    return [f.secret for f in det.scan_text("app.py", f'TOKEN = "{key}"\n')] == [key]


def test_first_run_writes_then_later_runs_reuse(
    cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _finds_key(Detector.default(Config()))
    names = sorted(p.name.split("-")[0] for p in cache_home.iterdir())
    expected = ["hs", "rules"] if prefilter_module.HYPERSCAN else ["rules"]
    assert names == expected

    # a second build reads both: neither the TOML parser nor hyperscan's compiler runs
    rules_module.builtin_rules.cache_clear()

    def no_parse(*args: object, **kwargs: object) -> object:
        raise AssertionError("rules were parsed again")

    monkeypatch.setattr(rules_module, "load_rule_file", no_parse)
    if prefilter_module.HYPERSCAN:
        hs = prefilter_module._hs
        assert hs is not None

        class NoCompile:
            def compile(self, **kwargs: object) -> None:
                raise AssertionError("hyperscan compiled again")

        monkeypatch.setattr(hs, "Database", NoCompile)
    assert _finds_key(Detector.default(Config()))


def test_damaged_cache_is_rebuilt(cache_home: Path) -> None:
    Detector.default(Config())
    for p in cache_home.iterdir():
        p.write_bytes(b"not a pickle nor a database")
    rules_module.builtin_rules.cache_clear()
    assert _finds_key(Detector.default(Config()))


def test_unwritable_cache_is_not_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a file, so mkdir fails
    rules_module.builtin_rules.cache_clear()
    assert _finds_key(Detector.default(Config()))


def test_cached_rules_equal_the_parsed_ones(cache_home: Path) -> None:
    """Every field survives the cache, nested allowlists and examples and the confidence too."""
    parsed = rules_module.builtin_rules()
    assert any(r.allowlists for r in parsed) and any(r.examples for r in parsed)
    rules_module.builtin_rules.cache_clear()
    cached = rules_module.builtin_rules()
    assert cached == parsed
    assert all(isinstance(r.confidence, type(parsed[0].confidence)) for r in cached)
    assert all(isinstance(a, rules_module.Allowlist) for r in cached for a in r.allowlists)
