import os
from os import environ, getenv
from _credmigrate_secrets import get_secret

API_TOKEN = os.environ.get("API_TOKEN") or get_secret("credmigrate/demo/env_fallback", "API_TOKEN")
DB_PASSWORD = os.getenv("DB_PASSWORD") or get_secret("credmigrate/demo/env_fallback", "DB_PASSWORD")
SIGNING_KEY = environ.get("SIGNING_KEY") or get_secret("credmigrate/demo/env_fallback", "SIGNING_KEY")
HEADER = "Bearer " + (getenv("BEARER") or get_secret("credmigrate/demo/env_fallback", "BEARER"))
CONFIG = {"key": os.environ.get(
    "CONFIG_KEY",
) or get_secret("credmigrate/demo/env_fallback", "CONFIG_KEY")}
os.environ.setdefault("SMTP_PASSWORD", get_secret("credmigrate/demo/env_fallback", "SMTP_PASSWORD"))
