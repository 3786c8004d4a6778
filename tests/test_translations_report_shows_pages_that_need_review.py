"""Reports → Translations: a live translation that still holds machine stand-ins or untranslated texts "needs
review"; it is not "up to date"."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation as i18n
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

from about.models import BranchPage
from editorial import report
from tests.helpers import page_text

pytestmark = pytest.mark.django_db

URL = "/admin/reports/translations/"


def astana_translation(language) -> Translation:
    kk = BranchPage.objects.get(locale__language_code="kk", slug="astana")
    source = TranslationSource.objects.get(object_id=kk.translation_key, locale=kk.locale)
    return Translation.objects.get(source=source, target_locale__language_code=language)


def title_translation(translation) -> StringTranslation:
    segment = StringSegment.objects.get(source=translation.source, context__path="title")
    return StringTranslation.objects.get(
        translation_of=segment.string, context=segment.context, locale=translation.target_locale
    )


def astana_row(language) -> report.Row:
    page = BranchPage.objects.get(locale__language_code=language, slug="astana")
    return next(row for row in report.translation_rows() if row.page_id == page.pk)


def test_a_published_stand_in_needs_review(django_capture_on_commit_callbacks):
    translation = astana_translation("ru")
    StringTranslation.objects.filter(pk=title_translation(translation).pk).update(data="[ru] Астана филиалы")
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(publish=True)  # published before the site refused to

    row = astana_row("ru")
    assert row.status == report.NEEDS_REVIEW
    with i18n.override("en"):
        assert row.status_label == "Needs review"
    assert row.fix_url == f"/admin/pages/{row.page_id}/edit/"
    summary = {item["language"]: item for item in report.summary(report.translation_rows())}
    assert (summary["ru"]["needs_review"], summary["ru"]["up_to_date"]) == (1, 8)
    assert astana_row("en").status == report.UP_TO_DATE


def test_a_published_translation_with_a_missing_text_needs_review():
    translation = astana_translation("en")
    title_translation(translation).delete()
    assert astana_row("en").status == report.NEEDS_REVIEW


def test_the_status_is_named_in_every_language():
    names = {}
    for language in ("kk", "ru", "en"):
        with i18n.override(language):
            names[language] = str(report.STATUS_LABELS[report.NEEDS_REVIEW])
    assert names == {"kk": "Тексеру қажет", "ru": "Требует проверки", "en": "Needs review"}


def test_the_report_lists_and_filters_pages_that_need_review(client_for):
    StringTranslation.objects.filter(pk=title_translation(astana_translation("en")).pk).update(
        data="[en] Астана филиалы"
    )
    client = client_for("Editors")
    with CaptureQueriesContext(connection) as before_filter:
        response = client.get(URL, {"status": "needs_review"}, headers={"accept-language": "en"})
    text = page_text(response)
    assert "Needs review" in text and "Astana branch" in text
    assert "Karaganda branch" not in text
    with CaptureQueriesContext(connection) as all_rows:
        client.get(URL, headers={"accept-language": "en"})
    assert len(all_rows) == len(before_filter)
