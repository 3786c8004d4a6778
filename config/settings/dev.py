"""Local development: `make demo`. Debug on, a throwaway secret, everything on SQLite unless DATABASE_URL is set."""

import os

from .base import *  # noqa: F403
from .base import STORAGES, booking_tasks, env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
ALLOWED_HOSTS = ["*"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}

# Serve static files straight from the source folders; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# No cache while developing: a template edited must show at the next reload, not after the next publish. With
# REDIS_URL set, the pages and fragments are cached as in production (to try the cache locally).
if os.environ.get("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": os.environ["REDIS_URL"]}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

# The booking's tasks run at once, unless BOOKING_TASKS=database (then run `manage.py db_worker --backend booking`).
TASKS = booking_tasks(os.environ.get("BOOKING_TASKS", "immediate"))
