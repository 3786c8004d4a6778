"""Site search in Kazakh, Russian and English: the visitor's language only, every word form, safe with any input."""

import re

import pytest
from django.core.files.base import ContentFile
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.documents import get_document_model

from about.models import AboutPage
from news.models import NewsArticlePage, NewsIndexPage
from search.stemming import stem
from tests.factories import NewsArticlePageFactory
from tests.helpers import MINISTER_TITLE, page_text

pytestmark = pytest.mark.django_db


def titles(client, url) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    results = response.context["search_results"]
    return [entry.title for entry in results] if results else []


def article(language: str, title: str, summary: str) -> NewsArticlePage:
    news = NewsIndexPage.objects.get(locale__language_code=language)
    page = NewsArticlePageFactory(parent=news, title=title, summary=summary, live=False)
    page.save_revision().publish()
    return page


def test_finds_pages_of_the_active_language_only(client):
    assert "Визит главного внештатного гематолога" in titles(client, "/ru/search/?q=Кемайкин")
    assert titles(client, "/kk/search/?q=Кемайкин") == []
    assert titles(client, "/en/search/?q=Кемайкин") == []


def test_finds_english_news_in_english(client):
    assert MINISTER_TITLE in titles(client, "/en/search/?q=Alnazarova")


@pytest.mark.parametrize("form", ["лейкоз", "лейкоза", "лейкозом", "лейкозы", "Лейкозе"])
def test_every_russian_form_finds_the_page(client, form):
    article("ru", "Школа пациентов", "Занятие о лечении хронического лейкоза для пациентов и родственников.")
    assert "Школа пациентов" in titles(client, f"/ru/search/?q={form}")


@pytest.mark.parametrize("form", ["дәрігер", "дәрігерлер", "дәрігерге", "дәрігерлерге", "дәрігердің"])
def test_every_kazakh_form_finds_the_page(client, form):
    article("kk", "Пациенттер мектебі", "Дәрігерлеріміз науқастарға қан аурулары туралы айтады.")
    assert "Пациенттер мектебі" in titles(client, f"/kk/search/?q={form}")


@pytest.mark.parametrize("form", ["leukemia", "leukemias", "Leukemia's"])
def test_every_english_form_finds_the_page(client, form):
    article("en", "Patient school", "A lesson on chronic leukemias for patients and families.")
    assert "Patient school" in titles(client, f"/en/search/?q={form}")


def test_kazakh_stems_join_the_forms_of_a_word():
    assert {stem(w, "kk") for w in ["дәрігер", "дәрігерлер", "дәрігерге", "дәрігерлерге"]} == {"дәрігер"}
    assert {stem(w, "kk") for w in ["мектеп", "мектебі", "мектепке"]} == {"мектеп"}
    assert stem("қанның", "kk") == "қан"


def test_results_show_type_date_and_the_matched_words_highlighted(client):
    article("ru", "Школа пациентов", "Занятие о лечении хронического лейкоза для пациентов.")
    html = client.get("/ru/search/?q=лейкозом").content.decode()
    assert "<mark>лейкоза</mark>" in html
    assert re.search(r'search-result__type">Новость · <time', html)
    assert "1 результат" in page_text(client.get("/ru/search/?q=лейкозом"))


def test_a_title_match_ranks_above_a_text_match(client):
    article("en", "Anemia in pregnancy", "Advice for expectant mothers.")
    article("en", "Lecture", "We spoke about anemia briefly.")
    assert titles(client, "/en/search/?q=anemia")[:2] == ["Anemia in pregnancy", "Lecture"]


def test_documents_are_found_by_title(client):
    document = get_document_model()(title="Лекарственный формуляр 2025")
    document.file.save("formulary.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    response = client.get("/ru/search/?q=формуляра")
    assert "Лекарственный формуляр 2025" in page_text(response)
    assert document.url in response.content.decode()


def test_editors_picks_come_first_in_their_language(client):
    about = AboutPage.objects.get(locale__language_code="ru", slug="about")
    SearchPromotion.objects.create(query=Query.get("гематолог"), page=about, sort_order=0, description="О нас")
    html = client.get("/ru/search/?q=гематолог").content.decode()
    results = html[html.index('class="search-count"') :]
    assert results.index("О центре") < results.index("Визит главного внештатного")
    assert "Рекомендуем" in results
    # The Russian pick is not shown to a Kazakh visitor.
    kazakh = client.get("/kk/search/?q=гематолог").content.decode()
    assert "search-result--promoted" not in kazakh


def test_queries_are_counted_for_the_search_terms_report(client):
    client.get("/kk/search/?q=дәрігер")
    client.get("/kk/search/?q=Дәрігер")
    assert Query.get("дәрігер").hits == 2


def test_unpublishing_removes_a_page_from_results(client):
    page = NewsArticlePage.objects.get(locale__language_code="ru")
    assert page.title in titles(client, "/ru/search/?q=Кемайкин")
    page.unpublish()
    assert titles(client, "/ru/search/?q=Кемайкин") == []


def test_publishing_a_change_updates_the_index(client):
    page = NewsArticlePage.objects.get(locale__language_code="ru")
    page.summary = "Новый текст о трансфузиологии."
    page.save_revision().publish()
    assert page.title in titles(client, "/ru/search/?q=трансфузиология")


@pytest.mark.parametrize(
    "query",
    ["", "%20%20", "x" * 10000, "%25", "' OR 1=1 --", "🩸", "лейкоз leukemia дәрігер", "%00", "a&b|c!d", "*:()"],
)
@pytest.mark.parametrize("page", ["abc", "-1", "9999", "1"])
def test_odd_queries_never_fail(client, query, page):
    response = client.get(f"/en/search/?q={query}&page={page}")
    assert response.status_code == 200
    assert "Search" in page_text(response)


def test_a_very_long_query_is_cut(client):
    response = client.get("/en/search/?q=" + "minister " * 500)
    assert len(response.context["search_query"]) <= 200


def test_nothing_found_explains_what_to_try(client):
    text = page_text(client.get("/en/search/?q=zzzzqqq"))
    assert "Nothing was found" in text and "language switcher" in text


def test_suggestions_offer_titles_as_the_visitor_types(client):
    response = client.get("/ru/search/suggest/?q=виз")
    assert response.status_code == 200
    data = response.json()["results"]
    assert data[0]["title"] == "Визит главного внештатного гематолога"
    assert data[0]["url"] == "/ru/news/2022-04-12-visit-chief-consulting-hematologist/"
    assert client.get("/kk/search/suggest/?q=виз").json()["results"] == []
    assert client.get("/ru/search/suggest/?q=%00%27").json()["results"] == []


def test_a_page_made_private_leaves_the_results(client):
    from wagtail.models import PageViewRestriction

    page = NewsArticlePage.objects.get(locale__language_code="ru")
    restriction = PageViewRestriction.objects.create(page=page, restriction_type="login")
    assert titles(client, "/ru/search/?q=Кемайкин") == []
    restriction.delete()
    assert page.title in titles(client, "/ru/search/?q=Кемайкин")
