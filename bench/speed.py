"""Working-tree (HEAD checkout) scan speed: credmigrate vs detect-secrets, gitleaks dir, betterleaks fs.

Whole process, start-up included: wall time is the median of N runs (tools interleaved round by
round so machine noise hits all of them alike), peak memory the largest seen over the runs
(process tree, see measure.py), MB/s = bytes of git-tracked files at HEAD (the same denominator
for every tool) / median wall. Ratios: the peer's figure / credmigrate's (above 1: credmigrate is
faster / smaller).

Usage: python bench/speed.py [GIT_DIR ...] [-n 3] [--tools a,b] [--setup]
       (default repositories: the mirrors of psf/requests, pytest-dev/pytest, ipython/ipython)
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import measure
import peers
import repos
import table

DEFAULT_TOOLS = ("credmigrate", "detect-secrets", "gitleaks", "betterleaks")
HEADERS = [
    "repo",
    "MB",
    "tool",
    "wall s",
    "peak MiB",
    "MB/s",
    "findings",
    "wall vs cm",
    "mem vs cm",
    "note",
]


def warm(root: Path) -> None:
    """Read every tracked file once so that no tool pays for a cold page cache."""
    subprocess.run(
        "git ls-files -z | xargs -0 cat > /dev/null 2>&1", shell=True, cwd=root, check=False
    )


def bench_repo(
    root: Path, tools: list[str], runs: int, mode: str, timeout: float, slow: float
) -> dict[str, list[peers.Result]]:
    results: dict[str, list[peers.Result]] = {t: [] for t in tools}
    for _ in range(runs):
        for tool in tools:
            if results[tool] and not results[tool][-1].ok:
                continue  # a tool that failed once is reported, not retried
            if results[tool] and results[tool][0].wall > slow:
                continue  # one run of a minutes-long scan is precise enough
            results[tool].append(peers.scan(tool, mode, root, timeout=timeout))
    return results


def rows_for(name: str, size: int, results: dict[str, list[peers.Result]]) -> list[list[object]]:
    def figures(rs: list[peers.Result]) -> tuple[float, int]:
        return measure.median([r.wall for r in rs]), max(r.peak_kib for r in rs)

    cm = results.get("credmigrate", [])
    cm_ok = bool(cm) and all(r.ok for r in cm)
    cm_wall, cm_peak = figures(cm) if cm_ok else (float("nan"), 0)
    rows: list[list[object]] = []
    for tool, rs in results.items():
        if not rs or not rs[-1].ok:
            why = rs[-1].error if rs else "not run"
            rows.append([name, f"{size / 1e6:.1f}", tool, "-", "-", "-", "-", "-", "-", why])
            continue
        wall, peak = figures(rs)
        note = f"{len(rs)} run(s)" if len(rs) != max(len(r) for r in results.values()) else ""
        rows.append(
            [
                name,
                f"{size / 1e6:.1f}",
                tool,
                f"{wall:.2f}",
                table.mib(peak),
                f"{size / 1e6 / wall:.1f}",
                len(rs[-1].findings),
                table.ratio(wall, cm_wall) if cm_ok else "n/a",
                table.ratio(peak, cm_peak) if cm_ok else "n/a",
                note,
            ]
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("repos", nargs="*", type=Path)
    ap.add_argument("-n", "--runs", type=int, default=3)
    ap.add_argument("--tools", default=",".join(DEFAULT_TOOLS))
    ap.add_argument("--slow", type=float, default=60.0, help="run a tool once if it takes longer")
    table.common_args(ap)
    args = ap.parse_args(argv)
    if args.setup:
        repos.setup()
    if args.credmigrate:
        peers.CREDMIGRATE_EXE[0] = args.credmigrate.resolve()
    sources = args.repos or repos.default_sources()
    tools = args.tools.split(",")
    rows: list[list[object]] = []
    for src in sources:
        root = repos.clone(src)
        size = repos.tracked_bytes(root)
        warm(root)
        rows += rows_for(
            root.name, size, bench_repo(root, tools, args.runs, "dir", args.timeout, args.slow)
        )
        print(f"done {root.name}", file=sys.stderr)
    out = table.render(HEADERS, rows)
    out += f"\nwall = median of {args.runs} runs (1 if the first took > {args.slow:g} s); ratios = peer / credmigrate (>1: credmigrate faster or smaller)"
    print(out)
    if not args.no_save:
        table.save("speed (HEAD checkout)", f"python bench/speed.py -n {args.runs}", out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
