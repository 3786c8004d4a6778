"""The site's content generation: one number in the cache that every publish, unpublish, move, delete or
translation publish increments (core.signals).

Everything cached from the content (whole pages for anonymous visitors, the menu, the branches of the footer...)
is stored under a key that carries the generation, so one increment retires all of it at once. Any page may be
listed by others (the menu on every page, the news index, the home page, the feeds, the sitemaps, the language
switcher of its translations): a single counter is the one invalidation that cannot miss a listing. Editors
publish a few times a day; the cost is one cold render per page after each publish.

The cache may be down (Redis restarted): every call here then degrades to "not cached", never to an error.
"""

import logging
import time
from collections import OrderedDict
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache

logger = logging.getLogger(__name__)

GENERATION_KEY = "content:generation"


def _fresh_generation() -> int:
    # Milliseconds since 1970, not 1: should Redis lose or evict the counter, the new one never equals a generation
    # that cached copies still carry.
    return int(time.time() * 1000)


def generation() -> int:
    """The current generation; 0 when the cache keeps nothing (Redis unreachable, or a DummyCache): then nothing is
    cached or trusted."""
    try:
        value = cache.get(GENERATION_KEY)
        if value is None:
            # add() does not overwrite a value another process has just set.
            cache.add(GENERATION_KEY, _fresh_generation(), timeout=None)
            value = cache.get(GENERATION_KEY)
        return int(value or 0)
    except Exception:  # noqa: BLE001 - a cache outage must not take the site down
        logger.warning("Cache unreachable: reading the content generation failed", exc_info=True)
        return 0


def bump_generation() -> None:
    try:
        try:
            bumped = cache.incr(GENERATION_KEY) is not None  # django-redis answers None when Redis is unreachable
        except ValueError:  # not set yet (or evicted): a fresh one differs from every generation in use
            bumped = cache.add(GENERATION_KEY, _fresh_generation(), timeout=None) is not None
    except Exception:  # noqa: BLE001
        bumped = False
    if not bumped:
        logger.error(
            "Cache unreachable: cached pages could not be retired after a content change; they expire within "
            "PAGE_CACHE_SECONDS"
        )


# The generation a request works with, read once when it starts (core.page_cache.PageCacheMiddleware): every fragment
# it uses is then of the same content, and the counter costs one round trip to Redis per request, not one per use.
_request_generation: ContextVar[int | None] = ContextVar("content_generation", default=None)


@contextmanager
def request_generation(value: int):
    token = _request_generation.set(value)
    try:
        yield
    finally:
        _request_generation.reset(token)


def current_generation() -> int:
    value = _request_generation.get()
    return generation() if value is None else value


def versioned_key(name: str) -> str:
    return f"content:{current_generation()}:{name}"


# Fragments this process has already read, by versioned key: most requests then need nothing from Redis at all. A
# new generation makes new keys; the memo is bounded and forgets its oldest entries first. Values are shared by the
# requests of this process: treat them as read-only.
MEMO_SIZE = 2000
_memo: OrderedDict[str, object] = OrderedDict()
_MISSING = object()


def _memorise(key: str, value) -> None:
    _memo[key] = value
    while len(_memo) > MEMO_SIZE:
        _memo.popitem(last=False)


def forget_memo() -> None:
    _memo.clear()


def remember(name: str, builder, timeout: int = 3600):
    """builder() cached under `name` until the content changes (or `timeout` seconds pass): in this process, then in
    the shared cache (Redis), else built."""
    current = current_generation()
    if not current:
        # The cache is unreachable: nothing can be kept, and nothing kept may be trusted (a publish now would not
        # reach this process).
        return builder()
    key = f"content:{current}:{name}"
    value = _memo.get(key, _MISSING)
    if value is not _MISSING:
        return value
    try:
        value = cache.get(key, _MISSING)
    except Exception:  # noqa: BLE001
        return builder()
    if value is _MISSING:
        value = builder()
        try:
            cache.set(key, value, timeout)
        except Exception:  # noqa: BLE001
            logger.warning("Cache unreachable: %s not stored", name, exc_info=True)
    _memorise(key, value)
    return value
