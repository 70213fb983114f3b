"""The compiled-regex cache gives the pattern ``re.compile`` gives, or falls back to it."""

from __future__ import annotations

import marshal
import re
import subprocess
import sys
from pathlib import Path

import pytest

from credmigrate.detect import cache, filters, lazyre, regex_cache
from credmigrate.detect.goregex import translate
from credmigrate.detect.rules import builtin_rules

pytestmark = pytest.mark.skipif(not regex_cache._OK, reason="CPython's _sre only")


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache directory and a module that has loaded nothing yet."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(regex_cache, "_table", None)
    monkeypatch.setattr(regex_cache, "_new", {})
    return tmp_path / "cache" / "credmigrate"


def _builtin_patterns() -> list[tuple[str, int]]:
    out = set()
    for rule in builtin_rules():
        for p in (rule.regex, rule.precheck, rule.path):
            if p:
                out.add((translate(p), 0))
    for value in vars(filters).values():
        if isinstance(value, lazyre.LazyPattern):
            out.add((value.pattern, int(value.flags)))
    return sorted(out)


def _reload() -> None:
    regex_cache._table = None
    regex_cache._new = {}


def test_every_builtin_pattern_comes_back_from_the_cache_as_re_builds_it(fresh: Path) -> None:
    patterns = _builtin_patterns()
    assert len(patterns) > 100
    first = [regex_cache.compile(p, f) for p, f in patterns]
    regex_cache.save()
    assert list(fresh.glob("re-*"))
    _reload()
    table = regex_cache._load()
    assert set(patterns) <= set(table)  # every one is served from the cache now
    for (p, f), before in zip(patterns, first, strict=True):
        cached = regex_cache.compile(p, f)
        # CPython compares pattern objects by pattern, flags and matcher code
        assert cached == re.compile(p, f) == before, p
        assert cached.groupindex == before.groupindex and cached.groups == before.groups
    assert not regex_cache._new  # nothing had to be compiled again


def test_a_damaged_cache_file_means_plain_compiles(fresh: Path) -> None:
    regex_cache.compile(r"(?P<name>pass\w*)\s*=\s*(\S+)")
    regex_cache.save()
    [path] = fresh.glob("re-*")
    path.write_bytes(path.read_bytes()[:-40])  # truncated
    _reload()
    compiled = regex_cache.compile(r"(?P<name>pass\w*)\s*=\s*(\S+)")
    assert compiled == re.compile(r"(?P<name>pass\w*)\s*=\s*(\S+)")
    assert compiled.search("password = hunter2") is not None


def test_a_wrong_entry_is_not_used(fresh: Path) -> None:
    # an entry whose code _sre rejects, and one with another pattern's code: neither is used
    good = regex_cache.compile("token=([a-z]+)")
    _, entry = next(iter(regex_cache._new.items()))
    broken = (entry[0], entry[1][:-8], *entry[2:])
    other = regex_cache._new.copy()
    regex_cache._new.clear()
    regex_cache._new[("token=([a-z]+)", 0)] = broken
    regex_cache.save()
    _reload()
    again = regex_cache.compile("token=([a-z]+)")
    assert again == good and again.search("token=abc") is not None
    assert other  # the sound entry had been recorded


def test_a_new_process_compiles_nothing_the_cache_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_cache = tmp_path / "cache"
    code = (
        "from credmigrate.detect import regex_cache as rc; import sys; "
        "p = rc.compile(r'(?i)secret[_-]?key\\s*[:=]\\s*(\\S{8,})'); "
        "sys.stdout.write(str(len(rc._new)))"
    )
    env = {"XDG_CACHE_HOME": str(env_cache), "PATH": "/usr/bin:/bin"}
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        ).stdout
        for _ in range(2)
    ]
    assert runs == ["1", "0"]  # compiled and saved at exit, then served from the cache
    monkeypatch.setenv("XDG_CACHE_HOME", str(env_cache))
    payload = cache.load("re", regex_cache._KEY, "bin")
    assert payload is not None and len(marshal.loads(payload)) == 1
