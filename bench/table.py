"""Plain-text tables, ratio formatting, and saving the latest tables to bench/RESULTS.md."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import repos

RESULTS = repos.BENCH / "RESULTS.md"


def render(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A GitHub-markdown table that also reads well in a terminal (padded columns)."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]

    def line(r: Sequence[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |"

    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(cells[0]), sep, *(line(r) for r in cells[1:])])


def ratio(value: float, base: float) -> str:
    """``value / base`` as ``2.31x``; how many times credmigrate's figure the peer's is."""
    if base <= 0 or value != value or base != base:
        return "n/a"
    return f"{value / base:.2f}x"


def mib(kib: int) -> str:
    return f"{kib / 1024:.0f}"


def machine() -> str:
    cpu = ""
    try:
        with open("/proc/cpuinfo") as fh:
            m = re.search(r"model name\s*:\s*(.+)", fh.read())
            cpu = m.group(1).strip() if m else ""
    except OSError:
        pass
    git = subprocess.run(["git", "--version"], capture_output=True, text=True).stdout.strip()
    return (
        f"{os.cpu_count()} CPUs ({cpu or platform.machine()}), {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}, {git}"
    )


def common_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--setup", action="store_true", help="create the tools' venvs first")
    parser.add_argument("--credmigrate", type=Path, help="credmigrate executable to measure")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per tool run")
    parser.add_argument(
        "--no-save",
        action="store_true",
        help="don't update bench/RESULTS.md (runs with a subset of --tools never do)",
    )


def apply_common(args: argparse.Namespace) -> None:
    """Act on the options :func:`common_args` added (venv set-up, which credmigrate to run)."""
    import peers

    if args.setup:
        repos.setup()
    if args.credmigrate:
        peers.CREDMIGRATE_EXE[0] = args.credmigrate.resolve()


def failed_row(lead: Sequence[object], blanks: int, error: str, note: str) -> list[object]:
    """A table row for a tool run that produced no figures: ``blanks`` dashes, then why."""
    return [*lead, *(["-"] * blanks), "; ".join(x for x in (error, note) if x)]


def should_save(args: argparse.Namespace, default_tools: Sequence[str]) -> bool:
    """Save only full comparisons: a run with a subset of the tools (a tuning loop) leaves the
    last full table in RESULTS.md alone."""
    tools = set(str(args.tools).split(","))
    return not args.no_save and tools.issuperset(default_tools)


def command_line() -> str:
    """How this script was run, for RESULTS.md."""
    return " ".join(["python", os.path.relpath(sys.argv[0], repos.ROOT), *sys.argv[1:]])


def save(section: str, body: str) -> None:
    """Replace (or append) ``section`` in RESULTS.md with ``body`` plus date, machine, command."""
    command = command_line()
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    block = (
        f"<!-- {section}:start -->\n## {section}\n\n"
        f"{stamp}; {machine()}. A shared, noisy 2-core machine: other jobs ran at the same time, "
        f"so treat small differences as noise.\n\n"
        f"Command: `{command}`\n\n```\n{body.rstrip()}\n```\n<!-- {section}:end -->\n"
    )
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results (latest run)\n\n"
    pattern = re.compile(
        rf"<!-- {re.escape(section)}:start -->.*?<!-- {re.escape(section)}:end -->\n", re.S
    )
    text = (
        pattern.sub(lambda _m: block, text)
        if pattern.search(text)
        else text.rstrip() + "\n\n" + block
    )
    RESULTS.write_text(text)
