import os
from urllib.parse import quote_plus

from pydantic import SecretStr
from _credmigrate_secrets import get_secret


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY") or get_secret("credmigrate/demo/or_fallback_wrappers", "SECRET_KEY")
    MAIL_PASSWORD = os.getenv("MAIL_PASSWORD") or get_secret("credmigrate/demo/or_fallback_wrappers", "MAIL_PASSWORD")


DB_PASSWORD = quote_plus(get_secret("credmigrate/demo/or_fallback_wrappers", "DB_PASSWORD"))
API_TOKEN = SecretStr(get_secret("credmigrate/demo/or_fallback_wrappers", "API_TOKEN"))
SIGNING_KEY = get_secret("credmigrate/demo/or_fallback_wrappers", "SIGNING_KEY").encode()
