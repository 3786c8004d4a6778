"""The Grav importer never leaves a raw <img> in rich text (the editor cannot open one): a picture in the text becomes
an image block next to it, or is reported and removed where only text fits."""

import pytest
from django.urls import reverse
from wagtail.models import Page

from home.models import HomePage
from tests.test_import_grav import SAMPLE_JPEG, article, grav, run  # noqa: F401 - grav is a fixture

pytestmark = pytest.mark.django_db

TEXT_WITH_PICTURES = """\
Before the first picture ![Reception](photo.jpg) after it.

<p>a<img src="photo.jpg">b</p>

<div>Inside a block <img src="photo.jpg" alt="Laboratory"> of HTML.</div>

- A list item <img src="photo.jpg"> with a picture
- <p>HTML in a list <img src="photo.jpg"></p>

Text <a href="https://example.com"><img src="photo.jpg"></a> with a linked picture, <img src="missing.jpg"> and a
missing one.
"""


def rich_texts(page) -> list[str]:
    """Every rich text the page stores: the paragraphs of its body and its rich-text fields."""
    page = page.specific
    texts = [block.value.source for block in getattr(page, "body", None) or [] if block.block_type == "paragraph"]
    return texts + [str(getattr(page, name)) for name in ("intro", "services") if hasattr(page, name)]


def test_pictures_in_text_become_image_blocks_and_no_rich_text_keeps_an_img(grav, admin_client):  # noqa: F811
    files = {
        "01.home/default.kk.md": f"---\ntitle: Басты\n---\n\n# Кіріспе\n\n{TEXT_WITH_PICTURES}",
        "01.home/photo.jpg": SAMPLE_JPEG.read_bytes(),
        "05.events/blog.kk.md": f"---\ntitle: Іс-шаралар\n---\n\n{TEXT_WITH_PICTURES}",
        "05.events/photo.jpg": SAMPLE_JPEG.read_bytes(),
        "05.events/01.open-day/item.kk.md": article("Ашық есік күні", f"Қысқаша.\n\n===\n\n{TEXT_WITH_PICTURES}"),
        "05.events/01.open-day/photo.jpg": SAMPLE_JPEG.read_bytes(),
        "06.about-us/default.kk.md": f"---\ntitle: Біз туралы\n---\n\nКіріспе.\n\n{TEXT_WITH_PICTURES}",
        "06.about-us/photo.jpg": SAMPLE_JPEG.read_bytes(),
    }
    status, output = run(grav(files))
    assert status == 0, output
    imported = [page for page in Page.objects.filter(locale__language_code="kk").specific() if page.depth > 1]
    texts = [text for page in imported for text in rich_texts(page)]
    assert any("after it" in text for text in texts) and any("with a picture" in text for text in texts)
    assert not [text for text in texts if "<img" in text.lower()]

    open_day = Page.objects.get(slug="open-day").specific
    assert [block.block_type for block in open_day.body].count("image") == 3  # the HTML pictures, kept as blocks
    for page in (open_day, Page.objects.get(slug="about-us"), HomePage.objects.get(locale__language_code="kk")):
        response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        assert response.status_code == 200 and page.title in response.content.decode()
