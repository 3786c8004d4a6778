"""Whole pages for anonymous visitors from the cache (Redis in production), and the Cache-Control header of every
response.

A page is kept under its host, language and full URL (query string included) together with the content generation
(core.cache), so a publish, unpublish, move, delete or translation publish retires every cached page at once: the
article, its news index, the home page that lists it, the feeds and the sitemaps change together. The generation is
read from the database (one primary-key query, the only one a cached page costs), so a copy older than the last
publish is never served, even when Redis missed the publish or came back from an older snapshot.

What is cached: GET/HEAD requests without a session cookie, answered 200 without setting a cookie and without a
CSRF token (a password-protected page's form uses one), and not marked private by the view. Everything else (the
admin, previews, signed-in editors, restricted pages, forms) gets `Cache-Control: private, no-store`, so neither a
browser nor nginx nor a CDN keeps it. Public pages get `public, max-age=…, s-maxage=…, stale-while-revalidate=…`:
shared caches (the nginx micro-cache of deploy/nginx, a CDN purged on publish by wagtail.contrib.frontend_cache)
may keep them.

The public Content-Security-Policy carries a nonce per response (core.middleware): a page served from the cache
gets the nonce of the request that serves it.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_cache_control

from .cache import cache_keeps_nothing, generation, request_generation

logger = logging.getLogger(__name__)

# Never served from or stored in the app's cache, whatever the response says.
UNCACHED_PREFIXES = ("/admin/", "/django-admin/", "/documents/", "/healthz", "/readyz", "/static/", "/media/")
PRIVATE_PREFIXES = ("/admin/", "/django-admin/")
STORED_HEADERS = ("Content-Type", "Content-Language", "Vary", "Link", "Last-Modified", "X-Robots-Tag")


def language_of(path: str) -> str:
    first = path.lstrip("/").split("/", 1)[0]
    return first if first in dict(settings.LANGUAGES) else "-"


def page_key(request) -> str:
    """One entry per URL, overwritten when the page is rendered again; the entry says which content generation it
    was rendered in."""
    url = f"{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(url.encode()).hexdigest()[:32]
    return f"page:{language_of(request.path)}:{digest}"


def has_session(request) -> bool:
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def is_cacheable_request(request) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and not cache_keeps_nothing()
        and request.method in ("GET", "HEAD")
        and not has_session(request)
        and not request.path.startswith(UNCACHED_PREFIXES)
    )


def is_private(request, response) -> bool:
    """Responses no shared cache may keep."""
    if request.path.startswith(PRIVATE_PREFIXES) or getattr(request, "is_preview", False):
        return True
    # Without a session cookie nobody is signed in (and finding that out costs no query).
    return has_session(request) or bool(response.cookies) or bool(request.META.get("CSRF_COOKIE_USED"))


def is_public(request, response) -> bool:
    """A page every anonymous visitor sees the same: it may be kept by the app, nginx and a CDN."""
    control = response.get("Cache-Control", "")
    return (
        request.method in ("GET", "HEAD")
        and response.status_code == 200
        and not response.streaming
        and not any(word in control for word in ("private", "no-store", "no-cache", "max-age=0"))
        and not is_private(request, response)
    )


def set_cache_control(request, response) -> None:
    if is_private(request, response):
        # Replaces whatever Django or Wagtail put there (never_cache's max-age=0 etc.): the admin, previews and
        # anything shown to a signed-in editor or behind a password are never stored anywhere.
        response["Cache-Control"] = "private, no-store"
    elif is_public(request, response):
        patch_cache_control(
            response,
            public=True,
            max_age=settings.CACHE_CONTROL_MAX_AGE,
            s_maxage=settings.CACHE_CONTROL_S_MAXAGE,
            stale_while_revalidate=settings.CACHE_CONTROL_STALE_WHILE_REVALIDATE,
        )


def _nonce_of(request) -> str:
    return getattr(request, "csp_nonce", "")


def store(request, response) -> None:
    entry = {
        # The generation read before the page was rendered: a publish during rendering leaves this copy stale.
        "generation": request._page_cache_generation,
        "status": response.status_code,
        "headers": {name: response[name] for name in STORED_HEADERS if name in response},
        "content": response.content,
        "nonce": _nonce_of(request),
    }
    try:
        cache.set(page_key(request), entry, settings.PAGE_CACHE_SECONDS)
    except Exception:  # noqa: BLE001 - no cache: the page was served anyway
        logger.warning("Cache unreachable: page not stored", exc_info=True)


def fetch(request) -> HttpResponse | None:
    # The database first: should it be down, the static 503 page answers (core.faults) rather than a copy nobody
    # can tell is current.
    request._page_cache_generation = generation()
    try:
        entry = cache.get(page_key(request))
    except Exception:  # noqa: BLE001 - no cache: render the page
        logger.warning("Cache unreachable: page rendered without it", exc_info=True)
        entry = None
    if not isinstance(entry, dict) or entry.get("generation") != request._page_cache_generation:
        return None
    content = entry["content"]
    if entry["nonce"] and _nonce_of(request):
        content = content.replace(entry["nonce"].encode(), _nonce_of(request).encode())
    response = HttpResponse(content, status=entry["status"])
    for name, value in entry["headers"].items():
        response[name] = value
    response["Content-Length"] = str(len(content))
    return response


class PageCacheMiddleware:
    """Placed after core.middleware.SecurityHeadersMiddleware (which makes the nonce and sets the CSP header of
    cached pages too) and before sessions, locale and Wagtail: a cached page costs one cache read and one query
    (the content generation)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cacheable = is_cacheable_request(request)
        request._page_cache_generation = None  # read when first needed: /healthz, static files never need it
        if cacheable:
            response = fetch(request)
            if response is not None:
                set_cache_control(request, response)
                response["X-Cache"] = "HIT"
                return response
        # Everything this request builds from the cache (menu, fragments: core.cache.remember) is of this generation.
        with request_generation(request._page_cache_generation):
            response = self.get_response(request)
        set_cache_control(request, response)
        if cacheable and is_public(request, response):
            # The cached copy is served to anonymous visitors only: the session's Vary would only split caches.
            vary = [v.strip() for v in response.get("Vary", "").split(",") if v.strip() and v.strip() != "Cookie"]
            if vary:
                response["Vary"] = ", ".join(vary)
            elif "Vary" in response:
                del response["Vary"]
            store(request, response)
            response["X-Cache"] = "MISS"
        return response
