"""Screenshots of the HTML scan and migration reports for the README (docs/img/*.png).

Builds the built-in example application, scans it (working tree and history) to HTML, runs the
demo's migration into the local Secrets Manager stand-in, and photographs both reports in
headless chromium (Debian's package, driven by Playwright; no browser download).

    .venv/bin/python scripts/report_screenshots.py [--out docs/img] [--chromium /usr/bin/chromium]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from credmigrate.cli.example import build_repo, run_demo
from credmigrate.cli.main import main

VIEWPORT = {"width": 1280, "height": 1100}


def _reports(work: Path) -> tuple[Path, Path]:
    scanned = work / "scan" / "webapp"
    build_repo(scanned)
    scan_html = work / "scan-report.html"
    with contextlib.redirect_stderr(io.StringIO()):  # the scan's notes
        main(
            ["scan", "--history", "--no-progress", "-f", "html", "-o", str(scan_html), str(scanned)]
        )
    said = io.StringIO()  # the plan, the report text and notes: shown only if the demo fails
    # The demo's own temp directory (with its purge file: secret values) goes under ``work``,
    # so it is removed with it whatever happens.
    saved, tempfile.tempdir = tempfile.tempdir, str(work)
    try:
        with contextlib.redirect_stdout(said), contextlib.redirect_stderr(said):
            demo = run_demo(main, lambda _text: None, work / "migrate" / "webapp")
    finally:
        tempfile.tempdir = saved
    # exit 1 is a finished migration with steps left for a human: its report is what we want
    if demo.migrate_exit not in (0, 1) or demo.report is None:
        sys.stderr.write(said.getvalue())
        sys.exit(f"report_screenshots: the demo migration failed (exit {demo.migrate_exit})")
    migration_html = work / "migration-report.html"
    shutil.copy(demo.report.with_suffix(".html"), migration_html)
    return scan_html, migration_html


def main_(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/img"))
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="credmigrate-shots-") as tmp:
        scan_html, migration_html = _reports(Path(tmp))
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=args.chromium, headless=True)
            page = browser.new_page(viewport=VIEWPORT, device_scale_factor=1)
            for src, name in (
                (scan_html, "scan-report.png"),
                (migration_html, "migration-report.png"),
            ):
                page.goto(src.as_uri())
                page.screenshot(path=str(args.out / name))
                print(f"report_screenshots: wrote {args.out / name}")
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main_())
