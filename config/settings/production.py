"""Production: everything from the environment. Fails loudly when a required value is missing."""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import LANGUAGES, STATIC_ROOT, STORAGES, env_bool, env_list, frontend_cache_from_environment

DEBUG = False
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY in the environment.")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set DJANGO_ALLOWED_HOSTS (comma-separated) in the environment.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The proxies in front of gunicorn whose X-Forwarded-For is trusted (core.client_address): nginx, as shipped.
TRUSTED_PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT", "1"))
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
# Load balancers and monitoring probe gunicorn over plain HTTP: the health checks answer them, not a redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
# Preloading commits every subdomain of the clinic's domain to HTTPS for good: the IT person decides
# (DJANGO_HSTS_PRELOAD=true, docs/operations.md); until then Django's reminder is silenced on purpose.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
X_FRAME_OPTIONS = "DENY"

# Cache: Redis, shared by every app server (django-redis). Pages, the menu and other content fragments are kept there
# (core.cache, core.page_cache). If Redis stops, pages are still served, only uncached: errors are logged, not raised.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "hematology"),
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": float(os.environ.get("REDIS_CONNECT_TIMEOUT", "0.5")),
                "SOCKET_TIMEOUT": float(os.environ.get("REDIS_TIMEOUT", "0.5")),
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    # Without a shared cache each worker would keep its own copy of the pages and miss the other workers'
    # invalidations: no cache at all is the honest default (the deploy check warns, core.checks).
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    PAGE_CACHE_SECONDS = 0

# Uploaded media: the local disk (MEDIA_ROOT, served by nginx) or an S3-compatible bucket (django-storages), e.g.
# AWS S3, Yandex Object Storage, MinIO; a CDN in front of it is named by AWS_S3_CUSTOM_DOMAIN.
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "local").strip().lower()
if MEDIA_STORAGE == "s3":
    for _name in ("AWS_STORAGE_BUCKET_NAME", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        if not os.environ.get(_name):
            raise ImproperlyConfigured(f"MEDIA_STORAGE=s3 needs {_name} in the environment.")
    STORAGES = {
        **STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
                "access_key": os.environ["AWS_ACCESS_KEY_ID"],
                "secret_key": os.environ["AWS_SECRET_ACCESS_KEY"],
                "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
                "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
                "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
                # Uploads never overwrite each other; files are public (renditions are linked from pages) but
                # the bucket listing is not.
                "file_overwrite": False,
                "default_acl": None,
                "querystring_auth": False,
                "object_parameters": {"CacheControl": "public, max-age=31536000"},
            },
        },
    }
elif MEDIA_STORAGE != "local":
    raise ImproperlyConfigured("MEDIA_STORAGE must be 'local' or 's3'.")

# Front-end cache (a CDN or a caching proxy) purged through wagtail.contrib.frontend_cache's backends on publish,
# unpublish, move and delete: every language's URL of the page and of the pages listing it (core.frontend_cache).
WAGTAILFRONTENDCACHE = frontend_cache_from_environment()
WAGTAILFRONTENDCACHE_LANGUAGES = [code for code, _name in LANGUAGES]

# Errors to Sentry when SENTRY_DSN is set (no personal data: patients may write to the clinic through the site).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
        send_default_pii=False,
    )

# E-mail (password resets of editors, moderation notifications).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")
SERVER_EMAIL = os.environ.get("DJANGO_SERVER_EMAIL", DEFAULT_FROM_EMAIL)
ADMINS = [("Site administrator", address) for address in env_list("DJANGO_ADMINS")]
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL

STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", STATIC_ROOT))

# Only for a demo without a web server in front (make lighthouse): Django serves the uploaded media itself.
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", False)
