"""Django's LocaleMiddleware, minus one redirect: a 404 outside the language trees stays a 404.

With i18n_patterns, Django answers a 404 for an address without a language by redirecting to the same address with
the visitor's language in front whenever that address would resolve. Wagtail's page URLs resolve any path, so
/admin/no-such-screen/ was sent to /ru/admin/no-such-screen/ and /healthz/ to /kk/healthz/. The redirect is kept for
page addresses (/news/ → /kk/news/); an address whose first segment belongs to a route outside i18n_patterns
(config/urls.py: the admin, documents, health checks, sitemaps, robots.txt…), or to the static and media files,
keeps the 404 it was given.
"""

import re
from functools import cache

from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.urls import LocalePrefixPattern, URLResolver, get_resolver
from django.utils import translation
from django.utils.cache import patch_vary_headers


@cache
def unprefixed_first_segments(urlconf: str) -> frozenset[str]:
    """The first path segments of every route outside i18n_patterns, e.g. {"admin", "healthz", "sitemap.xml"}, and of
    the static and media files (served by nginx or WhiteNoise, whatever the urlconf says)."""
    segments = {url.strip("/").split("/")[0] for url in (settings.STATIC_URL, settings.MEDIA_URL) if url.strip("/")}
    for pattern in get_resolver(urlconf).url_patterns:
        if isinstance(pattern, URLResolver) and isinstance(pattern.pattern, LocalePrefixPattern):
            continue
        route = str(pattern.pattern).lstrip("^")
        first = re.match(r"[\w.\-]+", route)
        if first:
            segments.add(first.group(0))
    return frozenset(segments)


class LocaleMiddleware(DjangoLocaleMiddleware):
    def process_response(self, request, response):
        if response.status_code == 404:
            urlconf = getattr(request, "urlconf", None) or settings.ROOT_URLCONF
            first = request.path_info.lstrip("/").split("/", 1)[0]
            if first in unprefixed_first_segments(urlconf):
                patch_vary_headers(response, ("Accept-Language",))
                response.headers.setdefault("Content-Language", translation.get_language())
                return response
        return super().process_response(request, response)
