"""Local development: `make demo`. Debug on, a throwaway secret, everything on SQLite unless DATABASE_URL is set."""

from .base import *  # noqa: F403
from .base import STORAGES, env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
ALLOWED_HOSTS = ["*"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}

# Serve static files straight from the source folders; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
