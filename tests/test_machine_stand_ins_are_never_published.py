"""The offline machine translation only copies the original text behind a mark ("[ru] …"): a page that still holds
such a stand-in is never published, whichever way the translator publishes (the translation editor's Publish,
"Sync translated pages" with "Publish immediately", Wagtail's own editor), and the message says how many texts are
still stand-ins."""

from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Page
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

from about.models import BranchPage
from editorial.machine_translation import stand_in_mark
from news.models import NewsArticlePage
from tests.helpers import MINISTER, page_text
from tests.test_roles import branch_form

pytestmark = pytest.mark.django_db

ENGLISH_ADMIN = {"accept-language": "en"}


def astana(language) -> BranchPage:
    return BranchPage.objects.get(locale__language_code=language, slug="astana")


def astana_source() -> TranslationSource:
    kk = astana("kk")
    return TranslationSource.objects.get(object_id=kk.translation_key, locale=kk.locale)


def public_text(page) -> str:
    return page_text(Client().get(Page.objects.get(pk=page.pk).url))


def put_title(client, language, value):
    source = astana_source()
    translation = Translation.objects.get(source=source, target_locale__language_code=language)
    segment = StringSegment.objects.get(source=source, context__path="title")
    url = reverse("wagtail_localize:edit_string_translation", args=[translation.pk, segment.pk])
    response = client.put(url, urlencode({"value": value}), content_type="application/x-www-form-urlencoded")
    assert response.status_code in (200, 201), response.content


def test_the_mark_is_the_one_the_offline_translator_writes():
    assert stand_in_mark("ru") == "[ru] "


def test_the_translation_editor_refuses_to_publish_stand_ins(client_for, locales, django_capture_on_commit_callbacks):
    client = client_for("Translators kk")
    article = NewsArticlePage.objects.get(slug=MINISTER, locale__language_code="en")
    client.post(reverse("wagtail_localize:submit_page_translation", args=[article.pk]), {"locales": [locales["kk"].pk]})
    translation = Translation.objects.get(source__object_id=article.translation_key, target_locale=locales["kk"])
    client.post(reverse("wagtail_localize:machine_translate", args=[translation.pk]), {"next": "/admin/"})
    count = translation.source.stringsegment_set.count()
    assert StringTranslation.objects.filter(locale=locales["kk"], data__startswith="[kk] ").count() == count
    kazakh = article.get_translation(locales["kk"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtailadmin_pages:edit", args=[kazakh.pk]), {"action": "publish"}, follow=True,
            headers=ENGLISH_ADMIN,
        )  # fmt: skip

    assert f"Not published: {count} texts are still machine stand-ins" in page_text(response)
    assert not Page.objects.get(pk=kazakh.pk).live
    assert Client().get(f"/kk/news/{MINISTER}/").status_code == 404


def test_sync_and_publish_holds_back_a_translation_with_a_stand_in(client_for, django_capture_on_commit_callbacks):
    client = client_for("Moderators")
    put_title(client, "ru", "[ru] Астана филиалы")
    put_title(client, "en", "Astana branch, new")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtail_localize:update_translations", args=[astana_source().pk]),
            {"publish_translations": "on"},
            follow=True,
            headers=ENGLISH_ADMIN,
        )

    text = page_text(response)
    assert "The translations were updated but not published" in text
    assert "Филиал в Астане (Русский): 1" in text
    assert "[ru]" not in public_text(astana("ru"))
    assert "Филиал в Астане" in public_text(astana("ru"))
    assert "Astana branch, new" not in public_text(astana("en"))


def test_sync_and_publish_with_the_offline_translator_publishes_no_stand_in(
    client_for, django_capture_on_commit_callbacks
):
    # The Kazakh title changes: the Russian and English translations lack the new text.
    kk = astana("kk")
    kk.title = "Астанадағы филиал"
    kk.save_revision().publish()
    client = client_for("Moderators")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtail_localize:update_translations", args=[astana_source().pk]),
            {"publish_translations": "on", "use_machine_translation": "on"},
            follow=True,
            headers=ENGLISH_ADMIN,
        )

    assert "The translations were updated but not published" in page_text(response)
    assert "offline machine translation" in page_text(response)
    # The stand-ins were written for the translator to replace, but nobody sees them.
    assert StringTranslation.objects.filter(data="[ru] Астанадағы филиал").exists()
    assert "[ru]" not in public_text(astana("ru"))
    assert "[en]" not in public_text(astana("en"))


def test_wagtails_editor_refuses_to_publish_a_page_holding_a_stand_in(client_for, django_capture_on_commit_callbacks):
    # The Russian translation was stopped: the page is edited in Wagtail's own editor from now on.
    Translation.objects.filter(source=astana_source(), target_locale__language_code="ru").update(enabled=False)
    page = astana("ru")
    client = client_for("Moderators")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtailadmin_pages:edit", args=[page.pk]),
            branch_form(page, title="[ru] Астана филиалы", **{"action-publish": "action-publish"}),
            follow=True,
            headers=ENGLISH_ADMIN,
        )

    assert "Not published: 1 text is still a machine stand-in" in page_text(response)
    assert "[ru]" not in public_text(page)
    assert BranchPage.objects.get(pk=page.pk).title == "Филиал в Астане"
    assert BranchPage.objects.get(pk=page.pk).get_latest_revision_as_object().title == "[ru] Астана филиалы"


def test_wagtails_editor_still_publishes_a_translated_page(client_for, django_capture_on_commit_callbacks):
    Translation.objects.filter(source=astana_source(), target_locale__language_code="ru").update(enabled=False)
    page = astana("ru")
    with django_capture_on_commit_callbacks(execute=True):
        client_for("Moderators").post(
            reverse("wagtailadmin_pages:edit", args=[page.pk]),
            branch_form(page, title="Филиал в Астане [ru]", **{"action-publish": "action-publish"}),
        )
    assert "Филиал в Астане [ru]" in public_text(page)
