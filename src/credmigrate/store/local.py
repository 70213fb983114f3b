"""A local Secrets Manager stand-in for the demo: moto in server mode on 127.0.0.1.

Started as a child process on a free loopback port and always stopped, so the demo leaves
nothing running. moto is an optional dependency (the ``demo`` and ``test`` extras).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

from credmigrate.errors import BadInputError


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def local_secrets_manager(timeout: float = 60.0) -> Iterator[str]:
    """Run moto's server on loopback for the duration of the block; yield its URL."""
    try:
        import moto.server  # noqa: F401
    except ImportError:
        raise BadInputError(
            "the demo needs moto for its local Secrets Manager: pip install 'credmigrate[demo]'"
        ) from None
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise BadInputError(f"the local Secrets Manager exited with {proc.returncode}")
            try:
                with urllib.request.urlopen(f"{url}/moto-api/data.json", timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise BadInputError("the local Secrets Manager did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
