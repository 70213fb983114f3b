"""Run Kingfisher's default scanner over a directory; writes findings as JSON (no secret values).

PyPI ships Kingfisher as an SDK (``kingfisher_sdk``) without the CLI, so this driver stands in for
``kingfisher scan DIR``: default rules (confidence "medium", as the CLI), the CLI's matching and
Base64 policy (``DetectionScanner``), only visible findings reported. ``hidden=True`` makes it read
dot-files like every other tool here (it still skips .git and honours .gitignore).
Usage: python kingfisher_scan.py ROOT REPORT.json   (run with the peers' venv)
"""

from __future__ import annotations

import json
import os
import sys

import kingfisher_sdk as kf  # type: ignore[import-not-found]


def main(root: str, report: str) -> int:
    scanner = kf.DetectionScanner()
    out = []
    for source in kf.filesystem([root], hidden=True):
        for finding in scanner.scan_input(source):
            if finding.visible:
                out.append(
                    {
                        "path": os.path.relpath(source.path, root),
                        "line": finding.location["line"],
                        "rule": finding.rule_id,
                    }
                )
    with open(report, "w") as fh:
        json.dump(out, fh)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
