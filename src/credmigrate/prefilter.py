"""Keyword prefilter: which lines of a file can match which rules.

Hyperscan finds every keyword in one pass over the bytes (hundreds of MB/s); without it, a
``bytes.find`` loop per keyword over the lower-cased data does the same job more slowly.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import ModuleType

_hs: ModuleType | None
try:  # hyperscan ships wheels for the common platforms; elsewhere the fallback is used.
    import hyperscan as _hs
except ImportError:  # pragma: no cover - exercised on platforms without wheels
    _hs = None


class Prefilter:
    """Maps keyword hits in a buffer to byte offsets, per keyword index."""

    def __init__(self, keywords: Sequence[str]) -> None:
        self.keywords = tuple(keywords)
        self._encoded = tuple(k.lower().encode("utf-8") for k in self.keywords)
        self._db = None
        if _hs is not None and self.keywords:
            db = _hs.Database()
            flags = [_hs.HS_FLAG_CASELESS] * len(self._encoded)
            exprs = [_escape(k) for k in self._encoded]
            db.compile(
                expressions=exprs,
                ids=list(range(len(exprs))),
                elements=len(exprs),
                flags=flags,
            )
            self._db = db
            self._scratch = _hs.Scratch(db)

    @property
    def engine(self) -> str:
        return "hyperscan" if self._db is not None else "bytes.find"

    def hits(self, data: bytes) -> list[tuple[int, int]]:
        """(keyword index, start offset) for every keyword occurrence."""
        if not self.keywords or not data:
            return []
        if self._db is not None:
            found: list[tuple[int, int]] = []

            def on_match(kid: int, start: int, end: int, flags: int, ctx: object) -> None:
                found.append((kid, end - len(self._encoded[kid])))

            self._db.scan(data, match_event_handler=on_match, scratch=self._scratch)
            return found
        low = data.lower()
        out: list[tuple[int, int]] = []
        for kid, kw in enumerate(self._encoded):
            pos = low.find(kw)
            while pos != -1:
                out.append((kid, pos))
                pos = low.find(kw, pos + 1)
        return out

    def __getstate__(self) -> dict[str, object]:
        return {"keywords": self.keywords}

    def __setstate__(self, state: dict[str, object]) -> None:
        kws = state["keywords"]
        assert isinstance(kws, tuple)
        self.__init__(kws)  # type: ignore[misc]


def _escape(literal: bytes) -> bytes:
    out = bytearray()
    for b in literal:
        ch = bytes([b])
        if ch.isalnum() or b >= 0x80:
            out += ch
        else:
            out += b"\\x%02x" % b
    return bytes(out)
