"""The line gate: later versions of a file are skipped only when they can't add a finding."""

from __future__ import annotations

import pytest

import credmigrate.sources.linegate as linegate
from credmigrate.config import Config
from credmigrate.findings.model import Finding
from credmigrate.sources.history import scan_history
from tests import fakes
from tests.conftest import Repo
from tests.gitscan_helpers import env_line, token


def _scan(repo: Repo, monkeypatch: pytest.MonkeyPatch, gate: bool) -> list[Finding]:
    if not gate:
        monkeypatch.setattr(linegate.LineGate, "filter", lambda self, p, d: linegate.Part(d))
    result = scan_history(repo.path, Config(), jobs=1)
    monkeypatch.undo()
    return list(result.findings)


def _key(fs: list[Finding]) -> list[tuple[str, str, str, str]]:
    return sorted(
        (f.fingerprint, f.path, f.commit.sha if f.commit else "", str(f.status)) for f in fs
    )


def _pem(seed: int) -> str:
    body = "\n".join(fakes.b64_blob(48, f"{seed}-{i}") for i in range(8))
    return (
        "-----BEGIN RSA PRIVATE" + " KEY-----\n" + body + "\n-----END RSA PRIVATE" + " KEY-----\n"
    )


def _gate_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the gate decided for each version it was given: path:skip, path:part or path:whole."""
    calls: list[str] = []
    real = linegate.LineGate.filter

    def spy(self: linegate.LineGate, path: str, data: bytes) -> linegate.Part | None:
        out = real(self, path, data)
        calls.append(f"{path}:{'skip' if out is None else 'part' if out.lines else 'whole'}")
        return out

    monkeypatch.setattr(linegate.LineGate, "filter", spy)
    return calls


def _history_with_skips(repo: Repo) -> None:
    base = f'GITHUB_TOKEN = "{token(80)}"\n'
    repo.write("settings.py", base)
    repo.write("key.pem", _pem(1))
    repo.write("app.env", "A=1\n\n" + env_line(84) + "B=2\n")
    repo.commit("v1")
    for i in range(3):  # versions whose candidate lines were all seen: skipped
        repo.write("settings.py", base + f"DEBUG = {i}\n")
        repo.commit(f"noise {i}")
    repo.write("settings.py", base + f'OTHER_TOKEN = "{token(81)}"\n')  # a new secret
    repo.write("key.pem", _pem(2))  # same header lines, new key body
    repo.write("copy.py", base + "DEBUG = 2\n")  # a skipped blob, now at a second path
    # only the new lines of app.env are scanned; the finding keeps its line and columns
    repo.write("app.env", "A=1\n\n" + env_line(84) + "B=2\n" + "  " + env_line(85, "X_TOKEN"))
    repo.commit("v2")
    repo.write("settings.py", "")
    repo.write("key.pem", "")
    repo.write("copy.py", "")  # (a blob in HEAD is always scanned in full)
    repo.write("app.env", "")
    repo.commit("clean up")


def test_gate_changes_nothing_that_is_reported(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    _history_with_skips(repo)
    gated = _scan(repo, monkeypatch, gate=True)
    assert _key(gated) == _key(_scan(repo, monkeypatch, gate=False))
    secrets = {f.secret for f in gated}
    assert {token(80), token(81), token(84), token(85)} <= secrets
    [new] = [f for f in gated if f.secret == token(85)]
    assert (new.span.line, new.span.column) == (5, 12)
    assert len([f for f in gated if f.rule_id == "private-key"]) == 2
    assert {f.path for f in gated if f.secret == token(80)} == {"settings.py", "copy.py"}


def test_worker_processes_report_the_same(repo: Repo) -> None:
    # Two workers own a shard of the paths each, and the blobs skipped at one path but needed
    # at another (copy.py) are scanned again by the same warm workers after the walk.
    _history_with_skips(repo)
    one = scan_history(repo.path, Config(), jobs=1)
    two = scan_history(repo.path, Config(), jobs=2)
    assert _key(list(two.findings)) == _key(list(one.findings))
    assert {f.path for f in two.findings if f.secret == token(80)} == {"settings.py", "copy.py"}
    assert two.files_scanned == one.files_scanned


def test_gate_skips_versions_with_only_seen_lines(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _gate_calls(monkeypatch)
    line = f'GITHUB_TOKEN = "{token(82)}"\n'
    repo.write("settings.py", line)
    repo.write(".htpasswd", env_line(83))
    repo.commit("v1")
    repo.write("settings.py", line + "A = 1\n")
    repo.write(".htpasswd", env_line(83) + "A=1\n")  # a keyword-less path rule: every line
    repo.commit("v2")
    repo.write("settings.py", line + "A = 2\n")
    repo.write(".htpasswd", env_line(83) + "\n")  # a new blob, but only lines seen before
    repo.commit("v3: HEAD, always scanned in full")
    found = scan_history(repo.path, Config(), jobs=1).findings
    assert calls == [
        ".htpasswd:whole",
        "settings.py:whole",
        ".htpasswd:part",  # the new line only
        "settings.py:skip",
        ".htpasswd:skip",  # (HEAD: scanned whole all the same)
        "settings.py:skip",  # (HEAD: scanned whole all the same)
    ], calls
    [f] = [f for f in found if f.path == "settings.py"]
    assert f.secret == token(82)
    assert [loc.commit for loc in f.other_locations] == [repo.git("rev-parse", "HEAD").strip()]


def test_a_multiline_keyword_in_prose_does_not_force_whole_scans(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A "private key" in a help text is the key rule's keyword but no key block: later versions
    are gated like any other; a version that adds a real key block is scanned whole."""
    calls = _gate_calls(monkeypatch)
    head = f'HELP = "The path to a private key file for TLS."\nGITHUB_TOKEN = "{token(86)}"\n'
    repo.write("app.cfg", head)
    repo.commit("v1")
    repo.write("app.cfg", head + "DEBUG = 1\n")
    repo.commit("v2: a seen keyword line, no key block")
    repo.write("app.cfg", head + "DEBUG = 1\n" + _pem(3))
    repo.commit("v3: a key block")
    repo.write("app.cfg", "")
    repo.commit("v4")
    found = scan_history(repo.path, Config(), jobs=1).findings
    assert calls[:3] == ["app.cfg:whole", "app.cfg:skip", "app.cfg:whole"], calls
    assert "private-key" in {f.rule_id for f in found}
    assert token(86) in {f.secret for f in found}


