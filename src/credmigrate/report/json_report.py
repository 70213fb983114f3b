"""The machine-readable report: one JSON object, stable ordering, no secret unless asked."""

from __future__ import annotations

import json

from credmigrate import __version__
from credmigrate.findings.model import ScanResult
from credmigrate.report.common import (
    finding_dict,
    repo_dict,
    repo_rows,
    sorted_findings,
    summary_dict,
)


def render_json(result: ScanResult, *, show_secrets: bool = False) -> str:
    """``{"version", "findings", "skipped", "summary"}``; the same scan gives the same bytes."""
    findings = sorted_findings(result.findings)
    doc: dict[str, object] = {
        "version": __version__,
        "findings": [finding_dict(f, show_secrets=show_secrets) for f in findings],
        "skipped": [
            {"path": s.path, "reason": s.reason}
            for s in sorted(result.skipped, key=lambda s: (s.path, s.reason))
        ],
        "summary": summary_dict(result, findings),
    }
    if result.repos:  # scan --repos: one row per repository
        doc["repositories"] = [repo_dict(r) for r in repo_rows(result)]
    # ensure_ascii keeps undecodable path bytes (lone surrogates) encodable in any output stream.
    return json.dumps(doc, indent=2, ensure_ascii=True) + "\n"
