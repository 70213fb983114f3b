"""Django-style settings for the example service. Every credential below is fake."""

import os

DEBUG = False

# Signing key for sessions.
SECRET_KEY = "p9#vX2!kQm7$Lw4@zR8^tN3&bY6*cF1(hJ5)gD0-sA"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "orders",
        "USER": "orders_app",
        "PASSWORD": "Tq8vLm2Xp9Rw4Zk7",  # the database password
        "HOST": os.environ.get("DB_HOST", "db.internal"),
        "PORT": 5432,
    }
}

CACHE_URL = "redis://:Hv6Nc3Qb8Wy1Jd5@cache.internal:6379/0"

SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
