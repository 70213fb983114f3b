"""Application constants."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

# The signing key (rotated yearly).
SIGNING_KEY = '@@token:SIGNING_KEY@@'  # do not share
API_TOKEN: str = "@@token:API_TOKEN@@"
TIMEOUT = 30


def headers() -> dict[str, str]:
    return {"Authorization": "Bearer " + API_TOKEN}
