"""Pytest plugin: moto in server mode on 127.0.0.1, and a fault-injecting loopback proxy.

Tests reach the store the way a user reaches LocalStack: over HTTP via
``AWS_ENDPOINT_URL_SECRETS_MANAGER``; nothing is mocked in-process. The proxy sits in front of
moto and can answer calls with ``ThrottlingException`` / ``AccessDeniedException``, or "die"
(drop connections) after some number of writes; it also counts calls by operation.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

WRITE_OPS = frozenset({"CreateSecret", "PutSecretValue", "UpdateSecret", "RotateSecret"})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class MotoServer:
    """``python -m moto.server`` as a child process on a free loopback port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60.0) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"moto server exited with {self.proc.returncode}")
            try:
                with urllib.request.urlopen(f"{self.url}/moto-api/data.json", timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("moto server did not start in time")

    def reset(self) -> None:
        req = urllib.request.Request(f"{self.url}/moto-api/reset", method="POST", data=b"")
        with urllib.request.urlopen(req, timeout=10):
            pass

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


class FaultProxy:
    """A loopback HTTP proxy in front of moto that injects faults and counts calls."""

    def __init__(self, upstream: str) -> None:
        self.upstream_url = upstream
        self.upstream = upstream.removeprefix("http://")
        self.lock = threading.Lock()
        self.counts: dict[str, int] = {}
        self.throttle_remaining = 0  # answer this many matching calls with ThrottlingException
        self.throttle_ops: frozenset[str] = frozenset()  # empty: every operation
        self.deny_ops: frozenset[str] = frozenset()  # answer these with AccessDeniedException
        self.die_after_writes: int | None = None  # forward this many writes, then drop everything
        self.dead = False
        self.writes_forwarded = 0
        self.tamper_reads = False  # GetSecretValue answers carry another value (read-back test)
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                proxy.handle(self)

            do_GET = do_POST

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def _error(self, h: BaseHTTPRequestHandler, status: int, code: str, message: str) -> None:
        body = json.dumps({"__type": code, "message": message}).encode()
        h.send_response(status)
        h.send_header("Content-Type", "application/x-amz-json-1.1")
        h.send_header("Content-Length", str(len(body)))
        h.send_header("x-amzn-ErrorType", code)
        h.end_headers()
        h.wfile.write(body)

    def handle(self, h: BaseHTTPRequestHandler) -> None:
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else b""
        op = (h.headers.get("X-Amz-Target") or "").rpartition(".")[2] or "other"
        with self.lock:
            self.counts[op] = self.counts.get(op, 0) + 1
            if self.dead:
                h.close_connection = True
                return
            if op in self.deny_ops:
                action = "secretsmanager:" + op
                deny = True
            else:
                deny = False
            throttle = self.throttle_remaining > 0 and (
                not self.throttle_ops or op in self.throttle_ops
            )
            if throttle:
                self.throttle_remaining -= 1
            drop_after = False
            if not deny and not throttle and op in WRITE_OPS and self.die_after_writes is not None:
                if self.writes_forwarded >= self.die_after_writes:
                    # The store receives this write but the client never hears back: the
                    # hardest case for idempotency. Everything after it is dropped too.
                    self.dead = drop_after = True
                self.writes_forwarded += 1
        if deny:
            self._error(h, 400, "AccessDeniedException", f"not authorized to perform: {action}")
            return
        if throttle:
            self._error(h, 400, "ThrottlingException", "Rate exceeded")
            return
        conn = http.client.HTTPConnection(self.upstream, timeout=30)
        headers = {k: v for k, v in h.headers.items() if k.lower() not in {"host", "connection"}}
        conn.request(h.command, h.path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        conn.close()
        if drop_after:
            h.close_connection = True
            return
        if (
            self.tamper_reads
            and op in ("GetSecretValue", "BatchGetSecretValue")
            and resp.status == 200
        ):
            doc = json.loads(data)
            for item in [doc, *doc.get("SecretValues", [])]:
                if "SecretString" in item:
                    item["SecretString"] = "tampered-" + str(item["SecretString"])[:3]
            data = json.dumps(doc).encode()
        h.send_response(resp.status)
        for k, v in resp.getheaders():
            if k.lower() not in {
                "transfer-encoding",
                "connection",
                "content-length",
                "server",
                "date",
            }:
                h.send_header(k, v)
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)

    def heal(self) -> None:
        """The endpoint comes back: no more faults."""
        with self.lock:
            self.dead = False
            self.die_after_writes = None
            self.throttle_remaining = 0
            self.deny_ops = frozenset()
            self.tamper_reads = False

    @property
    def writes(self) -> int:
        return sum(n for op, n in self.counts.items() if op in WRITE_OPS)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def aws_env(endpoint: str) -> dict[str, str]:
    """Fake credentials and the endpoint, as a user would set them for LocalStack."""
    return {
        "AWS_ENDPOINT_URL_SECRETS_MANAGER": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",  # credmigrate:allow - moto's fake credentials
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_MAX_ATTEMPTS": "3",
    }


@pytest.fixture(scope="session")
def moto_server() -> Iterator[MotoServer]:
    server = MotoServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def moto(moto_server: MotoServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[MotoServer]:
    """A clean moto (state reset) reachable through the standard AWS environment variables."""
    moto_server.reset()
    for key in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    for key, value in aws_env(moto_server.url).items():
        monkeypatch.setenv(key, value)
    yield moto_server


@pytest.fixture
def fault_proxy(moto: MotoServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[FaultProxy]:
    """A fault-injecting proxy in front of moto; the endpoint variable points at the proxy."""
    proxy = FaultProxy(moto.url)
    monkeypatch.setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", proxy.url)
    try:
        yield proxy
    finally:
        proxy.close()
