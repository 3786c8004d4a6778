"""`load_demo` builds the three trees through wagtail-localize and can run again without changing anything."""

import io

import pytest
from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.models import Page, Revision
from wagtail_localize.models import Translation, TranslationSource

from home.models import HomePage
from news.models import NewsArticlePage
from tests.helpers import MINISTER, MINISTER_TITLE, UNICEF_TITLE, VISIT

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "pages": list(Page.objects.order_by("pk").values_list("pk", "title", "live", "path", "numchild")),
        "revisions": Revision.objects.count(),
        "images": get_image_model().objects.count(),
        "translations": Translation.objects.count(),
    }


def test_running_it_again_changes_nothing():
    before = snapshot()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert snapshot() == before
    assert "0 created, 0 updated" in out.getvalue()


def test_the_tree_has_no_structural_problems():
    assert Page.find_problems() == ([], [], [], [], [])


def test_home_pages_are_wagtail_localize_translations_of_the_kazakh_one():
    # The sample has the mission page in Kazakh only; the demo's Russian and English come from PO files.
    kk = HomePage.objects.get(locale__language_code="kk")
    source = TranslationSource.objects.get(object_id=kk.translation_key, locale=kk.locale)
    assert {t.target_locale.language_code for t in Translation.objects.filter(source=source)} == {"ru", "en"}
    assert HomePage.objects.get(locale__language_code="ru").mission.startswith("Оказание медицинской помощи")


def test_the_russian_and_english_articles_are_one_article_in_two_languages():
    ru = NewsArticlePage.objects.get(slug=VISIT, locale__language_code="ru")
    en = NewsArticlePage.objects.get(slug=VISIT, locale__language_code="en")
    assert en.translation_key == ru.translation_key
    assert (
        ru.title == "Визит главного внештатного гематолога" and en.title == "Visit of the Chief Consulting Hematologist"
    )
    assert ru.date == en.date


def test_the_damaged_article_is_repaired():
    article = NewsArticlePage.objects.get(slug=MINISTER)
    assert article.title == MINISTER_TITLE  # exactly as the clinic wrote it, Cyrillic "с" included
    text = article.summary + " ".join(str(block.value) for block in article.body)
    assert "‚Äî" not in text and "üìä" not in text and "‚úÖ" not in text
    assert "Irina Pivovarova and Anton Klodzinsky" in text
    assert "✅ in multiple myeloma — 68.3%" in text


def test_the_gallery_images_are_stored_once():
    article = NewsArticlePage.objects.get(slug=MINISTER)
    gallery = next(block for block in article.body if block.block_type == "gallery")
    images = [item["image"] for item in gallery.value["images"]]
    assert len(images) == 6 and len({image.pk for image in images}) == 6
    assert {image.collection.name for image in images} == {"News"}


def test_the_article_without_front_matter_gets_its_title_from_the_folder():
    article = NewsArticlePage.objects.get(slug="dialogue-for-children-central-asia-unicef")
    assert article.title == UNICEF_TITLE
    assert article.date is not None  # the file's date, as Grav does; the import flags it
