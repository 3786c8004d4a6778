"""The minister's visit gallery: six photos, each with its description, a carousel that works without JS."""

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

URL = "/en/news/minister-of-health-visited-hematology-senter-in-astana/"


def gallery_html(client) -> str:
    html = client.get(URL).content.decode()
    return re.search(r'<section class="gallery".*?</section>', html, re.S).group(0)


def track_html(client) -> str:
    return re.search(r'<div class="gallery__track".*?<dialog', gallery_html(client), re.S).group(0)


def test_gallery_renders_every_image_in_order_with_its_alt_text(client):
    html = track_html(client)
    alts = re.findall(r'<img[^>]*alt="([^"]*)"', html)
    # The Grav page describes its photos as "1" … "6"; the importer flags them for an editor to describe.
    assert alts == [str(n) for n in range(1, 7)]
    sources = re.findall(r'<img[^>]*src="([^"]*)"', html)
    assert [src.rsplit("/", 1)[-1].split(".")[0].split("_")[0] for src in sources] == [str(n) for n in range(1, 7)]


def test_gallery_is_an_accessible_carousel(client):
    html = gallery_html(client)
    assert 'aria-roledescription="carousel"' in html
    assert html.count('aria-roledescription="slide"') == 6
    assert 'aria-label="3 of 6"' in html
    # Controls and the position are there for the script to reveal; without it the strip scrolls.
    assert "data-gallery-prev" in html and "data-gallery-next" in html
    assert re.search(r"data-gallery-current>1</span>\s*/\s*6", html)
    assert "data-gallery-controls hidden" in html


def test_gallery_images_are_lazy_and_sized(client):
    html = track_html(client)
    for img in re.findall(r"<img[^>]*>", html):
        assert 'loading="lazy"' in img
        assert re.search(r'width="\d+"', img) and re.search(r'height="\d+"', img)


def test_the_carousel_script_is_plain_javascript(client):
    from django.contrib.staticfiles import finders

    script = Path(finders.find("js/site.js")).read_text(encoding="utf-8")
    assert "jQuery" not in script and "$(" not in script
    # No autoplay: nothing in the gallery's code moves it on a timer.
    gallery_code = script[script.index("function initGallery") : script.index('querySelectorAll("[data-gallery]")')]
    assert "setInterval" not in gallery_code and "setTimeout" not in gallery_code


def test_each_photo_opens_full_size_in_a_dialog_or_without_script_as_a_link(client):
    html = gallery_html(client)
    links = re.findall(r'<a class="gallery__zoom" href="([^"]+)" data-lightbox>', html)
    assert len(links) == 6 and all(link.endswith(".format-jpeg.width-1440.jpg") for link in links)
    assert "<dialog" in html and "data-lightbox-dialog" in html
    assert 'aria-label="Close"' in html
