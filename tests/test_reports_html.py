"""The HTML scan report, rendered without a browser: escaping, redaction, self-containment.

What a person sees in a real browser is in tests/test_reports_browser.py.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from credmigrate.cli.main import main
from credmigrate.findings.model import (
    Binding,
    Commit,
    Confidence,
    Location,
    ScanResult,
    Skipped,
    Status,
)
from credmigrate.report import render
from credmigrate.report.html import CHART_BARS, render_migration_html, render_scan_html
from tests import fakes
from tests.conftest import Repo
from tests.fakes_reports import history_commit, make_finding, python_binding

HOSTILE_PATH = "<script>alert(1)</script>.py"
HOSTILE_DESC = 'Token <img src=x onerror="alert(2)"> & friends'
HOSTILE_AUTHOR = "<b>Mallory</b> <m@x.invalid>"


class _Tags(HTMLParser):
    """Every start tag and attribute the browser would build from the page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def _parse(page: str) -> _Tags:
    parser = _Tags()
    parser.feed(page)
    return parser


def _hostile_result() -> ScanResult:
    commit = Commit("a" * 40, HOSTILE_AUTHOR, "2024-05-01T12:00:00+00:00", ("<i>main</i>",))
    return ScanResult(
        (
            make_finding(path=HOSTILE_PATH, rule_id="x<y>", description=HOSTILE_DESC),
            make_finding(
                path="ok.py",
                commit=commit,
                status=Status.HISTORY_ONLY,
                binding=Binding("kwarg", "<pw>", call="connect"),
                other_locations=(Location("<old>.py", "b" * 40, 2),),
            ),
        ),
        skipped=(Skipped("<bin>", "<binary>"),),
        files_scanned=2,
        notes=("<u>note</u>",),
        errors=("<blink>err</blink>",),
    )


