"""Faults the site must survive.

The database down: a static 503 page in the visitor's language with Retry-After, never a traceback or a bare 500,
wherever the failure happens (view, middleware, template tag, admin). Other errors still get the 500 page.

An image's file missing (deleted, media disk not mounted, restored without media): its pages still render, with
the renditions that exist or a placeholder that keeps the alt text; generate_renditions reports it and goes on.
"""

import io
import logging
import re
from contextlib import ExitStack, contextmanager

import pytest
from django.core.cache import cache
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.db import connection
from django.db.utils import InterfaceError, OperationalError
from django.test import Client
from django.test.signals import template_rendered
from django.utils import timezone
from PIL import Image as PillowImage
from wagtail.images import get_image_model

from core.images import rendition_specs
from news.models import NewsIndexPage
from tests.factories import NewsArticlePageFactory
from tests.helpers import html_lang, page_text

pytestmark = pytest.mark.django_db

UNAVAILABLE = {
    "kk": ("Сайт уақытша қолжетімсіз", "Бір минуттан кейін қайталап көріңіз"),
    "ru": ("Сайт временно недоступен", "Попробуйте снова через минуту"),
    "en": ("The site is temporarily unavailable", "Please try again in a minute"),
}
REFUSED = 'connection to server at "127.0.0.1", port 5432 failed: Connection refused'


@pytest.fixture
def client():
    # As a browser gets it: the response the handlers make, not the exception re-raised into the test.
    return Client(raise_request_exception=False)


@contextmanager
def database_down(error=OperationalError):
    """Every query, and every attempt to connect, fails as it does when PostgreSQL is unreachable; restored after."""
    calls = []

    def refuse(*args, **kwargs):
        calls.append(1)
        raise error(REFUSED)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(connection, "ensure_connection", refuse)
        yield calls


@contextmanager
def when_rendering(template_name: str, action):
    """Run action() as soon as template_name starts rendering (the view itself has run normally)."""

    def receiver(sender, template, **kwargs):
        if template.name == template_name:
            action()

    template_rendered.connect(receiver)
    try:
        yield
    finally:
        template_rendered.disconnect(receiver)


def assert_unavailable(response, language: str):
    title, advice = UNAVAILABLE[language]
    text = page_text(response)
    assert response.status_code == 503
    assert response["Retry-After"] == "60" and "no-store" in response["Cache-Control"]
    assert html_lang(response) == language and title in text and advice in text
    html = response.content.decode()
    assert "Traceback" not in html and "OperationalError" not in html and "5432" not in html
    # Self-contained: nothing to fetch from a static server that may be down too.
    assert "/static/" not in html and "<script" not in html and "<link" not in html


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_a_visitor_is_told_in_the_language_of_the_url_to_come_back_in_a_minute(client, language):
    with database_down() as calls:
        response = client.get(f"/{language}/news/")
    assert calls, "the request did try the database"
    assert_unavailable(response, language)


def test_the_language_prefix_wins_over_the_browser_language(client):
    with database_down():
        response = client.get("/ru/", headers={"accept-language": "en"})
    assert_unavailable(response, "ru")


def test_without_a_language_prefix_the_browser_language_is_used_else_kazakh(client):
    with database_down():
        russian = client.get("/documents/1/price-list.pdf", headers={"accept-language": "ru-RU,ru;q=0.9"})
        kazakh = client.get("/documents/1/price-list.pdf")
    assert_unavailable(russian, "ru")
    assert_unavailable(kazakh, "kk")


def test_a_connection_closed_under_the_site_gets_the_same_page(client):
    with database_down(InterfaceError):
        response = client.get("/kk/")
    assert_unavailable(response, "kk")


def test_a_signed_in_editor_in_the_admin_gets_the_page_although_the_session_cannot_be_read(client, admin_user):
    client.force_login(admin_user)  # the session lives in the database: reading it fails in a middleware
    with database_down():
        response = client.get("/admin/", headers={"accept-language": "ru"})
    assert_unavailable(response, "ru")


