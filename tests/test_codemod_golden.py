"""Golden before/after pairs for every rewrite shape (tests/golden/<case>/).

Each case is checked for the exact output, that it compiles, that no migrated secret survives
in the output or the diff, that a second run changes nothing, and, where ``expect.json`` lists
``exec`` expressions, that the rewritten module evaluates them to the same values as the
original (the accessor reading a local secrets file).
"""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from credmigrate.findings.model import Replacement, RewriteStatus
from credmigrate.rewrite.accessor import render_accessor
from credmigrate.rewrite.codemod import rewrite_source
from tests.fakes_codemod import MARKER, materialize, replacements

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "before.py").is_file())
ACCESSOR = "_credmigrate_secrets"
PATH = "app/settings.py"


class Case:
    def __init__(self, name: str) -> None:
        self.name = name
        self.before, self.secrets = materialize((GOLDEN / name / "before.py").read_text(), name)
        self.after, _ = materialize((GOLDEN / name / "after.py").read_text(), name)
        expect = GOLDEN / name / "expect.json"
        self.expect: dict[str, Any] = json.loads(expect.read_text()) if expect.is_file() else {}
        self.secret_name = f"credmigrate/demo/{name}"
        self.reps: list[Replacement] = replacements(
            PATH, self.before, self.secrets, self.secret_name
        )


@pytest.fixture(params=CASES)
def case(request: pytest.FixtureRequest) -> Case:
    return Case(str(request.param))


def test_cases_exist() -> None:
    assert len(CASES) >= 15


def test_golden_output(case: Case) -> None:
    assert case.reps, "a golden case must hold at least one fake secret"
    out = rewrite_source(PATH, case.before, case.reps, ACCESSOR)
    assert out.status == RewriteStatus(case.expect.get("status", "rewritten")), out.reason
    assert len(out.needs_human) == case.expect.get("needs_human", 0), out.needs_human
    assert out.new_source == case.after
    compile(out.new_source, PATH, "exec")
    flagged = {fp for fp, _ in out.needs_human}
    for rep in case.reps:
        if rep.finding.fingerprint in flagged:
            assert rep.finding.secret in out.new_source
            continue
        assert rep.finding.fingerprint in out.handled
        assert rep.finding.secret not in out.new_source
        assert rep.finding.secret not in out.diff
    if out.status == RewriteStatus.REWRITTEN:
        assert out.diff.startswith(f"--- a/{PATH}\n+++ b/{PATH}\n")


def test_golden_idempotent(case: Case) -> None:
    first = rewrite_source(PATH, case.before, case.reps, ACCESSOR)
    again = rewrite_source(PATH, first.new_source, case.reps, ACCESSOR)
    assert again.new_source == first.new_source
    assert again.diff == ""
    assert again.status in (RewriteStatus.UNCHANGED, RewriteStatus.SKIPPED)
    assert set(again.handled) == set(first.handled)


def test_golden_files_hold_no_secret_literals(case: Case) -> None:
    for name in ("before.py", "after.py"):
        text = (GOLDEN / case.name / name).read_text()
        for secret in case.secrets:
            assert secret not in text  # only markers are committed
    if not case.expect.get("needs_human"):
        assert not MARKER.search((GOLDEN / case.name / "after.py").read_text())


class _Rec:
    """Stands in for a third-party object: records calls, attributes and item assignments."""

    def __init__(self, path: str, log: list[Any], args: Any = (), kwargs: Any = None) -> None:
        self.path, self.log, self.args, self.kwargs = path, log, args, kwargs or {}
        self.items: dict[Any, Any] = {}

    def __getattr__(self, name: str) -> _Rec:
        if name.startswith("__"):
            raise AttributeError(name)
        child = _Rec(f"{self.path}.{name}", self.log)
        object.__setattr__(self, name, child)
        return child

    def __call__(self, *args: Any, **kwargs: Any) -> _Rec:
        args = tuple(a.__qualname__ if isinstance(a, types.FunctionType) else a for a in args)
        self.log.append((self.path, args, kwargs))
        return _Rec(f"{self.path}()", self.log, args, kwargs)

    def __setitem__(self, key: Any, value: Any) -> None:
        self.items[key] = value

    def __eq__(self, other: object) -> bool:
        mine = (self.path, self.args, self.kwargs, self.items)
        return isinstance(other, _Rec) and mine == (
            other.path,
            other.args,
            other.kwargs,
            other.items,
        )

    __hash__ = None  # type: ignore[assignment]


def _stub_attr(path: str, log: list[Any]) -> _Rec:
    if path.rpartition(".")[2].startswith("__"):
        raise AttributeError(path)
    return _Rec(path, log)


def _stub_modules(names: list[str], log: list[Any]) -> dict[str, types.ModuleType]:
    stubs: dict[str, types.ModuleType] = {}
    for name in names:
        module = types.ModuleType(name)
        module.__getattr__ = lambda attr, _n=name: _stub_attr(f"{_n}.{attr}", log)  # type: ignore[method-assign,misc]
        stubs[name] = module
    return stubs


def _load(name: str, source: str, stubs: list[str]) -> tuple[dict[str, Any], list[Any]]:
    log: list[Any] = []
    saved = {n: sys.modules.get(n) for n in [*stubs, name]}
    sys.modules.update(_stub_modules(stubs, log))
    module = types.ModuleType(name)
    module.__package__ = stubs[0] if stubs and stubs[0].endswith("_pkg") else None
    sys.modules[name] = module
    try:
        exec(compile(source, f"{name}.py", "exec"), module.__dict__)
    finally:
        for n, m in saved.items():
            if m is None:
                sys.modules.pop(n, None)
            else:
                sys.modules[n] = m
    return module.__dict__, log


def test_golden_semantics(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    checks: list[str] = case.expect.get("exec", [])
    if not checks:
        pytest.skip("no exec checks for this case")
    stubs: list[str] = case.expect.get("stubs", [])
    values = {case.secret_name: {key: secret for secret, key in case.secrets.items()}}
    (tmp_path / "secrets.json").write_text(json.dumps(values))
    (tmp_path / f"{ACCESSOR}.py").write_text(render_accessor(ACCESSOR, use_caching_library=False))
    monkeypatch.setenv("CREDMIGRATE_SECRETS_FILE", str(tmp_path / "secrets.json"))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, ACCESSOR, raising=False)
    for var in ("API_TOKEN", "DB_PASSWORD", "SIGNING_KEY", "BEARER", "CONFIG_KEY", "SMTP_PASSWORD"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", "AC-not-a-real-sid")
    for var, value in case.expect.get("env", {}).items():
        monkeypatch.setenv(var, value)  # set variables must still win over the store
    for name, code in case.expect.get("modules", {}).items():
        (tmp_path / f"{name}.py").write_text(code)  # small stand-ins for third-party readers
        monkeypatch.delitem(sys.modules, name, raising=False)
    out = rewrite_source(PATH, case.before, case.reps, ACCESSOR)
    before, before_calls = _load("golden_case", case.before, stubs)
    after, after_calls = _load("golden_case", out.new_source, stubs)
    if out.status == RewriteStatus.REWRITTEN:
        assert ACCESSOR in sys.modules  # the rewritten code really went through the accessor
    assert after_calls == before_calls  # third-party calls got the very same arguments
    for expr in checks:
        assert eval(expr, after) == eval(expr, before), expr
    for name in [ACCESSOR, *case.expect.get("modules", {})]:
        sys.modules.pop(name, None)
