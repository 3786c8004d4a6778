"""A translator's route through wagtail-localize: translate an English article into Kazakh, publish it, and the
Kazakh page is live at /kk/… with the Kazakh text, while what must stay the same (date, slug, images) is synced."""

import pytest
from wagtail.models import Locale
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

from news.models import NewsArticlePage
from tests.helpers import MINISTER_TITLE, html_lang, page_text
from tests.test_language_switcher import switcher_links

pytestmark = pytest.mark.django_db

SLUG = "minister-of-health-visited-hematology-senter-in-astana"


def translate_into_kazakh(article):
    source, _ = TranslationSource.get_or_create_from_instance(article)
    kk = Locale.objects.get(language_code="kk")
    translation = Translation.objects.create(source=source, target_locale=kk)
    for segment in StringSegment.objects.filter(source=source).select_related("string", "context"):
        StringTranslation.objects.create(
            translation_of=segment.string,
            locale=kk,
            context=segment.context,
            data=f"ҚАЗ {segment.string.data}",
        )
    return translation


def test_a_translated_and_published_article_is_live_in_kazakh(client, django_capture_on_commit_callbacks):
    article = NewsArticlePage.objects.get(slug=SLUG)
    translation = translate_into_kazakh(article)
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(publish=True)

    response = client.get(f"/kk/news/{SLUG}/")
    assert response.status_code == 200
    assert html_lang(response) == "kk"
    text = page_text(response)
    assert f"ҚАЗ {MINISTER_TITLE}" in text
    assert "14 қазан 2025 ж." in text  # the date is synchronised and written the Kazakh way
    html = response.content.decode()
    assert [f'alt="ҚАЗ {n}"' in html for n in range(1, 7)] == [True] * 6  # gallery descriptions translated

    kazakh = article.get_translation(Locale.objects.get(language_code="kk")).specific
    assert kazakh.slug == article.slug and kazakh.date == article.date
    source_images = [item["image"].pk for item in article.body[0].value["images"]]
    assert [item["image"].pk for item in kazakh.body[0].value["images"]] == source_images

    # The English page's switcher now leads to the Kazakh article itself.
    links = switcher_links(client.get(f"/en/news/{SLUG}/"))
    assert links["kk"] == (f"/kk/news/{SLUG}/", False)
    # And it is listed in the Kazakh news index.
    assert "ҚАЗ Minister of Health" in page_text(client.get("/kk/news/"))


def test_a_saved_but_unpublished_translation_stays_invisible(client):
    article = NewsArticlePage.objects.get(slug=SLUG)
    translate_into_kazakh(article).save_target(publish=False)
    assert client.get(f"/kk/news/{SLUG}/").status_code == 404
    assert "ҚАЗ" not in page_text(client.get("/kk/news/"))
    assert switcher_links(client.get(f"/en/news/{SLUG}/"))["kk"] == ("/kk/news/", True)
