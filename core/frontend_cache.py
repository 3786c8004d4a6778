"""Purging the CDN or caching proxy in front of the site (wagtail.contrib.frontend_cache's backends, configured from
the environment in config/settings/production.py).

Wagtail's own handler purges only the published page. A page is also shown by the pages that list it: its section
(the news index and its feeds), the home page, the sitemaps; and, through WAGTAILFRONTENDCACHE_LANGUAGES, every
language's URL is purged, because the language switcher of the translations links to it. One batch per change.
The menu and footer on every other page may stay up to CACHE_CONTROL_S_MAXAGE seconds old at the edge.
"""

import logging

from django.conf import settings
from wagtail.contrib.frontend_cache.utils import PurgeBatch

logger = logging.getLogger(__name__)

FEED_PATHS = ("feed/", "atom/")


def urls_to_purge(page, extra_urls=()) -> set[str]:
    from news.models import NewsIndexPage

    batch = PurgeBatch()
    page = page.specific_deferred
    batch.add_page(page)
    listing = list(page.get_ancestors().filter(depth__gt=1).specific(defer=True))
    batch.add_pages(listing)
    for section in [page, *listing]:
        if isinstance(section, NewsIndexPage):
            url = section.get_full_url()
            if url:
                batch.add_urls(f"{url}{path}" for path in FEED_PATHS)
    site = page.get_site()
    if site is not None:
        root = site.root_url.rstrip("/")
        batch.add_urls([f"{root}/sitemap.xml", f"{root}/{page.locale.language_code}/sitemap.xml"])
    batch.add_urls(extra_urls)
    return batch.urls


def purge(page, extra_urls=()) -> None:
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    try:
        urls = urls_to_purge(page, extra_urls)
        PurgeBatch(urls).purge()
    except Exception:  # noqa: BLE001 - a CDN outage must not stop an editor from publishing
        logger.exception("Front-end cache purge failed for page %s", page.pk)


def page_changed(instance, **kwargs):
    purge(instance)


def page_moved(instance, url_path_before="", **kwargs):
    extra = []
    site = instance.get_site()
    if site is not None and url_path_before.count("/") > 2:
        # The old address: url_path_before is the tree path under the language's home page (/home-1/news/x/),
        # and every home page is the root of its language's URLs (/ru/news/x/).
        below_home = "/" + url_path_before.strip("/").split("/", 1)[1] + "/"
        extra.append(f"{site.root_url.rstrip('/')}/{instance.locale.language_code}{below_home}")
    purge(instance, extra)


def page_deleted(instance, **kwargs):
    if instance.live and instance.depth > 1:
        purge(instance)
