"""Time the codemod planning (``credmigrate.rewrite.project.plan_rewrites``) per file, old vs new code.

Generates the migrate benchmark's repository (``migrate_bench.generate``: N modules, five fake
secrets each), scans it and groups/names the findings as ``migrate`` does, then times
``plan_rewrites`` in a fresh subprocess for each code version given: serial (``jobs=1``, CPU ms
per file, the best of ``--repeat``) and with the process pool (``jobs=2``, wall). The outputs of
every version are hashed and must be identical; the table quotes ratios against the first.

    .venv/bin/python bench/codemod_profile.py [--files 200] [--repeat 3] [--rev 7f743dd]
    .venv/bin/python bench/codemod_profile.py --profile      # cProfile of the serial run

``--rev REV`` adds the code of git revision REV (``src/`` exported with ``git archive`` into a
temp directory) as the baseline; without it only the working tree's code is timed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _prepare(base: Path, files: int) -> Path:
    """The generated repository and its replacements, pickled for the timing subprocesses."""
    sys.path[:0] = [str(ROOT / "src"), str(ROOT), str(ROOT / "bench")]
    from migrate_bench import generate

    from credmigrate.config import Config
    from credmigrate.migrate.code_changes import replacements
    from credmigrate.migrate.grouping import group_findings
    from credmigrate.migrate.naming import assign_names
    from credmigrate.migrate.pipeline import collect_findings

    root = base / "repo"
    generate(root, files)
    findings = collect_findings(root, Config(), history=False).findings
    groups = group_findings(findings, "auto")
    names = assign_names(
        "bench/{module}",
        [(g.key, {"module": g.module}, [f.secret for f in g.findings]) for g in groups],
    )
    reps = replacements(groups, names)
    data = base / "replacements.pickle"
    data.write_bytes(pickle.dumps((str(root), reps)))
    return data


def _child(data: Path, repeat: int, profile: bool) -> None:
    """Runs in the subprocess: time plan_rewrites with whatever credmigrate is on sys.path."""
    t0 = time.process_time()
    import credmigrate.rewrite.codemod  # libcst's import, timed apart
    from credmigrate.config import Config
    from credmigrate.rewrite.project import plan_rewrites

    import_ms = (time.process_time() - t0) * 1000
    root_s, reps = pickle.loads(data.read_bytes())
    root = Path(root_s)
    files = len({r.finding.path for r in reps})
    serial: list[float] = []
    serial_wall: list[float] = []
    outcomes = []
    for _ in range(repeat):
        c0, w0 = time.process_time(), time.perf_counter()
        outcomes = plan_rewrites(root, reps, Config(), jobs=1)
        serial.append(time.process_time() - c0)
        serial_wall.append(time.perf_counter() - w0)
    if profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
        plan_rewrites(root, reps, Config(), jobs=1)
        prof.disable()
        stats = pstats.Stats(prof, stream=sys.stderr)
        stats.sort_stats("tottime").print_stats(30)
        stats.sort_stats("cumulative").print_stats(40)
    parallel: list[float] = []
    for _ in range(repeat):
        w0 = time.perf_counter()
        plan_rewrites(root, reps, Config(), jobs=2)
        parallel.append(time.perf_counter() - w0)
    digest = hashlib.sha256()
    for o in outcomes:
        digest.update(repr((o.path, o.status, o.new_source, o.diff, o.reason)).encode())
        digest.update(repr((o.handled, o.needs_human)).encode())
    json.dump(
        {
            "files": files,
            "import_ms": import_ms,
            "serial_ms_per_file": min(serial) * 1000 / files,
            "serial_s": min(serial),
            "serial_wall_s": min(serial_wall),
            "parallel_s": min(parallel),
            "rewritten": sum(1 for o in outcomes if str(o.status) == "rewritten"),
            "digest": digest.hexdigest()[:16],
            "module": credmigrate.rewrite.codemod.__file__,
        },
        sys.stdout,
    )


def _export(rev: str, base: Path) -> Path:
    dest = base / f"src-{rev}"
    dest.mkdir()
    archive = subprocess.run(
        ["git", "archive", rev, "src"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest / "src"


def _time(src: Path, data: Path, repeat: int, profile: bool) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    cmd = [sys.executable, __file__, "--child", str(data), "--repeat", str(repeat)]
    out = subprocess.run(
        [*cmd, *(["--profile"] if profile else [])],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    result: dict[str, object] = json.loads(out.stdout)
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--files", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--rev", action="append", default=[], help="also time this git revision")
    ap.add_argument("--profile", action="store_true", help="cProfile the working tree's code")
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child is not None:
        _child(args.child, args.repeat, args.profile)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        data = _prepare(base, args.files)
        versions = [(rev, _export(rev, base)) for rev in args.rev]
        versions.append(("working tree", ROOT / "src"))
        rows = [(label, _time(src, data, args.repeat, args.profile)) for label, src in versions]
    print(
        f"\ncodemod planning (plan_rewrites): {args.files} files, 5 secrets each; "
        f"best of {args.repeat}; {os.cpu_count()} CPUs shared\n"
    )
    print(
        f"{'code':16}{'CPU ms/file':>13}{'ratio':>8}{'jobs=1 wall s':>15}{'jobs=2 wall s':>15}"
        f"{'ratio':>8}{'import ms':>11}{'rewritten':>11}  output digest"
    )
    first = rows[0][1]
    for label, r in rows:
        ms, par = float(r["serial_ms_per_file"]), float(r["parallel_s"])  # type: ignore[arg-type]
        ratio = float(first["serial_ms_per_file"]) / ms  # type: ignore[arg-type]
        pratio = float(first["parallel_s"]) / par  # type: ignore[arg-type]
        print(
            f"{label[:15]:16}{ms:>13.1f}{ratio:>7.2f}x{float(r['serial_wall_s']):>15.2f}"  # type: ignore[arg-type]
            f"{par:>15.2f}{pratio:>7.2f}x{float(r['import_ms']):>11.0f}{r['rewritten']:>11}"  # type: ignore[arg-type]
            f"  {r['digest']}"
        )
    same = len({r["digest"] for _, r in rows}) == 1
    print("\noutputs identical across versions" if same else "\nOUTPUTS DIFFER between versions")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
