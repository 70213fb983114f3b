"""``only``: a staged scan reads the candidate lines a commit adds, and finds what a whole scan
finds there.

The property: for every file of the golden before/after cases and the rules' own examples, and
every line L, scanning with ``only=[(L, L)]`` gives exactly the whole scan's findings on line L.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from credmigrate.detect.detector import Detector
from credmigrate.findings.model import Finding

GOLDEN = Path(__file__).parent / "golden"


def _key(f: Finding) -> tuple[object, ...]:
    return (f.rule_id, f.span, f.secret, f.confidence, f.binding, f.group)


def _on(found: list[Finding], line: int) -> list[tuple[object, ...]]:
    return sorted(_key(f) for f in found if f.span.line <= line <= f.span.end_line)


def _cases() -> list[tuple[str, bytes]]:
    out = [(p.name, p.read_bytes()) for p in sorted(GOLDEN.glob("*/before.py"))]
    detector = Detector.default()
    for rule in detector.rules:
        out.extend((ex.path, ex.text.encode()) for ex in rule.examples if "\n" in ex.text.strip())
    return out


@pytest.fixture(scope="module")
def detector() -> Detector:
    return Detector.default()


@pytest.mark.parametrize(("path", "data"), _cases()[:60], ids=lambda v: str(v)[:30])
def test_one_added_line_finds_what_the_whole_scan_finds_there(
    detector: Detector, path: str, data: bytes
) -> None:
    whole = detector.scan_bytes(path, data)
    assert isinstance(whole, list)
    for line in range(1, data.count(b"\n") + 2):
        part = detector.scan_bytes(path, data, only=[(line, line)])
        assert isinstance(part, list)
        assert _on(part, line) == _on(whole, line), f"{path}:{line}"


def test_lines_outside_are_not_evaluated(
    detector: Detector, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = "ghp_" + "aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6"
    data = "\n".join(f'GITHUB_TOKEN_{i} = "{token[:-2]}{i:02d}"' for i in range(50)).encode()
    calls: list[int] = []
    accept = Detector._accept

    def counting(self: Detector, *args: object, **kwargs: object) -> Finding | None:
        calls.append(1)
        return accept(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Detector, "_accept", counting)
    found = detector.scan_bytes("settings.cfg", data, only=[(10, 10)])
    assert isinstance(found, list)
    assert [f.span.line for f in found] == [10]
    assert 0 < len(calls) <= 3  # the rules matching line 10 only, not 50 lines' worth


def test_a_wrapped_value_on_the_added_line_is_found(detector: Detector) -> None:
    data = b'DB_PASSWORD = (\n    "Zq8vLx2mWp4rTn6sYb"\n)\n'
    whole = detector.scan_bytes("app/config.js", data)
    assert isinstance(whole, list) and [f.span.line for f in whole] == [2]
    part = detector.scan_bytes("app/config.js", data, only=[(2, 2)])
    assert isinstance(part, list)
    assert [_key(f) for f in part] == [_key(f) for f in whole]
