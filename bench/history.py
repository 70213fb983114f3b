"""Full-history scans: credmigrate ``scan --history`` vs gitleaks ``git`` vs betterleaks ``git``.

Each repository is a local non-bare clone with its whole history (bench/.cache/<name>). Besides
the tools, the "git I/O floor" is measured: ``git rev-list --objects --all`` plus reading every
object once with ``git cat-file --batch-all-objects --batch --unordered`` (both to /dev/null).
A scanner that reads each blob once cannot beat that, so "vs floor" = tool wall / floor wall.
Findings are each tool's own count (tools differ in what one finding is: per commit, per blob).

Usage: python bench/history.py [GIT_DIR_OR_URL ...] [-n 1] [--tools a,b] [--reuse-peers[=TOOLS]] [--setup]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import measure
import repos
import runner
import table

DEFAULT_TOOLS = ("credmigrate", "gitleaks", "betterleaks")
HEADERS = [
    "repo",
    "commits",
    "tool",
    "wall s",
    "cpu s",
    "peak MiB",
    "findings",
    "wall vs cm",
    "cpu vs cm",
    "mem vs cm",
    "vs floor",
    "note",
]
FLOOR = (
    "git rev-list --objects --all > /dev/null && "
    "git cat-file --batch-all-objects --batch --unordered > /dev/null"
)


def floor(root: Path, runs: int, timeout: float) -> measure.Run:
    """The fastest of ``runs`` floor measurements (the first also warms the page cache)."""
    tries = [measure.run(["sh", "-c", FLOOR], cwd=root, timeout=timeout) for _ in range(runs)]
    return min(tries, key=lambda r: r.wall)


def rows_for(
    name: str, commits: int, results: dict[str, runner.Summary], fl: measure.Run
) -> list[list[object]]:
    cm = results.get("credmigrate")
    base = cm if cm is not None and cm.ok else None
    rows: list[list[object]] = []
    for tool, sm in results.items():
        if not sm.ok:
            rows.append(table.failed_row([name, commits, tool], 8, sm.error, sm.note))
            continue
        rows.append(
            [
                name,
                commits,
                tool,
                f"{sm.wall:.2f}",
                f"{sm.cpu:.2f}",
                table.mib(sm.peak_kib),
                sm.findings,
                table.ratio(sm.wall, base.wall) if base else "n/a",
                table.ratio(sm.cpu, base.cpu) if base else "n/a",
                table.ratio(sm.peak_kib, base.peak_kib) if base else "n/a",
                table.ratio(sm.wall, fl.wall),
                sm.note,
            ]
        )
    note = "" if fl.returncode == 0 else f"exit {fl.returncode}"
    cm_vs = table.ratio(fl.wall, base.wall) if base else "n/a"
    rows.append(
        [
            name,
            commits,
            "git I/O floor",
            f"{fl.wall:.2f}",
            f"{fl.cpu:.2f}",
            table.mib(fl.peak_kib),
            "-",
            cm_vs,
            table.ratio(fl.cpu, base.cpu) if base else "n/a",
            "-",
            "1.00x",
            note,
        ]
    )
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("repos", nargs="*", type=str)
    ap.add_argument("-n", "--runs", type=int, default=1)
    ap.add_argument("--tools", default=",".join(DEFAULT_TOOLS))
    ap.add_argument(
        "--reuse-peers",
        nargs="?",
        const="all",
        default="",
        metavar="TOOLS",
        help="reuse stored runs of all peers, or of these (comma-separated); see reuse.py",
    )
    table.common_args(ap)
    args = ap.parse_args(argv)
    table.apply_common(args)
    rows: list[list[object]] = []
    for src in args.repos or repos.default_sources():
        root = repos.clone(src)
        fl = floor(root, 2, args.timeout)
        results = runner.collect(
            root,
            args.tools.split(","),
            "git",
            runs=args.runs,
            timeout=args.timeout,
            reuse_peers=args.reuse_peers.split(",") if args.reuse_peers else (),
        )
        rows += rows_for(root.name, repos.commit_count(root), results, fl)
        print(f"done {root.name}", file=sys.stderr)
    out = table.render(HEADERS, rows)
    out += (
        f"\nwall, cpu (user+sys, whole process tree) = median of {args.runs} run(s); 'vs cm' = "
        "peer / credmigrate (>1: credmigrate faster or smaller); 'vs floor' = tool wall / git I/O "
        "floor wall"
    )
    print(out)
    if table.should_save(args, DEFAULT_TOOLS):
        table.save("history (full git history)", out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
