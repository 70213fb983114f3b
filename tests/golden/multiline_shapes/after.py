import os
from _credmigrate_secrets import get_secret

SECRET_KEY = os.environ.get(
    "DJANGO_SECRET_KEY") or get_secret("credmigrate/demo/multiline_shapes", "SECRET_KEY")
DB_PASSWORD = (
    get_secret("credmigrate/demo/multiline_shapes", "DB_PASSWORD")
)
CACHES = {
    "default": {
        "OPTIONS": {
            "PASSWORD":
                get_secret("credmigrate/demo/multiline_shapes", "CACHE_PASSWORD"),
        },
    },
}
client = dict(
    host="api.example.com",
    api_key=(
        get_secret("credmigrate/demo/multiline_shapes", "API_KEY")
    ),
)
