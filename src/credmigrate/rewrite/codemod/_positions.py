"""Where a string leaf starts in the source, without a position pass over the whole module.

libcst's PositionProvider regenerates the whole module's code while tracking positions: a
fifth of a rewrite's cost, for the few literals that hold a secret. A leaf's own text appears
verbatim at its position (libcst round-trips the source exactly, and the position it reports
excludes parentheses), so when that text occurs exactly once in the source (overlaps counted), its offset
is the position. Otherwise (the same literal twice, a short f-string piece, a ``\\r`` line break or
a form feed, which libcst's columns treat differently) the provider is run once, on demand.
"""

from __future__ import annotations

from collections.abc import Mapping

import libcst as cst
from libcst.metadata import CodePosition, CodeRange, MetadataWrapper, PositionProvider

Leaf = cst.SimpleString | cst.FormattedStringText


class LeafPositions:
    """``[leaf]`` gives the leaf's CodeRange, as libcst's PositionProvider would."""

    def __init__(self, module: cst.Module, text: str) -> None:
        self._module = module
        self._text = text
        # libcst also breaks lines at a lone \r, and a form feed resets its column count
        self._by_text = "\r" not in text and "\x0c" not in text
        self._provider: Mapping[cst.CSTNode, CodeRange] | None = None

    def __getitem__(self, leaf: Leaf) -> CodeRange:
        value = leaf.value
        offset = self._text.find(value) if self._by_text and value else -1
        if offset >= 0 and self._text.find(value, offset + 1) < 0:  # overlapping ones count
            return CodeRange(self._at(offset), self._at(offset + len(value)))
        return self.provider()[leaf]

    def _at(self, offset: int) -> CodePosition:
        line = self._text.count("\n", 0, offset) + 1
        return CodePosition(line, offset - self._text.rfind("\n", 0, offset) - 1)

    def provider(self) -> Mapping[cst.CSTNode, CodeRange]:
        """libcst's positions for every node (computed once, on first need)."""
        if self._provider is None:
            wrapper = MetadataWrapper(self._module, unsafe_skip_copy=True)  # freshly parsed
            self._provider = wrapper.resolve(PositionProvider)
        return self._provider
