"""Migrate real public projects end to end and check that they still run (issue: real projects).

For each project below (public repositories with hardcoded credentials, pinned to a commit):

1. copy the files of that commit into a fresh one-commit git repository under a temp dir;
2. in a venv made for that project (its own dependencies, cached in bench/.cache/realworld/venvs),
   start it the way its README runs it (``manage.py check``, importing the app, its script from its
   own folder) and hash the values its settings hold;
3. ``credmigrate migrate . --yes`` against moto in server mode on 127.0.0.1
   (``AWS_ENDPOINT_URL_SECRETS_MANAGER``);
4. start it again the same way with the same AWS environment and compare the value hashes;
5. for each setting that an environment variable overrode before, set that variable and check
   that it still wins over the stored value;
6. check the installs: ``pip install --dry-run`` of every requirements file the migration edited
   (resolution only; needs PyPI) and, where a lock file exists, that it was updated or the plan
   said which command to run;
7. run ``migrate`` a second time and expect no file and no secret to change.

Per project it records: live findings, secrets created, values stored (JSON leaves) and distinct
values, files rewritten, files flagged with their reasons, whether it starts before/after, values
equal, overrides kept, installs, rerun unchanged, and migrated values still in rewritten files.

    python3 bench/realworld.py [--credmigrate PATH] [--only NAME,...] [--no-install-check] [-v]

Sources: ``/work/.mirror/<owner>+<name>/repo`` (CREDMIGRATE_BENCH_MIRRORS) when present, else
``https://github.com/<owner>/<name>``. Needs network the first time (venvs, clones). Standard
library only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
CACHE = BENCH / ".cache" / "realworld"
MIRRORS = Path(os.environ.get("CREDMIGRATE_BENCH_MIRRORS", "/work/.mirror"))
EMPTY = CACHE / "empty-aws-config"


@dataclass(frozen=True)
class Probe:
    """``module``'s ``expr``, evaluated in the app's folder: the value a setting holds."""

    module: str
    expr: str
    env: tuple[tuple[str, str], ...] = ()  # e.g. DJANGO_SETTINGS_MODULE


@dataclass(frozen=True)
class Override:
    """Setting ``var`` in the environment made ``probe`` return it before the migration."""

    var: str
    probe: Probe


@dataclass(frozen=True)
class Project:
    name: str
    repo: str  # owner/name
    commit: str
    how: str  # how its README runs it
    app_dir: str = "."
    start: tuple[str, ...] = ()  # argv run in app_dir with the venv's python first on PATH
    probes: tuple[Probe, ...] = ()
    overrides: tuple[Override, ...] = ()
    deps: tuple[str, ...] = ()  # what the venv needs to start it (from its requirements/README)
    families: str = ""  # what this project exercises


DJ = (("DJANGO_SETTINGS_MODULE", "locallibrary.settings"),)

PROJECTS: tuple[Project, ...] = (
    Project(
        "locallibrary",
        "mdn/django-locallibrary-tutorial",
        "3dbedbed216386e068723f5d3fefeae63bcfe16d",
        "python manage.py check",
        start=("python", "manage.py", "check"),
        probes=(Probe("django.conf", "__import__('django').setup() or settings.SECRET_KEY", DJ),),
        overrides=(
            Override(
                "DJANGO_SECRET_KEY",
                Probe("django.conf", "__import__('django').setup() or settings.SECRET_KEY", DJ),
            ),
        ),
        deps=(
            "Django==5.1.15",
            "dj-database-url==2.1.0",
            "python-dotenv==1.0.1",
            "whitenoise==6.6.0",
        ),
        families="env-var default (os.environ.get), commented copy, runtime.txt",
    ),
    Project(
        "stat_surveys",
        "ggrents/stat_surveys-Flask",
        "6792c888a44c1d468cc09c3d73a5e5c19c6b9e7d",
        "python app.py (import app)",
        probes=(
            Probe("config", "app.config['SECRET_KEY']"),
            Probe("config", "app.config['SQLALCHEMY_DATABASE_URI']"),
            Probe("config", "app.config['BASIC_AUTH_PASSWORD']"),
        ),
        deps=(
            "flask<3",
            "flask-sqlalchemy",
            "flask-migrate",
            "flask-login",
            "flask-admin<2",
            "flask-caching",
            "flask-basicauth",
            "flask-debugtoolbar",
            "flask-wtf",
            "psycopg2-binary",
            "email-validator",
        ),
        families="no requirements file, committed .pyc, same value twice (URI + basic auth)",
    ),
    Project(
        "kindergarten",
        "hieunguyen276/Kindergarten-management",
        "b1eb9adc06f7fececd302169b812bc7e7171a867",
        "flask run (FLASK_APP=manage.py)",
        probes=(
            Probe("config", "Config.SECRET_KEY"),
            Probe("config", "Config.SQLALCHEMY_DATABASE_URI"),
        ),
        overrides=(Override("SECRET_KEY", Probe("config", "Config.SECRET_KEY")),),
        deps=("flask",),
        families="committed virtualenv (myenv/), `os.environ.get(X) or 'literal'`",
    ),
    Project(
        "flask-api",
        "muhamadfarrelrizqullah/flask-api",
        "a460a8195b7c8447647934ff28509b58126000bc",
        "flask run (import app)",
        probes=(Probe("config", "Config.SQLALCHEMY_DATABASE_URI"),),
        deps=("flask", "flask-sqlalchemy", "flask-migrate", "psycopg2-binary"),
        families="committed .venv (Windows layout), committed .pyc",
    ),
    Project(
        "exp-fastapi",
        "NKoech123/exp",
        "2a8ebfd911e453a10c0c5b1951ab06d12ccad94a",
        "cd pgFastAPI && uvicorn main:app (import models)",
        app_dir="pgFastAPI",
        families="committed virtualenvs (env/) in sub-apps with their own Dockerfile",
    ),
    Project(
        "django-sec",
        "sortigoza/django-sec",
        "583c1c119103e32a3052002a5d8b8c7411e21ae0",
        "cd secapp && python manage.py check (Python 2.7 era)",
        app_dir="secapp",
        families="declares Python 2.7 (setup.py classifiers, tox), two settings modules",
    ),
    Project(
        "currency_exchange",
        "arturchesnokov/currency_exchange",
        "bd89204c82d29071a60b84df4f8ffe1f029a3f40",
        "cd src && python manage.py check",
        app_dir="src",
        families="minified JS and source maps under static/vendor, test settings module",
    ),
    Project(
        "workshop",
        "Shchekochihin/Workshop",
        "0daea36921391825ed7084c537e681a9160d93a7",
        "cd workshop && python manage.py check",
        app_dir="workshop",
        start=("python", "manage.py", "check"),
        deps=("Django==5.0.3",),
        families="settings template module, UTF-16 requirements.txt",
    ),
    Project(
        "authenticator",
        "ExpoPythonist/Authenticator_FastAPI",
        "f2a01a6c7c5a64579aa8292f978d8d9876a9545f",
        "uvicorn main:app (import config.database)",
        probes=(Probe("config.database", "SQLALCHEMY_DATABASE_URL"),),
        deps=("sqlalchemy", "psycopg2-binary", "psycopg[binary]"),
        families="UTF-16 requirements.txt, package imported as `from config.database import`",
    ),
    Project(
        "python-api-dev",
        "grden/python-api-development",
        "5f5902602574e737a001f9b760a4affa98aa43a8",
        "uvicorn app.main:app (import app.database)",
        probes=(Probe("app.database", "SQLALCHEMY_DATABASE_URL"),),
        deps=("sqlalchemy", "psycopg2-binary", "psycopg[binary]"),
        families="package with relative imports, same password as URL and keyword",
    ),
    Project(
        "healpix",
        "growth-astro/healpix-intersection-example",
        "f1d02c8f1717988d3e60e1a3b9c981d1471281ca",
        "docker-compose run example (python -m example.demo)",
        families="same password in Python and docker-compose.yml",
    ),
    Project(
        "microblog",
        "miguelgrinberg/microblog",
        "a975ef64864354867c88e0ed3a17ba7d17dca752",
        "python tests.py",
        probes=(Probe("config", "Config.SECRET_KEY"),),
        overrides=(Override("SECRET_KEY", Probe("config", "Config.SECRET_KEY")),),
        deps=("python-dotenv",),
        families="`os.environ.get(X) or 'dev value'`, TestConfig in tests.py",
    ),
)


# ---------------------------------------------------------------- helpers


def log(verbose: bool, *parts: object) -> None:
    if verbose:
        print(*parts, file=sys.stderr, flush=True)


def run(
    argv: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 900
) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(argv, 124, "", "timed out")
    except OSError as exc:
        return subprocess.CompletedProcess(argv, 127, "", str(exc))


def source_git(p: Project) -> str:
    mirror = MIRRORS / p.repo.replace("/", "+") / "repo"
    if (mirror / ".git").is_dir():
        return str(mirror / ".git")
    if mirror.is_dir():
        return str(mirror)
    return f"https://github.com/{p.repo}"


def checkout(p: Project) -> Path:
    """A cached clone at the pinned commit (blobs the mirror lacks are simply absent)."""
    dest = CACHE / "src" / p.name
    if not (dest / ".git").is_dir():
        dest.parent.mkdir(parents=True, exist_ok=True)
        run(["git", "clone", "-q", "--no-checkout", source_git(p), str(dest)], CACHE)
    run(["git", "checkout", "-q", "-f", p.commit], dest)
    return dest


def fresh_repo(src: Path, dest: Path) -> Path:
    """The files of ``src``'s work tree in a new one-commit repository (history: one commit)."""
    listed = run(["git", "ls-files", "-z"], src).stdout.split("\0")
    for rel in filter(None, listed):
        s = src / rel
        if not (s.is_file() or s.is_symlink()):
            continue
        d = dest / rel
        d.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(s, d, follow_symlinks=False)
    env = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@localhost"}
    env |= {"GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@localhost"}
    run(["git", "init", "-q"], dest)
    run(["git", "add", "-A", "-f"], dest)
    run(["git", "commit", "-q", "-m", "import", "--no-verify"], dest, env)
    return dest


