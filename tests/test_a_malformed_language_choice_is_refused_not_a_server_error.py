"""Starting a translation with a language value that is not a plain number (a superscript or Arabic-Indic digit, an
empty or a made-up value) is refused with a 400 and a message, never a server error, and creates nothing."""

import pytest
from django.urls import reverse

from news.models import NewsArticlePage
from tests.helpers import MINISTER

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["²", "١", "", "abc"])
def test_a_malformed_language_is_refused(client_for, locales, value):
    client = client_for("Translators kk")
    article = NewsArticlePage.objects.get(slug=MINISTER, locale__language_code="en")
    response = client.post(
        reverse("wagtail_localize:submit_page_translation", args=[article.pk]),
        {"locales": [value]},
        headers={"accept-language": "en"},
    )
    assert response.status_code == 400
    assert "Choose the languages from the list." in response.content.decode()
    assert all(
        article.get_translation_or_none(locale) is None for locale in locales.values() if locale.language_code != "en"
    )


def test_a_valid_language_next_to_a_malformed_one_is_refused_too(client_for, locales):
    client = client_for("Translators kk")
    article = NewsArticlePage.objects.get(slug=MINISTER, locale__language_code="en")
    response = client.post(
        reverse("wagtail_localize:submit_page_translation", args=[article.pk]),
        {"locales": [locales["kk"].pk, "¹"]},
        headers={"accept-language": "ru"},
    )
    assert response.status_code == 400
    assert "Выберите языки из списка." in response.content.decode()
    assert article.get_translation_or_none(locales["kk"]) is None