def test_wrapped_assignment_value_change_is_found(repo: Repo) -> None:
    def version(seed: int) -> str:
        return f'DB_PASSWORD = (\n    "{fakes.password(seed)}"\n)\nDEBUG = True\n'

    for name in ("conf.py", "conf.cfg"):  # keyword lines / every line a candidate
        repo.write(name, version(1))
    repo.commit("v1")
    for name in ("conf.py", "conf.cfg"):
        repo.write(name, version(2))  # the keyword line is unchanged; the value is new
    repo.commit("v2")
    for name in ("conf.py", "conf.cfg"):
        repo.write(name, "DEBUG = True\n")
    repo.commit("v3")
    found = scan_history(repo.path, Config(), jobs=1).findings
    for name in ("conf.py", "conf.cfg"):
        secrets = {f.secret for f in found if f.path == name}
        assert {fakes.password(1), fakes.password(2)} <= secrets, name


def test_python_probe_agrees_with_a_whole_scan(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    pw = fakes.password(7)
    versions = [
        "import os\n\nDEBUG = True\n",
        f'import os\n\nDEBUG = True\n"""Example: password = "{pw}" in the docs."""\n',
        f'import os\n\nDEBUG = True\nif user_password == "{pw}":\n    pass\n',
        f'import os\n\nDEBUG = False\nDB_PASSWORD = "{pw}"\n',
        "import os\n\nDEBUG = False\n",
    ]
    for i, text in enumerate(versions):
        repo.write("app/settings.py", text)
        repo.commit(f"v{i}")
    gated = _scan(repo, monkeypatch, gate=True)
    assert _key(gated) == _key(_scan(repo, monkeypatch, gate=False))
    # v1's string statement (not the module docstring) already holds the value: reported there,
    # though an extract holding that line alone would parse as a docstring and be dropped
    [f] = gated
    v1 = repo.git("rev-list", "--reverse", "HEAD").split()[1]
    assert f.commit is not None and f.commit.sha == v1
