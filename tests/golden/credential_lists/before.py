import requests

ADMIN = ("root", "@@password:ADMIN@@")
USERS = [
    {"username": "alice", "password": "@@password:ALICE@@"},
    {"username": "bob", "password": "@@password:BOB@@"},
]


def fetch(url: str) -> object:
    return requests.get(url, auth=("svc-reports", "@@password:REPORTS@@"))
