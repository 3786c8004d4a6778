"""The test suite: SQLite in memory unless DATABASE_URL points at PostgreSQL (CI runs both)."""

import os
from pathlib import Path

from .base import *  # noqa: F403
from .base import BASE_DIR, STORAGES, booking_tasks

SECRET_KEY = "test-only-key"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
MEDIA_ROOT = Path(os.environ.get("TEST_MEDIA_ROOT", BASE_DIR / ".test-media"))
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WAGTAILADMIN_BASE_URL = "http://testserver"
if not os.environ.get("DATABASE_URL"):
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}

# Serve static files straight from the source folders; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The booking's tasks run at once, unless BOOKING_TASKS=database (then run `manage.py db_worker --backend booking`).
TASKS = booking_tasks(os.environ.get("BOOKING_TASKS", "immediate"))
