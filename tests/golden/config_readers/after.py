import environ
from decouple import config
from _credmigrate_secrets import get_secret

env = environ.Env()

SECRET_KEY = config("SECRET_KEY", default=None) or get_secret("credmigrate/demo/config_readers", "SECRET_KEY")
DEBUG = config("DEBUG", default=False, cast=bool)
API_TOKEN = env("API_TOKEN", default=None) or get_secret("credmigrate/demo/config_readers", "API_TOKEN")
DB_PASSWORD = env.str("DB_PASSWORD", default=None) or get_secret("credmigrate/demo/config_readers", "DB_PASSWORD")
WEBHOOK_SECRET = config("WEBHOOK_SECRET", default=get_secret("credmigrate/demo/config_readers", "WEBHOOK_SECRET"), cast=str)
