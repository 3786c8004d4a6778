"""The site's content generation: one number that every publish, unpublish, move, delete or translation publish
raises (core.signals).

Everything cached from the content (whole pages for anonymous visitors, the menu, the branches of the footer, the
feeds...) is stored under a key, or with a mark, that carries the generation, so one raise retires all of it at
once. Any page may be listed by others (the menu on every page, the news index, the home page, the feeds, the
sitemaps, the language switcher of its translations): a single number is the one invalidation that cannot miss a
listing. Editors publish a few times a day; the cost is one cold render per page after each publish.

The number lives in the database (core.models.ContentVersion, one row), not in Redis: it is raised in the database
the publish writes to, so a publish made while Redis is paused or unreachable still retires every copy, and a Redis
restarted from an older snapshot brings back copies marked with an older number, which are refused. Reading it is
one primary-key query per request that uses the cache (a cached page included).

The cache itself may be down (Redis restarted): every call here then degrades to "not cached", never to an error.
"""

import logging
import time
from collections import OrderedDict
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.db.models import F, Value
from django.db.models.functions import Greatest

logger = logging.getLogger(__name__)


def _now_ms() -> int:
    return int(time.time() * 1000)


def cache_keeps_nothing() -> bool:
    """No cache configured (make demo, or production without REDIS_URL): nothing is kept, not even in this
    process, so an edited template shows at the next reload."""
    return isinstance(caches["default"], DummyCache)


def generation() -> int:
    """The current generation, read from the database."""
    from .models import ContentVersion

    value = ContentVersion.objects.filter(pk=1).values_list("version", flat=True).first()
    if value is None:  # a database emptied by hand (or a test's flush): start again from the clock
        value = ContentVersion.objects.get_or_create(pk=1, defaults={"version": _now_ms()})[0].version
    return value


def bump_generation() -> None:
    """Retire everything cached. Never backwards: at least the clock in milliseconds, so that after a restore of an
    older database the number still differs from every one that cached copies carry."""
    from .models import ContentVersion

    if not ContentVersion.objects.filter(pk=1).update(version=Greatest(F("version") + 1, Value(_now_ms()))):
        ContentVersion.objects.get_or_create(pk=1, defaults={"version": _now_ms()})


# The generation a request works with, read once (core.page_cache.PageCacheMiddleware reads it first thing for a
# page it may serve from the cache; other requests read it when they first need it, so /healthz never does): every
# fragment it uses is then of the same content, and the number costs one query per request, not one per use.
_request_generation: ContextVar[list | None] = ContextVar("content_generation", default=None)


@contextmanager
def request_generation(value: int | None = None):
    token = _request_generation.set([value])
    try:
        yield
    finally:
        _request_generation.reset(token)


def current_generation() -> int:
    box = _request_generation.get()
    if box is None:
        return generation()
    if box[0] is None:
        box[0] = generation()
    return box[0]


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
    the shared cache (Redis), else built. With Redis unreachable it is still kept in this process: the generation
    comes from the database, so a publish retires it all the same."""
    if cache_keeps_nothing():
        return builder()
    key = versioned_key(name)
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
