from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "@@token:SECRET_KEY@@"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "shop",
        "USER": "shop",
        "PASSWORD": "@@password:DATABASES_default_PASSWORD@@",  # prod only
        "HOST": "db.internal",
    },
    "replica": {
        'ENGINE': 'django.db.backends.postgresql',
        'PASSWORD': '@@password:DATABASES_replica_PASSWORD@@',
    },
}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://:@@password:CACHES_default_LOCATION@@@redis.internal:6379/1",
    }
}

EMAIL_HOST_PASSWORD = "@@password:EMAIL_HOST_PASSWORD@@"
DATABASES["default"]["OPTIONS"] = {"sslmode": "require"}
