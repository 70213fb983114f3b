"""Rewrite orchestration: the real scanner feeding the codemod, parallel runs, atomic writes."""

from __future__ import annotations

import os
import shutil
import stat
import sys
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from credmigrate.config import Config
from credmigrate.detect.detector import Detector
from credmigrate.errors import BadInputError
from credmigrate.findings.model import Finding, Replacement, RewriteOutcome, RewriteStatus
from credmigrate.rewrite.project import accessor_replacement_files, plan_rewrites, write_outcomes
from tests import fakes

NEGATIVE = Path(__file__).parent / "golden" / "negative"
NAME = "credmigrate/app/settings"


def _scan(root: Path, paths: list[str]) -> list[Finding]:
    detector = Detector.default(Config())
    out: list[Finding] = []
    for rel in paths:
        out.extend(detector.scan_text(rel, (root / rel).read_text(encoding="utf-8")))
    return out


def _reps(findings: list[Finding]) -> list[Replacement]:
    return [
        Replacement(f, NAME, (f.binding.name if f.binding else f.rule_id) + f"_{f.line}")
        for f in findings
    ]


def _write(root: Path, rel: str, text: str) -> None:
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")


@pytest.fixture
def app(tmp_path: Path) -> Path:
    root = tmp_path / "app"
    _write(
        root,
        "app/settings.py",
        "import os\n\n"
        f'SECRET_KEY = "{fakes.token(50, "sk")}"\n'
        f'DATABASES = {{"default": {{"PASSWORD": "{fakes.password("db")}"}}}}\n'
        f'GITHUB_TOKEN = os.environ.get("GITHUB_TOKEN", "{fakes.github_pat("gh")}")\n',
    )
    _write(
        root,
        "app/db.py",
        f'URL = "postgresql://app:{fakes.password("url")}@db.example.com/app"\n\n\n'
        f'def connect(password="{fakes.password("fn")}"):\n    return password\n',
    )
    _write(root, "tests/test_app.py", f'TOKEN = "{fakes.github_pat("test")}"\n')
    _write(root, "config.yaml", f"slack_token: {fakes.slack_bot_token('yaml')}\n")
    for neg in NEGATIVE.glob("*.py"):
        shutil.copy(neg, root / "app" / f"neg_{neg.name}")
    return root


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_scan_plan_apply_rescan(app: Path) -> None:
    before = {rel: (app / rel).read_bytes() for rel in _files(app)}
    findings = _scan(app, _files(app))
    assert {f.path for f in findings} == {
        "app/settings.py",
        "app/db.py",
        "tests/test_app.py",
        "config.yaml",
    }
    outcomes = plan_rewrites(app, _reps(findings), Config())
    by_path = {o.path: o for o in outcomes}
    assert by_path["app/settings.py"].status == RewriteStatus.REWRITTEN
    assert by_path["app/db.py"].status == RewriteStatus.REWRITTEN
    for flagged in ("tests/test_app.py", "config.yaml"):
        assert by_path[flagged].status == RewriteStatus.SKIPPED
        assert by_path[flagged].needs_human
    assert "get_secret(" in by_path["tests/test_app.py"].needs_human[0][1]
    # a config file can't call Python: it is told to read the environment, never get_secret
    yaml_todo = by_path["config.yaml"].needs_human[0][1]
    assert "get_secret" not in yaml_todo and "credmigrate env" in yaml_todo
    assert all(not o.needs_human for o in outcomes if o.path.startswith("app/"))
    for o in outcomes:
        for f in findings:
            assert f.secret not in o.diff and f.secret not in o.reason
    write_outcomes(app, outcomes)
    assert not _scan(app, ["app/settings.py", "app/db.py"])  # nothing left to find
    for rel, data in before.items():
        if rel not in ("app/settings.py", "app/db.py"):
            assert (app / rel).read_bytes() == data, rel  # negatives, tests, yaml untouched
    for rel in ("app/settings.py", "app/db.py"):
        assert (app / rel).read_text(encoding="utf-8") == by_path[rel].new_source
    again = plan_rewrites(app, _reps(findings), Config())
    assert not [o for o in again if o.status == RewriteStatus.REWRITTEN]


def _outcome_key(o: RewriteOutcome) -> tuple[object, ...]:
    return (o.path, o.status, o.new_source, o.diff, o.handled, o.needs_human, o.reason)


