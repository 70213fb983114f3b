"""Working-tree (HEAD checkout) scan speed: credmigrate vs detect-secrets, gitleaks dir, betterleaks fs.

Whole process, start-up included: wall time is the median of N runs (tools interleaved round by
round so machine noise hits all of them alike), peak memory the largest seen over the runs
(process tree, see measure.py), MB/s = bytes of the files of HEAD (the same denominator
for every tool; the tree is a ``git archive`` export without .git, see repos.export) / median wall. Ratios: the peer's figure / credmigrate's (above 1: credmigrate is
faster / smaller).

Usage: python bench/speed.py [GIT_DIR_OR_URL ...] [-n 3] [--tools a,b] [--reuse-peers[=TOOLS]] [-v] [--setup]
       (default repositories: the mirrors of psf/requests, pytest-dev/pytest, ipython/ipython)
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import repos
import runner
import table

DEFAULT_TOOLS = ("credmigrate", "detect-secrets", "gitleaks", "betterleaks")
HEADERS = [
    "repo",
    "MB",
    "tool",
    "wall s",
    "cpu s",
    "peak MiB",
    "MB/s",
    "findings",
    "wall vs cm",
    "cpu vs cm",
    "mem vs cm",
    "note",
]


def warm(root: Path) -> None:
    """Read every file once so that no tool pays for a cold page cache."""
    subprocess.run(
        "find . -type f -print0 | xargs -0 cat > /dev/null 2>&1", shell=True, cwd=root, check=False
    )


def rows_for(name: str, size: int, results: dict[str, runner.Summary]) -> list[list[object]]:
    cm = results.get("credmigrate")
    base = cm if cm is not None and cm.ok else None
    rows: list[list[object]] = []
    for tool, sm in results.items():
        if not sm.ok:
            rows.append(table.failed_row([name, f"{size / 1e6:.1f}", tool], 8, sm.error, sm.note))
            continue
        rows.append(
            [
                name,
                f"{size / 1e6:.1f}",
                tool,
                f"{sm.wall:.2f}",
                f"{sm.cpu:.2f}",
                table.mib(sm.peak_kib),
                f"{size / 1e6 / sm.wall:.1f}",
                sm.findings,
                table.ratio(sm.wall, base.wall) if base else "n/a",
                table.ratio(sm.cpu, base.cpu) if base else "n/a",
                table.ratio(sm.peak_kib, base.peak_kib) if base else "n/a",
                sm.note,
            ]
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("repos", nargs="*", type=str)
    ap.add_argument("-n", "--runs", type=int, default=3)
    ap.add_argument("--tools", default=",".join(DEFAULT_TOOLS))
    ap.add_argument("--slow", type=float, default=60.0, help="run a tool once if it takes longer")
    ap.add_argument(
        "--reuse-peers",
        nargs="?",
        const="all",
        default="",
        metavar="TOOLS",
        help="reuse stored runs of all peers, or of these (comma-separated); see reuse.py",
    )
    ap.add_argument(
        "-v", "--verbose", action="store_true", help="list credmigrate's findings (FP candidates)"
    )
    table.common_args(ap)
    args = ap.parse_args(argv)
    table.apply_common(args)
    sources = args.repos or repos.default_sources()
    tools = args.tools.split(",")
    rows: list[list[object]] = []
    listing: list[str] = []
    for src in sources:
        root = repos.export(src)
        size = repos.tree_bytes(root)
        warm(root)
        results = runner.collect(
            root,
            tools,
            "dir",
            runs=args.runs,
            timeout=args.timeout,
            slow=args.slow,
            reuse_peers=args.reuse_peers.split(",") if args.reuse_peers else (),
        )
        rows += rows_for(root.name.removesuffix("-head"), size, results)
        cm = results.get("credmigrate")
        if args.verbose and cm is not None and cm.ok:
            found = sorted(cm.runs[-1].findings, key=lambda f: (f.path, f.line))
            listing += [f"  {root.name}/{f.path}:{f.line} {f.rule}" for f in found]
        print(f"done {root.name}", file=sys.stderr)
    out = table.render(HEADERS, rows)
    out += (
        f"\nwall = median of {args.runs} runs (1 if the first took > {args.slow:g} s); "
        "cpu = user+sys of the whole process tree (median); ratios = peer / credmigrate "
        "(>1: credmigrate faster or smaller)"
    )
    print(out)
    if listing:
        print("\ncredmigrate's findings in these (secret-free, as far as we know) trees:")
        print("\n".join(listing))
    if table.should_save(args, DEFAULT_TOOLS):
        table.save("speed (HEAD checkout)", out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
