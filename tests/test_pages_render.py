"""Every page type, in every language, shows that language's text and declares it in <html lang>."""

import pytest

from tests.helpers import MINISTER_TITLE, html_lang, page_text

pytestmark = pytest.mark.django_db

CASES = [
    # (url, language, text the visitor must read)
    (
        "/kk/",
        "kk",
        "Қан ауруларымен ауыратын пациенттерге халықаралық стандарттарға сәйкес медициналық көмек көрсету",
    ),
    ("/ru/", "ru", "Центр гематологии"),
    ("/en/", "en", "Hematology Center"),
    ("/kk/news/", "kk", "Жаңалықтар"),
    ("/ru/news/", "ru", "Визит главного внештатного гематолога"),
    ("/en/news/", "en", MINISTER_TITLE),
    ("/ru/news/2022-04-12-visit-chief-consulting-hematologist/", "ru", "Вадим Кемайкин"),
    ("/en/news/2022-04-12-visit-chief-consulting-hematologist/", "en", "Vadim Kemaykin"),
    (
        "/en/news/dialogue-for-children-central-asia-unicef/",
        "en",
        "Focus on Pediatric Health and Cancer Treatment",
    ),
    ("/kk/about/", "kk", "Тәулік бойғы стационар төсектері"),
    ("/ru/about/", "ru", "Койки круглосуточного стационара"),
    ("/en/about/", "en", "Patients on the dispensary register"),
    ("/kk/about/astana/", "kk", "Астана филиалы"),
    ("/ru/about/karaganda/", "ru", "Филиал в Караганде"),
    ("/en/about/ust-kamenogorsk/", "en", "Ust-Kamenogorsk branch"),
    ("/kk/search/?q=гематология", "kk", "Іздеу"),
    ("/ru/search/?q=гематолог", "ru", "Поиск"),
    ("/en/search/?q=minister", "en", "Search"),
]


@pytest.mark.parametrize(("url", "language", "text"), CASES)
def test_page_shows_its_language(client, url, language, text):
    response = client.get(url)
    assert response.status_code == 200
    assert html_lang(response) == language
    assert text in page_text(response)


def test_home_page_shows_mission_vision_pillars_news_and_branches(client):
    text = page_text(client.get("/ru/"))
    for expected in ["Миссия", "Видение", "Стандарты", "Безопасность", "Усть-Каменогорск"]:
        assert expected in text
    # The newest Russian article, and no article of another language.
    assert "Визит главного внештатного гематолога" in text
    assert "Minister of Health" not in text


def test_kazakh_home_page_shows_the_kazakh_pillars_and_branches(client):
    text = page_text(client.get("/kk/"))
    for expected in ["Стандарттар", "Жабдықталуы", "Диагностика", "Қауіпсіздік", "Қарағанды", "Өскемен"]:
        assert expected in text


def test_footer_lists_the_branches_of_the_active_language(client):
    text = page_text(client.get("/en/news/"))
    assert "Astana" in text and "Karaganda" in text and "Ust-Kamenogorsk" in text
    assert "Өскемен" not in text


def test_article_shows_date_summary_and_body_in_order(client):
    text = page_text(client.get("/en/news/minister-of-health-visited-hematology-senter-in-astana/"))
    assert "14 October 2025" in text
    assert "Akmaral Sharipbaevna Alnazarova" in text
    assert text.index("Over the past 10 years") < text.index("The Minister expressed confidence")
    # The text reached us as mojibake; the site shows it repaired.
    assert "‚Äî" not in text and "—" in text and "📊" in text


def test_branch_page_shows_its_contacts(client):
    text = page_text(client.get("/ru/about/astana/"))
    assert "Адрес" in text and "Часы работы" in text and "+7 000 000 00 00" in text


def test_about_page_lists_its_child_pages(client):
    text = page_text(client.get("/en/about/"))
    assert "Astana branch" in text and "Karaganda branch" in text


def test_a_page_missing_in_a_language_is_not_served_from_another(client):
    # The minister article exists only in English: /kk/… must not show the English text with a 200.
    response = client.get("/kk/news/minister-of-health-visited-hematology-senter-in-astana/")
    assert response.status_code == 404
    assert html_lang(response) == "kk"


def test_an_unpublished_translation_is_not_served(client):
    from news.models import NewsArticlePage

    NewsArticlePage.objects.get(locale__language_code="ru").unpublish()
    response = client.get("/ru/news/2022-04-12-visit-chief-consulting-hematologist/")
    assert response.status_code == 404
    assert "Vadim Kemaykin" not in page_text(response)
