"""`import_grav`: a news item's header image in Grav's theme (the folder's first image, or the one
`header_image_file` names, none with `header_image: false`) becomes the article's cover, in the list and on the page."""

import pytest
from wagtail.images import get_image_model
from wagtail.models import Revision

from news.models import NewsArticlePage
from tests.test_import_grav import EVENTS, SAMPLE_JPEG, article, grav, run  # noqa: F401 - grav is a fixture

pytestmark = pytest.mark.django_db


def photo(n: int) -> bytes:
    """A distinct JPEG file (the importer keeps one image per distinct content)."""
    return SAMPLE_JPEG.read_bytes() + b"\x00" * n


def cover_of(slug: str, language: str = "ru"):
    return NewsArticlePage.objects.get(slug=slug, locale__language_code=language).cover_image


def test_the_only_image_that_no_text_references_becomes_the_cover_with_the_title_as_alt_text(client, grav):  # noqa: F811
    files = {
        **EVENTS,
        "05.events/02.lab/item.kk.md": article("Зертхана күні", "Зертханамен таныстық."),
        "05.events/02.lab/item.ru.md": article("День лаборатории", "Мы познакомились с лабораторией."),
        "05.events/02.lab/lab-photo.jpg": photo(1),
    }
    status, output = run(grav(files))
    assert status == 0, output
    kazakh, russian = cover_of("lab", "kk"), cover_of("lab", "ru")
    assert kazakh is not None and russian == kazakh
    assert kazakh.file.name.endswith(".jpg") and "lab" in kazakh.title
    assert kazakh.description == "Зертхана күні"  # the source page's title, a real alt text
    assert "05.events/02.lab [kk]: cover lab-photo.jpg (the folder's first image, Grav's header image)" in output
    page = NewsArticlePage.objects.get(slug="lab", locale__language_code="ru")
    assert page.summary == "Мы познакомились с лабораторией."
    assert "image" not in [block.block_type for block in page.body]  # the cover, not a picture in the text

    listing = client.get("/ru/events/").content.decode()
    assert 'class="card__image' in listing.split("День лаборатории")[0].rsplit('<article class="card">', 1)[1]
    article_page = client.get("/ru/events/lab/").content.decode()
    assert 'class="article__cover"' in article_page

    # A second run changes nothing.
    images, revisions = get_image_model().objects.count(), Revision.objects.count()
    status, output = run(grav(files))
    assert status == 0, output
    assert (get_image_model().objects.count(), Revision.objects.count()) == (images, revisions)
    assert cover_of("lab") == kazakh


def test_header_image_false_gives_no_cover_and_the_inline_picture_stays_in_the_text(grav):  # noqa: F811
    files = {
        **EVENTS,
        "05.events/02.invitation/item.ru.md": article(
            "Приглашение", "Приглашаем на занятие.\n\n![Афиша](poster.jpg)", extra="header_image: false\n"
        ),
        "05.events/02.invitation/poster.jpg": photo(2),
    }
    status, output = run(grav(files))
    assert status == 0, output
    assert cover_of("invitation") is None
    page = NewsArticlePage.objects.get(slug="invitation")
    assert [block.block_type for block in page.body] == ["image"]
    assert page.body[0].value["alt_text"] == "Афиша"
    assert "invitation [ru]: cover" not in output


def test_header_image_file_names_the_cover(grav):  # noqa: F811
    files = {
        **EVENTS,
        "05.events/02.visit/item.ru.md": article("Визит", "Текст.", extra="header_image_file: b-team.jpg\n"),
        "05.events/02.visit/a-hall.jpg": photo(3),
        "05.events/02.visit/b-team.jpg": photo(4),
    }
    status, output = run(grav(files))
    assert status == 0, output
    assert cover_of("visit").title == "b team"
    assert "02.visit [ru]: cover b-team.jpg (named by header_image_file)" in output


def test_the_first_image_follows_media_order_else_the_natural_order_of_file_names(grav):  # noqa: F811
    files = {
        **EVENTS,
        "05.events/02.ordered/item.ru.md": article("По порядку", "Текст.", extra="media_order: 'c.jpg,a.jpg'\n"),
        "05.events/02.ordered/a.jpg": photo(5),
        "05.events/02.ordered/c.jpg": photo(6),
        "05.events/03.numbered/item.ru.md": article("По номерам", "Текст."),
        "05.events/03.numbered/10.jpg": photo(7),
        "05.events/03.numbered/2.jpg": photo(8),
    }
    status, output = run(grav(files))
    assert status == 0, output
    assert cover_of("ordered").title == "c"
    assert cover_of("numbered").title == "2"  # as Grav sorts: 2.jpg before 10.jpg


def test_an_image_that_already_has_a_description_keeps_it(grav):  # noqa: F811
    files = {
        **EVENTS,
        "05.events/02.hall/item.ru.md": article("Новый зал", "Текст."),
        "05.events/02.hall/hall.jpg": photo(9),
    }
    root = grav(files)
    run(root)
    image = cover_of("hall")
    image.description = "Зал ожидания на первом этаже"
    image.save()
    (root / "user/pages/05.events/02.hall/item.ru.md").write_text(article("Новый зал", "Текст изменён."))
    status, output = run(root)
    assert status == 0, output
    assert cover_of("hall").description == "Зал ожидания на первом этаже"
