from _credmigrate_secrets import get_secret
from typing import Optional

PRIMARY = get_secret("credmigrate/demo/repeated_use", "SHARED_KEY")


def sign(payload: bytes, key: Optional[str] = None) -> str:
    if key is None:
        key = get_secret("credmigrate/demo/repeated_use", "SHARED_KEY")
    return key + payload.decode()


BACKUP = {"key": get_secret("credmigrate/demo/repeated_use", "SHARED_KEY")}
