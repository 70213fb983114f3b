PRIMARY = "@@token:SHARED_KEY@@"


def sign(payload: bytes, key: str = "@@token:SHARED_KEY@@") -> str:
    return key + payload.decode()


BACKUP = {"key": "@@token:SHARED_KEY@@"}
