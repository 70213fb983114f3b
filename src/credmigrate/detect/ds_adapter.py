"""The only module that imports detect-secrets.

detect-secrets' heuristic filters encode years of false-positive triage (sequential strings,
ID-like names, templated values, indirect references). They run on the few generic candidates
that survive our own filters, never on the bulk path: importing detect-secrets alone costs about
a quarter of a second, more than the pre-commit hook's whole budget on a clean commit.
"""

from __future__ import annotations

import contextlib
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _heuristics() -> Any:
    from detect_secrets.filters import heuristic

    return heuristic


def warm() -> None:
    """Import detect-secrets now (see :meth:`credmigrate.detect.detector.Detector.warm`)."""
    with contextlib.suppress(ImportError):
        _heuristics()


def reject_reason(secret: str, line: str) -> str | None:
    """Why detect-secrets' heuristics consider ``secret`` on ``line`` a false positive, or None."""
    try:
        h = _heuristics()
    except ImportError:  # pragma: no cover - detect-secrets is a declared dependency
        return None
    try:
        if h.is_sequential_string(secret):
            return "sequential string"
        if h.is_templated_secret(secret):
            return "templated value"
        if h.is_prefixed_with_dollar_sign(secret):
            return "variable reference"
        if h.is_likely_id_string(secret, line):
            return "identifier"
        if h.is_not_alphanumeric_string(secret):
            return "no letters or digits"
    except Exception:  # a heuristic failing on odd input must not stop the scan
        return None
    return None
