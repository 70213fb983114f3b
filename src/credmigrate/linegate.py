"""Skip re-scanning file versions whose candidate lines were all seen before at the same path.

Most blobs in a history are the next version of a file that was already scanned, with a few
lines changed. A blob whose every keyword-bearing line (the only lines the detector examines)
already appeared, byte for byte, in an earlier scanned version at the same path can't hold a
secret that the earlier version did not: the finding, its fingerprint (rule, path, value) and its
earliest commit are already known. Skipping it saves the line matching and the Python parse,
which are nine tenths of a history scan's time.

Not skipped: the first version at a path, any version with a new candidate line, any version
where a multi-line rule's keyword appears (a key body can change under an unchanged header), and
files that a path-scoped multi-line rule reads whole (in files that a path-scoped rule reads
line by line, every line counts as a candidate), and everything when a rule without keywords or path
is loaded (it examines every line). The price: a skipped
version is not listed among a finding's other locations, and a generic finding that a Python
context change alone would reveal (a docstring becoming code) is missed.
"""

from __future__ import annotations

import os

from credmigrate.detect import Detector
from credmigrate.filters import is_lock_file

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
        # rules limited to some paths read every line of those files, keywords or not: there
        # every line is a candidate; a multi-line one reads the whole text: never skipped there
        self._scoped = [r.compiled_path for r in rules if r.path and not r.multiline]
        self._scoped_whole = [r.compiled_path for r in rules if r.path and r.multiline]
        self.enabled = not any(not r.keywords and not r.path for r in rules)
        self._seen: dict[str, set[int]] = {}
        self._modes: dict[str, str] = {}
        self.skipped = 0

    def _mode(self, path: str) -> str:
        """'never' (don't skip), 'all' (every line is a candidate) or 'keywords'."""
        mode = self._modes.get(path)
        if mode is None:
            if any(p is not None and p.search(path) for p in self._scoped_whole):
                mode = "never"
            elif any(p is not None and p.search(path) for p in self._scoped):
                mode = "all"
            else:
                mode = "keywords"
            self._modes[path] = mode
        return mode

    def already_seen(self, path: str, data: bytes) -> bool:
        """Record ``data``'s candidate lines; True when all were seen at ``path`` before."""
        mode = self._mode(path) if self.enabled else "never"
        if mode == "never":
            return False
        starts: set[int] = set()
        multiline = False
        for kid, pos in self._prefilter.hits(data):
            if kid in self._multiline:
                multiline = True
            starts.add(data.rfind(b"\n", 0, pos) + 1)
        lines: set[int] = set()
        if mode == "all":
            lines.update(map(hash, data.split(b"\n")))
        for start in starts:
            end = data.find(b"\n", start)
            lines.add(hash(data[start : len(data) if end == -1 else end]))
        seen = self._seen.get(path)
        if seen is None:
            self._seen[path] = lines
            return False
        fresh = not lines <= seen
        seen |= lines
        if fresh or multiline:
            return False
        self.skipped += 1
        return True


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
            suffix = os.path.splitext(path)[1].lower()
            k = (
                suffix if suffix in (".py", ".pyw") else "",
                is_lock_file(path),
                tuple(bool(p.search(path)) for p in self._rule_paths),
                tuple(bool(p.search(path)) for p in self._allow_paths),
            )
            self._cache[path] = k
        return k