def test_parallel_equals_serial(tmp_path: Path) -> None:
    secrets: dict[str, str] = {}
    for i in range(12):
        secret = fakes.token(40, f"par{i}")
        secrets[f"pkg/mod{i}.py"] = secret
        _write(tmp_path, f"pkg/mod{i}.py", f'# module {i}\nAPI_KEY = "{secret}"\n')
    findings = _scan(tmp_path, sorted(secrets))
    assert len(findings) == 12
    serial = plan_rewrites(tmp_path, _reps(findings), Config(), jobs=1)
    parallel = plan_rewrites(tmp_path, _reps(findings), Config(), jobs=2)
    assert [_outcome_key(o) for o in serial] == [_outcome_key(o) for o in parallel]
    assert all(o.status == RewriteStatus.REWRITTEN for o in serial)


def test_unreadable_and_invalid_files_fail_as_values(tmp_path: Path) -> None:
    secret = fakes.token(40, "bad")
    _write(tmp_path, "a.py", f'API_KEY = "{secret}"\n')
    (finding,) = _scan(tmp_path, ["a.py"])
    _write(tmp_path, "a.py", f'print "py2"\nAPI_KEY = "{secret}"\n')
    missing = Replacement(finding._replace(path="gone.py"), NAME, "K")
    outcomes = plan_rewrites(tmp_path, [Replacement(finding, NAME, "K"), missing], Config())
    assert [(o.path, o.status) for o in outcomes] == [
        ("a.py", RewriteStatus.FAILED),
        ("gone.py", RewriteStatus.FAILED),
    ]
    assert "not valid Python 3" in outcomes[0].reason


def test_write_keeps_mode_and_leaves_no_temp_files(tmp_path: Path) -> None:
    secret = fakes.token(40, "mode")
    _write(tmp_path, "run.py", f'#!/usr/bin/env python\nAPI_KEY = "{secret}"\n')
    os.chmod(tmp_path / "run.py", 0o750)
    outcomes = plan_rewrites(tmp_path, _reps(_scan(tmp_path, ["run.py"])), Config())
    write_outcomes(tmp_path, outcomes)
    assert stat.S_IMODE((tmp_path / "run.py").stat().st_mode) == 0o750
    assert secret not in (tmp_path / "run.py").read_text()
    assert _files(tmp_path) == ["run.py"]


def test_write_is_all_or_nothing(tmp_path: Path) -> None:
    _write(tmp_path, "a.py", "A = 1\n")
    good = RewriteOutcome("a.py", RewriteStatus.REWRITTEN, "A = 2\n", "diff")
    bad = RewriteOutcome("../outside.py", RewriteStatus.REWRITTEN, "B = 2\n", "diff")
    with pytest.raises(BadInputError):
        write_outcomes(tmp_path, [good, bad])
    assert (tmp_path / "a.py").read_text() == "A = 1\n"
    assert _files(tmp_path) == ["a.py"]
    assert not (tmp_path.parent / "outside.py").exists()


def test_source_encoding_is_kept(tmp_path: Path) -> None:
    secret = fakes.token(40, "latin")
    text = f'# -*- coding: latin-1 -*-\n# caf\xe9\nAPI_KEY = "{secret}"\n'
    (tmp_path / "legacy.py").write_bytes(text.encode("latin-1"))
    finding = _scan_text("legacy.py", text)
    write_outcomes(tmp_path, plan_rewrites(tmp_path, [Replacement(finding, NAME, "K")], Config()))
    data = (tmp_path / "legacy.py").read_bytes()
    assert b"# caf\xe9\n" in data and secret.encode() not in data
    assert f'KEY = get_secret("{NAME}", "K")'.encode() in data


def _scan_text(path: str, text: str) -> Finding:
    (finding,) = Detector.default(Config()).scan_text(path, text)
    return finding


