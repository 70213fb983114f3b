"""Stable fingerprints and secret hashes.

A fingerprint identifies one secret at one path under one rule. It has no line number, so edits
around a secret don't churn it, and the same secret found in history and in the tree agrees.
"""

from __future__ import annotations


def secret_hash(secret: str) -> str:
    """SHA-256 of the value alone: for matching a value without storing it."""
    import hashlib  # here, not at the top: a clean pre-commit run never hashes anything

    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def fingerprint(secret: str, rule_id: str, path: str) -> str:
    import hashlib

    h = hashlib.sha256()
    for part in (rule_id, path, secret):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()[:40]


def line_hash(line: str) -> str:
    """SHA-1 of a stripped line, as detect-secrets' baselines store ``hashed_secret``-adjacent data."""
    import hashlib

    return hashlib.sha1(line.strip().encode("utf-8", "surrogatepass")).hexdigest()