def venv_for(p: Project, verbose: bool) -> Path | None:
    """A venv with the project's start dependencies and boto3; None when they don't install."""
    if not p.deps and not p.probes and not p.start:
        return None
    key = hashlib.sha256("\n".join(sorted(p.deps)).encode()).hexdigest()[:10]
    venv = CACHE / "venvs" / f"{p.name}-{key}"
    py = venv / "bin" / "python"
    ok = venv / ".ok"
    if ok.exists():
        return venv
    if ok.with_suffix(".failed").exists():
        return None
    shutil.rmtree(venv, ignore_errors=True)
    run([sys.executable, "-m", "venv", str(venv)], CACHE)
    log(verbose, f"[{p.name}] installing {' '.join(p.deps)}")
    res = run([str(py), "-m", "pip", "install", "-q", "boto3>=1.28.57", *p.deps], CACHE)
    if res.returncode != 0:
        ok.with_suffix(".failed").write_text(res.stderr[-4000:])
        log(verbose, f"[{p.name}] venv failed: {res.stderr[-500:]}")
        return None
    ok.write_text("")
    return venv


def aws_env(endpoint: str, venv: Path | None) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AWS_", "CREDMIGRATE_", "VIRTUAL_ENV", "PYTHON"))
    }
    env |= {
        "AWS_ENDPOINT_URL_SECRETS_MANAGER": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_MAX_ATTEMPTS": "1",
        "AWS_CONFIG_FILE": str(EMPTY),  # an empty file of ours: no profile from this machine
        "AWS_SHARED_CREDENTIALS_FILE": str(EMPTY),
        "PYTHONDONTWRITEBYTECODE": "1",  # starting the app must not touch its committed .pyc
    }
    if venv is not None:
        env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return env