def test_hostile_names_descriptions_and_authors_are_text_not_markup() -> None:
    page = render_scan_html(_hostile_result())
    tags = _parse(page)
    names = {t for t, _ in tags.tags}
    assert not names & {"img", "b", "i", "u", "blink"}, names
    assert len(tags.scripts) == 1  # ours only
    assert not any(a for _, attrs in tags.tags for a in attrs if a.startswith("on"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;.py" in page
    assert "&lt;img src=x onerror=&#34;alert(2)&#34;&gt; &amp; friends" in page
    assert "&lt;b&gt;Mallory&lt;/b&gt;" in page


def test_no_external_resource_and_a_csp_that_allows_only_our_inline_code() -> None:
    page = render_scan_html(_hostile_result())
    tags = _parse(page)
    for tag, attrs in tags.tags:
        assert not {"src", "href", "action", "srcset"} & set(attrs), (tag, attrs)
    assert not re.search(
        r"https?://|//cdn|@import|url\(", page.replace("http://www.w3.org/2000/svg", "")
    )
    csp = next(
        a["content"] for t, a in tags.tags if a.get("http-equiv") == "Content-Security-Policy"
    )
    assert csp is not None and "default-src 'none'" in csp
    assert re.search(r"script-src 'sha256-[A-Za-z0-9+/=]+'", csp)
    assert "unsafe-inline" not in csp


def test_summary_counts_confidence_rule_and_status() -> None:
    findings = (
        make_finding(path="a.py", line=1, rule_id="aws-access-key", confidence=Confidence.HIGH),
        make_finding(path="a.py", line=2, rule_id="generic-password"),
        make_finding(
            path="b.py",
            rule_id="generic-password",
            commit=history_commit(),
            status=Status.LIVE,
        ),
        make_finding(
            path="c.py",
            rule_id="generic-password",
            commit=history_commit("c2"),
            status=Status.HISTORY_ONLY,
        ),
    )
    page = render_scan_html(ScanResult(findings, files_scanned=9), source="git history of r")
    cards = dict(re.findall(r'data-count="([\w-]+)"><span class="v">(\d+)</span>', page))
    assert cards == {
        "findings": "4",
        "files-with-findings": "3",
        "files-scanned": "9",
        "high": "1",
        "medium": "3",
        "low": "0",
        "live": "1",
        "history-only": "1",
    }
    assert re.findall(r'<g data-rule="([^"]+)"><title>[^<]*: (\d+)</title>', page) == [
        ("generic-password", "3"),
        ("aws-access-key", "1"),
    ]
    assert page.count('<tr class="finding"') == 4
    assert "git history of r" in page
    assert history_commit().sha[:8] in page and "Test Author" in page


def test_chart_keeps_the_top_rules_and_sums_the_rest() -> None:
    findings = tuple(
        make_finding(path=f"f{i}.py", rule_id=f"rule-{i:02d}") for i in range(CHART_BARS + 5)
    )
    page = render_scan_html(ScanResult(findings))
    bars = re.findall(r'<g data-rule="([^"]+)"><title>[^<]*: (\d+)</title>', page)
    assert len(bars) == CHART_BARS
    assert bars[-1] == ("other rules", "6")


def test_value_only_with_show_secrets_and_binding_shown() -> None:
    f = make_finding(binding=python_binding("DB_PASSWORD"))
    hidden = render(ScanResult((f,)), "html")
    assert f.secret not in hidden and f.redacted in hidden
    assert "DB_PASSWORD (assign)" in hidden
    shown = render(ScanResult((f,)), "html", show_secrets=True)
    assert f.secret in shown and "do not forward this file" in shown


@pytest.mark.parametrize("path", ["bad\udcffname.py", "new\nline.py", "esc\x1b[31m.py"])
def test_undecodable_and_control_characters_are_shown_escaped(path: str) -> None:
    page = render_scan_html(ScanResult((make_finding(fakes.password("esc"), path=path),)))
    page.encode("utf-8")  # a lone surrogate would make the file unwritable
    assert "\x1b" not in page
    assert path.replace("\n", "\\n").replace("\x1b", "\\x1b").replace("\udcff", "\\udcff") in page


def test_clean_scan_has_no_table_and_no_script() -> None:
    page = render_scan_html(ScanResult((), files_scanned=3))
    assert "No findings." in page and "<script>" not in page


def test_migration_report_escapes_everything_and_shows_diffs_arns_cost() -> None:
    report = {
        "repo": "<r>",
        "region": "us-east-1",
        "secrets": [
            {
                "name": "app/<db>",
                "outcome": "created",
                "arn": "arn:aws:secretsmanager:us-east-1:123:secret:app/db-AbC",
                "version_id": "v1",
                "verified": True,
                "message": "",
            }
        ],
        "rewritten": ["<svc>.py"],
        "needs_human": [{"path": "t.py", "reason": "<test>", "instruction": "use a fake"}],
        "rotate": [{"secret": "", "why": "only in git history", "locations": "<old>.py:3"}],
        "iam_policy": {"Version": "2012-10-17", "Statement": [{"Resource": ["<arn>"]}]},
        "calls": {"CreateSecret": 1},
        "cost": {"monthly_usd": 0.4, "text": "$0.40/month: 1 secret(s)"},
        "purge": {"replace_text_file": "", "command": ""},
    }
    diff = (
        "--- a/<svc>.py\n+++ b/<svc>.py\n@@ -1 +1 @@\n-PW = '***'\n+PW = get_secret('app/<db>')\n"
    )
    page = render_migration_html(report, {"<svc>.py": diff})
    tags = {t for t, _ in _parse(page).tags}
    assert not tags & {"r", "db", "svc", "test", "old", "arn"}
    assert "arn:aws:secretsmanager:us-east-1:123:secret:app/db-AbC" in page
    assert '<span class="add">+PW = get_secret(&#39;app/&lt;db&gt;&#39;)</span>' in page
    assert '<span class="del">-PW = &#39;***&#39;</span>' in page
    assert "$0.40/month" in page and "&lt;test&gt;" in page
    assert "<script>" not in page  # nothing to filter: no script at all


@pytest.mark.parametrize(
    ("mode", "heading"),
    [
        ([], "working tree of repo"),
        (["--staged"], "staged changes"),
        (["--since", "HEAD~1"], "commits since HEAD~1 in repo"),
        (["--history"], "git history of repo"),
    ],
)
def test_every_scan_mode_writes_an_html_report(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: list[str], heading: str
) -> None:
    repo.write("a.py", "x = 1\n")
    repo.commit("base")
    secret = fakes.password("modes")
    repo.write("settings.py", f'DB_PASSWORD = "{secret}"\n')
    if mode == ["--staged"]:
        repo.git("add", "settings.py")
    else:
        repo.commit("add a password")
    monkeypatch.chdir(repo.path)
    out = tmp_path / "r.html"
    assert main(["scan", *mode, "-f", "html", "-o", str(out)]) == 1
    page = out.read_text(encoding="utf-8")
    assert heading in page and "settings.py" in page
    assert secret not in page
