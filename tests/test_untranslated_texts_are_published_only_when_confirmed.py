"""A translation with texts still untranslated would show them in the original language: the translation editor's
Publish says so and publishes only when the translator clicks Publish again (as wagtail-localize already asks for
texts with errors)."""

from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Page
from wagtail_localize.models import StringSegment, Translation

from news.models import NewsArticlePage
from tests.helpers import MINISTER, MINISTER_TITLE, page_text

pytestmark = pytest.mark.django_db

ENGLISH_ADMIN = {"accept-language": "en"}


@pytest.fixture
def kazakh_translation_with_two_gaps(client_for, locales):
    client = client_for("Translators kk")
    article = NewsArticlePage.objects.get(slug=MINISTER, locale__language_code="en")
    client.post(reverse("wagtail_localize:submit_page_translation", args=[article.pk]), {"locales": [locales["kk"].pk]})
    translation = Translation.objects.get(source__object_id=article.translation_key, target_locale=locales["kk"])
    segments = StringSegment.objects.filter(source=translation.source).select_related("string").order_by("order")
    for segment in list(segments)[:-2]:
        url = reverse("wagtail_localize:edit_string_translation", args=[translation.pk, segment.pk])
        value = urlencode({"value": f"ҚАЗ {segment.string.data}"})
        assert client.put(url, value, content_type="application/x-www-form-urlencoded").status_code in (200, 201)
    return client, article.get_translation(locales["kk"])


def publish(client, page, captured, language="en"):
    with captured(execute=True):
        return client.post(
            reverse("wagtailadmin_pages:edit", args=[page.pk]),
            {"action": "publish"},
            follow=True,
            headers={"accept-language": language},
        )


def test_the_first_publish_warns_and_publishes_nothing(
    kazakh_translation_with_two_gaps, django_capture_on_commit_callbacks
):
    client, kazakh = kazakh_translation_with_two_gaps
    response = publish(client, kazakh, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    text = page_text(response)
    assert "Not published yet: 2 texts are not translated" in text
    assert "click Publish again" in text
    assert not Page.objects.get(pk=kazakh.pk).live
    assert Client().get(f"/kk/news/{MINISTER}/").status_code == 404


def test_the_warning_reads_in_russian(kazakh_translation_with_two_gaps, django_capture_on_commit_callbacks):
    client, kazakh = kazakh_translation_with_two_gaps
    response = publish(client, kazakh, django_capture_on_commit_callbacks, language="ru")
    assert "Ещё не опубликовано: 2 текста не переведены" in page_text(response)


def test_publishing_again_confirms(kazakh_translation_with_two_gaps, django_capture_on_commit_callbacks):
    client, kazakh = kazakh_translation_with_two_gaps
    publish(client, kazakh, django_capture_on_commit_callbacks)
    response = publish(client, kazakh, django_capture_on_commit_callbacks)
    assert "Not published yet" not in page_text(response)
    assert Page.objects.get(pk=kazakh.pk).live
    assert f"ҚАЗ {MINISTER_TITLE}" in page_text(Client().get(f"/kk/news/{MINISTER}/"))


def test_a_complete_translation_publishes_at_the_first_click(
    kazakh_translation_with_two_gaps, django_capture_on_commit_callbacks
):
    client, kazakh = kazakh_translation_with_two_gaps
    translation = Translation.objects.get(source__object_id=kazakh.translation_key, target_locale=kazakh.locale)
    for segment in StringSegment.objects.filter(source=translation.source).select_related("string"):
        url = reverse("wagtail_localize:edit_string_translation", args=[translation.pk, segment.pk])
        value = urlencode({"value": f"ҚАЗ {segment.string.data}"})
        client.put(url, value, content_type="application/x-www-form-urlencoded")
    publish(client, kazakh, django_capture_on_commit_callbacks)
    assert Page.objects.get(pk=kazakh.pk).live
