"""The console script's entry: plain ``scan`` command lines skip click.

The pre-commit hook runs ``credmigrate scan --staged --no-progress FILES`` on every commit, and
importing click and building the command tree costs about as much as the scan of a small commit
(measured in bench/PROFILE.md). A command line made only of the options below is run here, by
the same :func:`credmigrate.cli.scan_run.run_scan` the click command calls; anything else (any
other option, ``--help``, another command, a path that looks like an option) goes to click,
unchanged. So the fast path can only ever accept what click accepts, with the same meaning.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

FLAGS = {"--staged": "staged", "--history": "history", "--no-progress": "no_progress"}
FORMAT_OPTS = ("-f", "--format")
JOBS_OPTS = ("-j", "--jobs")
OUTPUT_OPTS = ("-o", "--output")  # CI: `scan . -f sarif -o results.sarif`


def parse(argv: Sequence[str]) -> dict[str, Any] | None:
    """``run_scan`` keyword arguments for a simple ``scan`` command line, else None (use click)."""
    from credmigrate.cli.scan_run import FORMATS

    if not argv or argv[0] != "scan":
        return None
    opts: dict[str, Any] = {}
    paths: list[Path] = []
    args = list(argv[1:])
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "--":
            paths.extend(Path(a) for a in args[i:])
            break
        if not arg.startswith("-"):
            paths.append(Path(arg))
            continue
        if arg in FLAGS:
            opts[FLAGS[arg]] = True
            continue
        name, eq, value = arg.partition("=")
        if name in FORMAT_OPTS or name in JOBS_OPTS or name in OUTPUT_OPTS:
            if not eq:
                if i >= len(args):
                    return None
                value = args[i]
                i += 1
            elif name.startswith("-") and not name.startswith("--"):
                return None  # "-f=json": click reads "=json" as the value
            if name in FORMAT_OPTS:
                if value not in FORMATS:
                    return None
                opts["fmt"] = value
            elif name in OUTPUT_OPTS:
                if not value:
                    return None  # click says what is wrong with an empty name
                opts["output"] = Path(value)
            else:
                if not value.isdigit() or not value.isascii():
                    return None
                opts["jobs"] = int(value)
            continue
        return None  # an option only click knows (or "-", or a typo): let click handle it
    opts["paths"] = tuple(paths)
    return opts


def run(argv: Sequence[str]) -> int | None:
    """The exit code of a simple ``scan`` command line, or None when click must handle it."""
    opts = parse(argv)
    if opts is None:
        return None
    from credmigrate.cli.boundary import exit_code_for

    try:
        from credmigrate.cli.scan_run import run_scan

        paths = opts.pop("paths")
        return run_scan(paths, **opts)
    except (Exception, KeyboardInterrupt) as exc:
        return exit_code_for(exc)


def entry() -> None:
    """Console-script entry point."""
    code = run(sys.argv[1:])
    if code is None:
        from credmigrate.cli.main import main

        code = main()
    sys.exit(code)
