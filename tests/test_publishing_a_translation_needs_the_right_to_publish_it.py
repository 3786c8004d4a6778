"""Publishing through wagtail-localize ("Sync translated pages" with "Publish immediately", the translation editor's
Publish, restarting a translation) needs the right to publish each page it would publish, as Wagtail's own editor
does: without it the translations are synced but stay unpublished, with a message that says why, and news still go
through the review workflow."""

from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Page
from wagtail_localize.models import StringSegment, Translation, TranslationSource

from about.models import BranchPage
from news.models import NewsArticlePage
from tests.helpers import VISIT, page_text

pytestmark = pytest.mark.django_db

ENGLISH_ADMIN = {"accept-language": "en"}
NEW_TITLES = {"ru": "Филиал в Астане (новый текст)", "en": "Astana branch (new text)"}


def astana(language) -> BranchPage:
    return BranchPage.objects.get(locale__language_code=language, slug="astana")


def source_of(page) -> TranslationSource:
    return TranslationSource.objects.get(object_id=page.translation_key, locale=page.locale)


def put_title(client, source, language, value):
    """What the translation editor does when a translator changes the title."""
    translation = Translation.objects.get(source=source, target_locale__language_code=language)
    segment = StringSegment.objects.get(source=source, context__path="title")
    url = reverse("wagtail_localize:edit_string_translation", args=[translation.pk, segment.pk])
    response = client.put(url, urlencode({"value": value}), content_type="application/x-www-form-urlencoded")
    assert response.status_code in (200, 201), response.content


def sync_and_publish(client, source, captured):
    with captured(execute=True):
        return client.post(
            reverse("wagtail_localize:update_translations", args=[source.pk]),
            {"publish_translations": "on"},
            follow=True,
            headers=ENGLISH_ADMIN,
        )


def public_title(page) -> str:
    return page_text(Client().get(Page.objects.get(pk=page.pk).url))


def test_an_editor_syncs_but_does_not_publish_the_translations(client_for, django_capture_on_commit_callbacks):
    client = client_for("Editors")
    source = source_of(astana("kk"))
    for language, title in NEW_TITLES.items():
        put_title(client, source, language, title)

    response = sync_and_publish(client, source, django_capture_on_commit_callbacks)

    assert response.status_code == 200
    text = page_text(response)
    assert "The translations were updated but not published" in text
    assert "Филиал в Астане (Русский)" in text and "Astana branch (English)" in text
    # The visitor still reads the published text, in Russian and in English.
    ru_text, en_text = public_title(astana("ru")), public_title(astana("en"))
    assert "Филиал в Астане" in ru_text and "новый текст" not in ru_text
    assert "Astana branch" in en_text and "new text" not in en_text
    assert BranchPage.objects.get(pk=astana("ru").pk).title == "Филиал в Астане"


def test_the_refusal_is_explained_in_the_russian_admin(client_for, django_capture_on_commit_callbacks):
    client = client_for("Editors")
    source = source_of(astana("kk"))
    put_title(client, source, "ru", NEW_TITLES["ru"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtail_localize:update_translations", args=[source.pk]),
            {"publish_translations": "on"},
            follow=True,
            headers={"accept-language": "ru"},
        )
    assert "Переводы обновлены, но не опубликованы" in page_text(response)
    assert "новый текст" not in public_title(astana("ru"))


def test_a_moderator_syncs_and_publishes(client_for, django_capture_on_commit_callbacks):
    client = client_for("Moderators")
    source = source_of(astana("kk"))
    for language, title in NEW_TITLES.items():
        put_title(client, source, language, title)

    response = sync_and_publish(client, source, django_capture_on_commit_callbacks)

    assert "Successfully updated translations" in page_text(response)
    assert "not published" not in page_text(response)
    assert NEW_TITLES["ru"] in public_title(astana("ru"))
    assert NEW_TITLES["en"] in public_title(astana("en"))


def test_the_russian_translator_publishes_the_russian_translation(client_for, django_capture_on_commit_callbacks):
    source = source_of(astana("kk"))
    Translation.objects.filter(source=source, target_locale__language_code="en").update(enabled=False)
    client = client_for("Translators ru")
    put_title(client, source, "ru", NEW_TITLES["ru"])

    response = sync_and_publish(client, source, django_capture_on_commit_callbacks)

    assert "Successfully updated translations" in page_text(response)
    assert NEW_TITLES["ru"] in public_title(astana("ru"))


def test_the_russian_translator_cannot_publish_the_english_translation(
    client_for, user_in, client, django_capture_on_commit_callbacks
):
    source = source_of(astana("kk"))
    # A Russian translator alone may not even sync a page translated into English (403)...
    client = client_for("Translators ru")
    put_title(client, source, "ru", NEW_TITLES["ru"])
    response = sync_and_publish(client, source, django_capture_on_commit_callbacks)
    assert response.status_code == 403
    assert "Access denied" in page_text(response)
    # ... and one who is also an editor syncs both but publishes neither, told which page they may not publish.
    client.force_login(user_in("Editors", "Translators ru"))
    put_title(client, source, "en", NEW_TITLES["en"])
    response = sync_and_publish(client, source, django_capture_on_commit_callbacks)
    text = page_text(response)
    assert "The translations were updated but not published" in text
    assert "Astana branch (English)" in text and "(Русский)" not in text
    assert "new text" not in public_title(astana("en"))
    assert "новый текст" not in public_title(astana("ru"))


def test_an_editor_does_not_publish_a_news_translation_past_the_review(
    client_for, locales, django_capture_on_commit_callbacks
):
    russian = NewsArticlePage.objects.get(locale__language_code="ru", slug=VISIT)
    english = russian.get_translation(locales["en"])
    assert english.get_workflow().name == "Review and publish"
    old_title = english.title
    client = client_for("Editors")
    source = source_of(russian)
    put_title(client, source, "en", "A visit (not reviewed)")

    response = sync_and_publish(client, source, django_capture_on_commit_callbacks)

    assert "The translations were updated but not published" in page_text(response)
    assert "not reviewed" not in public_title(english)
    assert old_title in public_title(english)


def test_an_editor_cannot_publish_from_the_translation_editor(client_for, django_capture_on_commit_callbacks):
    client = client_for("Editors")
    page = astana("ru")
    put_title(client, source_of(astana("kk")), "ru", NEW_TITLES["ru"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtailadmin_pages:edit", args=[page.pk]), {"action": "publish"}, headers=ENGLISH_ADMIN
        )
    assert response.status_code == 403
    assert "Access denied" in page_text(response)
    assert "новый текст" not in public_title(page)


def test_restarting_a_translation_publishes_nothing(client_for, django_capture_on_commit_callbacks):
    source = source_of(astana("kk"))
    Translation.objects.filter(source=source, target_locale__language_code="ru").update(enabled=False)
    page = astana("ru")
    client = client_for("Editors")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtailadmin_pages:edit", args=[page.pk]),
            {"localize-restart-translation": "1"},
            follow=True,
            headers=ENGLISH_ADMIN,
        )
    assert "Translation has been restarted" in page_text(response)
    assert Translation.objects.get(source=source, target_locale__language_code="ru").enabled
    put_title(client, source, "ru", NEW_TITLES["ru"])
    assert "новый текст" not in public_title(page)
