"""The HTML reports in a real browser: Debian's chromium, driven headless by Playwright.

Asserts what a person sees: the counts, filters that hide rows, a search that finds one, hostile
names shown as text, a page that works without JavaScript, and nothing but file:// loaded.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Dialog, Page, sync_playwright

from credmigrate.cli.main import main
from tests import fakes
from tests.conftest import Repo
from tests.moto_server import MotoServer

CHROMIUM = os.environ.get("CREDMIGRATE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).is_file(),
    reason=f"no chromium at {CHROMIUM}: install Debian's package (apt-get install chromium) "
    "or set CREDMIGRATE_CHROMIUM; .ci/run installs it",
)

HOSTILE = "<script>alert(1)</script>.py"
HOSTILE_RULE = """
[[rules]]
id = "team-token"
description = "<img src=x onerror=alert(3)> Team token"
regex = '''\\b(team_[a-z0-9]{24})\\b'''
keywords = ["team_"]
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            yield b
        finally:
            b.close()


@dataclass
class Opened:
    page: Page
    console: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def assert_quiet(self) -> None:
        """No console message or error, no dialog (an alert would be one), only file:// loads."""
        assert self.console == [], self.console
        assert self.dialogs == [], self.dialogs
        assert self.requests and all(u.startswith("file://") for u in self.requests), self.requests

    def visible_rows(self) -> int:
        return self.page.locator("tr.finding:visible").count()


def _open(browser: Browser, path: Path, **options: Any) -> Opened:
    page = browser.new_context(**options).new_page()
    opened = Opened(page)
    page.on("console", lambda m: opened.console.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: opened.console.append(f"pageerror: {e}"))
    page.on("request", lambda r: opened.requests.append(r.url))

    def on_dialog(dialog: Dialog) -> None:  # an alert() that ran would land here
        opened.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(path.as_uri())
    return opened


@pytest.fixture
def scan_report(repo: Repo, tmp_path: Path) -> Path:
    """A history scan of a repository with a hostile file name, three rules, one old secret."""
    repo.write(HOSTILE, f'DB_PASSWORD = "{fakes.password("hostile")}"\n')
    repo.write("app/settings.py", f'AWS_ACCESS_KEY_ID = "{fakes.aws_key_id("a")}"\n')
    repo.write("app/db.py", f'PASSWORD = "{fakes.password("db")}"\n')
    repo.write("deploy.py", f'GITHUB_TOKEN = "{fakes.github_pat("old")}"\n')
    repo.write(
        "team.cfg",
        f"token = team_{fakes.token(24, 'team', 'abcdefghijklmnopqrstuvwxyz0123456789')}\n",
    )
    repo.commit("<img src=x onerror=alert(2)> add settings")
    repo.git("rm", "-q", "deploy.py")
    repo.commit("remove the token (still in history)")
    rules = tmp_path / "hostile-rules.toml"  # a rule whose description is markup
    rules.write_text(HOSTILE_RULE, encoding="utf-8")
    out = tmp_path / "report.html"
    args = ["scan", "--history", "--rules", str(rules), "-f", "html", "-o", str(out)]
    assert main([*args, str(repo.path)]) == 1
    return out


def _card(page: Page, name: str) -> str:
    return page.locator(f'[data-count="{name}"] .v').inner_text()


def test_counts_rows_and_hostile_names_as_text(browser: Browser, scan_report: Path) -> None:
    o = _open(browser, scan_report)
    assert _card(o.page, "findings") == "5"
    assert _card(o.page, "history-only") == "1"
    assert _card(o.page, "live") == "4"
    assert o.visible_rows() == 5
    assert o.page.locator("#shown").inner_text() == "Showing 5 of 5 findings"
    heading = o.page.locator("section.file h3", has_text="alert(1)")
    assert heading.inner_text().startswith(HOSTILE + " (1 finding)")
    team = o.page.locator("tr.finding", has_text="team-token")
    assert "<img src=x onerror=alert(3)> Team token" in team.inner_text()
    assert o.page.locator("section.file img, section.file script").count() == 0
    assert o.page.locator("svg.chart g").count() == 4  # one bar per rule
    o.assert_quiet()


