"""SecretStore against moto in server mode: calls, idempotency tokens, error translation."""

from __future__ import annotations

import pytest

from credmigrate.errors import BadInputError, StoreError
from credmigrate.store.secrets_manager import MAX_SECRET_BYTES, SecretStore, StoreSettings
from tests import fakes
from tests.moto_server import FaultProxy, MotoServer


def test_create_get_and_count_calls(moto: MotoServer) -> None:
    store = SecretStore()
    assert store.endpoint == moto.url
    value = fakes.password(1)
    written = store.create("app/db", value, tags={"credmigrate:repo": "demo"})
    assert written is not None and written.arn.startswith("arn:aws:secretsmanager:us-east-1:")
    got = store.get("app/db")
    assert got is not None and got.value == value and got.arn == written.arn
    assert store.get("app/missing") is None
    assert store.create("app/db", value) is None  # exists: the caller reads it back
    assert store.calls.counts["CreateSecret"] == 2
    assert store.calls.writes == 2


def test_same_token_makes_one_version(moto: MotoServer) -> None:
    store = SecretStore()
    store.create("t/one", "v1-" + fakes.token(20, 2), token="11111111-1111-4111-8111-111111111111")
    store.put("t/one", "v2-" + fakes.token(20, 3), token="22222222-2222-4222-8222-222222222222")
    store.put("t/one", "v2-" + fakes.token(20, 3), token="22222222-2222-4222-8222-222222222222")
    assert store.version_count("t/one") == 2


def test_scheduled_for_deletion_is_reported(moto: MotoServer) -> None:
    store = SecretStore()
    store.create("t/gone", fakes.password(4))
    store.delete("t/gone")
    remote = store.get("t/gone")
    assert remote is not None and remote.deleted


def test_access_denied_is_one_clear_store_error(fault_proxy: FaultProxy) -> None:
    fault_proxy.deny_ops = frozenset({"GetSecretValue"})
    with pytest.raises(StoreError, match="access denied to read 'x/y'"):
        SecretStore().get("x/y")


def test_throttling_is_retried_then_reported(fault_proxy: FaultProxy) -> None:
    store = SecretStore(StoreSettings(max_attempts=3))
    fault_proxy.throttle_remaining = 2
    assert store.create("t/throttled", fakes.password(5)) is not None
    fault_proxy.throttle_remaining = 100
    with pytest.raises(StoreError, match="throttled"):
        store.get("t/throttled")
    assert fault_proxy.counts["GetSecretValue"] == 3  # all attempts used


def test_unreachable_endpoint(moto: MotoServer, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.moto_server import free_port

    monkeypatch.setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", f"http://127.0.0.1:{free_port()}")
    with pytest.raises(StoreError, match="cannot reach the secret store"):
        SecretStore(StoreSettings(max_attempts=1)).get("a")


def test_too_large_value_is_refused_before_any_call(moto: MotoServer) -> None:
    store = SecretStore()
    with pytest.raises(BadInputError, match="64 KB"):
        store.create("t/big", "x" * (MAX_SECRET_BYTES + 1))
    assert store.calls.total == 0


def test_unknown_profile_is_bad_input(moto: MotoServer) -> None:
    with pytest.raises(BadInputError, match="profile not found"):
        SecretStore(StoreSettings(profile="nope"))


def test_get_many_batches_reads_and_reports_missing_and_deleted(moto: MotoServer) -> None:
    store = SecretStore()
    a, b = fakes.password("a"), fakes.password("b")
    store.create("m/a", a)
    store.create("m/b", b)
    store.create("m/gone", fakes.password("g"))
    store.delete("m/gone")
    before = dict(store.calls.counts)
    got = store.get_many(["m/a", "m/b", "m/missing", "m/gone"])
    assert got["m/a"] is not None and got["m/a"].value == a
    assert got["m/b"] is not None and got["m/b"].value == b
    assert got["m/missing"] is None
    gone = got["m/gone"]
    assert gone is not None and gone.deleted
    assert store.calls.counts["BatchGetSecretValue"] == before.get("BatchGetSecretValue", 0) + 1
    assert store.calls.counts.get("GetSecretValue", 0) == before.get("GetSecretValue", 0) + 1


def test_get_many_falls_back_when_the_batch_api_is_denied(fault_proxy: FaultProxy) -> None:
    store = SecretStore()
    value = fakes.password("fb")
    store.create("fb/a", value)
    fault_proxy.deny_ops = frozenset({"BatchGetSecretValue"})
    got = store.get_many(["fb/a", "fb/none"])
    assert got["fb/a"] is not None and got["fb/a"].value == value and got["fb/none"] is None
    store.get_many(["fb/a"])
    assert fault_proxy.counts["BatchGetSecretValue"] == 1  # not asked again once denied
    assert fault_proxy.counts["GetSecretValue"] == 3
