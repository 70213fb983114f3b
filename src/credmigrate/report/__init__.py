"""Report renderers: ``text``, ``json``, ``sarif``, ``junit`` and ``html``.

Every format shows only the redacted preview of a secret; the value itself appears only with
``show_secrets=True`` (the CLI's ``--show-secrets``). Output is ordered by
:meth:`Finding.sort_key`, so the same scan always renders the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from credmigrate.errors import UsageError
from credmigrate.findings.model import ScanResult

if TYPE_CHECKING:
    from credmigrate.report.sarif import RuleLike

FORMATS = ("text", "json", "sarif", "junit", "html")


def render(
    result: ScanResult,
    fmt: str,
    *,
    show_secrets: bool = False,
    color: bool = False,
    rules: Sequence[RuleLike] = (),
    source: str = "",
) -> str:
    """Render ``result`` in format ``fmt`` (one of :data:`FORMATS`).

    ``color`` applies to ``text`` only; ``rules`` supplies SARIF rule metadata (rules the findings
    name but ``rules`` lacks are described from the findings themselves); ``source`` says what
    was scanned, for the ``html`` report's heading.
    """
    # Each format is imported when asked for: the hook renders text only, and start-up counts.
    if fmt == "text":
        from credmigrate.report.text import render_text

        return render_text(result, show_secrets=show_secrets, color=color)
    if fmt == "json":
        from credmigrate.report.json_report import render_json

        return render_json(result, show_secrets=show_secrets)
    if fmt == "sarif":
        from credmigrate.report.sarif import render_sarif

        return render_sarif(result, show_secrets=show_secrets, rules=rules)
    if fmt == "junit":
        from credmigrate.report.junit import render_junit

        return render_junit(result, show_secrets=show_secrets)
    if fmt == "html":
        from credmigrate.report.html import render_scan_html

        return render_scan_html(result, show_secrets=show_secrets, source=source)
    raise UsageError(f"unknown report format {fmt!r} (choose from {', '.join(FORMATS)})")


__all__ = ["FORMATS", "RuleLike", "render"]