class DatabaseDownMiddleware:
    """A middleware whose query fails before any view runs (as reading the session or the user does)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raise OperationalError(REFUSED)


def test_a_failure_in_a_middleware_gets_the_page(settings):
    after = settings.MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[:after],
        f"{__name__}.DatabaseDownMiddleware",
        *settings.MIDDLEWARE[after:],
    ]
    response = Client(raise_request_exception=False).get("/ru/about/")  # a new client loads the new middleware
    assert_unavailable(response, "ru")


def test_a_database_failure_while_a_template_tag_runs_gets_the_page(client):
    # The view reads the page normally; the database goes away when base.html (menu, footer, SEO tags) renders.
    with ExitStack() as stack:
        refused = []

        def go_down():
            if not refused:
                refused.append(stack.enter_context(database_down()))

        with when_rendering("base.html", go_down):
            response = client.get("/kk/news/")
    assert refused and refused[0], "a template tag needed the database after it went down"
    assert_unavailable(response, "kk")


def test_any_other_error_still_gets_the_500_page(client):
    def crash():
        raise RuntimeError("a bug, not an outage")

    with when_rendering("base.html", crash):
        response = client.get("/ru/news/")
    text = page_text(response)
    assert response.status_code == 500 and "Retry-After" not in response
    assert "Сервис временно недоступен" in text and "RuntimeError" not in response.content.decode()


def test_the_database_is_back_for_the_next_request(client):
    with database_down():
        assert client.get("/kk/").status_code == 503
    response = client.get("/kk/")
    assert response.status_code == 200 and "Гематология орталығы" in page_text(response)


# -- A missing image file ------------------------------------------------------------------------------------------


def new_image(title: str):
    """A new image of its own (the demo's images are shared by the whole test session), its renditions made."""
    data = io.BytesIO()
    PillowImage.new("RGB", (640, 480), "#8a1538").save(data, "JPEG")
    return get_image_model().objects.create(title=title, file=ImageFile(data, name=f"{title}.jpg"))


def lose_file(image, *, renditions: bool) -> None:
    """The original file disappears; with renditions=True, its renditions too (files and rows)."""
    image.file.storage.delete(image.file.name)
    if renditions:
        for rendition in image.renditions.all():
            rendition.file.storage.delete(rendition.file.name)
        image.renditions.all().delete()
    cache.clear()  # Wagtail also keeps renditions in the cache


@pytest.fixture
def article_with_a_lost_image(db, django_capture_on_commit_callbacks):
    image = new_image("lost-photo")
    news = NewsIndexPage.objects.get(locale__language_code="en")
    with django_capture_on_commit_callbacks(execute=True):
        article = NewsArticlePageFactory(
            parent=news,
            slug="lost-photo",
            title="Open day at the Astana branch",
            summary="Doctors answered questions about blood tests.",
            date=timezone.now(),  # the newest: the home page shows it too
            cover_image=image,  # the card's picture and the social preview (og:image)
            body=[
                ("paragraph", "<p>The branch welcomed forty visitors.</p>"),
                ("image", {"image": image, "alt_text": "The reception desk", "caption": ""}),
                ("gallery", {"title": "", "images": [{"image": image, "alt_text": "The laboratory", "caption": ""}]}),
            ],
        )
    return article, image


def assert_valid_images(html: str) -> None:
    """No empty or not-found address anywhere an image is named, as Wagtail's own tags would write."""
    assert "not-found" not in html
    assert not re.search(r'\b(?:src|href)=""', html)
    for srcset in re.findall(r'srcset="([^"]*)"', html):
        assert all(candidate.strip().split(" ")[0] for candidate in srcset.split(",")), srcset


def test_a_page_whose_image_file_is_lost_still_renders_with_placeholders(client, article_with_a_lost_image, caplog):
    article, image = article_with_a_lost_image
    lose_file(image, renditions=True)
    with caplog.at_level(logging.WARNING, logger="core.images"):
        response = client.get("/en/news/lost-photo/")
    html, text = response.content.decode(), page_text(response)
    assert response.status_code == 200
    assert "Open day at the Astana branch" in text and "The branch welcomed forty visitors." in text
    placeholders = re.findall(r"<img [^>]*image-placeholder[^>]*>", html)
    assert len(placeholders) == 3  # the cover, the image block and the gallery photo
    assert any('alt="The reception desk"' in tag for tag in placeholders)
    assert any('alt="The laboratory"' in tag for tag in placeholders)
    assert all(re.search(r'width="\d+" height="\d+"', tag) for tag in placeholders)  # no layout shift
    assert "og:image" not in html and '"image":' not in html  # no social preview in the meta tags or JSON-LD
    assert 'class="gallery__zoom"' not in html  # no link to a full-size photo that does not exist
    assert_valid_images(html)
    assert any("lost-photo" in record.getMessage() for record in caplog.records if record.levelname == "WARNING")


@pytest.mark.parametrize("url", ["/en/news/", "/en/"])
def test_the_news_list_and_the_home_page_show_a_placeholder_card(client, article_with_a_lost_image, url):
    _article, image = article_with_a_lost_image
    lose_file(image, renditions=True)
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200 and "Open day at the Astana branch" in page_text(response)
    assert re.search(r'<img [^>]*class="image-placeholder card__image"', html)
    assert_valid_images(html)


def test_renditions_already_made_are_still_shown(client, article_with_a_lost_image):
    _article, image = article_with_a_lost_image
    lose_file(image, renditions=False)
    response = client.get("/en/news/lost-photo/")
    html = response.content.decode()
    assert response.status_code == 200 and "image-placeholder" not in html
    assert re.search(r'<img [^>]*alt="The laboratory"[^>]*src="/media/images/lost-photo[^"]*\.jpg"', html)
    assert re.search(r'<meta property="og:image" content="[^"]*lost-photo[^"]*fill-1200x630', html)
    assert 'class="gallery__zoom"' in html
    assert_valid_images(html)


def test_generate_renditions_reports_a_lost_file_and_goes_on(db):
    lost = new_image("lost-original")
    lose_file(lost, renditions=True)
    after = new_image("still-here")  # made after the lost one: the command reaches it only if it goes on
    after.renditions.all().delete()
    out, err = io.StringIO(), io.StringIO()
    call_command("generate_renditions", stdout=out, stderr=err)
    assert "lost-original" in err.getvalue() and "cannot be read" in err.getvalue()
    assert after.renditions.count() == len(rendition_specs())
    assert "1 image" in out.getvalue()
