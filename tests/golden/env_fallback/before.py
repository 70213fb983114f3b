import os
from os import environ, getenv

API_TOKEN = os.environ.get("API_TOKEN", "@@token:API_TOKEN@@")
DB_PASSWORD = os.getenv("DB_PASSWORD", "@@password:DB_PASSWORD@@")
SIGNING_KEY = environ.get("SIGNING_KEY", default="@@token:SIGNING_KEY@@")
HEADER = "Bearer " + getenv("BEARER", "@@token:BEARER@@")
CONFIG = {"key": os.environ.get(
    "CONFIG_KEY",
    "@@token:CONFIG_KEY@@",
)}
os.environ.setdefault("SMTP_PASSWORD", "@@password:SMTP_PASSWORD@@")
