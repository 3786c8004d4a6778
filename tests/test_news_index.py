"""The news list: its own language only, newest first, ten a page, and no error for any page number."""

import pytest
import wagtail_factories
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from news.models import NewsArticlePage, NewsIndexPage
from tests.factories import NewsArticlePageFactory
from tests.helpers import MINISTER, MINISTER_TITLE, UNICEF_TITLE, VISIT, page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def kk_news():
    return NewsIndexPage.objects.get(locale__language_code="kk")


def add_articles(parent, count, **kwargs):
    return [NewsArticlePageFactory(parent=parent, **kwargs) for _ in range(count)]


def titles_on(client, url) -> str:
    return page_text(client.get(url))


def test_lists_only_live_articles_of_its_own_language(client):
    text = titles_on(client, "/ru/news/")
    assert "Визит главного внештатного гематолога" in text
    assert "Visit of the Chief Consulting Hematologist" not in text
    assert "Minister of Health" not in text


def test_drafts_are_not_listed(client, kk_news):
    NewsArticlePageFactory(parent=kk_news, title="Жарияланбаған жоба", live=False)
    assert "Жарияланбаған жоба" not in titles_on(client, "/kk/news/")


def test_newest_first_ten_per_page(client, kk_news):
    add_articles(kk_news, 23)  # Мақала N is N days old
    page1 = client.get("/kk/news/")
    articles = page1.context["articles"]
    assert len(articles) == 10
    dates = [article.date for article in articles]
    assert dates == sorted(dates, reverse=True)
    with translation.override("kk"):
        position = translation.gettext("Page %(number)s of %(total)s") % {"number": 1, "total": 3}
    assert position in page_text(page1)
    assert len(client.get("/kk/news/?page=3").context["articles"]) == 3


@pytest.mark.parametrize(
    ("query", "expected_page"),
    [("abc", 1), ("9999", 3), ("-1", 3), ("0", 3), ("", 1), ("2.5", 1), ("%00", 1), ("1e9", 1)],
)
def test_strange_page_numbers_show_a_real_page(client, kk_news, query, expected_page):
    add_articles(kk_news, 23)
    response = client.get(f"/kk/news/?page={query}")
    assert response.status_code == 200
    assert response.context["articles"].number == expected_page
    assert "Мақала" in page_text(response)


def test_the_number_of_queries_does_not_grow_with_the_number_of_articles(client, kk_news, settings):
    settings.PAGE_CACHE_SECONDS = 0  # count the rendering, not the whole-page cache (core.page_cache)
    cover = wagtail_factories.ImageFactory()

    def queries_for(count):
        NewsArticlePage.objects.child_of(kk_news).delete()
        add_articles(kk_news, count, cover_image=cover)
        client.get("/kk/news/")  # warm the caches that last across requests
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/kk/news/").status_code == 200
        return len(queries)

    assert queries_for(5) == queries_for(50) <= 12


def test_previous_and_next_article_stay_in_the_language(client):
    # English news, newest first: the UNICEF text (dated by its file, so today), the minister (2025), the visit (2022).
    text = page_text(client.get(f"/en/news/{MINISTER}/"))
    assert UNICEF_TITLE in text and "Visit of the Chief Consulting Hematologist" in text
    text = page_text(client.get(f"/en/news/{VISIT}/"))
    assert MINISTER_TITLE in text
    assert "Previous article" not in text  # the oldest
    text = page_text(client.get(f"/ru/news/{VISIT}/"))
    assert "Previous article" not in text and "Next article" not in text  # the only Russian article
