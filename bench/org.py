"""``scan --repos``: many repositories in this process, then on 1 and 2 dask workers.

The repositories are made from a few fetched projects, each at several points of its main
branch (``--per-repo`` commits, evenly spaced): a repository per point whose history ends there,
sharing the project's objects through git alternates (cheap to make, real histories of
different sizes). They are listed in ``bench/.cache/org/repos.txt``.

Every configuration scans the same list with ``credmigrate scan --repos LIST --history -f json``:

- ``sequential`` is ``--workers 0 -j 1``: one repository after another, one process (the
  baseline of the speed-up);
- ``sequential -j N`` lets each repository's own scan use N processes (what a user without dask
  gets by default);
- ``dask 1`` / ``dask 2`` start a local dask cluster of that many worker processes.

Each is also run on a list of one (small) repository: the difference to ``sequential`` there is
the fixed cost (cluster start and stop, worker warm-up). Each repository's scan time as
measured inside its task is in the report; "sum of scans" adds them up. The per-task overhead of
the 1-worker run is the time that is not scanning, less the same in the one-repository run (the
fixed cost), per further repository: ``((wall - sum) - (wall1 - scan1)) / (n - 1)``. Measured
that way it does not depend on how fast the scans themselves ran under other jobs' load; it is
compared with the median repository's sequential scan time (the "mid-size" scan). CPU time is
not shown: the workers are children of dask's fork server, whose CPU the kernel does not report
to us. Every run's findings (repository + fingerprint) must be the same set, or the table says so.

Usage: python bench/org.py [-n 2] [--per-repo 11] [--workers 1,2] [--no-save] [GIT_DIR ...]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import measure
import repos
import table

DEFAULT_SOURCES = ("pallets+click", "psf+requests", "encode+httpx", "pytest-dev+pytest")
ORG = repos.CACHE / "org"
HEADERS = [
    "configuration",
    "repos",
    "wall s (runs)",
    "speed-up",
    "sum of scans s",
    "fixed cost s",
    "overhead/task ms",
    "vs mid-size scan",
    "findings",
    "note",
]


def _git(*args: str, cwd: Path | None = None) -> str:
    out = subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True)
    return out.stdout


def materialise(sources: list[Path], per_repo: int) -> list[Path]:
    """``per_repo`` repositories per source, each ending at another commit of its main branch."""
    made: list[Path] = []
    for src in sources:
        objects = Path(_git("rev-parse", "--absolute-git-dir", cwd=src).strip()) / "objects"
        shas = _git("rev-list", "--first-parent", "HEAD", cwd=src).split()[::-1]
        for i in range(1, per_repo + 1):
            sha = shas[len(shas) * i // per_repo - 1]
            dest = ORG / f"{repos.repo_name(src)}-{i:02d}"
            if (dest / ".git").is_dir() and _git("rev-parse", "HEAD", cwd=dest).strip() == sha:
                made.append(dest)
                continue
            _git("init", "-q", str(dest))
            (dest / ".git/objects/info/alternates").write_text(f"{objects}\n")
            _git("update-ref", "refs/heads/main", sha, cwd=dest)
            _git("symbolic-ref", "HEAD", "refs/heads/main", cwd=dest)
            _git("reset", "-q", "--hard", cwd=dest)
            made.append(dest)
    return made


@dataclass
class Sample:
    wall: float
    findings: frozenset[tuple[str, str]]
    task_seconds: list[float]
    error: str


def run_once(exe: Path, listing: Path, extra: list[str], timeout: float) -> Sample:
    report = listing.with_suffix(".json")
    argv = [str(exe), "scan", "--repos", str(listing), "--history", "--no-progress"]
    argv += ["-f", "json", "-o", str(report), *extra]
    run = measure.run(argv, cwd=ORG, timeout=timeout)
    if run.returncode not in (0, 1, 3) or not report.exists():
        last = (run.stderr.strip().splitlines() or ["?"])[-1]
        return Sample(run.wall, frozenset(), [], f"exit {run.returncode}: {last}")
    doc = json.loads(report.read_text())
    report.unlink()
    found = frozenset((f["repo"], f["fingerprint"]) for f in doc["findings"])
    rows = doc["repositories"]
    failed = [r["repo"] for r in rows if r["status"] != "scanned"]
    error = f"{len(failed)} repositories not scanned: {failed[:2]}" if failed else ""
    return Sample(run.wall, found, [float(r["seconds"]) for r in rows], error)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="*", type=Path, help="git dirs (default: 4 mirrors)")
    parser.add_argument("-n", "--runs", type=int, default=2, help="rounds (default 2)")
    parser.add_argument("--per-repo", type=int, default=11, help="repositories per source")
    parser.add_argument("--workers", default="1,2", help="dask worker counts (default 1,2)")
    table.common_args(parser)
    args = parser.parse_args()
    table.apply_common(args)
    exe = args.credmigrate.resolve() if args.credmigrate else repos.default_credmigrate()
    sources = args.sources or repos.default_sources(DEFAULT_SOURCES)
    made = materialise(sources, args.per_repo)
    listing = ORG / "repos.txt"
    listing.write_text("".join(f"{p.name}\n" for p in made))
    smallest = min(made, key=lambda p: int(_git("rev-list", "--count", "HEAD", cwd=p)))
    one = ORG / "one.txt"
    one.write_text(f"{smallest.name}\n")
    cores = len(os.sched_getaffinity(0))
    configs: dict[str, list[str]] = {
        "sequential": ["--workers", "0", "-j", "1"],
        f"sequential -j {cores}": ["--workers", "0", "-j", str(cores)],
    }
    for w in (int(x) for x in args.workers.split(",")):
        configs[f"dask {w}"] = ["--workers", str(w)]
    full: dict[str, list[Sample]] = {name: [] for name in configs}
    fixed: dict[str, list[Sample]] = {name: [] for name in configs}
    for rnd in range(args.runs):
        # Interleaved, so that a burst of load from other jobs hits every configuration alike.
        for name, extra in configs.items():
            print(f"round {rnd + 1}: {name} ...", file=sys.stderr, flush=True)
            fixed[name].append(run_once(exe, one, extra, args.timeout))
            full[name].append(run_once(exe, listing, extra, args.timeout))
    base = full["sequential"]
    base_wall = statistics.median(s.wall for s in base)
    base_fixed = statistics.median(s.wall for s in fixed["sequential"])
    mid = statistics.median(base[0].task_seconds) if base[0].task_seconds else float("nan")
    want = base[0].findings
    n = len(made)
    rows: list[list[object]] = []
    for name, samples in full.items():
        wall = statistics.median(s.wall for s in samples)
        scans = statistics.median(sum(s.task_seconds) for s in samples)
        fx = statistics.median(s.wall for s in fixed[name]) - base_fixed
        notes = sorted({s.error for s in samples + fixed[name] if s.error})
        if any(s.findings != want for s in samples):
            notes.append("FINDINGS DIFFER from the sequential run")
        over = vs_mid = "-"
        if name == "dask 1":
            gaps = [s.wall - sum(s.task_seconds) for s in samples]
            gap1 = [s.wall - sum(s.task_seconds) for s in fixed[name]]
            per_task = (statistics.median(gaps) - statistics.median(gap1)) / (n - 1)
            over = f"{per_task * 1000:.0f}"
            vs_mid = f"{per_task / mid:.1%}"
        rows.append(
            [
                name,
                n,
                f"{wall:.1f} ({', '.join(f'{s.wall:.1f}' for s in samples)})",
                table.ratio(base_wall, wall),
                f"{scans:.1f}",
                f"{fx:.1f}" if name != "sequential" else "-",
                over,
                vs_mid,
                len(samples[0].findings),
                "; ".join(notes),
            ]
        )
    body = table.render(HEADERS, rows)
    body += (
        f"\n\nmid-size repository (median sequential scan of one repository): {mid * 1000:.0f} ms;"
        f" load average at the end: {os.getloadavg()[0]:.1f}"
    )
    print(body)
    if not args.no_save:
        table.save("org", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
