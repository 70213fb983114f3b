"""Plans: grouping, naming, policy, cost, the rotation list, and a JSON form without values."""

from __future__ import annotations

import json

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from credmigrate.config import Config
from credmigrate.errors import BadInputError
from credmigrate.findings.model import Finding, Status
from credmigrate.migrate.plan import PlanOptions, build_plan, plan_from_json
from credmigrate.migrate.policy import secret_arn_pattern
from tests import fakes
from tests.fakes_migrate import finding


def _findings() -> list[Finding]:
    return [
        finding("app/settings.py", "SECRET_KEY", fakes.token(50, 1), line=3),
        finding(
            "app/settings.py",
            "PASSWORD",
            fakes.password(2),
            line=9,
            kind="dict_key",
            target="DATABASES.default.PASSWORD",
        ),
        finding("app/settings.py", "API_TOKEN", fakes.token(32, 3), line=20),
        finding(
            "app/aws.py",
            "aws_access_key_id",
            fakes.aws_key_id(4),
            line=1,
            group="g1",
            rule_id="aws-access-key-id",
        ),
        finding(
            "app/aws.py",
            "aws_secret_access_key",
            fakes.aws_secret_key(4),
            line=2,
            group="g1",
            rule_id="aws-secret-access-key",
        ),
        finding(
            "app/config.py",
            "password",
            fakes.password(5),
            line=4,
            kind="class_attr",
            scope="ProdConfig",
        ),
        finding("old/removed.py", "TOKEN", fakes.github_pat(6), line=1, status=Status.HISTORY_ONLY),
        finding("deploy/app.env", "DB_PASS", fakes.password(7), python=False),
    ]


def test_grouping_by_module_dict_class_and_pair() -> None:
    plan = build_plan(_findings(), Config(), "demo", PlanOptions())
    by_name = {s.name: s for s in plan.secrets}
    assert sorted(by_name) == [
        "credmigrate/demo/app/aws/pair",
        "credmigrate/demo/app/config/ProdConfig",
        "credmigrate/demo/app/settings",
        "credmigrate/demo/app/settings/DATABASES",
        "credmigrate/demo/deploy/app.env",
    ]
    assert [k.key for k in by_name["credmigrate/demo/app/settings"].keys] == [
        "SECRET_KEY",
        "API_TOKEN",
    ]
    assert [k.key for k in by_name["credmigrate/demo/app/settings/DATABASES"].keys] == [
        "default.PASSWORD"
    ]
    pair = json.loads(plan.values["credmigrate/demo/app/aws/pair"])
    assert pair == {
        "aws_access_key_id": fakes.aws_key_id(4),
        "aws_secret_access_key": fakes.aws_secret_key(4),
    }
    assert [r.location for r in plan.rotation] == ["old/removed.py:1"]
    assert plan.rotation[0].status == "history-only"


def test_group_none_gives_one_plain_secret_per_value() -> None:
    plan = build_plan(_findings(), Config(), "demo", PlanOptions(group="none"))
    assert len(plan.secrets) == 7
    assert all(len(s.keys) == 1 and s.keys[0].key is None for s in plan.secrets)
    assert plan.values["credmigrate/demo/app/settings/SECRET_KEY"] == fakes.token(50, 1)


def test_same_value_twice_in_a_module_is_one_key() -> None:
    v = fakes.password(9)
    fs = [finding("a.py", "PASSWORD", v, line=1), finding("a.py", "DB_PASSWORD", v, line=2)]
    plan = build_plan(fs, Config(), "r", PlanOptions())
    (s,) = plan.secrets
    assert len(s.keys) == 1 and len(s.keys[0].fingerprints) == 2


def test_plan_is_deterministic_and_round_trips_without_values() -> None:
    a = build_plan(_findings(), Config(), "demo", PlanOptions(replica_regions=("eu-west-1",)))
    b = build_plan(
        list(reversed(_findings())), Config(), "demo", PlanOptions(replica_regions=("eu-west-1",))
    )
    assert a == b and a.to_json() == b.to_json()
    loaded = plan_from_json(a.to_json())
    assert loaded == a and not loaded.values


