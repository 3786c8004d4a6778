"""Security headers on every response, a strict policy on the public site and a separate one for the admin, and
the health endpoints."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("visit", ["rendered", "from the page cache"])
def test_public_pages_carry_every_security_header(client, settings, visit):
    settings.SECURE_HSTS_SECONDS = 31_536_000  # as production.py, over HTTPS
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/kk/", secure=True)
    if visit == "from the page cache":
        response = client.get("/kk/", secure=True)
        assert response["X-Cache"] == "HIT"
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy


def test_the_only_inline_script_carries_the_nonce_of_its_response(client):
    response = client.get("/en/about/")
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", response.content.decode())
    assert scripts == [f'<script type="application/ld+json" nonce="{nonce}">']
    assert nonce not in client.get("/en/about/")["Content-Security-Policy"]  # a new one each time


def test_the_admin_has_its_own_policy(client):
    response = client.get("/admin/login/")
    assert "'unsafe-inline'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"  # the page preview is a frame of the admin


def test_healthz_needs_nothing(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("healthz touched the database")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_readyz_checks_the_database_and_the_cache(client, monkeypatch):
    assert client.get("/readyz").json() == {"status": "ok", "database": "ok", "cache": "ok"}

    def down(*args, **kwargs):
        raise ConnectionError("database down")

    monkeypatch.setattr(connection, "cursor", down)
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["database"] == "error: ConnectionError"


def test_production_settings_pass_the_deploy_check():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "hematology.example",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        # The booking's: a real bank (booking.W001), a real sender and staff to tell (booking.W002, W003).
        "EPAY_MODE": "production",
        "EPAY_CLIENT_ID": "clinic",
        "EPAY_CLIENT_SECRET": "secret",
        "EPAY_TERMINAL_ID": "00000000-0000-4000-8000-000000000001",
        "DEFAULT_FROM_EMAIL": "site@hematology.example",
        "BOOKING_STAFF_EMAILS": "registry@hematology.example",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production", "DJANGO_SECRET_KEY": ""}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr
