"""Translators who work outside the browser: PO download → edit → upload → publish; and the machine translation
button, which works offline in the demo and says so when a real service fails."""

import polib
import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import Locale
from wagtail_localize.models import StringTranslation, Translation

from config.settings.base import machine_translator_from_environment
from news.models import NewsArticlePage
from tests.helpers import MINISTER_TITLE, page_text

pytestmark = pytest.mark.django_db

MINISTER = "minister-of-health-visited-hematology-senter-in-astana"
ENGLISH_ADMIN = {"accept-language": "en"}  # the admin's messages are asserted in English


@pytest.fixture
def kk_translation(client_for, locales):
    """The Kazakh translator has started translating the minister's visit article."""
    client = client_for("Translators kk")
    article = NewsArticlePage.objects.get(slug=MINISTER, locale__language_code="en")
    client.post(reverse("wagtail_localize:submit_page_translation", args=[article.pk]), {"locales": [locales["kk"].pk]})
    return client, Translation.objects.get(source__object_id=article.translation_key, target_locale=locales["kk"])


def upload(client, translation, content: bytes, name="translation.po"):
    url = reverse("wagtail_localize:upload_pofile", args=[translation.pk])
    return client.post(
        url, {"file": SimpleUploadedFile(name, content), "next": "/admin/"}, follow=True, headers=ENGLISH_ADMIN
    )


def test_po_round_trip(kk_translation, django_capture_on_commit_callbacks):
    client, translation = kk_translation
    response = client.get(reverse("wagtail_localize:download_pofile", args=[translation.pk]))
    assert response.status_code == 200
    po = polib.pofile(response.content.decode())
    assert MINISTER_TITLE in [entry.msgid for entry in po]
    assert len(po) >= 20  # title, summary, every paragraph and the six photo descriptions

    for entry in po:
        entry.msgstr = f"ҚАЗ {entry.msgid}"
    response = upload(client, translation, str(po).encode())
    assert response.status_code == 200
    assert StringTranslation.objects.filter(locale=translation.target_locale).count() >= len(po)

    kazakh = NewsArticlePage.objects.get(slug=MINISTER, locale__language_code="en").get_translation(
        translation.target_locale
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("wagtailadmin_pages:edit", args=[kazakh.pk]), {"action": "publish"})
    text = page_text(client.get(f"/kk/news/{MINISTER}/"))
    assert f"ҚАЗ {MINISTER_TITLE}" in text
    assert "ҚАЗ The Minister expressed confidence" in text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not a valid PO file"),
        (b"/etc/passwd", "not a valid PO file"),
        (b'msgid "Hello"\nmsgstr "Salem"\n', "not exported from this site"),
        (b'msgid "unterminated\n', "not exported from this site"),
        ("msgid «сәлем»".encode("cp1251", "replace"), "not a valid PO file"),
    ],
)
def test_a_bad_po_file_is_refused_with_a_message_and_changes_nothing(kk_translation, content, message):
    client, translation = kk_translation
    before = StringTranslation.objects.count()
    response = upload(client, translation, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert StringTranslation.objects.count() == before


def test_a_po_file_of_another_translation_is_refused(kk_translation, client_for, locales):
    client, translation = kk_translation
    other = Translation.objects.exclude(pk=translation.pk).first()
    po = other.export_po()
    before = StringTranslation.objects.count()
    response = upload(client, translation, str(po).encode())
    assert "exported for another page or language" in response.content.decode()
    assert StringTranslation.objects.count() == before


def test_offline_machine_translation_fills_every_text_marked_as_untranslated(kk_translation):
    client, translation = kk_translation
    response = client.post(
        reverse("wagtail_localize:machine_translate", args=[translation.pk]), {"next": "/admin/"}, follow=True
    )
    assert response.status_code == 200
    translated = StringTranslation.objects.filter(locale=translation.target_locale)
    assert translated.count() == translation.source.stringsegment_set.count()
    assert all(item.data.startswith("[kk] ") for item in translated)
    assert {item.translation_type for item in translated} == {StringTranslation.TRANSLATION_TYPE_MACHINE}


def test_a_failing_translation_service_gives_a_message_not_an_error(kk_translation, settings, monkeypatch):
    client, translation = kk_translation
    settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = machine_translator_from_environment(
        {"LIBRETRANSLATE_URL": "http://127.0.0.1:9"}
    )

    def refuse(*args, **kwargs):
        raise requests.ConnectionError("refused")

    monkeypatch.setattr(requests, "post", refuse)
    response = client.post(
        reverse("wagtail_localize:machine_translate", args=[translation.pk]),
        {"next": "/admin/"},
        follow=True,
        headers=ENGLISH_ADMIN,
    )
    assert response.status_code == 200
    assert "could not be used" in response.content.decode()
    assert not StringTranslation.objects.filter(locale=translation.target_locale).exists()


@pytest.mark.parametrize(
    ("environ", "translator"),
    [
        ({}, "editorial.machine_translation.OfflineTranslator"),
        ({"DEEPL_AUTH_KEY": "abc:fx"}, "wagtail_localize.machine_translators.deepl.DeepLTranslator"),
        (
            {"GOOGLE_CLOUD_TRANSLATE_PROJECT_ID": "clinic"},
            "wagtail_localize.machine_translators.google.GoogleCloudTranslator",
        ),
        (
            {"LIBRETRANSLATE_URL": "http://translate.internal/"},
            "wagtail_localize.machine_translators.libretranslate.LibreTranslator",
        ),
    ],
)
def test_the_translation_service_is_chosen_from_the_environment(environ, translator):
    config = machine_translator_from_environment(environ)
    assert config["CLASS"] == translator
    if "LIBRETRANSLATE_URL" in environ:
        assert config["OPTIONS"]["LIBRETRANSLATE_URL"] == "http://translate.internal"


def test_translations_never_create_alias_pages(kk_translation):
    from wagtail.models import Page

    assert not Page.objects.filter(alias_of__isnull=False).exists()
    assert Locale.objects.count() == 3
