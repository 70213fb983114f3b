"""Helpers for scanner-core tests: a shared detector, span slicing, and more fake values.

Every value is generated at test time (see :mod:`tests.fakes`); nothing here is a real secret.
"""

from __future__ import annotations

import functools
import hashlib
import string
from collections.abc import Sequence

from credmigrate.config import Config
from credmigrate.detect.detector import Detector
from credmigrate.findings.model import Finding, Span
from tests import fakes


@functools.lru_cache(maxsize=1)
def default_detector() -> Detector:
    return Detector.default(Config())


def scan(path: str, text: str) -> list[Finding]:
    """Findings for one file's text through the whole detector (built-in rules, defaults)."""
    return default_detector().scan_text(path, text)


def only(findings: Sequence[Finding], secret: str) -> Finding:
    """The single finding holding ``secret``; fails loudly otherwise."""
    hits = [f for f in findings if f.secret == secret]
    assert len(hits) == 1, [(f.rule_id, f.span) for f in findings]
    return hits[0]


def slice_span(source: str, span: Span) -> str:
    """The text a Span covers: 1-based lines and columns, end column exclusive."""
    lines = source.split("\n")
    if span.line == span.end_line:
        return lines[span.line - 1][span.column - 1 : span.end_column - 1]
    parts = [lines[span.line - 1][span.column - 1 :]]
    parts.extend(lines[span.line : span.end_line - 1])
    parts.append(lines[span.end_line - 1][: span.end_column - 1])
    return "\n".join(parts)


def hex_digest(seed: int | str = 0, algo: str = "sha256") -> str:
    return hashlib.new(algo, f"fake-{seed}".encode()).hexdigest()


def uuid_like(seed: int | str = 0) -> str:
    h = hex_digest(seed, "md5")
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def prefixed(prefix: str, n: int = 32, seed: int | str = 0) -> str:
    """A made-up token with a custom prefix, for custom (gitleaks-format) rules."""
    return prefix + fakes.token(n, seed, string.ascii_lowercase + string.digits)
