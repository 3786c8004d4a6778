"""Every page costs a small, constant number of SQL queries: at most twelve, whatever the number of articles or the
size of a gallery, in every language.

Each URL is fetched twice and the second request counted: the first fills what lasts across requests (the menu, the
branches, the locales and the restricted sections in core.cache, Wagtail's site root paths and renditions). The
whole-page cache (core.page_cache) is switched off, so that every counted page is really rendered."""

import pytest
import wagtail_factories
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from about.models import AboutPage
from news.models import NewsIndexPage
from tests.factories import NewsArticlePageFactory
from tests.helpers import MINISTER, MINISTER_TITLE, VISIT, page_text

pytestmark = pytest.mark.django_db

MAX_QUERIES = 12


@pytest.fixture(autouse=True)
def _render_every_request(settings):
    settings.PAGE_CACHE_SECONDS = 0


def counted_get(client, url):
    """(response, number of queries) of the second GET of `url`."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return response, len(queries)


@pytest.mark.parametrize(
    ("url", "text"),
    [
        ("/kk/", "Қан ауруларымен ауыратын пациенттерге"),
        ("/ru/", "Центр гематологии"),
        ("/kk/news/", "Жаңалықтар"),
        ("/en/news/", MINISTER_TITLE),
        (f"/en/news/{MINISTER}/", MINISTER_TITLE),
        (f"/ru/news/{VISIT}/", "Визит главного внештатного гематолога"),
        ("/kk/about/", "Орталық туралы"),
        ("/ru/about/", "О центре"),
        ("/kk/about/astana/", "Астана филиалы"),
        ("/en/about/ust-kamenogorsk/", "Ust-Kamenogorsk branch"),
        ("/kk/search/?q=қан", "Іздеу"),
        ("/ru/search/?q=гематолог", "Поиск"),
    ],
)
def test_a_page_costs_at_most_twelve_queries(client, url, text):
    response, queries = counted_get(client, url)
    assert text in page_text(response)
    assert queries <= MAX_QUERIES


def gallery_article(parent, slug, images, cover):
    gallery = {
        "title": "Суреттер",
        "images": [{"image": image, "alt_text": f"Сурет {n}", "caption": ""} for n, image in enumerate(images, 1)],
    }
    return NewsArticlePageFactory(
        parent=parent, slug=slug, title=f"Галерея {len(images)}", cover_image=cover, body=[("gallery", gallery)]
    )


@pytest.fixture
def two_and_twelve_photos():
    """Two Kazakh articles with a cover and a gallery: /kk/news/two-photos/ and /kk/news/twelve-photos/."""
    kk_news = NewsIndexPage.objects.get(locale__language_code="kk")
    images = [wagtail_factories.ImageFactory(title=f"Сурет {n}") for n in range(12)]
    cover = wagtail_factories.ImageFactory(title="Мұқаба")
    gallery_article(kk_news, "two-photos", images[:2], cover)
    gallery_article(kk_news, "twelve-photos", images, cover)


def test_an_article_costs_the_same_with_a_gallery_of_2_or_12_photos(client, two_and_twelve_photos):
    small_page, small_queries = counted_get(client, "/kk/news/two-photos/")
    large_page, large_queries = counted_get(client, "/kk/news/twelve-photos/")

    assert "Галерея 2" in page_text(small_page) and small_page.content.decode().count('class="gallery__slide"') == 2
    assert "Галерея 12" in page_text(large_page) and large_page.content.decode().count('class="gallery__slide"') == 12
    assert small_queries == large_queries <= MAX_QUERIES


def test_the_cached_lists_keep_a_restricted_section_private(client):
    """The menu, the branches and the restriction check come from the cache: a new restriction still hides the
    section at once, from the menu, the footer and its own URLs."""
    client.get("/kk/")  # the caches are filled before the restriction exists
    about = AboutPage.objects.get(locale__language_code="kk", slug="about")
    PageViewRestriction.objects.create(page=about, restriction_type=PageViewRestriction.LOGIN)

    home = client.get("/kk/").content.decode()
    assert 'href="/kk/about/"' not in home and 'href="/kk/about/astana/"' not in home
    for url in ("/kk/about/", "/kk/about/astana/"):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


def first_get(client, url):
    """(response, number of queries) of a GET with every cache empty, as after a publish."""
    from django.core.cache import cache

    from core.cache import forget_memo

    cache.clear()
    forget_memo()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return response, len(queries)


def test_even_a_first_render_costs_the_same_with_a_gallery_of_2_or_12_photos(client, two_and_twelve_photos):
    client.get("/kk/news/two-photos/")  # Wagtail's own once-per-process lookups (content types)

    small_page, small_queries = first_get(client, "/kk/news/two-photos/")
    large_page, large_queries = first_get(client, "/kk/news/twelve-photos/")

    assert large_page.content.decode().count('class="gallery__slide"') == 12
    assert small_queries == large_queries
