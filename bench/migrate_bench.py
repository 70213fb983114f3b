"""Benchmark `credmigrate migrate` on a generated repository against a local moto server.

A repository of 200 Python files with 5 fake secrets each (1,000 findings) is migrated into
moto in server mode on 127.0.0.1, grouped (``--group auto``: 400 JSON secrets) and ungrouped
(``--group none``: 1,000 secrets). For each: scan, plan (grouping, naming and codemod diff),
apply (upload, read back, rewrite, report), API calls by operation (counted through botocore's
event hooks), then a rerun (must make no write call) and a resume of the same plan (all values
already stored: no write call). Compared with a plain sequential boto3 upload of the same 1,000
values. Target: whole apply under 20 s.

    .venv/bin/python bench/migrate_bench.py [--files 200]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from credmigrate.config import Config  # noqa: E402
from credmigrate.migrate.apply import ApplyOptions, apply_plan  # noqa: E402
from credmigrate.migrate.journal import Journal  # noqa: E402
from credmigrate.migrate.pipeline import MigrateRequest, collect_findings, execute, make_plan  # noqa: E402
from credmigrate.migrate.plan import PlanOptions, build_plan  # noqa: E402
from credmigrate.store.secrets_manager import SecretStore  # noqa: E402
from tests import fakes  # noqa: E402
from tests.moto_server import MotoServer, aws_env  # noqa: E402

GIT = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]


def generate(root: Path, files: int) -> int:
    """``files`` modules with five fake secrets each (four constants, one class attribute)."""
    root.mkdir(parents=True)
    subprocess.run([*GIT, "init", "-q", "-b", "main"], cwd=root, check=True)
    for i in range(files):
        pkg = root / f"pkg{i // 20}"
        pkg.mkdir(exist_ok=True)
        (pkg / "__init__.py").touch()
        (pkg / f"svc{i}.py").write_text(
            f'"""Service {i} (fake credentials for a benchmark)."""\n\nimport os\n\n'
            f'DB_PASSWORD = "{fakes.password(f"db{i}")}"\n'
            f'GITHUB_TOKEN = "{fakes.github_pat(f"gh{i}")}"\n'
            f'STRIPE_API_KEY = "{fakes.stripe_live(f"st{i}")}"\n'
            f'SLACK_BOT_TOKEN = "{fakes.slack_bot_token(f"sl{i}")}"\n\n\n'
            f'class Settings:\n    api_secret = "{fakes.token(40, f"api{i}")}"\n    debug = False\n\n\n'
            f'def connect(host: str = "db") -> str:\n    return host + os.sep\n'
        )
    subprocess.run([*GIT, "add", "-A"], cwd=root, check=True)
    subprocess.run([*GIT, "commit", "-q", "-m", "app"], cwd=root, check=True)
    return files * 5


def clock() -> float:
    return time.perf_counter()


def run_mode(server: MotoServer, base: Path, files: int, group: str) -> dict[str, object]:
    server.reset()
    root = base / f"repo-{group}"
    expected = generate(root, files)
    config = Config()
    req = MigrateRequest(
        root=root,
        config=config,
        plan_options=PlanOptions(group=group),
        apply=ApplyOptions(),
        history=False,
        purge_dir=base / "purge",
    )
    t0 = clock()
    scanned = collect_findings(root, config, history=False)
    t1 = clock()
    build_plan(scanned.findings, config, root.name, req.plan_options)  # no codemod
    grouping_s = clock() - t1
    t1 = clock()
    plan = make_plan(req, scanned)
    t2 = clock()
    out = execute(req, plan, scanned.findings)
    t3 = clock()
    assert len(scanned.findings) == expected, (len(scanned.findings), expected)
    calls = out.result.calls
    # Resume: the same plan applied again (as after an interruption before the rewrite).
    store = SecretStore()
    resume_plan = replace(plan, outcomes=(), rewrite_paths=())
    t4 = clock()
    apply_plan(resume_plan, root, store, Journal.load(root), ApplyOptions(allow_dirty=True))
    t5 = clock()
    # The same upload unpaced (moto has no quota): what the pipeline costs above raw calls.
    server.reset()
    unpaced = SecretStore()
    t8 = clock()
    apply_plan(
        resume_plan,
        root,
        unpaced,
        Journal(base / f"j-{group}.json"),
        ApplyOptions(allow_dirty=True, writes_per_second=0),
    )
    unpaced_s = clock() - t8
    # Rerun of the whole command after committing the migrated code.
    subprocess.run([*GIT, "add", "-A"], cwd=root, check=True)
    subprocess.run([*GIT, "commit", "-q", "-m", "migrated"], cwd=root, check=True)
    before = subprocess.run(
        [*GIT, "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True
    ).stdout
    t6 = clock()
    rescanned = collect_findings(root, config, history=False)
    replan = make_plan(req, rescanned)
    rerun_writes = 0
    if replan.secrets:
        rerun_writes = execute(req, replan, rescanned.findings).result.calls.get("CreateSecret", 0)
    t7 = clock()
    dirty = subprocess.run(
        [*GIT, "status", "--porcelain"], cwd=root, capture_output=True, text=True
    ).stdout.strip()
    return {
        "group": group,
        "findings": len(scanned.findings),
        "secrets": len(plan.secrets),
        "files_rewritten": len(out.result.rewritten),
        "scan_s": t1 - t0,
        "plan_s": t2 - t1,
        "grouping_s": grouping_s,
        "apply_s": t3 - t2,
        "upload_s": out.result.seconds.get("upload", 0.0),
        "verify_s": out.result.seconds.get("verify", 0.0),
        "rewrite_s": out.result.seconds.get("rewrite", 0.0),
        "quota_floor_s": len(plan.secrets) / 50.0,
        "unpaced_s": unpaced_s,
        "whole_s": t3 - t0,
        "calls": calls,
        "resume_s": t5 - t4,
        "resume_writes": store.calls.writes,
        "resume_calls": store.calls.total,
        "rerun_s": t7 - t6,
        "rerun_secrets": len(replan.secrets),
        "rerun_writes": rerun_writes,
        "rerun_changed_files": bool(dirty) or before == "",
    }


def plain_boto3(server: MotoServer, files: int) -> tuple[float, int]:
    """The floor: a sequential boto3 create_secret of the same 1,000 values, nothing else."""
    import boto3

    server.reset()
    client = boto3.client("secretsmanager")
    values = []
    for i in range(files):
        values += [
            fakes.password(f"db{i}"),
            fakes.github_pat(f"gh{i}"),
            fakes.stripe_live(f"st{i}"),
            fakes.slack_bot_token(f"sl{i}"),
            fakes.token(40, f"api{i}"),
        ]
    t0 = clock()
    for n, v in enumerate(values):
        client.create_secret(Name=f"plain/{n}", SecretString=v)
    return clock() - t0, len(values)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=200)
    args = ap.parse_args()
    server = MotoServer()
    server.start()
    try:
        os.environ.update(aws_env(server.url))
        os.environ["AWS_MAX_ATTEMPTS"] = "5"
        with tempfile.TemporaryDirectory() as tmp:
            rows = [run_mode(server, Path(tmp), args.files, g) for g in ("auto", "none")]
        plain_s, n_plain = plain_boto3(server, args.files)
    finally:
        server.stop()
    print(f"\ncredmigrate migrate: {args.files} files, moto server on 127.0.0.1 (2 cores shared)\n")
    head = f"{'':34}" + "".join(f"{'--group ' + str(r['group']):>16}" for r in rows)
    print(head)

    def line(label: str, key: str, fmt: str = "{:.2f}") -> None:
        print(f"{label:34}" + "".join(f"{fmt.format(r[key]):>16}" for r in rows))

    line("findings", "findings", "{}")
    line("secrets", "secrets", "{}")
    line("files rewritten", "files_rewritten", "{}")
    line("scan (s)", "scan_s")
    line("plan incl. codemod diff (s)", "plan_s")
    line("  of which group/name/policy (s)", "grouping_s")
    line("apply: upload+verify+rewrite (s)", "apply_s")
    line("  upload (read + create) (s)", "upload_s")
    line("  read back + compare (s)", "verify_s")
    line("  write rewritten files (s)", "rewrite_s")
    line("  floor at 50 creates/s quota (s)", "quota_floor_s")
    line("whole migrate (s)", "whole_s")
    line("upload+verify unpaced (s)", "unpaced_s")
    for op in ("BatchGetSecretValue", "GetSecretValue", "CreateSecret"):
        print(f"{'  ' + op + ' calls':34}" + "".join(f"{r['calls'].get(op, 0):>16}" for r in rows))  # type: ignore[attr-defined]
    line("resume same plan (s)", "resume_s")
    line("  resume calls", "resume_calls", "{}")
    line("  resume write calls", "resume_writes", "{}")
    line("rerun after commit (s)", "rerun_s")
    line("  rerun write calls", "rerun_writes", "{}")
    line("  rerun changed files", "rerun_changed_files", "{}")
    print(f"\nplain boto3 sequential create_secret of {n_plain} values: {plain_s:.2f} s")
    for r in rows:
        ratio = float(r["unpaced_s"]) / plain_s  # type: ignore[arg-type]
        whole = float(r["whole_s"])  # type: ignore[arg-type]
        verdict = "OK" if whole < 20 else "MISSED"
        print(
            f"--group {r['group']}: unpaced upload+verify {ratio:.2f}x the plain upload; whole migrate "
            f"{whole:.2f} s vs target 20 s: {verdict}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
