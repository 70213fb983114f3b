"""Pre-commit hook latency: a commit of 5 changed files in a real repository.

A private clone (bench/.cache/hook-<name>) gets 5 tracked Python files changed and staged; then
each tool is invoked the way its own pre-commit hook does it, whole process, start-up included:
  credmigrate     credmigrate scan --staged --no-progress FILES...   (its .pre-commit-hooks.yaml)
  gitleaks        gitleaks git --pre-commit --staged .               (gitleaks' hook entry)
  betterleaks     betterleaks git --staged .
  detect-secrets  detect-secrets-hook FILES...
Wall and CPU (user+sys of the process tree) = median of N runs (default 10, tools interleaved).
Ratio = peer / credmigrate. With ``--plant`` the first changed file also gets a GitHub token (made
up at run time, the same every run) on an added line: every tool should then report 1 finding.

Usage: python bench/hook.py [GIT_DIR_OR_URL] [-n 10] [--tools a,b] [--plant] [--setup]
"""

from __future__ import annotations

import argparse
import random
import string
import subprocess
import sys
from pathlib import Path

import repos
import runner
import table

DEFAULT_TOOLS = ("credmigrate", "gitleaks", "betterleaks", "detect-secrets")
CHANGED = 5


def planted_token() -> str:
    """A GitHub personal access token's shape (``ghp_`` + 36 letters and digits), made up here."""
    rng = random.Random(14)
    return "ghp_" + "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(36))


def stage_commit(src: str | Path, plant: bool = False) -> tuple[Path, list[str]]:
    """Reset the hook clone to HEAD and stage edits to the first 5 tracked .py files."""
    root = repos.clone(src, "hook-" + repos.repo_name(src))

    def git(*a: str) -> str:
        return subprocess.run(
            ["git", *a], cwd=root, check=True, capture_output=True, text=True
        ).stdout

    git("reset", "--quiet", "--hard", "HEAD")  # this clone is the benchmark's own scratch copy
    files = [f for f in git("ls-files", "*.py").split() if "/" in f][:CHANGED]
    for i, rel in enumerate(files):
        with (root / rel).open("a") as fh:
            fh.write(f"\n\ndef _bench_hook_change_{i}() -> int:\n    return {i}\n")
            if plant and i == 0:
                fh.write(f'\n\nGITHUB_TOKEN = "{planted_token()}"\n')
    git("add", "--", *files)
    return root, files


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("repo", nargs="?", type=str, default=repos.default_sources()[0])
    ap.add_argument("-n", "--runs", type=int, default=10)
    ap.add_argument("--tools", default=",".join(DEFAULT_TOOLS))
    ap.add_argument(
        "--plant", action="store_true", help="add a (made-up) GitHub token to the first change"
    )
    table.common_args(ap)
    args = ap.parse_args(argv)
    table.apply_common(args)
    root, files = stage_commit(args.repo, args.plant)
    results = runner.collect(
        root, args.tools.split(","), "staged", runs=args.runs, timeout=args.timeout, files=files
    )
    cm = results.get("credmigrate")
    base = cm if cm is not None and cm.ok else None
    rows: list[list[object]] = []
    for tool, sm in results.items():
        if not sm.ok:
            rows.append(table.failed_row([tool], 7, sm.error, sm.note))
            continue
        walls = sorted(r.wall for r in sm.runs)
        rows.append(
            [
                tool,
                f"{sm.wall * 1000:.0f}",
                f"{walls[0] * 1000:.0f}-{walls[-1] * 1000:.0f}",
                f"{sm.cpu * 1000:.0f}",
                table.mib(sm.peak_kib),
                sm.findings,
                table.ratio(sm.wall, base.wall) if base else "n/a",
                table.ratio(sm.cpu, base.cpu) if base else "n/a",
                sm.note,
            ]
        )
    out = table.render(
        [
            "tool",
            "median ms",
            "range ms",
            "cpu ms",
            "peak MiB",
            "findings",
            "wall vs cm",
            "cpu vs cm",
            "note",
        ],
        rows,
    )
    out += (
        f"\n{root.name}: {CHANGED} staged files ({', '.join(files)})"
        f"{', a token planted in the first' if args.plant else ''}; median of {args.runs} runs; "
        "cpu = user+sys of the process tree; 'vs cm' = peer / credmigrate (>1: credmigrate faster)"
    )
    print(out)
    if table.should_save(args, DEFAULT_TOOLS):
        section = (
            "hook (5 staged files, a planted token)" if args.plant else "hook (5 staged files)"
        )
        table.save(section, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
