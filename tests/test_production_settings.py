"""config/settings/production.py takes everything from the environment, and says what is missing."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

BASE_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "hematology.example",
    # Real payments (the simulated bank is for the demo: booking.W001).
    "EPAY_MODE": "production",
    "EPAY_CLIENT_ID": "clinic",
    "EPAY_CLIENT_SECRET": "secret",
    "EPAY_TERMINAL_ID": "00000000-0000-4000-8000-000000000001",
}
S3 = {
    "MEDIA_STORAGE": "s3",
    "AWS_STORAGE_BUCKET_NAME": "clinic-media",
    "AWS_ACCESS_KEY_ID": "key",
    "AWS_SECRET_ACCESS_KEY": "secret",
    "AWS_S3_ENDPOINT_URL": "https://storage.yandexcloud.kz",
    "AWS_S3_CUSTOM_DOMAIN": "media.hematology.example",
}

SHOW = """
import json, django
django.setup()
from django.conf import settings
from django.core.files.storage import default_storage
print(json.dumps({
    "cache": settings.CACHES["default"]["BACKEND"],
    "page_cache": settings.PAGE_CACHE_SECONDS,
    "storage": type(default_storage._wrapped if hasattr(default_storage, "_wrapped") else default_storage).__name__,
    "media_url": default_storage.url("images/x.jpg"),
    "frontend_cache": list(settings.WAGTAILFRONTENDCACHE),
    "languages": settings.WAGTAILFRONTENDCACHE_LANGUAGES,
    "email": [settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS, settings.SERVER_EMAIL],
    "sentry": __import__("sentry_sdk").get_client().is_active(),
}))
"""


def run(code: str, **environ) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(BASE_ENV)
    env.update(environ)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)


def settings_with(**environ) -> dict:
    result = run(SHOW, **environ)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_redis_s3_frontend_cache_sentry_and_email_come_from_the_environment():
    shown = settings_with(
        REDIS_URL="redis://127.0.0.1:6379/3",
        FRONTEND_CACHE_BACKEND="cloudflare",
        CLOUDFLARE_BEARER_TOKEN="token",
        CLOUDFLARE_ZONEID="zone",
        SENTRY_DSN="https://public@sentry.example/1",
        EMAIL_HOST="smtp.hematology.example",
        EMAIL_PORT="587",
        EMAIL_USE_TLS="true",
        DJANGO_SERVER_EMAIL="site@hematology.example",
        **S3,
    )
    assert shown["cache"] == "django_redis.cache.RedisCache"
    assert shown["page_cache"] == 600
    assert shown["storage"] == "S3Storage"
    assert shown["media_url"] == "https://media.hematology.example/images/x.jpg"
    assert shown["frontend_cache"] == ["cloudflare"]
    assert shown["languages"] == ["kk", "ru", "en"]
    assert shown["email"] == ["smtp.hematology.example", 587, True, "site@hematology.example"]
    assert shown["sentry"] is True


def test_without_redis_nothing_is_cached_rather_than_cached_per_process():
    shown = settings_with()
    assert shown["cache"] == "django.core.cache.backends.dummy.DummyCache"
    assert shown["page_cache"] == 0
    assert shown["storage"] == "FileSystemStorage"
    assert shown["sentry"] is False


def test_the_deploy_check_asks_for_redis():
    result = run("from django.core.management import execute_from_command_line as m; m(['', 'check', '--deploy'])")
    assert "core.W001" in result.stderr + result.stdout and "REDIS_URL" in result.stderr + result.stdout


def test_the_deploy_check_refuses_the_simulated_bank_and_the_production_site_has_no_simulator():
    check = "from django.core.management import execute_from_command_line as m; m(['', 'check', '--deploy'])"
    assert "booking.W001" not in run(check).stderr
    assert "booking.W001" in run(check, EPAY_MODE="simulator").stderr
    urls = run(
        "import django; django.setup(); from django.urls import resolve; print(resolve('/epay-simulator/decide'))"
    )
    assert "Resolver404" in urls.stderr


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"MEDIA_STORAGE": "s3"}, "MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME"),
        ({"MEDIA_STORAGE": "ftp"}, "MEDIA_STORAGE must be 'local' or 's3'"),
        ({"DJANGO_ALLOWED_HOSTS": ""}, "DJANGO_ALLOWED_HOSTS"),
    ],
)
def test_a_missing_or_wrong_value_stops_the_start_with_a_message(environ, message):
    result = run("import django; django.setup()", **environ)
    assert result.returncode != 0
    assert message in result.stderr
