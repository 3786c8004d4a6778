"""`import_grav` on broken and hostile input: a file it cannot use is left out with a warning naming it, and the
rest of its page is imported."""

import pytest
from wagtail.images import get_image_model

from news.models import NewsArticlePage
from tests.helpers import page_text
from tests.test_import_grav import EVENTS, SAMPLE_JPEG, article, grav, run  # noqa: F401 - grav is a fixture

pytestmark = pytest.mark.django_db


def test_a_language_file_for_a_language_the_site_does_not_have_is_skipped_with_a_warning(grav):  # noqa: F811
    files = {
        **EVENTS,
        "05.events/01.open-day/item.de.md": article("Tag der offenen Tür", "Kurz.\n\n===\n\nAlle sind willkommen."),
        "05.events/03.lecture/item.de.md": article("Vortrag"),
    }
    status, output = run(grav(files))
    assert status == 0, output
    titles = set(NewsArticlePage.objects.values_list("title", flat=True))
    assert "Tag der offenen Tür" not in titles and "Vortrag" not in titles
    kazakh = NewsArticlePage.objects.get(slug="open-day", locale__language_code="kk")
    assert kazakh.title == "Ашық есік күні"
    assert "05.events/01.open-day/item.de.md: skipped: the site has no language “de”" in output
    assert "05.events/03.lecture/item.de.md: skipped: the site has no language “de”" in output
    assert not NewsArticlePage.objects.filter(slug="lecture").exists()


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"<html><body>404 Not Found</body></html>", id="an HTML page saved as .jpg"),
        pytest.param(b"\x00\x01\x02 not a picture at all", id="bytes of no image format"),
        pytest.param(SAMPLE_JPEG.read_bytes()[:600], id="a JPEG cut short"),
    ],
)
def test_a_corrupt_image_is_dropped_with_a_warning_and_the_page_text_is_imported(client, grav, content):  # noqa: F811
    body = """
    Кратко.

    ===

    Приглашаем всех.

    ![Лаборатория](broken.jpg)

    ![Зал](good.jpg)

    Ждём вас.
    """
    files = {
        **EVENTS,
        "05.events/04.photos/item.ru.md": article("Фотографии", body),
        "05.events/04.photos/broken.jpg": content,
        "05.events/04.photos/good.jpg": SAMPLE_JPEG.read_bytes() + b"\x00",  # not the demo's copy
    }
    images_before = get_image_model().objects.count()
    status, output = run(grav(files), "--dry-run")
    assert status == 0 and "05.events/04.photos/broken.jpg: not imported: " in output  # told before any write
    status, output = run(grav(files))
    assert status == 0, output
    assert "05.events/04.photos/broken.jpg: not imported: " in output
    assert "the page is imported without it" in output
    assert "UnrecognisedImageFormatError" not in output
    page = NewsArticlePage.objects.get(slug="photos")
    assert [block.block_type for block in page.body] == ["paragraph", "image", "paragraph"]
    assert page.body[1].value["alt_text"] == "Зал"
    assert get_image_model().objects.count() == images_before + 1
    text = page_text(client.get("/ru/events/photos/"))
    assert "Приглашаем всех." in text and "Ждём вас." in text
    # No half-made image of the file is left for a second run to find.
    status, output = run(grav(files))
    assert status == 0, output
    assert get_image_model().objects.count() == images_before + 1
    assert not get_image_model().objects.filter(title="broken").exists()
