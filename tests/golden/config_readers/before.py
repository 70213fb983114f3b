import environ
from decouple import config

env = environ.Env()

SECRET_KEY = config("SECRET_KEY", default="@@token:SECRET_KEY@@")
DEBUG = config("DEBUG", default=False, cast=bool)
API_TOKEN = env("API_TOKEN", default="@@token:API_TOKEN@@")
DB_PASSWORD = env.str("DB_PASSWORD", default="@@password:DB_PASSWORD@@")
WEBHOOK_SECRET = config("WEBHOOK_SECRET", default="@@token:WEBHOOK_SECRET@@", cast=str)
