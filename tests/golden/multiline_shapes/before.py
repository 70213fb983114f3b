import os

SECRET_KEY = os.environ.get(
    "DJANGO_SECRET_KEY", "@@token:SECRET_KEY@@")
DB_PASSWORD = (
    "@@password:DB_PASSWORD@@"
)
CACHES = {
    "default": {
        "OPTIONS": {
            "PASSWORD":
                "@@password:CACHE_PASSWORD@@",
        },
    },
}
client = dict(
    host="api.example.com",
    api_key=(
        "@@token:API_KEY@@"
    ),
)
