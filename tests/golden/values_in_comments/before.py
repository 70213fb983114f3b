# API_TOKEN = "@@token:API_TOKEN@@"  (the old token, kept for reference)
API_TOKEN = "@@token:API_TOKEN@@"


def client() -> dict[str, str]:
    # token: @@token:API_TOKEN@@
    return dict(token="@@token:API_TOKEN@@")
