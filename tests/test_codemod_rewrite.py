"""Codemod behaviour beyond the golden pairs: never guess, failures as values, encodings."""

from __future__ import annotations

from pathlib import Path

import pytest

from credmigrate.findings.model import Binding, Replacement, RewriteStatus, Span
from credmigrate.rewrite.codemod import rewrite_source
from tests import fakes
from tests.fakes_codemod import replacements

ACC = "_credmigrate_secrets"
NAME = "credmigrate/app/settings"
GOLDEN = Path(__file__).parent / "golden"


def _one(source: str, secret: str, key: str | None = "KEY") -> list[Replacement]:
    reps = replacements("app/settings.py", source, {secret: key or "KEY"}, NAME)
    return [r._replace(json_key=key) for r in reps]


def test_plain_secret_without_json_key() -> None:
    secret = fakes.token(32, "plain")
    src = f'TOKEN = "{secret}"\n'
    out = rewrite_source("app/settings.py", src, _one(src, secret, key=None), ACC)
    assert out.status == RewriteStatus.REWRITTEN
    assert f'TOKEN = get_secret("{NAME}")\n' in out.new_source


def test_wrong_position_is_never_guessed() -> None:
    secret = fakes.token(32, "pos")
    src = f'A = "{secret}"\nB = "other"\n'
    (rep,) = _one(src, secret)
    moved = rep.finding._replace(span=Span(2, 6, 2, 6 + len(secret)), binding=None)
    out = rewrite_source("app/settings.py", src, [rep._replace(finding=moved)], ACC)
    assert out.status == RewriteStatus.SKIPPED
    assert out.new_source == src
    assert out.handled == ()
    ((fp, instruction),) = out.needs_human
    assert fp == rep.finding.fingerprint
    assert "app/settings.py:2:6" in instruction and f"get_secret('{NAME}', 'KEY')" in instruction
    assert secret not in instruction


def test_ambiguous_literals_on_one_line_need_a_human() -> None:
    secret = fakes.token(32, "amb")
    src = f'PAIR = ("{secret}", "{secret}")\n'
    rep = _one(src, secret)[0]
    off = rep.finding._replace(span=Span(1, 2, 1, 2 + len(secret)), binding=None)
    out = rewrite_source("app/settings.py", src, [rep._replace(finding=off)], ACC)
    assert out.status == RewriteStatus.SKIPPED and out.new_source == src
    assert "several literals match" in out.needs_human[0][1]


def test_literal_span_locates_when_columns_are_off() -> None:
    secret = fakes.token(32, "lit")
    src = f'X = 1; Y = "{secret}"\n'
    (rep,) = _one(src, secret)
    assert rep.finding.binding is not None
    f = rep.finding._replace(span=Span(1, 1, 1, 1 + len(secret)))  # column wrong, literal right
    out = rewrite_source("app/settings.py", src, [rep._replace(finding=f)], ACC)
    assert out.status == RewriteStatus.REWRITTEN
    assert secret not in out.new_source


def test_value_must_really_contain_the_secret() -> None:
    secret = fakes.token(32, "val")
    src = f'A = "{secret}"\n'
    (rep,) = _one(src, secret)
    other = fakes.token(32, "different")
    wrong = rep.finding._replace(secret=other)
    out = rewrite_source("app/settings.py", src, [rep._replace(finding=wrong)], ACC)
    assert out.status == RewriteStatus.SKIPPED and out.new_source == src


def test_escape_straddling_the_secret_is_refused() -> None:
    secret = "n" + fakes.token(31, "esc")
    src = f'A = "prefix\\{secret}"\n'  # the "n" belongs to the \n escape, not to the secret
    (rep,) = _one(src, secret)
    out = rewrite_source("app/settings.py", src, [rep], ACC)
    assert out.status == RewriteStatus.SKIPPED and out.new_source == src
    assert "escapes" in out.reason


def test_escapes_elsewhere_in_the_literal_are_kept() -> None:
    secret = fakes.token(32, "tab")
    src = f'A = "user\\t{secret}\\n"\n'
    (rep,) = _one(src, secret)
    out = rewrite_source("app/settings.py", src, [rep], ACC)
    assert f"A = f\"user\\t{{get_secret('{NAME}', 'KEY')}}\\n\"" in out.new_source


