"""Site search (the full version is its own issue): the visitor's language only, and no error on odd input."""

import pytest

from tests.helpers import MINISTER_TITLE, page_text

pytestmark = pytest.mark.django_db


def results(client, url):
    response = client.get(url)
    assert response.status_code == 200
    page = response.context["search_results"]
    return [result.title for result in page] if page else []


def test_finds_pages_of_the_active_language_only(client):
    assert "Визит главного внештатного гематолога" in results(client, "/ru/search/?q=Кемайкин")
    assert results(client, "/kk/search/?q=Кемайкин") == []
    assert results(client, "/en/search/?q=Кемайкин") == []


def test_finds_english_news_in_english(client):
    assert MINISTER_TITLE in results(client, "/en/search/?q=Alnazarova")


@pytest.mark.parametrize(
    "query",
    ["", "%20%20", "x" * 10000, "%25", "' OR 1=1 --", "🩸", "лейкоз leukemia", "\x00"],
)
def test_odd_queries_never_fail(client, query):
    response = client.get(f"/en/search/?q={query}&page=abc")
    assert response.status_code == 200
    assert "Search" in page_text(response)


def test_nothing_found_says_so(client):
    assert "Nothing was found" in page_text(client.get("/en/search/?q=zzzzqqq"))
