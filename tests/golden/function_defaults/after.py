import psycopg2
from _credmigrate_secrets import get_secret
from typing import Optional


def connect(host, user="app", password=None):
    """Open a connection."""
    if password is None:
        password = get_secret("credmigrate/demo/function_defaults", "DB_PASSWORD")
    # keep this comment
    return psycopg2.connect(host=host, user=user, password=password)


class Client:
    def __init__(self, *, token: Optional[str] = None, retries: int = 3) -> None:
        if token is None:
            token = get_secret("credmigrate/demo/function_defaults", "API_TOKEN")
        self.token = token
        self.retries = retries


def one_liner(key=None):
    if key is None:
        key = get_secret("credmigrate/demo/function_defaults", "ONE_LINER")
    return key


fetch = lambda secret=get_secret("credmigrate/demo/function_defaults", "LAMBDA"): secret  # noqa: E731