def test_policy_and_cost() -> None:
    opts = PlanOptions(
        region="eu-west-1",
        account="123456789012",
        kms_key_id="1234abcd-12ab-34cd-56ef-1234567890ab",
        replica_regions=("us-east-2",),
    )
    plan = build_plan(_findings(), Config(), "demo", opts)
    policy = plan.policy()
    read, decrypt = policy["Statement"]
    assert read["Action"] == "secretsmanager:GetSecretValue"
    assert (
        secret_arn_pattern("eu-west-1", "123456789012", "credmigrate/demo/app/settings")
        in read["Resource"]
    )
    assert len(read["Resource"]) == 2 * len(plan.secrets)  # primary + one replica region
    assert decrypt["Action"] == "kms:Decrypt"
    assert (
        decrypt["Resource"]
        == "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    )
    cost = plan.cost()
    assert cost.secrets == 5 and cost.replicas == 5
    assert cost.storage_usd == pytest.approx(10 * 0.40)
    assert cost.calls_usd == pytest.approx(5 * 720 / 10_000 * 0.05, abs=0.01)


def test_no_kms_statement_without_a_key() -> None:
    plan = build_plan(_findings(), Config(), "demo", PlanOptions())
    assert [s["Action"] for s in plan.policy()["Statement"]] == ["secretsmanager:GetSecretValue"]


def test_tags_hold_no_values_and_user_tags_win() -> None:
    plan = build_plan(
        _findings(), Config(tags={"team": "cfg"}), "demo", PlanOptions(tags=(("team", "cli"),))
    )
    for s in plan.secrets:
        tags = dict(s.tags)
        assert tags["team"] == "cli" and tags["credmigrate:repo"] == "demo"
        assert set(tags) >= {"credmigrate:path", "credmigrate:fingerprint"}
        for v in plan.values.values():
            assert v not in json.dumps(s.tags)


def test_bad_plan_file_is_bad_input() -> None:
    with pytest.raises(BadInputError):
        plan_from_json("{}")
    with pytest.raises(BadInputError):
        plan_from_json("not json")


secret_text = st.text(alphabet=st.characters(codec="utf-8"), min_size=12, max_size=200)


@settings(max_examples=100, deadline=None)
@given(
    values=st.lists(secret_text, min_size=1, max_size=8, unique=True),
    names=st.lists(
        st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,20}", fullmatch=True), min_size=8, max_size=8
    ),
    group=st.sampled_from(["auto", "none"]),
)
def test_plan_file_never_contains_a_value(values: list[str], names: list[str], group: str) -> None:
    def plan_text(vals: list[str]) -> str:
        fs = [finding(f"pkg/m{i % 3}.py", names[i], v, line=i + 1) for i, v in enumerate(vals)]
        return build_plan(fs, Config(), "repo", PlanOptions(group=group)).to_json()

    text = plan_text(values)
    # The same plan with other values: a value that occurs there too is just plan vocabulary
    # (e.g. the value "name_templat"), not a leak.
    control = plan_text([fakes.token(24, f"ctl{i}") for i in range(len(values))])
    for v in values:
        assume(v not in control)
        assert v not in text
        assert json.dumps(v)[1:-1] not in text  # nor its JSON-escaped form


def test_a_history_value_still_live_elsewhere_is_migrated_not_listed() -> None:
    v = fakes.password(11)
    fs = [
        finding("new.py", "PASSWORD", v),
        finding("old.py", "PASSWORD", v, status=Status.HISTORY_ONLY),
        finding("gone.py", "PASSWORD", fakes.password(12), status=Status.HISTORY_ONLY),
    ]
    plan = build_plan(fs, Config(), "r", PlanOptions())
    assert [r.location for r in plan.rotation] == ["gone.py:1"]
    assert [s.name for s in plan.secrets] == ["credmigrate/r/new"]


def test_an_empty_plan_shows_no_policy_or_cost() -> None:
    from credmigrate.migrate.plan_text import render_plan

    text = render_plan(build_plan([], Config(), "r", PlanOptions()))
    assert "Secrets to create or reuse in AWS Secrets Manager: 0" in text
    assert "IAM policy" not in text and "Estimated cost" not in text
