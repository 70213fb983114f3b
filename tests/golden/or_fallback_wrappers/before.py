import os
from urllib.parse import quote_plus

from pydantic import SecretStr


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY") or "@@token:SECRET_KEY@@"
    MAIL_PASSWORD = os.getenv("MAIL_PASSWORD") or "@@password:MAIL_PASSWORD@@"


DB_PASSWORD = quote_plus("@@password:DB_PASSWORD@@")
API_TOKEN = SecretStr("@@token:API_TOKEN@@")
SIGNING_KEY = "@@token:SIGNING_KEY@@".encode()
