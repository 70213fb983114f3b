"""Test code: where a credential-looking value is a fixture, not a live secret.

A value in test code is reported (a real key in a test is still a leak) but never uploaded or
rewritten by default: a test should keep an obviously fake value or read a fixture. Recognised
by path (``tests/``, ``test_*.py``, Django's ``tests.py``, ``*_test.py``, ``conftest.py``,
``unit_test/``, ``testing/``, fixtures folders, ``config/test.py``, ``settings_test.py``) and by
scope: configuration classes used only by tests (``class TestingConfig(Config)``) and unittest
classes (``class TestClient(TestCase)``).
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from credmigrate.findings.model import Finding

_TEST_DIRS = frozenset(
    {
        "test",
        "tests",
        "testing",
        "unit_test",
        "unit_tests",
        "unittest",
        "unittests",
        "integration_tests",
        "functional_tests",
        "e2e",
        "fixtures",
        "fixture",
        "__tests__",
        "testdata",
        "test_data",
        "spec",
        "specs",
    }
)
_TEST_FILE = re.compile(
    r"(?i)^(?:conftest|tests?|testing|test_.*|.*_tests?|.*_testing|settings_test\w*|"
    r"test_settings\w*)\.pyw?$"
)
# a config module named for tests inside a settings/config package: config/test.py
_TEST_CONFIG_MODULE = re.compile(r"(?i)^(?:test|tests|testing|ci_test)\.pyw?$")
_TEST_SCOPE = re.compile(
    r"^(?:Test(?:ing)?(?:[A-Z_]\w*)?|\w*Test(?:ing)?(?:Config|Configuration|Settings|Case)\w*|"
    r"\w*(?:Config|Settings)Test(?:ing)?)$"
)


def is_test_path(path: str) -> bool:
    p = PurePosixPath(path)
    if _TEST_FILE.match(p.name) or _TEST_CONFIG_MODULE.match(p.name):
        return True
    return any(part.lower() in _TEST_DIRS for part in p.parts[:-1])


def is_test_scope(scope: str) -> bool:
    """A class in the dotted scope is a test or test-configuration class."""
    return any(_TEST_SCOPE.match(part) for part in scope.split(".") if part)


def is_test_code(f: Finding) -> bool:
    if is_test_path(f.path):
        return True
    return f.binding is not None and is_test_scope(f.binding.scope)


def why(f: Finding) -> str:
    if is_test_path(f.path):
        return "test code"
    scope = f.binding.scope if f.binding is not None else ""
    return f"test configuration ({scope})"
