"""Application constants."""

from __future__ import annotations

import logging
from _credmigrate_secrets import get_secret

log = logging.getLogger(__name__)

# The signing key (rotated yearly).
SIGNING_KEY = get_secret('credmigrate/demo/module_constants', 'SIGNING_KEY')  # do not share
API_TOKEN: str = get_secret("credmigrate/demo/module_constants", "API_TOKEN")
TIMEOUT = 30


def headers() -> dict[str, str]:
    return {"Authorization": "Bearer " + API_TOKEN}
