"""Obviously fake secrets, generated at test time so that no real-looking literal sits in the repo.

Each generator is deterministic for a given ``seed`` so tests are reproducible.
"""

from __future__ import annotations

import base64
import random
import string

_UPPER_DIGITS = string.ascii_uppercase + "234567"
_ALNUM = string.ascii_letters + string.digits


def _rng(seed: int | str) -> random.Random:
    return random.Random(f"credmigrate-fake-{seed}")


def token(n: int = 32, seed: int | str = 0, alphabet: str = _ALNUM) -> str:
    r = _rng(seed)
    return "".join(r.choice(alphabet) for _ in range(n))


def aws_key_id(seed: int | str = 0) -> str:
    return "AKIA" + token(16, seed, _UPPER_DIGITS)


def aws_secret_key(seed: int | str = 0) -> str:
    return token(40, seed, _ALNUM + "+/")


def github_pat(seed: int | str = 0) -> str:
    return "gh" + "p_" + token(36, seed)


def slack_bot_token(seed: int | str = 0) -> str:
    r = _rng(seed)
    digits = "".join(r.choice(string.digits) for _ in range(11))
    return "xo" + f"xb-{digits}-{digits[:10]}2-" + token(24, seed)


def stripe_live(seed: int | str = 0) -> str:
    return "sk" + "_live_" + token(24, seed)


def password(seed: int | str = 0) -> str:
    """A strong-looking password with mixed classes."""
    return token(12, seed) + "!9" + token(6, f"{seed}x")


def b64_blob(n: int = 64, seed: int | str = 0) -> str:
    r = _rng(seed)
    return base64.b64encode(bytes(r.randrange(256) for _ in range(n))).decode()
