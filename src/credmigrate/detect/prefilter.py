"""Keyword prefilter: which lines of a file can match which rules.

Hyperscan finds every keyword in one pass over the bytes (hundreds of MB/s); without it, a
``bytes.find`` loop per keyword over the lower-cased data does the same job more slowly.
"""

from __future__ import annotations

import contextlib
from collections.abc import Collection, Iterable, Sequence
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

    def __init__(self, keywords: Sequence[str], python_only: Collection[int] = ()) -> None:
        self.keywords = tuple(keywords)
        # entries that only matter in Python files (the AST pass's gate): other files are
        # scanned without them, by a second database (twice as fast: they are the costly ones)
        self.python_only = frozenset(python_only)
        self._encoded = tuple(k.lower().encode("utf-8") for k in self.keywords)
        # for a literal: its length (hit = end - length); for a regex: 1 (hit = last byte)
        self._back = tuple(
            1 if k.startswith(REGEX_PREFIX) else len(e)
            for k, e in zip(self.keywords, self._encoded, strict=True)
        )
        self._db: Any = None
        self._text_db: Any = None  # without the python_only entries; built on first use
        if _hs is None and any(k.startswith(REGEX_PREFIX) for k in self.keywords):
            raise ValueError("regex prefilter entries need hyperscan")
        self._exprs = [
            k[len(REGEX_PREFIX) :].encode("utf-8") if k.startswith(REGEX_PREFIX) else _escape(e)
            for k, e in zip(self.keywords, self._encoded, strict=True)
        ]
        if _hs is not None and self.keywords:
            self._db = _load_or_compile(self._exprs, range(len(self._exprs)))
            self._scratch = _hs.Scratch(self._db)
            self._text_scratch: Any = None

    def _text(self) -> Any:
        """The database without the Python-only entries (ids kept), and its scratch space."""
        if self._text_db is None:
            assert _hs is not None
            ids = [i for i in range(len(self._exprs)) if i not in self.python_only]
            if not ids:
                return None
            self._text_db = _load_or_compile([self._exprs[i] for i in ids], ids)
            self._text_scratch = _hs.Scratch(self._text_db)
        return self._text_db

    @property
    def engine(self) -> str:
        return "hyperscan" if self._db is not None else "bytes.find"

    def hits(self, data: bytes, python: bool = True) -> list[tuple[int, int]]:
        """(keyword index, start offset) for every keyword occurrence.

        ``python=False``: a file that is not Python source, where the ``python_only`` entries
        are not looked for.
        """
        if not self.keywords or not data:
            return []
        skip = not python and bool(self.python_only)
        if self._db is not None:
            found: list[tuple[int, int]] = []
            back = self._back

            def on_match(kid: int, start: int, end: int, flags: int, ctx: object) -> None:
                found.append((kid, end - back[kid]))

            db, scratch = self._db, self._scratch
            if skip:
                db, scratch = self._text(), self._text_scratch
                if db is None:
                    return found
            db.scan(data, match_event_handler=on_match, scratch=scratch)
            return found
        low = data.lower()
        out: list[tuple[int, int]] = []
        for kid, kw in enumerate(self._encoded):
            if skip and kid in self.python_only:
                continue
            pos = low.find(kw)
            while pos != -1:
                out.append((kid, pos))
                pos = low.find(kw, pos + 1)
        return out

    def __getstate__(self) -> dict[str, object]:
        return {"keywords": self.keywords, "python_only": self.python_only}

    def __setstate__(self, state: dict[str, object]) -> None:
        kws, py_only = state["keywords"], state["python_only"]
        assert isinstance(kws, tuple) and isinstance(py_only, frozenset)
        self.__init__(kws, py_only)  # type: ignore[misc]


def _escape(literal: bytes) -> bytes:
    out = bytearray()
    for b in literal:
        ch = bytes([b])
        if ch.isalnum() or b >= 0x80:
            out += ch
        else:
            out += b"\\x%02x" % b
    return bytes(out)


def _load_or_compile(exprs: list[bytes], ids: Iterable[int]) -> Any:
    """The hyperscan database for ``exprs``: from the cache, else compiled (and cached).

    Compiling the regex prefilters takes ~0.15 s, more than the rest of a hook run's start-up;
    loading a serialized database takes microseconds.
    """
    from credmigrate.detect import cache

    assert _hs is not None
    ids = list(ids)
    id_key = ",".join(map(str, ids)).encode()
    key = b"\0".join([f"{getattr(_hs, '__version__', '')}".encode(), id_key, *exprs])
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
            ids=ids,
            elements=len(exprs),
            flags=[_hs.HS_FLAG_CASELESS] * len(exprs),
        )
    except Exception as exc:  # hyperscan.error: a prefilter regex it can't compile
        raise RuleError(f"a rule's prefilter regex is invalid for hyperscan: {exc}") from None
    with contextlib.suppress(Exception):  # serialization is best effort
        cache.store("hs", key, "db", _hs.dumpb(db))
    return db
