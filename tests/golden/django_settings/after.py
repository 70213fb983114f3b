from .base import *  # noqa: F403
from _credmigrate_secrets import get_secret

DEBUG = False
SECRET_KEY = get_secret("credmigrate/demo/django_settings", "SECRET_KEY")

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "shop",
        "USER": "shop",
        "PASSWORD": get_secret("credmigrate/demo/django_settings", "DATABASES_default_PASSWORD"),  # prod only
        "HOST": "db.internal",
    },
    "replica": {
        'ENGINE': 'django.db.backends.postgresql',
        'PASSWORD': get_secret('credmigrate/demo/django_settings', 'DATABASES_replica_PASSWORD'),
    },
}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://:{get_secret('credmigrate/demo/django_settings', 'CACHES_default_LOCATION')}@redis.internal:6379/1",
    }
}

EMAIL_HOST_PASSWORD = get_secret("credmigrate/demo/django_settings", "EMAIL_HOST_PASSWORD")
DATABASES["default"]["OPTIONS"] = {"sslmode": "require"}
