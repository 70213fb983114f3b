import psycopg2


def connect(host, user="app", password="@@password:DB_PASSWORD@@"):
    """Open a connection."""
    # keep this comment
    return psycopg2.connect(host=host, user=user, password=password)


class Client:
    def __init__(self, *, token: str = "@@token:API_TOKEN@@", retries: int = 3) -> None:
        self.token = token
        self.retries = retries


def one_liner(key="@@token:ONE_LINER@@"): return key


fetch = lambda secret="@@token:LAMBDA@@": secret  # noqa: E731
