"""Redaction: what a report may show of a secret."""

from __future__ import annotations


def redact(secret: str) -> str:
    """Show at most a short, non-reconstructing hint: a prefix for long values, nothing for short.

    Known key prefixes (``AKIA``, ``ghp_``, ``sk-``) are the useful part for a human; four
    characters of a 40-character key reveal nothing exploitable.
    """
    n = len(secret)
    if n <= 8:
        return "*" * min(n, 8) if n else ""
    shown = 4 if n >= 16 else 2
    return secret[:shown] + "*" * 8 + f" ({n} chars)"
