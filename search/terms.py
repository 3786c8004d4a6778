"""What Reports → Search terms counts (wagtail.contrib.search_promotions' Query and QueryDailyHits), bounded.

Counting every search would let a robot sending random queries grow two tables without limit (a row per query and a
row per query and day). Only a search that found something, on its first page, with a query of at most
SEARCH_TERMS_MAX_LENGTH characters is counted; a query already counted today is counted again at the cost of one
UPDATE; at most SEARCH_TERMS_NEW_PER_DAY queries a day start being counted (an atomic counter in the cache, shared by
every app server through Redis). Without a working cache no new query is counted: the report misses some, the
database never grows unbounded.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, QueryDailyHits
from wagtail.search.utils import normalise_query_string

logger = logging.getLogger(__name__)


def find_query(search_query: str) -> Query | None:
    """The Query editors attached promoted results to, if any; never creates one."""
    return Query.objects.filter(query_string=normalise_query_string(search_query)).first()


def count_search(search_query: str) -> None:
    """Count one search that found something, within the bounds above."""
    query_string = normalise_query_string(search_query)
    if not query_string or len(query_string) > settings.SEARCH_TERMS_MAX_LENGTH:
        return
    today = timezone.localdate()
    counted = QueryDailyHits.objects.filter(query__query_string=query_string, date=today)
    if counted.update(hits=F("hits") + 1):
        return
    if not _take_one_of_todays_new_queries(today):
        return
    Query.get(query_string).add_hit(today)


def _take_one_of_todays_new_queries(today) -> bool:
    key = f"search-terms:new:{today.isoformat()}"
    try:
        cache.add(key, 0, timeout=2 * 24 * 3600)
        taken = cache.incr(key)
    except Exception:  # noqa: BLE001 - no cache (DummyCache raises ValueError) or Redis down: count nothing new
        return False
    if taken is None:
        return False
    if taken == settings.SEARCH_TERMS_NEW_PER_DAY + 1:
        logger.warning("Search terms: today's %d new queries are counted; further new ones are not.", taken - 1)
    return taken <= settings.SEARCH_TERMS_NEW_PER_DAY
