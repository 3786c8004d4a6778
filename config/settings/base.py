"""Settings shared by every environment. Anything secret or host-specific comes from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from wagtail.embeds.oembed_providers import vimeo as oembed_vimeo
from wagtail.embeds.oembed_providers import youtube as oembed_youtube

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")

INSTALLED_APPS = [
    "core",
    "home",
    "news",
    "about",
    "search",
    "demo",
    "booking",
    "editorial",
    "grav_import",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    # The database queue of Django's task framework (django-tasks backport): the booking's background work.
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Above the page cache, so that a page served from it carries X-Frame-Options too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Whole pages for anonymous visitors; Cache-Control on every response (core.page_cache).
    "core.page_cache.PageCacheMiddleware",
    "core.middleware.CachedSiteMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's, except that a 404 outside the language trees (/admin/…, /healthz/) is not redirected to /ru/….
    "core.i18n.LocaleMiddleware",
    "editorial.middleware.AdminLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "editorial.middleware.LocaleGuardMiddleware",
    # No alias pages on this site: refuses the wagtail-localize views that would make one (editorial.aliases).
    "editorial.aliases.NoAliasesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its 429 response.
    "axes.middleware.AxesMiddleware",
]

# Login throttling (django-axes): after 5 failed sign-ins from one address, that address is locked out for 15 minutes
# with a 429; a successful sign-in clears its count. Counted per address only: a count per account name alone would
# let anyone lock the admin out by typing its name, and one account guessed from one address is stopped by that
# address's count. The address is the visitor's own, as the TRUSTED_PROXY_COUNT proxies in front pass it
# (core.client_address: nginx in production, none for `make demo`).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_TEMPLATE = "429.html"
AXES_CLIENT_IP_CALLABLE = "core.client_address.client_ip"
TRUSTED_PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT", "0"))

# The admin's password reset sends at most 3 e-mails an hour to one account's address, and answers at most 5 requests
# an hour from one visitor's address (core/password_reset.py); over that, the same page and no e-mail.
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "core.password_reset.RateLimitedPasswordResetForm"
PASSWORD_RESET_LIMITS = {"email": 3, "address": 5}

# Security headers on every response (HSTS is set in production.py, where the site is served over HTTPS).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Caching (core.page_cache): whole pages for anonymous visitors are kept PAGE_CACHE_SECONDS in the cache (Redis in
# production) and retired at once by any publish; shared caches (nginx, a CDN) may keep public pages
# CACHE_CONTROL_S_MAXAGE seconds and serve them stale while they refetch; browsers keep them CACHE_CONTROL_MAX_AGE.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
CACHE_CONTROL_MAX_AGE = int(os.environ.get("CACHE_CONTROL_MAX_AGE", "60"))
CACHE_CONTROL_S_MAXAGE = int(os.environ.get("CACHE_CONTROL_S_MAXAGE", "300"))
CACHE_CONTROL_STALE_WHILE_REVALIDATE = int(os.environ.get("CACHE_CONTROL_STALE_WHILE_REVALIDATE", "60"))

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite unless DATABASE_URL says otherwise (production and CI use PostgreSQL).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages. Kazakh is the default; every URL carries its language (/kk/, /ru/, /en/), as on the Grav site.
LANGUAGE_CODE = "kk"
LANGUAGES = [
    ("kk", "Қазақша"),
    ("ru", "Русский"),
    ("en", "English"),
]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Almaty"
LOCALE_PATHS = [BASE_DIR / "locale"]
# Django ships no Kazakh date formats; config/formats/<lang>/formats.py provides them (and ru/en to match).
FORMAT_MODULE_PATH = ["config.formats"]

# Translations start as drafts: a translator publishes them when they are ready.
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False


def machine_translator_from_environment(environ=os.environ) -> dict:
    if environ.get("DEEPL_AUTH_KEY"):
        return {
            "CLASS": "wagtail_localize.machine_translators.deepl.DeepLTranslator",
            "OPTIONS": {"AUTH_KEY": environ["DEEPL_AUTH_KEY"]},
        }
    if environ.get("GOOGLE_CLOUD_TRANSLATE_PROJECT_ID"):
        # Needs `pip install google-cloud-translate` and GOOGLE_APPLICATION_CREDENTIALS pointing at a key file.
        return {
            "CLASS": "wagtail_localize.machine_translators.google.GoogleCloudTranslator",
            "OPTIONS": {
                "PROJECT_ID": environ["GOOGLE_CLOUD_TRANSLATE_PROJECT_ID"],
                "LOCATION": environ.get("GOOGLE_CLOUD_TRANSLATE_LOCATION", "global"),
            },
        }
    if environ.get("LIBRETRANSLATE_URL"):
        return {
            "CLASS": "wagtail_localize.machine_translators.libretranslate.LibreTranslator",
            "OPTIONS": {
                "LIBRETRANSLATE_URL": environ["LIBRETRANSLATE_URL"].rstrip("/"),
                "API_KEY": environ.get("LIBRETRANSLATE_API_KEY", ""),
                "TIMEOUT": int(environ.get("LIBRETRANSLATE_TIMEOUT", "30")),
            },
        }
    return {"CLASS": "editorial.machine_translation.OfflineTranslator", "OPTIONS": {}}


WAGTAILLOCALIZE_MACHINE_TRANSLATOR = machine_translator_from_environment()


def frontend_cache_from_environment(environ=os.environ) -> dict:
    """WAGTAILFRONTENDCACHE for the CDN or caching proxy in front of the site (used in production.py)."""
    from django.core.exceptions import ImproperlyConfigured

    backend = environ.get("FRONTEND_CACHE_BACKEND", "none").strip().lower()
    needs = {
        "cloudflare": ("CLOUDFLARE_BEARER_TOKEN", "CLOUDFLARE_ZONEID"),
        "cloudfront": ("CLOUDFRONT_DISTRIBUTION_ID",),
        "http": ("FRONTEND_CACHE_PURGE_URL",),
    }
    if backend in ("", "none"):
        return {}
    if backend not in needs:
        raise ImproperlyConfigured("FRONTEND_CACHE_BACKEND must be none, cloudflare, cloudfront or http.")
    missing = [name for name in needs[backend] if not environ.get(name)]
    if missing:
        raise ImproperlyConfigured(f"FRONTEND_CACHE_BACKEND={backend} needs {', '.join(missing)} in the environment.")
    if backend == "cloudflare":
        config = {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
            "BEARER_TOKEN": environ["CLOUDFLARE_BEARER_TOKEN"],
            "ZONEID": environ["CLOUDFLARE_ZONEID"],
        }
    elif backend == "cloudfront":
        # Credentials as boto3 finds them (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or the machine's role).
        config = {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
            "DISTRIBUTION_ID": environ["CLOUDFRONT_DISTRIBUTION_ID"],
        }
    else:
        # An HTTP PURGE endpoint: Varnish, or nginx with a purge module, in front of the app servers.
        config = {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": environ["FRONTEND_CACHE_PURGE_URL"],
        }
    return {backend: config}


STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "Hematology Center"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Reports → Search terms: only searches that found something, with queries of at most 50 characters, and at most 200
# new queries a day are counted (search/terms.py), so that traffic cannot grow the database without limit.
SEARCH_TERMS_MAX_LENGTH = 50
SEARCH_TERMS_NEW_PER_DAY = int(os.environ.get("SEARCH_TERMS_NEW_PER_DAY", "200"))
# Uploads. Documents: an allow-list of office formats, served through Wagtail's view (permissions, counting) as
# attachments, except PDF which opens in the browser. Images: no SVG (it can carry script), 10 MB and 40 megapixels
# at most (a small file that decompresses into a huge image is refused before it is decoded).
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf"]
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
# Every image upload form refuses a file Pillow cannot read with the usual "not an image" message (core.image_forms).
WAGTAILIMAGES_IMAGE_FORM_BASE = "core.image_forms.ImageForm"
WAGTAILEMBEDS_RESPONSIVE_HTML = True
# Videos from YouTube and Vimeo only (core.blocks.VIDEO_HOSTS): their embed code is an iframe. Wagtail would
# otherwise ask any of ~300 oEmbed providers, some of which answer with a <script>.
WAGTAILEMBEDS_FINDERS = [{"class": "wagtail.embeds.finders.oembed", "providers": [oembed_youtube, oembed_vimeo]}]
# The admin's policy (core.middleware) lets it connect to its own origin only: Wagtail's update check
# (releases.wagtail.org) would be refused on every dashboard visit. Avatars are the admin's own, not Gravatar's: no
# editor's e-mail hash goes to a third party (and a protocol-relative Gravatar URL is refused on plain HTTP).
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Wagtail's admin has no Kazakh translation: editors choose Russian or English as their admin language.
WAGTAILADMIN_PERMITTED_LANGUAGES = [("ru", "Русский"), ("en", "English")]
ADMIN_DEFAULT_LANGUAGE = "ru"

WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {
        # Draftail, opening rich text it did not write (a raw <img>...) instead of failing (core.rich_text).
        "WIDGET": "core.rich_text.RichTextEditor",
        "OPTIONS": {"features": ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]},
    }
}

# Booking: MIS client (booking.mis, docs/booking.md "MIS"). Without MIS_URL the built-in simulator answers, so the
# demo books with nothing else running. MIS_AUTH is "jwt" (a token from MIS_URL/issuetoken for MIS_SECRET, or
# MIS_TOKEN_URL) or "apikey" (MIS_API_KEY in an X-API-Key header). Reads are retried MIS_RETRIES times with
# MIS_BACKOFF seconds doubling; every call waits at most MIS_TIMEOUT seconds (never more than 5).
MIS_URL = os.environ.get("MIS_URL", "")
MIS_AUTH = os.environ.get("MIS_AUTH", "jwt").strip().lower()
MIS_SECRET = os.environ.get("MIS_SECRET", "")
MIS_API_KEY = os.environ.get("MIS_API_KEY", "")
MIS_TOKEN_URL = os.environ.get("MIS_TOKEN_URL", "")
MIS_TOKEN_LIFETIME = int(os.environ.get("MIS_TOKEN_LIFETIME", "300"))  # seconds, for a token without `exp`
MIS_TIMEOUT = min(float(os.environ.get("MIS_TIMEOUT", "5")), 5.0)
MIS_RETRIES = int(os.environ.get("MIS_RETRIES", "2"))
MIS_BACKOFF = float(os.environ.get("MIS_BACKOFF", "0.3"))

# Booking: payments
# EPAY_MODE: simulator (default; no bank, no money: `make demo`), test (Halyk's sandbox) or production. The client id,
# secret and terminal come from Halyk; each URL below may be overridden from the environment.
EPAY_MODE = os.environ.get("EPAY_MODE", "simulator").strip().lower()
EPAY_CLIENT_ID = os.environ.get("EPAY_CLIENT_ID", "")
EPAY_CLIENT_SECRET = os.environ.get("EPAY_CLIENT_SECRET", "")
EPAY_TERMINAL_ID = os.environ.get("EPAY_TERMINAL_ID", "")
_EPAY_URLS = {
    "test": (
        "https://testoauth.homebank.kz/epay2/oauth2/token",
        "https://test-epay.homebank.kz/payform/payment-api.js",
        "https://testepay.homebank.kz/api/check-status/payment/transaction/",
    ),
    "production": (
        "https://epay-oauth.homebank.kz/oauth2/token",
        "https://epay.homebank.kz/payform/payment-api.js",
        "https://epay-api.homebank.kz/check-status/payment/transaction/",
    ),
}.get(EPAY_MODE, ("", "", ""))
EPAY_TOKEN_URL = os.environ.get("EPAY_TOKEN_URL", _EPAY_URLS[0])
EPAY_SCRIPT_URL = os.environ.get("EPAY_SCRIPT_URL", _EPAY_URLS[1])
EPAY_STATUS_URL = os.environ.get("EPAY_STATUS_URL", _EPAY_URLS[2])  # the invoice id is appended
EPAY_TIMEOUT = min(float(os.environ.get("EPAY_TIMEOUT", "10")), 10.0)

# Booking: orders (booking/models.py, states.py, holds.py, tasks.py; docs/booking.md). A slot is held
# BOOKING_HOLD_MINUTES while the patient fills in the form, at least BOOKING_PAYMENT_MINUTES from the start of the
# payment; abandoned orders lose their personal data after BOOKING_PURGE_HOURS. A paid order the MIS does not accept
# is retried BOOKING_MIS_MAX_ATTEMPTS times, BOOKING_MIS_RETRY_SECONDS apart and doubling (an hour at most), then
# BOOKING_STAFF_EMAILS get an e-mail in BOOKING_STAFF_LANGUAGE. The booking's tasks run on TASKS["booking"]: the
# database queue (worked by `manage.py db_worker --backend booking`) unless BOOKING_TASKS=immediate (dev and test
# settings default to immediate). Wagtail's own tasks stay on "default", run at once as before.
BOOKING_HOLD_MINUTES = int(os.environ.get("BOOKING_HOLD_MINUTES", "10"))
BOOKING_PAYMENT_MINUTES = int(os.environ.get("BOOKING_PAYMENT_MINUTES", "20"))
BOOKING_PURGE_HOURS = int(os.environ.get("BOOKING_PURGE_HOURS", "48"))
# The bank is asked about an order that reached the payment step and expired for this long: a bank can be late.
BOOKING_SETTLE_HOURS = int(os.environ.get("BOOKING_SETTLE_HOURS", "24"))
BOOKING_MIS_MAX_ATTEMPTS = int(os.environ.get("BOOKING_MIS_MAX_ATTEMPTS", "6"))
BOOKING_MIS_RETRY_SECONDS = int(os.environ.get("BOOKING_MIS_RETRY_SECONDS", "60"))
BOOKING_STAFF_EMAILS = env_list("BOOKING_STAFF_EMAILS")
BOOKING_STAFF_LANGUAGE = os.environ.get("BOOKING_STAFF_LANGUAGE", "ru")
# Per visitor address: details submissions (the IIN check), and new orders and payment starts (booking.limits).
BOOKING_RATE_LIMIT = int(os.environ.get("BOOKING_RATE_LIMIT", "20"))
BOOKING_RATE_WINDOW_SECONDS = int(os.environ.get("BOOKING_RATE_WINDOW_SECONDS", "600"))


def booking_tasks(mode: str) -> dict:
    """TASKS, with the booking's backend on the database queue ("database") or run at once ("immediate")."""
    backends = {
        "database": "django_tasks_db.DatabaseBackend",
        "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    }
    if mode not in backends:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("BOOKING_TASKS must be database or immediate.")
    return {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
        "booking": {"BACKEND": backends[mode]},
    }


TASKS = booking_tasks(os.environ.get("BOOKING_TASKS", "database"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
