import requests
from _credmigrate_secrets import get_secret

ADMIN = ("root", get_secret("credmigrate/demo/credential_lists", "ADMIN"))
USERS = [
    {"username": "alice", "password": get_secret("credmigrate/demo/credential_lists", "ALICE")},
    {"username": "bob", "password": get_secret("credmigrate/demo/credential_lists", "BOB")},
]


def fetch(url: str) -> object:
    return requests.get(url, auth=("svc-reports", get_secret("credmigrate/demo/credential_lists", "REPORTS")))