@pytest.mark.parametrize(
    "source",
    ['print "hello"\nKEY = "@"\n', "def f(:\n    pass\nKEY = '@'\n", "exec 'x'\nKEY = '@'\n"],
)
def test_syntax_errors_and_python2_fail_cleanly(source: str) -> None:
    secret = fakes.token(32, "py2")
    src = source.replace("@", secret)
    rep = Replacement(
        replacements("m.py", f'K = "{secret}"\n', {secret: "K"}, NAME)[0].finding, NAME, "K"
    )
    out = rewrite_source("m.py", src, [rep], ACC)
    assert out.status == RewriteStatus.FAILED
    assert "not valid Python 3" in out.reason
    assert secret not in out.reason and out.new_source == ""


def test_crlf_and_bom_are_preserved() -> None:
    secret = fakes.token(32, "crlf")
    src = f'\ufeff# settings\r\nimport os\r\n\r\nKEY = "{secret}"  # note\r\nDEBUG = 1\r\n'
    (rep,) = _one(src.lstrip("\ufeff"), secret)
    out = rewrite_source("app/settings.py", src, [rep], ACC)
    assert out.status == RewriteStatus.REWRITTEN
    assert out.new_source.startswith("\ufeff# settings\r\n")
    assert "\n" not in out.new_source.replace("\r\n", "")
    assert f'KEY = get_secret("{NAME}", "KEY")  # note\r\n' in out.new_source


def test_future_annotations_give_union_default() -> None:
    secret = fakes.token(32, "fut")
    src = f'from __future__ import annotations\n\n\ndef f(key: str = "{secret}") -> str:\n    return key\n'
    out = rewrite_source("app/settings.py", src, _one(src, secret), ACC)
    assert "def f(key: str | None = None) -> str:" in out.new_source
    assert "Optional" not in out.new_source


def test_shadowed_field_name_uses_dataclasses_module() -> None:
    secret = fakes.token(32, "fld")
    src = (
        "from dataclasses import dataclass\n\nfield = 'not dataclasses.field'\n\n\n"
        f'@dataclass\nclass S:\n    key: str = "{secret}"\n'
    )
    out = rewrite_source("app/settings.py", src, _one(src, secret), ACC)
    assert "key: str = dataclasses.field(default_factory=lambda: get_secret(" in out.new_source
    assert "import dataclasses\n" in out.new_source
    compile(out.new_source, "s.py", "exec")


def test_already_migrated_file_counts_as_handled() -> None:
    secret = fakes.token(32, "done")
    src = f'KEY = "{secret}"\n'
    (rep,) = _one(src, secret)
    first = rewrite_source("app/settings.py", src, [rep], ACC)
    again = rewrite_source("app/settings.py", first.new_source, [rep], ACC)
    assert again.status == RewriteStatus.UNCHANGED
    assert again.handled == (rep.finding.fingerprint,) and again.needs_human == ()


def test_secret_gone_without_migration_needs_a_human() -> None:
    secret = fakes.token(32, "gone")
    (rep,) = _one(f'KEY = "{secret}"\n', secret)
    out = rewrite_source("app/settings.py", "KEY = None\n", [rep], ACC)
    assert out.status == RewriteStatus.SKIPPED
    assert "no longer at this place" in out.needs_human[0][1]


def test_dotted_accessor_module_import() -> None:
    secret = fakes.token(32, "dot")
    src = f'KEY = "{secret}"\n'
    out = rewrite_source("app/settings.py", src, _one(src, secret), "myapp._credmigrate_secrets")
    assert out.new_source.startswith("from myapp._credmigrate_secrets import get_secret\n")


def test_two_secrets_in_one_url() -> None:
    user, pw = fakes.token(12, "u"), fakes.password("pw")
    src = f'URL = "postgresql://{user}:{pw}@db.example.com/app"\n'
    reps = replacements("app/settings.py", src, {user: "USER", pw: "PASSWORD"}, NAME)
    out = rewrite_source("app/settings.py", src, reps, ACC)
    expected = (
        f"URL = f\"postgresql://{{get_secret('{NAME}', 'USER')}}:"
        f"{{get_secret('{NAME}', 'PASSWORD')}}@db.example.com/app\"\n"
    )
    assert out.new_source.endswith(expected)


