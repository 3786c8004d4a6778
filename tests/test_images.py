"""Responsive images: AVIF, WebP and JPEG in several widths, sized (no layout shift), lazy below the fold, made
ahead of time (never in a visitor's request)."""

import re

import pytest
from wagtail.images import get_image_model
from wagtail.images.models import Rendition

from news.models import NewsArticlePage, NewsIndexPage
from tests.factories import NewsArticlePageFactory
from tests.helpers import MINISTER

pytestmark = pytest.mark.django_db


def pictures(html: str) -> list[str]:
    return re.findall(r"<picture>.*?</picture>", html, re.S)


def test_gallery_photos_are_pictures_in_three_formats_and_widths(client):
    html = client.get(f"/en/news/{MINISTER}/").content.decode()
    found = pictures(html)
    assert len(found) == 6
    for picture in found:
        assert 'type="image/avif"' in picture and 'type="image/webp"' in picture
        assert re.search(r"\.avif 480w, [^\"]+\.avif 960w, [^\"]+\.avif 1440w", picture)
        img = re.search(r"<img [^>]*>", picture).group(0)
        assert re.search(r'width="\d+"', img) and re.search(r'height="\d+"', img)
        assert 'loading="lazy"' in img and 'sizes="' in img


def test_the_cover_image_is_fetched_first_and_not_lazily(client):
    news = NewsIndexPage.objects.get(locale__language_code="en")
    image = get_image_model().objects.first()
    NewsArticlePageFactory(parent=news, slug="with-cover", cover_image=image)
    html = client.get("/en/news/with-cover/").content.decode()
    cover = re.search(r'<figure class="article__cover">(.*?)</figure>', html, re.S).group(1)
    assert 'fetchpriority="high"' in cover and 'loading="lazy"' not in cover
    card = client.get("/en/news/").content.decode()
    assert 'class="card__image"' in card and "fill-480x300" in card


def test_no_rendition_is_made_while_a_visitor_waits(client):
    article = NewsArticlePage.objects.get(slug=MINISTER, locale__language_code="en")
    article.cover_image = get_image_model().objects.first()
    article.save(update_fields=["cover_image"])
    before = Rendition.objects.count()
    client.get(f"/en/news/{MINISTER}/")
    client.get("/en/news/")
    feed = client.get("/en/news/feed/").content.decode()
    assert "<enclosure" in feed and "fill-1200x630" in feed  # the social preview, made when the image arrived
    assert Rendition.objects.count() == before
