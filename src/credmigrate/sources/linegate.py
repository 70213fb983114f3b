"""Scan in each file version only the candidate lines not seen before at the same path.

Most blobs in a history are the next version of a file that was already scanned, with a few
lines changed. A line that already appeared, byte for byte, in an earlier scanned version at the
same path can't yield a finding that version did not: the fingerprint (rule, path, value) and its
earliest commit are already known. So a version whose candidate lines (those the detector reads:
keyword lines, or every line of a file a path-scoped rule reads) were all seen is skipped, and in
other files than Python only the new candidate lines are scanned (findings are mapped back to
their line numbers), which turns a long file's hundredth version into a scan of its few new lines.

A Python file's new lines are probed alone first, and the file is scanned whole (the
syntax-aware pass needs it all, and only ever drops or annotates line-level findings) only when
they match something. Never skipped or blanked: the first version at a path, a version where a
multi-line rule matches (a key body can change under an unchanged header; its keyword alone,
"private key" in a help text, is not enough), files that a path-scoped multi-line rule or a
path-only rule reads whole, and everything when a rule without keywords or path is loaded. A
line ending in ``(`` counts together with the next one (the detector joins black-wrapped
assignments). The price: a skipped version is not listed among a finding's other locations,
and a generic finding that a Python context change alone would reveal (a docstring becoming
code) is missed.
"""

from __future__ import annotations

import re

from credmigrate.detect.detector import Detector
from credmigrate.detect.filters import is_lock_file
from credmigrate.detect.python_gate import is_python

ClassKey = tuple[object, ...]


class LineGate:
    """Per-process memory of the candidate lines seen at each path."""

    def __init__(self, detector: Detector) -> None:
        self._prefilter = detector.prefilter
        index = {k: i for i, k in enumerate(self._prefilter.keywords)}
        rules = [r for r in detector.rules if r.regex]
        self._multiline = {
            index[k] for r in rules if r.multiline and not r.path for k in r.keywords if k in index
        }
        self._multiline_rules = [r for r in rules if r.multiline and not r.path]
        # rules limited to some paths read every line of those files, keywords or not: there
        # every line is a candidate; a multi-line or path-only one reads the whole text
        self._scoped = [
            r.compiled_path for r in rules if r.path and not r.multiline and not r.keywords
        ]
        self._whole = [
            r.compiled_path for r in detector.rules if r.path and (r.multiline or not r.regex)
        ]
        self.enabled = not any(not r.keywords and not r.path for r in rules)
        self._seen: dict[str, set[int]] = {}
        self._modes: dict[str, str] = {}
        self.skipped = 0

    def _mode(self, path: str) -> str:
        """'never' (scan whole), 'all' (every line is a candidate) or 'keywords'."""
        mode = self._modes.get(path)
        if mode is None:
            if not self.enabled or any(p is not None and p.search(path) for p in self._whole):
                mode = "never"
            elif any(p is not None and p.search(path) for p in self._scoped):
                mode = "all"
            else:
                mode = "keywords"
            self._modes[path] = mode
        return mode

    def filter(self, path: str, data: bytes) -> Part | None:
        """Record ``data``'s candidate lines; return what still needs scanning (None: nothing)."""
        mode = self._mode(path)
        if mode == "never":
            return Part(data)
        multiline = False
        starts: set[int] = set()
        for kid, pos in self._prefilter.hits(data, is_python(path)):
            if kid in self._multiline:
                multiline = True
            starts.add(data.rfind(b"\n", 0, pos) + 1)
        # "private key" in prose: no key block, nothing a multi-line rule finds
        multiline = multiline and self._multiline_match(data)
        if mode == "all":
            return self._filter_all(path, data, multiline)
        spans = [_span(data, start) for start in sorted(starts)]
        hashes = [hash(data[a:b]) for a, b in spans]
        seen = self._seen.get(path)
        if seen is None:
            self._seen[path] = set(hashes)
            return Part(data)
        fresh = [h not in seen for h in hashes]
        seen.update(hashes)
        if not any(fresh):
            if multiline:
                return Part(data)
            self.skipped += 1
            return None
        if multiline:
            return Part(data)
        part = _extract(data, [sp for sp, new in zip(spans, fresh, strict=True) if new])
        if is_python(path):
            # a probe: scan the file whole only if its new lines match. The leading ')' makes
            # the extract invalid Python, so the syntax-aware pass keeps every line-level match
            # (parsed alone, a string could pass for a docstring and be dropped)
            part.data = b")\n" + part.data
            part.whole = data
        return part

    def _multiline_match(self, data: bytes) -> bool:
        """Whether a multi-line rule's regex matches ``data`` (as the detector reads it)."""
        text = data.decode("utf-8", "replace")
        return any(r.compiled.search(text) is not None for r in self._multiline_rules)

    def _filter_all(self, path: str, data: bytes, multiline: bool) -> Part | None:
        """``filter`` for files whose every line is a candidate, in C-speed list operations."""
        lines = data.split(b"\n")
        n = len(lines)
        hashes = list(map(hash, lines))
        wrapped = _wrapped_lines(data)
        for i in wrapped:
            if i + 1 < n:
                hashes[i] = hash(lines[i] + b"\n" + lines[i + 1])
        seen = self._seen.get(path)
        if seen is None:
            self._seen[path] = set(hashes)
            return Part(data)
        fresh = set(hashes) - seen
        seen |= fresh
        if not fresh or multiline:
            if multiline:
                return Part(data)
            self.skipped += 1
            return None
        keep = {i for i, h in enumerate(hashes) if h in fresh}
        todo = [i for i in keep if i in wrapped]
        while todo:  # a wrapped line is scanned with the line below it
            j = todo.pop() + 1
            if j < n and j not in keep:
                keep.add(j)
                if j in wrapped:
                    todo.append(j)
        order = sorted(keep)
        return Part(b"\n".join([lines[i] for i in order]) + b"\n", [i + 1 for i in order])