def test_filters_hide_rows_and_search_finds_one(browser: Browser, scan_report: Path) -> None:
    o = _open(browser, scan_report)
    o.page.select_option("#f-status", "history-only")
    assert o.visible_rows() == 1
    assert o.page.locator("section.file:visible h3").inner_text().startswith("deploy.py")
    o.page.select_option("#f-status", "")
    o.page.select_option("#f-confidence", "high")
    high = o.visible_rows()
    assert 1 <= high < 5
    o.page.select_option("#f-confidence", "")
    o.page.select_option("#f-rule", "aws-access-key-id")
    assert o.visible_rows() == 1
    assert o.page.locator("#shown").inner_text() == "Showing 1 of 5 findings"
    o.page.select_option("#f-rule", "")
    o.page.fill("#f-search", "db.py")
    assert o.visible_rows() == 1
    assert o.page.locator("section.file:visible h3").inner_text().startswith("app/db.py")
    o.page.fill("#f-search", "no such thing")
    assert o.visible_rows() == 0
    o.assert_quiet()


def test_sorting_files_by_most_findings(browser: Browser, repo: Repo, tmp_path: Path) -> None:
    repo.write("a.py", f'PASSWORD = "{fakes.password("a")}"\n')
    repo.write("z.py", "".join(f'PASSWORD_{i} = "{fakes.password(i)}"\n' for i in range(3)))
    out = tmp_path / "r.html"
    assert main(["scan", "-f", "html", "-o", str(out), str(repo.path)]) == 1
    o = _open(browser, out)
    first = o.page.locator("section.file h3").first
    assert first.inner_text().startswith("a.py")
    o.page.select_option("#f-sort", "count")
    assert first.inner_text().startswith("z.py (3 findings)")
    o.assert_quiet()


def test_readable_without_javascript(browser: Browser, scan_report: Path) -> None:
    o = _open(browser, scan_report, java_script_enabled=False)
    assert o.visible_rows() == 5
    assert not o.page.locator("#controls").is_visible()  # controls need the script
    assert _card(o.page, "findings") == "5"


def test_dark_and_light_and_print(browser: Browser, scan_report: Path) -> None:
    colours = {}
    for scheme in ("light", "dark"):
        o = _open(browser, scan_report, color_scheme=scheme)
        colours[scheme] = o.page.evaluate("getComputedStyle(document.body).backgroundColor")
        o.assert_quiet()
    assert colours == {"light": "rgb(255, 255, 255)", "dark": "rgb(13, 17, 23)"}
    o = _open(browser, scan_report)
    o.page.emulate_media(media="print")
    assert not o.page.locator("#controls").is_visible()
    assert o.visible_rows() == 5
    assert o.page.pdf()[:5] == b"%PDF-"


def test_migration_report(browser: Browser, repo: Repo, moto: MotoServer, tmp_path: Path) -> None:
    repo.write("svc.py", f'DB_PASSWORD = "{fakes.password("svc")}"\n')
    repo.write("tests/test_x.py", f'TOKEN = "{fakes.github_pat("t")}"\n')
    repo.write("requirements.txt", "boto3>=1.28.57\n")  # so the only human step is the test
    repo.commit("<b>bold</b> commit")
    # exit 1: a value is left in the test file, and the report says a human must act on it
    assert main(["migrate", str(repo.path), "--yes", "--no-history"]) == 1
    path = repo.path / ".credmigrate" / "migration-report.html"
    o = _open(browser, path)
    assert _card(o.page, "created") == "1"  # test code is flagged, not uploaded
    assert _card(o.page, "needs-a-human") == "1"
    arn = o.page.locator("#secrets tbody tr td").nth(4).inner_text()
    assert arn.startswith("arn:aws:secretsmanager:us-east-1:123456789012:secret:")
    diff = o.page.locator("details.rewrite", has_text="svc.py").locator("pre.diff")
    assert diff.is_visible() and "get_secret(" in diff.inner_text()
    assert fakes.password("svc") not in o.page.content()
    assert o.page.locator("#needs-human tbody tr").count() == 1
    assert "secretsmanager:GetSecretValue" in o.page.locator("#policy").inner_text()
    assert "/month" in o.page.locator("table.kv").inner_text()
    o.assert_quiet()


def test_the_screenshot_script_draws_both_reports(tmp_path: Path) -> None:
    script = Path(__file__).resolve().parents[1] / "scripts" / "report_screenshots.py"
    out = subprocess.run(
        [sys.executable, str(script), "--out", str(tmp_path), "--chromium", CHROMIUM],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr
    for name in ("scan-report.png", "migration-report.png"):
        data = (tmp_path / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", data[16:24]) == (1280, 1100)  # width, height
