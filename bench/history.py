"""Full-history scans: credmigrate ``scan --history`` vs gitleaks ``git`` vs betterleaks ``git``.

Each repository is a local non-bare clone with its whole history (bench/.cache/<name>). Besides
the tools, the "git I/O floor" is measured: ``git rev-list --objects --all`` plus reading every
object once with ``git cat-file --batch-all-objects --batch --unordered`` (both to /dev/null).
A scanner that reads each blob once cannot beat that, so "vs floor" = tool wall / floor wall.
Findings are each tool's own count (tools differ in what one finding is: per commit, per blob).

Usage: python bench/history.py [GIT_DIR ...] [-n 1] [--tools a,b] [--setup]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import measure
import peers
import repos
import table

DEFAULT_TOOLS = ("credmigrate", "gitleaks", "betterleaks")
HEADERS = [
    "repo",
    "commits",
    "tool",
    "wall s",
    "peak MiB",
    "findings",
    "wall vs cm",
    "mem vs cm",
    "vs floor",
    "note",
]
FLOOR = (
    "git rev-list --objects --all > /dev/null && "
    "git cat-file --batch-all-objects --batch --unordered > /dev/null"
)


def floor(root: Path, runs: int, timeout: float) -> measure.Run:
    best = [measure.run(["sh", "-c", FLOOR], cwd=root, timeout=timeout) for _ in range(runs)]
    return min(best, key=lambda r: r.wall)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("repos", nargs="*", type=Path)
    ap.add_argument("-n", "--runs", type=int, default=1)
    ap.add_argument("--tools", default=",".join(DEFAULT_TOOLS))
    table.common_args(ap)
    args = ap.parse_args(argv)
    if args.setup:
        repos.setup()
    if args.credmigrate:
        peers.CREDMIGRATE_EXE[0] = args.credmigrate.resolve()
    tools = args.tools.split(",")
    rows: list[list[object]] = []
    for src in args.repos or repos.default_sources():
        root = repos.clone(src)
        commits = repos.commit_count(root)
        fl = floor(root, max(1, args.runs), args.timeout)  # also warms the page cache
        results: dict[str, list[peers.Result]] = {t: [] for t in tools}
        for _ in range(args.runs):
            for tool in tools:
                if not results[tool] or results[tool][-1].ok:
                    results[tool].append(peers.scan(tool, "git", root, timeout=args.timeout))
        cm = results.get("credmigrate", [])
        cm_ok = bool(cm) and all(r.ok for r in cm)
        cm_wall = measure.median([r.wall for r in cm]) if cm_ok else float("nan")
        cm_peak = max((r.peak_kib for r in cm), default=0) if cm_ok else 0
        for tool, rs in results.items():
            if not rs or not rs[-1].ok:
                rows.append(
                    [
                        root.name,
                        commits,
                        tool,
                        "-",
                        "-",
                        "-",
                        "-",
                        "-",
                        "-",
                        rs[-1].error if rs else "not run",
                    ]
                )
                continue
            wall, peak = measure.median([r.wall for r in rs]), max(r.peak_kib for r in rs)
            rows.append(
                [
                    root.name,
                    commits,
                    tool,
                    f"{wall:.2f}",
                    table.mib(peak),
                    len(rs[-1].findings),
                    table.ratio(wall, cm_wall),
                    table.ratio(peak, cm_peak),
                    table.ratio(wall, fl.wall),
                    "",
                ]
            )
        note = "" if fl.returncode == 0 else f"exit {fl.returncode}"
        rows.append(
            [
                root.name,
                commits,
                "git I/O floor",
                f"{fl.wall:.2f}",
                table.mib(fl.peak_kib),
                "-",
                table.ratio(fl.wall, cm_wall),
                "-",
                "1.00x",
                note,
            ]
        )
        print(f"done {root.name}", file=sys.stderr)
    out = table.render(HEADERS, rows)
    out += (
        f"\nwall = median of {args.runs} run(s); 'vs cm' = peer / credmigrate (>1: credmigrate "
        "faster or smaller); 'vs floor' = tool / git I/O floor"
    )
    print(out)
    if not args.no_save:
        table.save("history (full git history)", f"python bench/history.py -n {args.runs}", out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