_PROBE = r"""
import hashlib, importlib, json, os, sys
sys.path.insert(0, os.getcwd())
out = []
for module, expr in json.loads(sys.argv[1]):
    try:
        ns = vars(importlib.import_module(module))
        value = eval(expr, dict(ns))
        out.append(hashlib.sha256(str(value).encode()).hexdigest()[:16])
    except BaseException as exc:
        out.append("error: %s: %s" % (type(exc).__name__, str(exc).splitlines()[0][:160] if str(exc) else ""))
print(json.dumps(out))
"""


def probe(venv: Path, cwd: Path, probes: tuple[Probe, ...], env: dict[str, str]) -> list[str]:
    """One hash (or ``error: ...``) per probe; each probe in its own process (settings cache)."""
    out: list[str] = []
    for pr in probes:
        e = env | dict(pr.env)
        res = run(
            [str(venv / "bin" / "python"), "-c", _PROBE, json.dumps([[pr.module, pr.expr]])],
            cwd,
            e,
            timeout=180,
        )
        try:
            out.extend(json.loads(res.stdout.strip().splitlines()[-1]))
        except (ValueError, IndexError):
            out.append(f"error: probe crashed: {res.stderr.strip()[-200:]}")
    return out


def start(p: Project, venv: Path, cwd: Path, env: dict[str, str]) -> tuple[bool, str]:
    if not p.start:
        return True, ""
    argv = [str(venv / "bin" / "python"), *p.start[1:]] if p.start[0] == "python" else list(p.start)
    res = run(argv, cwd, env, timeout=300)
    tail = (res.stderr.strip() or res.stdout.strip()).splitlines()[-1:] or [""]
    return res.returncode == 0, tail[0][:200]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Moto:
    def __init__(self, python: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [python, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/moto-api/data.json", timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("moto server did not start")

    def reset(self) -> None:
        req = urllib.request.Request(f"{self.url}/moto-api/reset", method="POST", data=b"")
        with urllib.request.urlopen(req, timeout=10):
            pass

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


_LIST = r"""
import boto3, json, sys
c = boto3.client("secretsmanager", endpoint_url=sys.argv[1], region_name="us-east-1",
                 aws_access_key_id="testing", aws_secret_access_key="testing")
out = {}
for page in c.get_paginator("list_secrets").paginate():
    for s in page["SecretList"]:
        v = c.get_secret_value(SecretId=s["ARN"])
        out[s["Name"]] = [v.get("SecretString"), v["VersionId"]]
print(json.dumps(out))
"""


def stored(python: str, endpoint: str) -> dict[str, list[str]]:
    res = run([python, "-c", _LIST, endpoint], CACHE, timeout=120)
    try:
        data: dict[str, list[str]] = json.loads(res.stdout)
    except ValueError:
        return {}
    return data


def leaves(secret_string: str) -> list[str]:
    try:
        data = json.loads(secret_string)
    except ValueError:
        return [secret_string]
    if isinstance(data, dict):
        return [v if isinstance(v, str) else json.dumps(v) for v in data.values()]
    return [secret_string]


def tree_state(root: Path) -> str:
    """A digest of every file outside .git and .credmigrate (to see whether a rerun changed any)."""
    h = hashlib.sha256()
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in (".git", ".credmigrate"))
        for name in sorted(files):
            path = Path(folder) / name
            try:
                data = path.read_bytes()
            except OSError:
                continue
            h.update(str(path.relative_to(root)).encode() + b"\0" + hashlib.sha256(data).digest())
    return h.hexdigest()


# ---------------------------------------------------------------- one project


@dataclass
class Row:
    name: str
    findings: int = 0
    secrets: int = 0
    stored_values: int = 0
    distinct: int = 0
    rewritten: int = 0
    flagged: dict[str, int] = field(default_factory=dict)
    starts_before: str = "-"
    starts_after: str = "-"
    same_values: str = "-"
    overrides: str = "-"
    installs: str = "-"
    rerun: str = "-"
    leaks: int = 0
    exit_code: int = 0
    notes: list[str] = field(default_factory=list)


def requirement_files(root: Path) -> list[Path]:
    return sorted(
        p
        for p in root.rglob("*requirements*.txt")
        if ".git" not in p.parts
        and not any(x in p.parts for x in ("site-packages", "node_modules"))
    )


def _dry_run(python: str, path: Path) -> bool:
    res = run(
        [python, "-m", "pip", "install", "--dry-run", "-q", "--no-deps", "-r", str(path)],
        path.parent,
        timeout=600,
    )
    return res.returncode == 0


def install_check(repo: Path, venv_python: str, changed: list[str], verbose: bool) -> str:
    """``pip install --dry-run`` of each edited requirements file, before and after the edit;
    an edited pyproject must not leave its lock file stale."""
    verdicts: list[str] = []
    for rel in changed:
        path = repo / rel
        if path.name.endswith(".txt") and "requirements" in path.name:
            after = _dry_run(venv_python, path)
            old = subprocess.run(
                ["git", "show", f"HEAD:{rel}"], cwd=repo, capture_output=True, check=False
            )
            with tempfile.TemporaryDirectory() as tmp:
                orig = Path(tmp) / path.name
                orig.write_bytes(old.stdout)
                before = old.returncode == 0 and _dry_run(venv_python, orig)
            log(verbose, f"    pip --dry-run {rel}: before {before} after {after}")
            if after:
                verdicts.append(f"{rel} ok")
            else:
                verdicts.append(f"{rel} FAILS" + ("" if before else " (failed before too)"))
        elif path.name == "pyproject.toml":
            for lock in ("uv.lock", "poetry.lock", "Pipfile.lock"):
                if (path.parent / lock).exists() and str(Path(rel).parent / lock) not in changed:
                    verdicts.append(f"{lock} stale")
    return "; ".join(verdicts) or "no edit"


def migrate_project(p: Project, cm: list[str], moto: Moto, args: argparse.Namespace) -> Row:
    row = Row(p.name)
    verbose = args.verbose
    src = checkout(p)
    venv = venv_for(p, verbose)
    with tempfile.TemporaryDirectory(prefix=f"rw-{p.name}-", ignore_cleanup_errors=True) as tmp:
        repo = fresh_repo(src, Path(tmp) / p.name)
        app = repo / p.app_dir
        env = aws_env(moto.url, venv)
        before: list[str] = []
        if venv is not None:
            ok, why = start(p, venv, app, env)
            before = probe(venv, app, p.probes, env)
            good = ok and not any(h.startswith("error") for h in before)
            row.starts_before = "y" if good else "n"
            if not good:
                row.notes.append(
                    f"before: {why or next(h for h in before if h.startswith('error'))}"
                )
        scan = run([*cm, "scan", ".", "--format", "json", "--no-progress"], repo, env)
        try:
            row.findings = len(json.loads(scan.stdout)["findings"])
        except (ValueError, KeyError):
            row.notes.append(f"scan failed: {scan.stderr.strip()[-200:]}")
        moto.reset()
        mig = run([*cm, "migrate", ".", "--yes", "--writes-per-second", "0"], repo, env)
        row.exit_code = mig.returncode
        log(
            verbose,
            f"[{p.name}] migrate exit {mig.returncode}\n{mig.stdout[-3000:]}{mig.stderr[-2000:]}",
        )
        secrets = stored(args.python, moto.url)
        row.secrets = len(secrets)
        values = [v for s, _ in secrets.values() for v in leaves(s)]
        row.stored_values = len(values)
        row.distinct = len(set(values))
        report_path = repo / ".credmigrate" / "migration-report.json"
        changed = [
            line[3:].strip()
            for line in run(["git", "status", "--porcelain", "-uall"], repo).stdout.splitlines()
            if not line[3:].startswith(".credmigrate")
        ]
        if report_path.is_file():
            report = json.loads(report_path.read_text())
            row.rewritten = len(report.get("rewritten", []))
            for item in report.get("needs_human", report.get("flagged", [])):
                reason = str(item.get("reason", "?")) if isinstance(item, dict) else str(item)
                row.flagged[reason] = row.flagged.get(reason, 0) + 1
            rewritten = [
                str(r.get("path", r)) if isinstance(r, dict) else str(r)
                for r in report.get("rewritten", [])
            ]
            for rel in rewritten:
                try:
                    text = (repo / rel).read_text(errors="replace")
                except OSError:
                    continue
                row.leaks += sum(1 for v in set(values) if len(v) >= 4 and v in text)
        elif mig.returncode == 0:
            row.notes.append("no migration report")
        if mig.returncode not in (0, 1):  # 1: values or steps left for a human, listed
            row.notes.append(
                f"migrate exit {mig.returncode}: {(mig.stderr.strip() or mig.stdout.strip())[-200:]}"
            )
        if venv is not None:
            ok, why = start(p, venv, app, env)
            after = probe(venv, app, p.probes, env)
            good = ok and not any(h.startswith("error") for h in after)
            row.starts_after = "y" if good else "n"
            if not good:
                row.notes.append(f"after: {why or next(h for h in after if h.startswith('error'))}")
            if p.probes:
                row.same_values = "y" if before == after and good else "n"
            kept = 0
            for ov in p.overrides:
                with_var = env | {ov.var: "override-from-env"}
                got = probe(venv, app, (ov.probe,), with_var)
                want = hashlib.sha256(b"override-from-env").hexdigest()[:16]
                kept += got == [want]
                if got != [want]:
                    row.notes.append(f"override {ov.var} lost: {got[0][:120]}")
            if p.overrides:
                row.overrides = f"{kept}/{len(p.overrides)}"
        if not args.no_install_check:
            row.installs = install_check(repo, args.python, changed, verbose)
        state = tree_state(repo)
        again = run([*cm, "migrate", ".", "--yes", "--writes-per-second", "0"], repo, env)
        secrets2 = stored(args.python, moto.url)
        # exit 0 on a rerun after 1 is fine: the first run's report lists the steps left
        same = (
            tree_state(repo) == state
            and secrets2 == secrets
            and again.returncode in (0, mig.returncode)
        )
        row.rerun = "unchanged" if same else "CHANGED"
        if args.keep:
            keep = Path(args.keep) / p.name
            shutil.rmtree(keep, ignore_errors=True)
            shutil.copytree(repo, keep, symlinks=True)
    return row


# ---------------------------------------------------------------- table


def table(rows: list[Row]) -> str:
    head = (
        "| project | findings | secrets / values stored / distinct | rewritten | flagged (reasons) "
        "| starts before → after | same values | env overrides kept | installs | rerun | leaks |"
    )
    lines = [head, "|" + "---|" * 11]
    for r in rows:
        flagged = ", ".join(f"{n} x {k}" for k, n in sorted(r.flagged.items())) or "0"
        lines.append(
            f"| {r.name} | {r.findings} | {r.secrets} / {r.stored_values} / {r.distinct} | "
            f"{r.rewritten} | {flagged} | {r.starts_before} → {r.starts_after} | {r.same_values} | "
            f"{r.overrides} | {r.installs} | {r.rerun} | {r.leaks} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--credmigrate", default=None, help="credmigrate executable to measure")
    ap.add_argument("--only", default="", help="comma-separated project names")
    ap.add_argument("--no-install-check", action="store_true", help="skip pip --dry-run (offline)")
    ap.add_argument("--keep", default="", help="copy each migrated repository into this folder")
    ap.add_argument("--json", default="", help="also write the rows as JSON here")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    exe = (
        Path(args.credmigrate)
        if args.credmigrate
        else BENCH.parent / ".venv" / "bin" / "credmigrate"
    )
    if not exe.exists():
        print(f"error: no credmigrate at {exe} (use --credmigrate)", file=sys.stderr)
        return 3
    exe = exe.absolute()
    args.python = str(exe.parent / "python")  # credmigrate's venv has boto3 and moto ([dev])
    wanted = {n for n in args.only.split(",") if n}
    projects = [p for p in PROJECTS if not wanted or p.name in wanted]
    CACHE.mkdir(parents=True, exist_ok=True)
    EMPTY.write_text("")
    moto = Moto(args.python)
    rows: list[Row] = []
    try:
        for p in projects:
            t0 = time.monotonic()
            try:
                row = migrate_project(p, [str(exe)], moto, args)
            except Exception as exc:  # one project's trouble must not lose the others' rows
                row = Row(p.name, notes=[f"bench error: {type(exc).__name__}: {exc}"])
            rows.append(row)
            log(True, f"[{p.name}] {time.monotonic() - t0:.0f}s {row}")
    finally:
        moto.stop()
    print(table(rows))
    notes = [f"- {r.name}: " + "; ".join(r.notes) for r in rows if r.notes]
    if notes:
        print("\nNotes:\n" + "\n".join(notes))
    if args.json:
        Path(args.json).write_text(json.dumps([r.__dict__ for r in rows], indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
