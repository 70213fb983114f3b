"""Text report: grouped by file, redacted, a summary line, colour only on request."""

from __future__ import annotations

from credmigrate.findings.model import Location, ScanResult, Skipped, Status
from credmigrate.report import render
from tests.fakes_reports import history_commit, make_finding, python_binding


def test_grouped_by_file_with_location_rule_redacted_and_confidence() -> None:
    a1 = make_finding(path="a.py", line=9, column=5, binding=python_binding("API_TOKEN"))
    a2 = make_finding(path="a.py", line=2, column=1, rule_id="github-pat")
    b = make_finding(path="b/c.env", line=4, column=7)
    out = render(ScanResult((b, a1, a2), files_scanned=3), "text")
    lines = out.splitlines()
    header_a = lines.index("a.py  (2 findings)")
    header_b = lines.index("b/c.env  (1 finding)")
    assert header_a < header_b
    # within a file, ordered by line
    assert lines[header_a + 1].startswith("  a.py:2:1  github-pat  ")
    assert lines[header_a + 2].startswith("  a.py:9:5  generic-password  ")
    assert f"  {a1.redacted}  [medium]  API_TOKEN (assign)" in lines[header_a + 2]
    assert lines[header_b + 1].startswith("  b/c.env:4:7  generic-password  " + b.redacted)
    for f in (a1, a2, b):
        assert f.secret not in out


def test_summary_counts_findings_files_and_skips_by_reason() -> None:
    result = ScanResult(
        (make_finding(path="x.py"), make_finding(path="x.py", line=8), make_finding(path="y.py")),
        skipped=(
            Skipped("a.png", "binary"),
            Skipped("b.bin", "binary"),
            Skipped("c.sql", "too large"),
        ),
        files_scanned=12,
        suppressed=2,
    )
    last = render(result, "text").splitlines()[-1]
    assert last == (
        "3 findings in 2 files (12 files scanned); 3 files skipped (binary: 2, too large: 1); "
        "2 suppressed (baseline or allow marker)"
    )


def test_clean_scan_says_zero() -> None:
    out = render(ScanResult((), files_scanned=1), "text")
    assert out == "0 findings in 0 files (1 file scanned)\n"


def test_history_finding_shows_commit_author_date_status_and_other_locations() -> None:
    commit = history_commit("h")
    f = make_finding(
        commit=commit,
        status=Status.HISTORY_ONLY,
        other_locations=(Location("old.py", "abc", 3), Location("older.py", "def", 1)),
    )
    live = make_finding(path="z.py", commit=history_commit("l"), status=Status.LIVE)
    out = render(ScanResult((f, live)), "text")
    assert (
        f"commit {commit.sha[:8]} by Test Author on 2024-05-01T12:00:00+00:00; history-only; "
        "2 other locations"
    ) in out
    assert "; live; 0 other locations" in out


def test_colour_only_when_asked() -> None:
    result = ScanResult((make_finding(commit=history_commit(), status=Status.LIVE),))
    plain = render(result, "text")
    coloured = render(result, "text", color=True)
    assert "\x1b[" not in plain
    assert "\x1b[1m" in coloured and "\x1b[0m" in coloured
    assert "\\x1b" not in coloured  # colour codes are not themselves escaped


def test_control_characters_in_paths_are_escaped() -> None:
    f = make_finding(path="evil\x1b[2J.py")
    out = render(ScanResult((f,)), "text")
    assert "\x1b" not in out
    assert "evil\\x1b[2J.py" in out


def test_show_secrets_prints_the_value_instead_of_the_preview() -> None:
    f = make_finding()
    out = render(ScanResult((f,)), "text", show_secrets=True)
    assert f.secret in out


def test_multiline_secret_shown_on_one_line_with_show_secrets() -> None:
    pem_like = "-----BEGIN FAKE KEY-----\nZmFrZQ" + "x9" * 10 + "\n-----END FAKE KEY-----"
    f = make_finding(pem_like, path="line\nbreak.txt")
    out = render(ScanResult((f,)), "text", show_secrets=True)
    entry = next(line for line in out.splitlines() if "FAKE KEY" in line)
    assert "-----BEGIN FAKE KEY-----\\nZmFrZQ" in entry
    assert entry.startswith("  line\\nbreak.txt:3:12  ")


def test_skipped_files_are_named_by_reason_before_the_summary() -> None:
    images = [Skipped(f"img{i}.png", "binary") for i in range(7)]
    skipped = (*images, Skipped("data/huge.log", "too large"))
    lines = render(ScanResult((), skipped=skipped, files_scanned=3), "text").splitlines()
    assert (
        lines[-3] == "skipped (binary): img0.png, img1.png, img2.png, img3.png, img4.png and 2 more"
    )
    assert lines[-2] == "skipped (too large): data/huge.log"
    assert lines[-1].endswith("8 files skipped (binary: 7, too large: 1)")
