"""Names: always valid, deterministic, collision-free, never holding secret data (Hypothesis)."""

from __future__ import annotations

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from credmigrate.errors import UsageError
from credmigrate.migrate.naming import assign_names, check_template, is_valid_name, render_name

any_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=600)
ident = st.text(alphabet=string.ascii_letters + string.digits + "_/.- ", min_size=0, max_size=80)


@given(prefix=any_text, repo=any_text, module=any_text)
def test_rendered_names_are_always_valid(prefix: str, repo: str, module: str) -> None:
    fields = {"prefix": prefix, "repo": repo, "module": module}
    name = render_name("{prefix}/{repo}/{module}", fields, module)
    assert is_valid_name(name), name
    assert name == render_name("{prefix}/{repo}/{module}", fields, module)  # deterministic


@settings(max_examples=200)
@given(
    modules=st.lists(any_text, min_size=1, max_size=30, unique=True),
    secret=st.text(min_size=4, max_size=40),
)
def test_assigned_names_are_unique_valid_and_hold_no_secret(
    modules: list[str], secret: str
) -> None:
    groups = [(m, {"prefix": "p", "repo": "r", "module": m}, [secret]) for m in modules]
    names = assign_names("{prefix}/{repo}/{module}", groups)
    assert set(names) == set(modules)
    assert len(set(names.values())) == len(modules)
    for n in names.values():
        assert is_valid_name(n), n
        assert secret not in n
    # order of input does not matter
    assert assign_names("{prefix}/{repo}/{module}", list(reversed(groups))) == names


@given(st.lists(ident, min_size=2, max_size=20, unique=True))
def test_sanitising_collisions_get_distinct_names(parts: list[str]) -> None:
    # "a b" and "a_b" sanitise to the same text: both still get their own name.
    none: list[str] = []
    groups = [(p, {"prefix": "x", "repo": "y", "module": p}, none) for p in parts]
    names = assign_names("{prefix}/{repo}/{module}", groups)
    assert len(set(names.values())) == len(parts)


@pytest.mark.parametrize(
    ("module", "expected"),
    [
        ("src/app/settings", "credmigrate/demo/src/app/settings"),
        ("weird dir/ünï cödé.py", "credmigrate/demo/weird_dir/_n_c_d_.py"),
        ("app/key-abcdef", "credmigrate/demo/app/key_abcdef"),  # not an ARN-like suffix
        ("../../etc//x", "credmigrate/demo/../../etc/x"),
    ],
)
def test_odd_paths_become_valid_names(module: str, expected: str) -> None:
    name = render_name(
        "{prefix}/{repo}/{module}",
        {"prefix": "credmigrate", "repo": "demo", "module": module},
        module,
    )
    assert name == expected
    assert is_valid_name(name)


def test_long_names_are_fitted_with_a_hash() -> None:
    a = render_name("{module}", {"module": "m" * 700}, "a")
    b = render_name("{module}", {"module": "m" * 700}, "b")
    assert len(a) == 512 and is_valid_name(a) and a != b


def test_a_secret_inside_a_path_is_kept_out_of_the_name() -> None:
    secret = "s3cr3t-" + "Q" * 12
    groups = [(f"app/{secret}", {"prefix": "p", "repo": "r", "module": f"app/{secret}"}, [secret])]
    (name,) = assign_names("{prefix}/{repo}/{module}", groups).values()
    assert secret not in name and name.startswith("p/r/group_")


@pytest.mark.parametrize("bad", ["{prefix}/{nope}", "{prefix}/{repo}", "static"])
def test_bad_templates_are_usage_errors(bad: str) -> None:
    with pytest.raises(UsageError):
        check_template(bad)
