"""A publish is never followed by an older copy from the cache, whatever happened to Redis meanwhile: paused or
unreachable while the editor published, or restarted from an older snapshot (core.cache, core.page_cache)."""

from contextlib import contextmanager

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from news.models import NewsArticlePage
from tests.helpers import MINISTER, MINISTER_TITLE, page_text

pytestmark = pytest.mark.django_db

ARTICLE = f"/en/news/{MINISTER}/"
NEW_TITLE = "Minister of Health opened the new laboratory"


def publish_new_title() -> None:
    article = NewsArticlePage.objects.get(slug=MINISTER, locale__language_code="en")
    article.title = NEW_TITLE
    article.save_revision().publish()


def cached_article(client) -> None:
    client.get(ARTICLE)
    response = client.get(ARTICLE)
    assert response["X-Cache"] == "HIT" and MINISTER_TITLE in page_text(response)


@contextmanager
def cache_unreachable(how: str = "ignored"):
    """Every call to the cache fails, as when Redis is paused or its connection times out: it raises, or (how
    django-redis answers with IGNORE_EXCEPTIONS, as in production) it answers as if nothing were kept."""

    def fail(name):
        def call(*args, **kwargs):
            if how == "raised":
                raise ConnectionError("Error 110 connecting to 127.0.0.1:6379. Connection timed out.")
            if name == "get":
                return kwargs.get("default", args[1] if len(args) > 1 else None)
            return {} if name == "get_many" else None

        return call

    backend = caches["default"]
    with pytest.MonkeyPatch.context() as patch:
        for name in ("get", "get_many", "set", "set_many", "add", "incr", "decr", "delete", "delete_many", "touch"):
            patch.setattr(backend, name, fail(name))
        yield


@pytest.mark.parametrize("how", ["ignored", "raised"])
def test_a_publish_made_while_the_cache_fails_shows_once_it_is_back(client, how):
    cached_article(client)
    with cache_unreachable(how):
        publish_new_title()
    response = client.get(ARTICLE)
    assert response.status_code == 200
    assert NEW_TITLE in page_text(response) and MINISTER_TITLE not in page_text(response)
    assert response["X-Cache"] == "MISS"


def test_a_cache_restored_from_an_older_snapshot_serves_no_old_copy(client):
    cached_article(client)
    backend = caches["default"]
    snapshot = dict(backend._cache), dict(backend._expire_info)  # what Redis saved to disk before the publish
    publish_new_title()
    assert NEW_TITLE in page_text(client.get(ARTICLE))

    backend._cache.clear()  # Redis restarts and loads that older snapshot
    backend._expire_info.clear()
    backend._cache.update(snapshot[0])
    backend._expire_info.update(snapshot[1])

    for url in (ARTICLE, "/en/news/", "/en/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert NEW_TITLE in page_text(response) and MINISTER_TITLE not in page_text(response), url


def test_pages_are_cached_again_once_the_cache_is_back(client):
    with cache_unreachable():  # as production answers (django-redis IGNORE_EXCEPTIONS)
        publish_new_title()
        assert NEW_TITLE in page_text(client.get(ARTICLE))
    assert client.get(ARTICLE)["X-Cache"] == "MISS"
    response = client.get(ARTICLE)
    assert response["X-Cache"] == "HIT" and NEW_TITLE in page_text(response)


def test_a_cached_page_costs_one_query_the_content_version(client):
    cached_article(client)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(ARTICLE)
    assert response["X-Cache"] == "HIT" and MINISTER_TITLE in page_text(response)
    assert len(queries) == 1 and "core_contentversion" in queries[0]["sql"]


def test_the_generation_never_goes_back_not_even_after_restoring_an_older_database():
    from core.cache import bump_generation, generation
    from core.models import ContentVersion

    before = generation()
    ContentVersion.objects.filter(pk=1).update(version=1)  # the row as an older backup holds it
    bump_generation()  # what a restore does
    assert generation() > before
    ContentVersion.objects.filter(pk=1).update(version=before + 10**12)  # an app server's clock ahead
    bump_generation()
    assert generation() == before + 10**12 + 1
