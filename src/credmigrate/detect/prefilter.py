"""Keyword prefilter: which lines of a file can match which rules.

Hyperscan finds every keyword in one pass over the bytes (hundreds of MB/s); without it, a
``bytes.find`` loop per keyword over the lower-cased data does the same job more slowly.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from types import ModuleType
from typing import Any

from credmigrate.errors import RuleError

_hs: ModuleType | None
try:  # hyperscan ships wheels for the common platforms; elsewhere the fallback is used.
    import hyperscan as _hs
except ImportError:  # pragma: no cover - exercised on platforms without wheels
    _hs = None


HYPERSCAN = _hs is not None
REGEX_PREFIX = "re:"  # a keyword entry that is a hyperscan regex rather than a literal


class Prefilter:
    """Maps keyword hits in a buffer to byte offsets, per keyword index.

    An entry ``re:PATTERN`` (only with hyperscan) is a regex: its hit offset is the last byte of
    the match, which lies on the line that matched.
    """

    def __init__(self, keywords: Sequence[str]) -> None:
        self.keywords = tuple(keywords)
        self._encoded = tuple(k.lower().encode("utf-8") for k in self.keywords)
        # for a literal: its length (hit = end - length); for a regex: 1 (hit = last byte)
        self._back = tuple(
            1 if k.startswith(REGEX_PREFIX) else len(e)
            for k, e in zip(self.keywords, self._encoded, strict=True)
        )
        self._db = None
        if _hs is None and any(k.startswith(REGEX_PREFIX) for k in self.keywords):
            raise ValueError("regex prefilter entries need hyperscan")
        if _hs is not None and self.keywords:
            exprs = [
                k[len(REGEX_PREFIX) :].encode("utf-8") if k.startswith(REGEX_PREFIX) else _escape(e)
                for k, e in zip(self.keywords, self._encoded, strict=True)
            ]
            db = _load_or_compile(exprs)
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
            back = self._back

            def on_match(kid: int, start: int, end: int, flags: int, ctx: object) -> None:
                found.append((kid, end - back[kid]))

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


def _load_or_compile(exprs: list[bytes]) -> Any:
    """The hyperscan database for ``exprs``: from the cache, else compiled (and cached).

    Compiling the regex prefilters takes ~0.15 s, more than the rest of a hook run's start-up;
    loading a serialized database takes microseconds.
    """
    from credmigrate.detect import cache

    assert _hs is not None
    key = b"\0".join([f"{getattr(_hs, '__version__', '')}".encode(), *exprs])
    blob = cache.load("hs", key, "db")
    if blob is not None:
        try:
            return _hs.loadb(blob, _hs.HS_MODE_BLOCK)
        except Exception:  # another hyperscan build or a damaged file: compile afresh
            pass
    db = _hs.Database()
    try:
        db.compile(
            expressions=exprs,
            ids=list(range(len(exprs))),
            elements=len(exprs),
            flags=[_hs.HS_FLAG_CASELESS] * len(exprs),
        )
    except Exception as exc:  # hyperscan.error: a prefilter regex it can't compile
        raise RuleError(f"a rule's prefilter regex is invalid for hyperscan: {exc}") from None
    with contextlib.suppress(Exception):  # serialization is best effort
        cache.store("hs", key, "db", _hs.dumpb(db))
    return db