def test_accessor_module_and_dependency_edits(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "shop"\ndependencies = [\n    "django>=4",\n    "requests"\n]\n'
    )
    (tmp_path / "requirements.txt").write_text("django>=4\n# comment\nrequests")
    outcomes = accessor_replacement_files(tmp_path, Config(), [NAME])
    by_path = {o.path: o for o in outcomes}
    assert set(by_path) == {"_credmigrate_secrets.py", "pyproject.toml", "requirements.txt"}
    accessor = by_path["_credmigrate_secrets.py"]
    assert accessor.diff.startswith("--- /dev/null\n+++ b/_credmigrate_secrets.py\n")
    assert "USE_CACHING_LIBRARY = False" in accessor.new_source
    compile(accessor.new_source, "_credmigrate_secrets.py", "exec")
    deps = tomllib.loads(by_path["pyproject.toml"].new_source)["project"]["dependencies"]
    assert deps == ["django>=4", "requests", "boto3>=1.28.57"]
    assert '    "requests",\n    "boto3>=1.28.57",\n]' in by_path["pyproject.toml"].new_source
    assert (
        by_path["requirements.txt"].new_source == "django>=4\n# comment\nrequests\nboto3>=1.28.57\n"
    )
    write_outcomes(tmp_path, outcomes)
    again = accessor_replacement_files(tmp_path, Config(), [NAME])
    assert [(o.path, o.status) for o in again] == [
        ("_credmigrate_secrets.py", RewriteStatus.UNCHANGED)
    ]


def test_accessor_uses_caching_library_when_declared(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\ndependencies = ["boto3", "aws_secretsmanager_caching>=1.1"]\n'
    )
    (outcome,) = accessor_replacement_files(tmp_path, Config(), [NAME])
    assert "USE_CACHING_LIBRARY = True" in outcome.new_source


def test_poetry_and_single_line_arrays(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.poetry.dependencies]\npython = "^3.10"\ndjango = "^4"\n\n[tool.black]\nline-length = 100\n'
    )
    (edit,) = [
        o
        for o in accessor_replacement_files(tmp_path, Config(), [NAME])
        if o.path == "pyproject.toml"
    ]
    poetry = tomllib.loads(edit.new_source)["tool"]["poetry"]["dependencies"]
    assert poetry == {"python": "^3.10", "django": "^4", "boto3": ">=1.28.57"}
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "y"\ndependencies = ["a", "b"]\n')
    (edit,) = [
        o
        for o in accessor_replacement_files(tmp_path, Config(), [NAME])
        if o.path == "pyproject.toml"
    ]
    assert 'dependencies = ["a", "b", "boto3>=1.28.57"]\n' in edit.new_source


def test_accessor_placement_and_bad_names(tmp_path: Path) -> None:
    (tmp_path / "src" / "shop").mkdir(parents=True)
    cfg = Config(accessor_module="shop._credmigrate_secrets")
    outcome, deps = accessor_replacement_files(tmp_path, cfg, [NAME])
    assert outcome.path == "src/shop/_credmigrate_secrets.py"
    assert deps.status == RewriteStatus.SKIPPED and "pip install 'boto3>=1.28.57'" in deps.reason
    for bad in ("secrets", "shop.secrets", "not-a-module"):
        (failed,) = accessor_replacement_files(tmp_path, Config(accessor_module=bad), [NAME])
        assert failed.status == RewriteStatus.FAILED and "secrets" in failed.reason
    assert accessor_replacement_files(tmp_path, Config(), []) == []


def test_root_accessor_in_a_src_layout_carries_a_note(tmp_path: Path) -> None:
    (tmp_path / "src" / "shop").mkdir(parents=True)
    outcome, _ = accessor_replacement_files(tmp_path, Config(), [NAME])
    assert outcome.status == RewriteStatus.REWRITTEN
    assert "sys.path" in outcome.reason and "accessor_module" in outcome.reason


def test_planning_module_does_not_import_libcst() -> None:
    import subprocess

    code = "import sys, credmigrate.rewrite.project; print('libcst' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_history_only_findings_are_not_rewritten(tmp_path: Path) -> None:

    from credmigrate.findings.model import Status

    secret = fakes.token(40, "hist")
    _write(tmp_path, "a.py", f'API_KEY = "{secret}"\n')
    (finding,) = _scan(tmp_path, ["a.py"])
    old = finding._replace(status=Status.HISTORY_ONLY)
    assert plan_rewrites(tmp_path, [Replacement(old, NAME, "K")], Config()) == []
    live = finding._replace(status=Status.LIVE)
    (outcome,) = plan_rewrites(tmp_path, [Replacement(live, NAME, "K")], Config())
    assert outcome.status == RewriteStatus.REWRITTEN
