"""Reports → Translations: what is up to date, outdated and missing in each language, and how to fix it."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail_localize.models import TranslationSource

from editorial import report
from news.models import NewsArticlePage, NewsIndexPage
from tests.factories import NewsArticlePageFactory
from tests.helpers import MINISTER_TITLE, VISIT

pytestmark = pytest.mark.django_db

URL = "/admin/reports/translations/"


def counts() -> dict:
    return {item["language"]: item for item in report.summary(report.translation_rows())}


def test_counts_on_the_demo_site():
    summary = counts()
    assert (summary["kk"]["source"], summary["kk"]["up_to_date"], summary["kk"]["missing"]) == (9, 0, 3)
    # The visit article was written in Russian (the first of the site's languages it exists in) and translated.
    assert (summary["ru"]["source"], summary["ru"]["up_to_date"], summary["ru"]["missing"]) == (1, 9, 2)
    assert (summary["en"]["source"], summary["en"]["up_to_date"], summary["en"]["missing"]) == (2, 10, 0)
    assert [summary[code]["percent"] for code in ("kk", "ru", "en")] == [75, 83, 100]
    assert all(item["outdated"] == 0 and item["draft"] == 0 for item in summary.values())


def test_a_source_edited_after_translation_makes_its_translations_outdated_until_synced(client_for):
    # The visit article was written in Russian and translated into English.
    russian = NewsArticlePage.objects.get(locale__language_code="ru", slug=VISIT)
    russian.summary = "Филиал в Усть-Каменогорске посетил главный внештатный гематолог страны."
    russian.save_revision().publish()
    assert counts()["en"]["outdated"] == 1

    row = next(r for r in report.translation_rows() if r.language == "en" and r.status == report.OUTDATED)
    source = TranslationSource.objects.get(object_id=russian.translation_key, locale=russian.locale)
    assert row.fix_url == reverse("wagtail_localize:update_translations", args=[source.pk])

    # An editor syncs: the English page still shows the old text until the translator publishes it.
    client = client_for("Editors")
    response = client.post(row.fix_url, {})
    assert response.status_code == 302
    assert counts()["en"]["outdated"] == 1
    english_row = next(r for r in report.translation_rows() if r.language == "en" and r.status == report.OUTDATED)
    assert english_row.fix_url == reverse("wagtailadmin_pages:edit", args=[english_row.page_id])

    # The translator publishes the updated translation: up to date again.
    english = NewsArticlePage.objects.get(pk=english_row.page_id)
    english.save_revision().publish()
    assert counts()["en"]["outdated"] == 0


def test_missing_rows_link_to_translate_into_that_language():
    rows = [r for r in report.translation_rows() if r.language == "kk" and r.status == report.MISSING]
    assert len(rows) == 3
    assert all("select_locale=kk" in row.fix_url and "/localize/submit/page/" in row.fix_url for row in rows)


def test_a_draft_translation_is_counted_as_draft(locales):
    english = NewsArticlePage.objects.get(locale__language_code="en", slug=VISIT)
    english.copy_for_translation(locales["kk"])
    assert (counts()["kk"]["draft"], counts()["kk"]["missing"]) == (1, 2)


def test_the_report_page_filters_by_language_and_status(client_for):
    client = client_for("Translators kk")
    response = client.get(URL, {"language": "kk", "status": "missing"})
    assert response.status_code == 200
    rows = response.context["rows"]
    assert len(rows) == 3 and {row.status for row in rows} == {"missing"}
    html = response.content.decode()
    assert MINISTER_TITLE in html
    assert "Өскемен филиалы" not in html  # a Kazakh original, not missing


def test_strange_filters_are_ignored(client_for):
    response = client_for("Editors").get(URL, {"language": "xx'--", "status": "<script>"})
    assert response.status_code == 200
    assert len(response.context["rows"]) == 36


def test_csv_export(client_for):
    response = client_for("Editors").get(URL, {"language": "ru", "export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1 + 12
    assert {row[0] for row in rows[1:]} == {"ru"}
    assert ["ru", "source", "Визит главного внештатного гематолога"] in [row[:3] for row in rows]
    assert ["ru", "up_to_date", "О центре"] in [row[:3] for row in rows]
    assert ["ru", "missing", MINISTER_TITLE] in [row[:3] for row in rows]


def test_the_dashboard_shows_the_percentage_per_language(client_for):
    response = client_for("Editors").get("/admin/", headers={"accept-language": "en"})
    html = response.content.decode()
    assert "translation-progress-title" in html
    assert "75%" in html and "83%" in html and "100%" in html


def test_the_report_is_in_the_reports_menu_once(client_for):
    html = client_for("Editors").get("/admin/", headers={"accept-language": "en"}).content.decode()
    assert html.count(URL) >= 1
    assert reverse("wagtail_localize:translations_report") not in html


def test_the_number_of_queries_does_not_grow_with_the_number_of_pages(client_for):
    client = client_for("Editors")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    before = queries()
    news = NewsIndexPage.objects.get(locale__language_code="kk")
    for _ in range(30):
        NewsArticlePageFactory(parent=news)
    assert queries() == before
