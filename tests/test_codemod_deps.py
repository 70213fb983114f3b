"""Adding boto3 to declared dependencies: only that changes, in any layout, or a human is told."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from credmigrate.rewrite.accessor import MIN_BOTO3
from credmigrate.rewrite.deps import boto3_edits, declared

NAMES = st.lists(
    st.sampled_from(["django>=4", "requests", "celery[redis]>=5", "attrs", "pyyaml==6.0.1"]),
    max_size=4,
    unique=True,
)


def _render(deps: list[str], multiline: bool, trailing_comma: bool, comment: bool) -> str:
    items = [f'"{d}"' for d in deps]
    if multiline:
        body = "".join(f"    {item},\n" for item in items)
        if items and not trailing_comma:
            body = body[: -len(",\n")] + "\n"
        if comment:
            body = "    # runtime\n" + body
        array = f"[\n{body}]"
    else:
        array = "[" + ", ".join(items) + ("," if items and trailing_comma else "") + "]"
    tail = "  # pinned by ops" if comment and not multiline else ""
    return (
        '[build-system]\nrequires = ["hatchling"]\n\n[project]\nname = "app"\n'
        f'dependencies = {array}{tail}\n\n[project.optional-dependencies]\ntest = ["pytest"]\n'
    )


@settings(max_examples=120, deadline=None)
@given(
    deps=NAMES,
    multiline=st.booleans(),
    trailing_comma=st.booleans(),
    comment=st.booleans(),
)
def test_pyproject_edit_adds_exactly_boto3(
    deps: list[str], multiline: bool, trailing_comma: bool, comment: bool
) -> None:
    with tempfile.TemporaryDirectory() as d:
        root = Path(d)
        text = _render(deps, multiline, trailing_comma, comment)
        (root / "pyproject.toml").write_text(text)
        (edit,) = boto3_edits(root)
        assert not edit.note
        new = tomllib.loads(edit.new)
        old = tomllib.loads(text)
        assert new["project"]["dependencies"] == [*deps, MIN_BOTO3]
        new["project"]["dependencies"] = deps
        assert new == old  # nothing else changed
        changed = [line for line in edit.new.splitlines() if line not in text.splitlines()]
        assert len(changed) <= 2  # the new item, and at most the line that gained a comma
        (root / "pyproject.toml").write_text(edit.new)
        assert boto3_edits(root) == []  # idempotent
        assert "boto3" in declared(root)


def test_unparseable_layout_becomes_an_instruction(tmp_path: Path) -> None:
    text = '[project]\nname = "x"\ndependencies = [  # "tricky ]"\n  "a"]\n'
    (tmp_path / "pyproject.toml").write_text(text)
    (edit,) = boto3_edits(tmp_path)
    assert edit.new == edit.old == text
    assert "add boto3>=1.28.57 to [project].dependencies" in edit.note


def test_requirements_with_boto3_already_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("-r base.txt\nBoto3==1.34.0  # aws\n")
    assert boto3_edits(tmp_path) == []


def test_setup_py_gets_an_instruction_not_an_edit(tmp_path: Path) -> None:
    text = "from setuptools import setup\nsetup(name='x', install_requires=['requests'])\n"
    (tmp_path / "setup.py").write_text(text)
    (edit,) = boto3_edits(tmp_path)
    assert edit.path == "setup.py" and edit.new == text
    assert "install_requires" in edit.note


def test_crlf_requirements_keep_their_line_endings(tmp_path: Path) -> None:
    """A Windows-edited requirements.txt gains one CRLF line; its other lines are not rewritten."""
    old = b"Django==4.2\r\nrequests>=2\r\n"
    (tmp_path / "requirements.txt").write_bytes(old)
    (edit,) = boto3_edits(tmp_path)
    assert edit.old.encode() == old
    assert edit.new.encode() == old + f"{MIN_BOTO3}\r\n".encode()


def test_crlf_pyproject_keeps_its_line_endings(tmp_path: Path) -> None:
    old = '[project]\r\nname = "app"\r\ndependencies = [\r\n    "django>=4",\r\n]\r\n'
    (tmp_path / "pyproject.toml").write_bytes(old.encode())
    (edit,) = boto3_edits(tmp_path)
    assert edit.old == old
    assert edit.new.count("\r\n") == edit.new.count("\n") == old.count("\n") + 1
