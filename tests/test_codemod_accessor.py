"""The generated runtime accessor, against moto in server mode reached via the endpoint variable."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import threading
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from credmigrate.rewrite.accessor import render_accessor
from tests import fakes
from tests.moto_server import FaultProxy, MotoServer

NAME = "credmigrate/shop/settings"
Load = Callable[..., types.ModuleType]


@pytest.fixture
def load(tmp_path: Path) -> Iterator[Load]:
    """Import a freshly generated accessor under a unique name (a fresh per-process cache)."""
    loaded: list[str] = []

    def _load(use_caching_library: bool = False) -> types.ModuleType:
        name = f"_credmigrate_secrets_{len(loaded)}"
        path = tmp_path / f"{name}.py"
        path.write_text(render_accessor(name, use_caching_library=use_caching_library))
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        loaded.append(name)
        return module

    yield _load
    for name in loaded:
        sys.modules.pop(name, None)


def _put(values: dict[str, str], name: str = NAME) -> None:
    boto3.client("secretsmanager").create_secret(Name=name, SecretString=json.dumps(values))


def _expect_error(module: types.ModuleType, *args: Any) -> str:
    with pytest.raises(RuntimeError) as info:
        module.get_secret(*args)
    assert isinstance(info.value, module.SecretUnavailableError)
    return str(info.value)


def test_fetches_json_key_through_the_endpoint_variable(moto: MotoServer, load: Load) -> None:
    password = fakes.password("acc")
    _put({"DB_PASSWORD": password, "PORT": "5432"})
    module = load()
    assert module.get_secret(NAME, "DB_PASSWORD") == password
    assert json.loads(module.get_secret(NAME)) == {"DB_PASSWORD": password, "PORT": "5432"}


def test_fetched_once_per_process_even_from_threads(fault_proxy: FaultProxy, load: Load) -> None:
    token = fakes.token(40, "threads")
    _put({"TOKEN": token})
    module = load()
    results: list[str] = []
    threads = [
        threading.Thread(target=lambda: results.append(module.get_secret(NAME, "TOKEN")))
        for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    module.get_secret(NAME, "TOKEN")
    assert results == [token] * 8
    assert fault_proxy.counts.get("GetSecretValue") == 1
    module.clear_cache()
    module.get_secret(NAME, "TOKEN")
    assert fault_proxy.counts.get("GetSecretValue") == 2


def test_missing_secret_names_it_and_the_cause(moto: MotoServer, load: Load) -> None:
    message = _expect_error(load(), "credmigrate/shop/absent", "KEY")
    assert "credmigrate/shop/absent" in message and "no such secret" in message


def test_missing_key_lists_the_keys_not_values(moto: MotoServer, load: Load) -> None:
    secret = fakes.password("keys")
    _put({"A": secret, "B": "x"})
    message = _expect_error(load(), NAME, "C")
    assert "key 'C'" in message and "A, B" in message and secret not in message


def test_access_denied_is_explained(fault_proxy: FaultProxy, load: Load) -> None:
    _put({"A": "1"})
    fault_proxy.deny_ops = frozenset({"GetSecretValue"})
    message = _expect_error(load(), NAME, "A")
    assert "access denied" in message and "secretsmanager:GetSecretValue" in message


def test_no_credentials_is_explained(
    moto: MotoServer, load: Load, monkeypatch: pytest.MonkeyPatch
) -> None:
    for var in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(var, raising=False)
    message = _expect_error(load(), NAME, "A")
    assert "no AWS credentials" in message and "CREDMIGRATE_SECRETS_FILE" in message


def test_local_file_and_env_overrides_never_touch_aws(
    fault_proxy: FaultProxy, load: Load, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    local = tmp_path / "dev-secrets.json"
    local.write_text(json.dumps({NAME: {"DB_PASSWORD": "dev-only"}, "plain/name": "p"}))
    monkeypatch.setenv("CREDMIGRATE_SECRETS_FILE", str(local))
    module = load()
    assert module.get_secret(NAME, "DB_PASSWORD") == "dev-only"
    assert module.get_secret("plain/name") == "p"
    assert "not in CREDMIGRATE_SECRETS_FILE" in _expect_error(module, "other/name")
    monkeypatch.setenv(module.env_name(NAME), json.dumps({"DB_PASSWORD": "from-env"}))
    assert module.env_name(NAME) == "CREDMIGRATE_SECRET_CREDMIGRATE_SHOP_SETTINGS"
    assert module.get_secret(NAME, "DB_PASSWORD") == "from-env"
    assert fault_proxy.counts == {}


def test_caching_library_is_used_when_declared(fault_proxy: FaultProxy, load: Load) -> None:
    pytest.importorskip("aws_secretsmanager_caching")
    token = fakes.token(40, "lib")
    _put({"TOKEN": token})
    module = load(use_caching_library=True)
    assert module.get_secret(NAME, "TOKEN") == token
    assert module.get_secret(NAME, "TOKEN") == token
    assert type(module._secret_cache).__name__ == "SecretCache"
    assert module._values == {}  # the library's cache, not ours
    assert fault_proxy.counts.get("GetSecretValue") == 1


def test_runs_without_credmigrate_installed(moto: MotoServer, tmp_path: Path) -> None:
    token = fakes.token(40, "standalone")
    _put({"TOKEN": token})
    (tmp_path / "_credmigrate_secrets.py").write_text(
        render_accessor("_credmigrate_secrets", use_caching_library=False)
    )
    code = (
        "import sys; sys.modules['credmigrate'] = None\n"  # any import of credmigrate now fails
        "from _credmigrate_secrets import get_secret\n"
        f"print(get_secret({NAME!r}, 'TOKEN') == {token!r})\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "True"


def test_local_file_changes_are_picked_up(
    load: Load, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    local = tmp_path / "dev-secrets.json"
    local.write_text(json.dumps({NAME: {"K": "one"}}))
    monkeypatch.setenv("CREDMIGRATE_SECRETS_FILE", str(local))
    module = load()
    assert module.get_secret(NAME, "K") == "one"
    local.write_text(json.dumps({NAME: {"K": "two"}}))
    stat = local.stat()
    os.utime(local, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert module.get_secret(NAME, "K") == "two"
    local.write_text("{not json")
    os.utime(local, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
    assert "cannot read CREDMIGRATE_SECRETS_FILE" in _expect_error(module, NAME, "K")
