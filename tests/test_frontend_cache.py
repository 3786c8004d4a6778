"""The CDN or caching proxy in front of the site is purged on publish: the page in every language, and the pages
that list it (core.frontend_cache); its backend comes from the environment (config/settings/base.py)."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from wagtail.contrib.frontend_cache.backends import BaseBackend
from wagtail.models import Site

from config.settings.base import frontend_cache_from_environment
from news.models import NewsArticlePage
from tests.helpers import MINISTER

PURGED: list[str] = []


class RecordingBackend(BaseBackend):
    def __init__(self, params):
        super().__init__(params)

    def purge(self, url):
        PURGED.append(url)


@pytest.fixture
def purged():
    PURGED.clear()
    with override_settings(
        WAGTAILFRONTENDCACHE={"test": {"BACKEND": "tests.test_frontend_cache.RecordingBackend"}},
        WAGTAILFRONTENDCACHE_LANGUAGES=["kk", "ru", "en"],
    ):
        yield PURGED


@pytest.mark.django_db
def test_publishing_an_article_purges_it_in_every_language_and_every_page_listing_it(purged):
    article = NewsArticlePage.objects.get(slug=MINISTER, locale__language_code="en")
    article.title = "Minister of Health opened the new laboratory"
    article.save_revision().publish()
    root = Site.objects.get(is_default_site=True).root_url
    for language in ("kk", "ru", "en"):
        assert f"{root}/{language}/news/{MINISTER}/" in purged
        assert f"{root}/{language}/news/" in purged
        assert f"{root}/{language}/news/feed/" in purged
        assert f"{root}/{language}/news/atom/" in purged
        assert f"{root}/{language}/" in purged
        assert f"{root}/{language}/sitemap.xml" in purged
    assert f"{root}/sitemap.xml" in purged


@pytest.mark.django_db
def test_unpublishing_and_moving_purge_the_old_address(purged):
    article = NewsArticlePage.objects.get(slug=MINISTER, locale__language_code="en")
    root = Site.objects.get(is_default_site=True).root_url
    article.unpublish()
    assert f"{root}/en/news/{MINISTER}/" in purged

    purged.clear()
    about = article.get_parent().get_parent().get_children().get(slug="about")
    article.move(about, pos="last-child")
    assert f"{root}/en/news/{MINISTER}/" in purged
    assert f"{root}/en/about/{MINISTER}/" in purged


@pytest.mark.django_db
def test_nothing_is_purged_without_a_front_end_cache(settings):
    PURGED.clear()
    settings.WAGTAILFRONTENDCACHE = {}
    NewsArticlePage.objects.get(slug=MINISTER, locale__language_code="en").save_revision().publish()
    assert PURGED == []


@pytest.mark.parametrize(
    ("environ", "backend"),
    [
        ({}, None),
        ({"FRONTEND_CACHE_BACKEND": "none"}, None),
        (
            {"FRONTEND_CACHE_BACKEND": "cloudflare", "CLOUDFLARE_BEARER_TOKEN": "t", "CLOUDFLARE_ZONEID": "z"},
            "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        ),
        (
            {"FRONTEND_CACHE_BACKEND": "cloudfront", "CLOUDFRONT_DISTRIBUTION_ID": "E123"},
            "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
        ),
        (
            {"FRONTEND_CACHE_BACKEND": "http", "FRONTEND_CACHE_PURGE_URL": "http://127.0.0.1:8080"},
            "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        ),
    ],
)
def test_the_backend_comes_from_the_environment(environ, backend):
    config = frontend_cache_from_environment(environ)
    assert [value["BACKEND"] for value in config.values()] == ([backend] if backend else [])


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"FRONTEND_CACHE_BACKEND": "cloudflare"}, "CLOUDFLARE_BEARER_TOKEN, CLOUDFLARE_ZONEID"),
        ({"FRONTEND_CACHE_BACKEND": "varnish"}, "must be none, cloudflare, cloudfront or http"),
    ],
)
def test_a_half_configured_backend_stops_the_start_with_a_message(environ, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        frontend_cache_from_environment(environ)
