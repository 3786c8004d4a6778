"""The language switcher leads to this page in each language, or, where it is not translated, to the nearest
section that is, and says so."""

import re

import pytest

from news.models import NewsIndexPage

pytestmark = pytest.mark.django_db


def switcher_links(response) -> dict[str, tuple[str, bool]]:
    """{language: (url, is_fallback)} as the switcher shows them."""
    nav = re.search(r'<nav class="lang-switcher".*?</nav>', response.content.decode(), re.S).group(0)
    links = {}
    for attrs in re.findall(r"<a ([^>]*)>", nav):
        code = re.search(r'hreflang="([^"]+)"', attrs).group(1)
        url = re.search(r'href="([^"]+)"', attrs).group(1)
        links[code] = (url, "is-fallback" in attrs)
    return links


def test_translated_article_links_to_each_translation(client):
    links = switcher_links(client.get("/ru/news/2022-04-12-visit-chief-consulting-hematologist/"))
    assert links["ru"] == ("/ru/news/2022-04-12-visit-chief-consulting-hematologist/", False)
    assert links["en"] == ("/en/news/2022-04-12-visit-chief-consulting-hematologist/", False)
    # No Kazakh version: the Kazakh news index, marked.
    assert links["kk"] == ("/kk/news/", True)


def test_the_fallback_link_is_explained_to_screen_readers(client):
    html = client.get("/en/news/minister-of-health-visited-hematology-senter-in-astana/").content.decode()
    nav = re.search(r'<nav class="lang-switcher".*?</nav>', html, re.S).group(0)
    # Said in the language of the link, since that is the visitor who will follow it.
    assert nav.count('class="visually-hidden"') == 2


def test_english_only_article_falls_back_to_the_news_index_of_other_languages(client):
    links = switcher_links(client.get("/en/news/minister-of-health-visited-hematology-senter-in-astana/"))
    assert links["en"] == ("/en/news/minister-of-health-visited-hematology-senter-in-astana/", False)
    assert links["kk"] == ("/kk/news/", True)
    assert links["ru"] == ("/ru/news/", True)


def test_fallback_skips_an_unpublished_ancestor_and_reaches_the_home_page(client):
    NewsIndexPage.objects.get(locale__language_code="ru").unpublish()
    links = switcher_links(client.get("/en/news/minister-of-health-visited-hematology-senter-in-astana/"))
    assert links["ru"] == ("/ru/", True)


def test_every_page_of_the_home_tree_links_to_its_translations(client):
    links = switcher_links(client.get("/kk/about/karaganda/"))
    assert links == {
        "kk": ("/kk/about/karaganda/", False),
        "ru": ("/ru/about/karaganda/", False),
        "en": ("/en/about/karaganda/", False),
    }


def test_slugs_are_the_same_in_every_language(client):
    from wagtail.models import Page

    for page in Page.objects.filter(depth__gt=2):
        for translation in page.get_translations():
            assert translation.slug == page.slug


def test_search_page_switches_language_and_keeps_the_query(client):
    links = switcher_links(client.get("/kk/search/?q=гематология"))
    assert links["ru"][0].startswith("/ru/search/?q=")
    assert links["en"][0].startswith("/en/search/?q=")
