"""Leaf positions found from the text agree with libcst's PositionProvider, leaf by leaf."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from credmigrate.rewrite.codemod._context import scan_module
from credmigrate.rewrite.codemod._positions import LeafPositions

GOLDEN = Path(__file__).parent / "golden"

SAMPLES = [
    'x = ("abc")\ny = f"a{b}c"\n',
    'a = "same"\nb = "same"\n',  # not unique: the provider decides
    "if x:\n\tT = 'tab'\n\tU = 'é€😀' + 'after'  # astral characters count as one\n",
    'P = """line one\nline two"""\nQ = "after the block"\n',
    'R = "crlf"\r\nS = "two"\r\n',  # \r: the provider decides
    'S = "\\x0c is a form feed"\n\x0cT = "after a form feed"\n',  # \f: the provider decides
    "U = f'{x!r:>{w}} tail' 'and' r'raw'\nV = u'unicode' \\\n    'continued'\n",
    "def f(a='default', *, b=f\"{'nested'}\"):\n    return {'k': 'v'}\n",
    "W = 'x'\nX = 'xx'\nY = \"'x'\"\n",
    'T = f"{{{i}:<{w}}}"\n',  # "}}" once without overlaps, but twice with
]


def _check(source: str) -> int:
    module = cst.parse_module(source)
    _, leaves = scan_module(module)
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    positions = LeafPositions(module, source)
    for leaf in leaves:
        assert positions[leaf] == expected[leaf], leaf
    return len(leaves)


@pytest.mark.parametrize("source", SAMPLES)
def test_samples(source: str) -> None:
    assert _check(source) > 0


@pytest.mark.parametrize("path", sorted(GOLDEN.glob("*/*.py")), ids=lambda p: str(p.parent.name))
def test_golden_files(path: Path) -> None:
    _check(path.read_text(encoding="utf-8"))


def test_unique_text_does_not_run_the_provider() -> None:
    source = '"""Doc."""\nA = "one"\nB = f"two {A}"\n'
    module = cst.parse_module(source)
    _, leaves = scan_module(module)
    positions = LeafPositions(module, source)
    assert [positions[leaf].start.line for leaf in leaves] == [1, 2, 3]
    assert positions._provider is None
