"""Whole pages for anonymous visitors come from the cache, change the moment an editor publishes, and are never
kept for signed-in editors, the admin or restricted pages (core.page_cache, core.cache)."""

import re

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from news.models import NewsArticlePage
from tests.helpers import MINISTER, VISIT, page_text

pytestmark = pytest.mark.django_db

ARTICLE = f"/en/news/{MINISTER}/"
PUBLIC = "public, max-age=60, s-maxage=300, stale-while-revalidate=60"


def english_minister_article() -> NewsArticlePage:
    return NewsArticlePage.objects.get(slug=MINISTER, locale__language_code="en")


def publish_title(page: Page, title: str) -> None:
    page = page.specific
    page.title = title
    page.save_revision().publish()


def nonce_in_body(response) -> str:
    match = re.search(r'nonce="([^"]+)"', response.content.decode())
    return match.group(1) if match else ""


def test_the_second_visit_is_served_from_the_cache_with_one_query(client):
    first = client.get(ARTICLE)
    assert first["X-Cache"] == "MISS"
    with CaptureQueriesContext(connection) as queries:
        second = client.get(ARTICLE)
    assert second["X-Cache"] == "HIT"
    assert len(queries) == 1  # the content generation (tests/test_a_publish_is_never_followed_by_an_older_copy.py)
    assert page_text(second) == page_text(first)
    assert "Minister of Health visited Hematology" in page_text(second)
    assert second["Cache-Control"] == first["Cache-Control"] == PUBLIC
    assert second["Content-Language"] == "en"


def test_a_cached_page_carries_a_fresh_nonce_that_matches_its_policy(client):
    first = client.get(ARTICLE)
    second = client.get(ARTICLE)
    assert second["X-Cache"] == "HIT"
    assert nonce_in_body(second) and nonce_in_body(second) != nonce_in_body(first)
    assert f"'nonce-{nonce_in_body(second)}'" in second["Content-Security-Policy"]


def test_each_language_and_query_string_is_a_page_of_its_own(client):
    assert "Новости" in page_text(client.get("/ru/news/"))
    assert "News" in page_text(client.get("/en/news/"))
    assert client.get("/en/news/")["X-Cache"] == "HIT"
    assert client.get("/en/news/?page=1")["X-Cache"] == "MISS"
    assert client.get("/kk/news/")["X-Cache"] == "MISS"
    assert "Жаңалықтар" in page_text(client.get("/kk/news/"))


def test_publishing_changes_the_article_its_index_and_the_home_page_at_once(client):
    for url in (ARTICLE, "/en/news/", "/en/"):
        client.get(url)
        assert client.get(url)["X-Cache"] == "HIT"

    publish_title(english_minister_article(), "Minister of Health opened the new laboratory")

    for url in (ARTICLE, "/en/news/", "/en/"):
        response = client.get(url)
        assert response["X-Cache"] == "MISS", url
        assert "Minister of Health opened the new laboratory" in page_text(response), url


def test_an_unpublished_page_disappears_at_once(client):
    client.get(ARTICLE)
    english_minister_article().unpublish()
    assert client.get(ARTICLE).status_code == 404
    assert "Minister of Health" not in page_text(client.get("/en/news/"))


def test_publishing_a_translation_updates_the_language_switcher_of_the_other_languages(client):
    en_article = NewsArticlePage.objects.get(slug=VISIT, locale__language_code="en")
    en_article.unpublish()
    ru_url = f"/ru/news/{VISIT}/"
    assert f'href="/en/news/{VISIT}/"' not in client.get(ru_url).content.decode()
    assert client.get(ru_url)["X-Cache"] == "HIT"

    en_article.save_revision().publish()
    response = client.get(ru_url)
    assert response["X-Cache"] == "MISS"
    assert f'href="/en/news/{VISIT}/"' in response.content.decode()


def test_moving_and_deleting_retire_cached_pages(client):
    about = Page.objects.get(slug="about", locale__language_code="en")
    client.get("/en/about/")
    assert client.get("/en/about/")["X-Cache"] == "HIT"
    about.delete()
    assert client.get("/en/about/").status_code == 404


def test_signed_in_editors_are_never_served_or_stored(client, client_for):
    anonymous = Client()
    anonymous.get(ARTICLE)  # cached for anonymous visitors
    editor = client_for("Editors")
    response = editor.get(ARTICLE)
    assert "X-Cache" not in response
    assert response["Cache-Control"] == "private, no-store"
    # What the editor saw (with the user bar) is not what the next visitor gets.
    assert anonymous.get(ARTICLE)["X-Cache"] == "HIT"
    assert "wagtail-userbar" not in anonymous.get(ARTICLE).content.decode()


def test_the_admin_and_previews_are_private(client_for):
    editor = client_for("Editors")
    article = english_minister_article()
    assert editor.get("/admin/")["Cache-Control"] == "private, no-store"
    preview = editor.get(f"/admin/pages/{article.pk}/edit/preview/")
    assert preview["Cache-Control"] == "private, no-store"


def test_a_password_protected_page_is_private_and_never_cached(client):
    article = english_minister_article()
    PageViewRestriction.objects.create(page=article, restriction_type="password", password="clinic")
    response = client.get(ARTICLE)
    assert response["Cache-Control"] == "private, no-store"
    assert "Minister of Health visited" not in page_text(response)
    assert "X-Cache" not in client.get(ARTICLE)


def test_health_endpoints_and_documents_are_not_cached(client):
    assert "no-cache" in client.get("/healthz")["Cache-Control"]
    assert "X-Cache" not in client.get("/healthz")


@override_settings(PAGE_CACHE_SECONDS=0)
def test_the_cache_can_be_turned_off_and_pages_stay_public(client):
    client.get(ARTICLE)
    response = client.get(ARTICLE)
    assert "X-Cache" not in response
    assert response["Cache-Control"] == PUBLIC


UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
    }
}


@override_settings(CACHES=UNREACHABLE_REDIS)
def test_with_redis_down_pages_are_still_served_uncached(client):
    for _ in range(2):
        response = client.get(ARTICLE)
        assert response.status_code == 200
        assert "Minister of Health visited Hematology" in page_text(response)
        assert response["X-Cache"] == "MISS"
    assert "Жаңалықтар" in page_text(client.get("/kk/news/"))
    # Still ready for visitors (a 503 would take every app server out of the balancer), but monitoring sees it.
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "degraded"
    assert ready.json()["cache"].startswith("error")


@override_settings(CACHES=UNREACHABLE_REDIS)
def test_with_redis_down_editors_still_publish_and_visitors_see_it(client):
    publish_title(english_minister_article(), "Minister of Health opened the new laboratory")
    response = client.get(ARTICLE)
    assert response.status_code == 200
    assert "Minister of Health opened the new laboratory" in page_text(response)
