"""What search engines and link previews read, in three languages: hreflang, canonical, Open Graph, JSON-LD,
sitemaps, robots.txt and the news feeds."""

import json
import re
import xml.etree.ElementTree as ET

import pytest

from news.models import NewsArticlePage, NewsIndexPage
from tests.factories import NewsArticlePageFactory
from tests.helpers import MINISTER, VISIT

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
ATOM = "{http://www.w3.org/2005/Atom}"


def head_links(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', html))


def meta(html: str, prop: str) -> list[str]:
    return re.findall(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)"', html)


def json_ld(html: str) -> list[dict]:
    data = json.loads(
        re.search(r'<script type="application/ld\+json" nonce="[^"]+">(.*?)</script>', html, re.S).group(1)
    )
    assert data["@context"] == "https://schema.org"
    return data["@graph"]


def test_a_translated_page_lists_each_translation_and_a_default(client):
    html = client.get(f"/ru/news/{VISIT}/").content.decode()
    links = head_links(html)
    assert links["ru"] == f"http://testserver/ru/news/{VISIT}/"
    assert links["en"] == f"http://testserver/en/news/{VISIT}/"
    assert "kk" not in links  # no Kazakh translation: no hreflang for it
    assert links["x-default"] == links["ru"]
    assert f'<link rel="canonical" href="http://testserver/ru/news/{VISIT}/">' in html


def test_the_kazakh_version_is_the_default_when_there_is_one(client):
    links = head_links(client.get("/en/about/").content.decode())
    assert set(links) == {"kk", "ru", "en", "x-default"}
    assert links["x-default"] == "http://testserver/kk/about/"


def test_an_untranslated_page_has_only_itself(client):
    html = client.get(f"/en/news/{MINISTER}/").content.decode()
    assert set(head_links(html)) == {"en", "x-default"}


def test_open_graph_and_twitter_cards(client):
    html = client.get(f"/en/news/{MINISTER}/").content.decode()
    assert meta(html, "og:locale") == ["en_US"]
    assert meta(html, "og:type") == ["article"]
    assert meta(html, "og:title")[0].startswith("Minister of Health")
    assert "Akmaral Sharipbaevna Alnazarova" in meta(html, "og:description")[0]
    assert meta(html, "og:image")[0].startswith("http://testserver/media/images/")  # the first gallery photo
    assert meta(html, "twitter:card") == ["summary_large_image"]
    ru = client.get(f"/ru/news/{VISIT}/").content.decode()
    assert meta(ru, "og:locale") == ["ru_RU"] and meta(ru, "og:locale:alternate") == ["en_US"]


def test_json_ld_describes_the_clinic_the_article_and_the_breadcrumbs(client):
    graph = json_ld(client.get(f"/ru/news/{VISIT}/").content.decode())
    by_type = {item["@type"]: item for item in graph}
    clinic = by_type["MedicalOrganization"]
    assert clinic["name"] == "Центр гематологии"
    assert set(clinic["alternateName"]) == {"Гематология орталығы", "Центр гематологии", "Hematology Center"}
    assert [branch["address"]["addressLocality"] for branch in clinic["subOrganization"]] == [
        "Астана",
        "Караганда",
        "Усть-Каменогорск",
    ]
    assert all(branch["telephone"] and branch["openingHours"] for branch in clinic["subOrganization"])
    article = by_type["NewsArticle"]
    assert article["headline"] == "Визит главного внештатного гематолога"
    assert article["datePublished"].startswith("2022-04-12") and article["inLanguage"] == "ru"
    assert article["publisher"]["logo"]["url"]
    crumbs = by_type["BreadcrumbList"]["itemListElement"]
    assert [crumb["position"] for crumb in crumbs] == [1, 2, 3]
    assert crumbs[-1]["item"] == f"http://testserver/ru/news/{VISIT}/"


def test_json_ld_cannot_be_closed_by_page_text(client):
    news = NewsIndexPage.objects.get(locale__language_code="en")
    NewsArticlePageFactory(parent=news, title="</script><script>alert(1)</script>", slug="evil")
    html = client.get("/en/news/evil/").content.decode()
    assert "<script>alert(1)" not in html
    assert json_ld(html)  # still valid JSON


def test_the_sitemap_index_lists_one_sitemap_per_language(client):
    response = client.get("/sitemap.xml")
    assert response["Content-Type"].startswith("application/xml")
    locations = [loc.text for loc in ET.fromstring(response.content).iter(f"{SITEMAP}loc")]
    assert locations == [f"http://testserver/{code}/sitemap.xml" for code in ("kk", "ru", "en")]


def test_each_sitemap_holds_its_language_with_alternates(client):
    root = ET.fromstring(client.get("/ru/sitemap.xml").content)
    urls = {url.find(f"{SITEMAP}loc").text: url for url in root.iter(f"{SITEMAP}url")}
    assert all(location.startswith("http://testserver/ru/") for location in urls)
    assert f"http://testserver/ru/news/{VISIT}/" in urls
    assert not any(MINISTER in location for location in urls)  # English only
    alternates = {
        link.get("hreflang"): link.get("href") for link in urls["http://testserver/ru/about/"].iter(f"{XHTML}link")
    }
    assert alternates == {
        "kk": "http://testserver/kk/about/",
        "ru": "http://testserver/ru/about/",
        "en": "http://testserver/en/about/",
    }


def test_drafts_are_in_no_sitemap(client):
    news = NewsIndexPage.objects.get(locale__language_code="en")
    NewsArticlePageFactory(parent=news, slug="secret-draft", live=False)
    assert b"secret-draft" not in client.get("/en/sitemap.xml").content


def test_robots_txt_points_to_the_sitemap(client):
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text and "Disallow: /admin/" in text


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_rss_feed_of_each_language(client, language):
    response = client.get(f"/{language}/news/feed/")
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    assert channel.find("language").text == language
    links = [item.find("link").text for item in channel.iter("item")]
    expected = NewsArticlePage.objects.live().filter(locale__language_code=language).count()
    assert len(links) == expected
    assert all(link.startswith(f"http://testserver/{language}/news/") for link in links)


def test_atom_feed_has_summaries_newest_first_and_at_most_twenty(client):
    news = NewsIndexPage.objects.get(locale__language_code="ru")
    for n in range(25):
        NewsArticlePageFactory(parent=news, title=f"Новость {n}", summary=f"Кратко {n}")
    response = client.get("/ru/news/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    entries = ET.fromstring(response.content).findall(f"{ATOM}entry")
    assert len(entries) == 20
    assert entries[0].find(f"{ATOM}title").text == "Новость 0"  # the newest
    assert entries[0].find(f"{ATOM}summary").text == "Кратко 0"


def test_feeds_are_cached_per_language_and_refreshed_on_publish(client):
    english = client.get("/en/news/feed/").content
    russian = client.get("/ru/news/feed/").content
    assert english != russian  # one language's cached feed is never served for another
    news = NewsIndexPage.objects.get(locale__language_code="en")
    article = NewsArticlePageFactory(parent=news, title="Fresh news", slug="fresh", live=False)
    article.save_revision().publish()
    assert b"Fresh news" in client.get("/en/news/feed/").content
    assert b"Fresh news" not in client.get("/ru/news/feed/").content
    article.refresh_from_db()
    article.unpublish()
    assert b"Fresh news" not in client.get("/en/news/feed/").content
