"""``credmigrate scan`` output: JSON fields, no secret values unless asked, -o, config, baselines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from credmigrate.cli.main import main
from tests import fakes

FORMATS = ("text", "json", "sarif", "junit")
FINDING_FIELDS = {
    "rule_id",
    "path",
    "line",
    "column",
    "end_line",
    "end_column",
    "fingerprint",
    "redacted",
    "confidence",
    "binding",
}


@pytest.fixture
def secrets() -> dict[str, str]:
    return {
        "aws": fakes.aws_key_id("out"),
        "pw": fakes.password("out"),
        "gh": fakes.github_pat("out"),
    }


@pytest.fixture
def tree(tmp_path: Path, secrets: dict[str, str]) -> Path:
    root = tmp_path / "proj"
    (root / "app").mkdir(parents=True)
    (root / "app" / "settings.py").write_text(
        f'import os\n\nDATABASES = {{"default": {{"PASSWORD": "{secrets["pw"]}"}}}}\n'
    )
    (root / "deploy.env").write_text(
        f"# deployment settings, production\naws_access_key_id = {secrets['aws']}\n"
    )
    (root / "ci.yml").write_text(f"token: {secrets['gh']}\n")
    return root


def _json(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    code = main(argv)
    return code, json.loads(capsys.readouterr().out)


def test_json_has_the_documented_fields(
    tree: Path, secrets: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, doc = _json(["scan", "-f", "json", str(tree)], capsys)
    assert code == 1
    findings = {f["path"]: f for f in doc["findings"]}
    assert set(findings) == {"app/settings.py", "deploy.env", "ci.yml"}  # relative to the root
    for f in findings.values():
        assert set(f) >= FINDING_FIELDS, sorted(FINDING_FIELDS - set(f))
        assert f["line"] >= 1 and f["column"] >= 1
        assert len(f["fingerprint"]) == 40
        assert f["confidence"] in {"high", "medium", "low"}
        assert "secret" not in f
    py = findings["app/settings.py"]
    line3 = (tree / "app" / "settings.py").read_text().splitlines()[2]
    assert (py["line"], py["column"]) == (3, line3.index(secrets["pw"]) + 1)
    assert py["end_column"] - py["column"] == len(secrets["pw"])
    assert py["binding"]["kind"] == "dict_key"
    assert py["binding"]["target"] == "DATABASES.default.PASSWORD"
    assert py["binding"]["literal"]["column"] == py["column"] - 1  # the opening quote
    assert findings["deploy.env"]["rule_id"] == "aws-access-key-id"
    assert findings["deploy.env"]["binding"] is None
    assert findings["ci.yml"]["rule_id"] == "github-token"


@pytest.mark.parametrize("fmt", FORMATS)
def test_secret_values_never_printed_without_show_secrets(
    fmt: str,
    tree: Path,
    tmp_path: Path,
    secrets: dict[str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    report = tmp_path / "out" / f"report.{fmt}"
    assert main(["scan", "-f", fmt, str(tree)]) == 1
    assert main(["scan", "-f", fmt, "-o", str(report), str(tree)]) == 1
    captured = capsys.readouterr()
    written = report.read_text()
    assert written.strip()
    for value in secrets.values():
        assert value not in captured.out
        assert value not in captured.err
        assert value not in written
    # with --show-secrets, the same outputs carry them
    assert main(["scan", "-f", fmt, "--show-secrets", "-o", str(report), str(tree)]) == 1
    assert main(["scan", "-f", fmt, "--show-secrets", str(tree)]) == 1
    shown = capsys.readouterr().out
    written = report.read_text()
    for value in secrets.values():
        assert value in shown
        assert value in written


def test_output_file_is_written_and_stdout_stays_empty(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.json"
    assert main(["scan", "-f", "json", "-o", str(out), str(tree)]) == 1
    assert capsys.readouterr().out == ""
    assert len(json.loads(out.read_text())["findings"]) == 3
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".r.json")] == []


def test_pyproject_config_takes_effect(
    tree: Path, secrets: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    def paths() -> set[str]:
        code, doc = _json(["scan", "-f", "json", str(tree)], capsys)
        assert code == (1 if doc["findings"] else 0)
        return {f["path"] for f in doc["findings"]}

    assert paths() == {"app/settings.py", "deploy.env", "ci.yml"}
    pyproject = tree / "pyproject.toml"
    pyproject.write_text('[tool.credmigrate]\nexclude = ["*.yml"]\n')
    assert paths() == {"app/settings.py", "deploy.env"}
    pyproject.write_text('[tool.credmigrate]\ndisabled_rules = ["aws-access-key-id"]\n')
    assert paths() == {"app/settings.py", "ci.yml"}
    pyproject.write_text('[tool.credmigrate]\nmin_confidence = "high"\n')
    assert paths() == {"deploy.env", "ci.yml"}  # the generic (medium) finding is dropped
    cap = (tree / "ci.yml").stat().st_size
    pyproject.write_text(f"[tool.credmigrate]\nmax_file_size = {cap}\n")
    code, doc = _json(["scan", "-f", "json", str(tree)], capsys)
    assert code == 1
    assert {f["path"] for f in doc["findings"]} == {"ci.yml"}
    assert {s["path"]: s["reason"] for s in doc["skipped"]} == {
        "app/settings.py": "too large",
        "deploy.env": "too large",
    }


def test_cli_options_override_config(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "pyproject.toml").write_text('[tool.credmigrate]\nmin_confidence = "high"\n')
    code, doc = _json(["scan", "-f", "json", "--min-confidence", "medium", str(tree)], capsys)
    assert code == 1
    assert "app/settings.py" in {f["path"] for f in doc["findings"]}


def test_credmigrate_toml_config_file(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / ".credmigrate.toml").write_text('exclude = ["app/"]\n')
    code, doc = _json(["scan", "-f", "json", str(tree)], capsys)
    assert code == 1
    assert {f["path"] for f in doc["findings"]} == {"deploy.env", "ci.yml"}


def test_baseline_round_trip_and_new_secret_on_a_baselined_line(
    tree: Path, tmp_path: Path, secrets: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    baseline = tmp_path / "baseline.json"
    assert main(["scan", "--update-baseline", str(baseline), str(tree)]) == 0
    stored = baseline.read_text()
    for value in secrets.values():
        assert value not in stored
    capsys.readouterr()
    assert main(["scan", "--baseline", str(baseline), str(tree)]) == 0
    capsys.readouterr()
    # a second secret appended to an accepted line is reported; the accepted one is not
    extra = fakes.aws_key_id("extra")
    (tree / "deploy.env").write_text(
        f"# deployment settings, production\naws_access_key_id = {secrets['aws']}  # next: {extra}\n"
    )
    code, doc = _json(
        ["scan", "-f", "json", "--show-secrets", "--baseline", str(baseline), str(tree)], capsys
    )
    assert code == 1
    assert [(f["path"], f["secret"]) for f in doc["findings"]] == [("deploy.env", extra)]
    # and a changed value at the same place is new too
    other_pw = fakes.password("rotated")
    settings = tree / "app" / "settings.py"
    settings.write_text(settings.read_text().replace(secrets["pw"], other_pw))
    code, doc = _json(["scan", "-f", "json", "--baseline", str(baseline), str(tree)], capsys)
    assert {f["path"] for f in doc["findings"]} == {"deploy.env", "app/settings.py"}


def test_config_baseline_path_is_used(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "pyproject.toml").write_text('[tool.credmigrate]\nbaseline = ".secrets.json"\n')
    assert main(["scan", "--update-baseline", str(tree / ".secrets.json"), str(tree)]) == 0
    capsys.readouterr()
    assert main(["scan", str(tree)]) == 0


def test_config_extra_rules_are_relative_to_the_config_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    proj = tmp_path / "proj"
    (proj / "ci").mkdir(parents=True)
    (proj / "ci" / "team.toml").write_text(
        '[[rules]]\nid = "team-widget"\ndescription = "Widget"\n'
        "regex = '''\\b(wdg_[a-z0-9]{24})\\b'''\nkeywords = [\"wdg_\"]\n"
    )
    (proj / "pyproject.toml").write_text('[tool.credmigrate]\nextra_rules = ["ci/team.toml"]\n')
    (proj / "a.txt").write_text(
        "w = wdg_" + fakes.token(24, "w", "abcdefghjkmnpqrstuvwxyz23456789") + "\n"
    )
    monkeypatch.chdir(tmp_path)  # not the project directory
    code, doc = _json(["scan", "-f", "json", "proj"], capsys)
    assert code == 1
    assert [(f["rule_id"], f["path"]) for f in doc["findings"]] == [("team-widget", "a.txt")]