def test_binding_kind_is_not_trusted_over_syntax() -> None:
    secret = fakes.token(32, "kind")
    src = f'import os\nTOKEN = os.environ.get("TOKEN", "{secret}")\n'
    (rep,) = _one(src, secret)
    assert rep.finding.binding is not None
    lying = rep.finding._replace(binding=rep.finding.binding._replace(kind="assign"))
    out = rewrite_source("app/settings.py", src, [rep._replace(finding=lying)], ACC)
    assert 'os.environ.get("TOKEN") or get_secret(' in out.new_source
    assert isinstance(rep.finding.binding, Binding)


def test_overlapping_findings_keep_the_url_visible() -> None:
    pw = fakes.password("ovl")
    url = f"postgresql://app:{pw}@db.example.com/app"
    src = f'DATABASE_URL = "{url}"\n'
    reps = replacements("app/settings.py", src, {url: "DATABASE_URL", pw: "PASSWORD"}, NAME)
    reps += replacements("app/settings.py", src, {pw: "PASSWORD"}, NAME)  # a duplicate finding
    out = rewrite_source("app/settings.py", src, reps, ACC)
    assert out.status == RewriteStatus.REWRITTEN and out.needs_human == ()
    assert f"postgresql://app:{{get_secret('{NAME}', 'PASSWORD')}}@db.example.com/app" in (
        out.new_source
    )
    assert {r.finding.fingerprint for r in reps} == set(out.handled)


def test_partial_overlap_needs_a_human() -> None:
    a, b = fakes.token(20, "pa"), fakes.token(20, "pb")
    src = f'KEY = "{a}{b}"\n'
    left, right = a + b[:5], a[-5:] + b
    reps = replacements("app/settings.py", src, {left: "L", right: "R"}, NAME)
    out = rewrite_source("app/settings.py", src, reps, ACC)
    assert len(out.needs_human) == 1
    assert "overlaps" in out.needs_human[0][1]
    assert left not in out.new_source


_IMPORT_SAMPLES = [
    '# header\n"""Doc."""\nfrom __future__ import annotations\n\ntry:\n    import ujson as json\n'
    "except ImportError:\n    import json\nfrom typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
    "    from dataclasses import field\n\nX = 1\n",
    "if True:\n    import os\nimport sys\ndef f(): pass\n",
    "@decorator\nclass A:\n    pass\nimport late\n",
    "def get_secret(name):\n    return name\n\n\nTOKEN = 1\n",
    "import os; X = 1\nimport sys\n\nY = 2\n",
    "__strict__ = True\nimport os\n\n\nclass A:\n    pass\n",
    '"""Only a docstring."""\n',
    "",
    "X = 1\nimport os\nfrom dataclasses import dataclass\n",
    "# comment only\n\nimport os  # trailing\n\n\n# lead\nX = 1\n",
]


@pytest.mark.parametrize(
    "source",
    _IMPORT_SAMPLES + [p.read_text() for p in sorted(GOLDEN.glob("*/before.py"))],
)
@pytest.mark.parametrize(
    "module,obj", [("_credmigrate_secrets", "get_secret"), ("dataclasses", "field")]
)
def test_top_level_import_insertion_matches_libcst(source: str, module: str, obj: str) -> None:
    import libcst as cst
    from libcst.codemod import CodemodContext
    from libcst.codemod.visitors import AddImportsVisitor

    from credmigrate.rewrite.codemod._apply import add_imports

    tree = cst.parse_module(source)
    full, fast = CodemodContext(), CodemodContext()
    AddImportsVisitor.add_needed_import(full, module, obj)
    AddImportsVisitor.add_needed_import(fast, module, obj)
    expected = AddImportsVisitor(full).transform_module(tree).code
    assert add_imports(tree, fast).code == expected


def test_secret_in_a_comment_leaves_the_comment() -> None:
    """A commented-out key is still a leak: the value goes, the rest of the comment stays."""
    secret = fakes.token(32, "comment")
    src = f"# old key: {secret}\nKEY = None\n"
    (rep,) = _one(src, secret)
    out = rewrite_source("app/settings.py", src, [rep], ACC)
    assert out.status == RewriteStatus.REWRITTEN and not out.needs_human
    assert secret not in out.new_source and secret not in out.diff
    assert out.new_source.startswith("# old key: <get_secret(")
    assert rep.finding.fingerprint in out.handled
    again = rewrite_source("app/settings.py", out.new_source, [rep], ACC)
    assert again.new_source == out.new_source and again.status == RewriteStatus.UNCHANGED
