"""RSS 2.0 and Atom feeds of one language's news (/<lang>/news/feed/, /<lang>/news/atom/), newest 20."""

from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from core.cache import remember
from core.images import SOCIAL, rendition_or_none

FEED_SIZE = 20
CACHE_SECONDS = 600


class NewsFeed(Feed):
    feed_type = Rss201rev2Feed

    def __init__(self, index, request):
        super().__init__()
        self.index, self.request = index, request
        self.language = index.locale.language_code

    def title(self):
        return f"{self.index.title} · {_('Hematology Center')}"

    def link(self):
        return self.index.get_url(self.request)

    def description(self):
        return " ".join(strip_tags(self.index.intro).split()) or self.title()

    def items(self):
        return self.index.articles()[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.get_url(self.request)

    def item_pubdate(self, item):
        return item.date

    def item_updateddate(self, item):
        return item.last_published_at or item.date

    def item_enclosures(self, item):
        # The social preview: made when the image arrived (core.images), never while a feed reader waits. No
        # enclosure when the image's file is missing.
        rendition = rendition_or_none(item.cover_image, SOCIAL) if item.cover_image else None
        try:
            size = rendition.file.size if rendition else None
        except OSError:
            size = None
        if size is None:
            return []
        return [Enclosure(self.request.build_absolute_uri(rendition.url), str(size), "image/jpeg")]


class AtomNewsFeed(NewsFeed):
    feed_type = Atom1Feed
    subtitle = NewsFeed.description


def feed_response(index, request, kind: str):
    def build():
        response = (AtomNewsFeed if kind == "atom" else NewsFeed)(index, request)(request)
        return response.content, response["Content-Type"]

    # One entry per news index, i.e. per language (a language never gets another's feed), and per host (the links
    # are absolute), retired with everything else by the content generation (core.cache): a publish, withdrawal or
    # move of an article rebuilds it even when Redis missed the publish.
    cached = remember(f"news-feed:{index.pk}:{kind}:{request.get_host()}", build, CACHE_SECONDS)
    response = HttpResponse(cached[0], content_type=cached[1])
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response