_WRAPPED = re.compile(rb"\([ \t\r\f\v]*$", re.MULTILINE)


def _wrapped_lines(data: bytes) -> set[int]:
    """Indexes (0-based) of the lines ending in '(' (the detector joins them with the next)."""
    out: set[int] = set()
    line, counted = 0, 0
    for m in _WRAPPED.finditer(data):
        line += data.count(b"\n", counted, m.start())
        counted = m.start()
        out.add(line)
    return out


class Part:
    """The text to scan, and for an extract the original line number of each of its lines."""

    __slots__ = ("data", "lines", "whole")

    def __init__(self, data: bytes, lines: list[int] | None = None) -> None:
        self.data = data
        self.lines = lines
        # Python: the syntax-aware pass needs the whole file, but it only drops or annotates
        # line-level findings, so when the new lines alone match nothing, neither does the file
        self.whole: bytes | None = None

    def line(self, n: int) -> int:
        """The original line number of line ``n`` (1-based) of :attr:`data`."""
        if self.lines is None:
            return n
        return self.lines[min(max(n, 1), len(self.lines)) - 1]


def _span(data: bytes, start: int) -> tuple[int, int]:
    """(start, end) of the line at ``start``; a line ending in '(' extends over the next one."""
    end = data.find(b"\n", start)
    end = len(data) if end == -1 else end
    if data[start:end].rstrip().endswith(b"("):
        nxt = data.find(b"\n", end + 1)
        if end < len(data):
            end = len(data) if nxt == -1 else nxt
    return start, end


def _extract(data: bytes, spans: list[tuple[int, int]]) -> Part:
    """Only the given line spans, one after another, with their original line numbers."""
    out: list[bytes] = []
    lines: list[int] = []
    pos = 0  # end of what was taken so far
    counted_to, line_no = 0, 1
    for a, b in spans:
        a = max(a, pos)
        if b <= a:
            continue
        line_no += data.count(b"\n", counted_to, a)
        counted_to = a
        chunk = data[a:b]
        out.append(chunk)
        out.append(b"\n")
        lines.extend(range(line_no, line_no + chunk.count(b"\n") + 1))
        pos = b
    return Part(b"".join(out), lines)


class PathClasses:
    """Paths that a detector treats alike share a class, so a moved blob is not rescanned."""

    def __init__(self, detector: Detector) -> None:
        rules = detector.rules
        self._rule_paths = [r.compiled_path for r in rules if r.compiled_path is not None]
        self._allow_paths = [p for r in rules for al in r.allowlists for p in al.compiled_paths]
        self._cache: dict[str, ClassKey] = {}

    def key(self, path: str) -> ClassKey:
        k = self._cache.get(path)
        if k is None:
            k = (
                is_python(path),  # exactly the detector's test: it decides the Python pass
                is_lock_file(path),
                tuple(bool(p.search(path)) for p in self._rule_paths),
                tuple(bool(p.search(path)) for p in self._allow_paths),
            )
            self._cache[path] = k
        return k
