"""The branches' price lists, copied from the clinic's MIS (booking.mis: `price_list(city_id, lang)`) into
about.PriceList, so that a branch page never waits for the MIS and still shows the last good copy while it is down.

sync_price_lists() runs hourly on the booking queue (booking.tasks.sync_price_lists, queued by
deploy/systemd/hematology-price-lists.timer) and by hand with `manage.py sync_price_lists`.
"""

from __future__ import annotations

import logging

import nh3
from django.conf import settings
from django.utils import timezone

from core.cache import bump_generation

from .models import BranchPage, PriceList

logger = logging.getLogger("about.price_lists")

# The MIS's HTML is shown on the site: only the markup of a price table and its text survive. Scripts and styles go
# with their content; event handlers, classes, styles, links and anything else are dropped (their text is kept).
TAGS = {
    *("table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "colgroup", "col"),
    *("h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "li", "strong", "b", "em", "i", "br"),
}
ATTRIBUTES = {"th": {"colspan", "rowspan", "scope"}, "td": {"colspan", "rowspan"}, "col": {"span"}}
_cleaner = nh3.Cleaner(tags=TAGS, attributes=ATTRIBUTES, url_schemes=set(), link_rel=None)

# MisUnavailable this many times in a row: the MIS is down; the rest waits for the next run (each call may take
# about 16 s with its retries: a run must not hold the booking queue's worker for minutes).
GIVE_UP_AFTER = 2


def clean_price_list(html: str) -> str:
    return _cleaner.clean(html).strip()


def branch_city_ids() -> list[str]:
    """The MIS city ids of the live branch pages, in any language."""
    ids = BranchPage.objects.live().exclude(mis_city_id="").values_list("mis_city_id", flat=True)
    return sorted({city_id.strip() for city_id in ids if city_id.strip()})


def sync_price_lists(client=None) -> dict[str, int]:
    """Fetch every branch city's price list in every language, sanitise it and store it with the time. A failure
    (any MisError, or a list that is empty once cleaned) keeps the last good copy and its time, and is logged with
    the city id and the kind of failure only. Returns the counts: stored (of which changed), failed, skipped."""
    from booking.mis import MisError, MisUnavailable, get_mis_client

    client = client or get_mis_client()
    languages = [code for code, _name in settings.LANGUAGES]
    counts = {"stored": 0, "changed": 0, "failed": 0, "skipped": 0}
    changed_cities: set[str] = set()
    unavailable_in_a_row = 0
    jobs = [(city_id, language) for city_id in branch_city_ids() for language in languages]
    for index, (city_id, language) in enumerate(jobs):
        if unavailable_in_a_row >= GIVE_UP_AFTER:
            counts["skipped"] = len(jobs) - index
            logger.warning("price lists: the MIS is not answering; %d left for the next run", counts["skipped"])
            break
        try:
            html = clean_price_list(client.price_list(city_id, language))
        except MisError as error:
            counts["failed"] += 1
            unavailable_in_a_row = unavailable_in_a_row + 1 if isinstance(error, MisUnavailable) else 0
            logger.warning("price lists: city %s (%s) kept its last copy: %s", city_id, language, error.code)
            continue
        unavailable_in_a_row = 0
        if not html:
            counts["failed"] += 1
            logger.warning("price lists: city %s (%s) kept its last copy: empty", city_id, language)
            continue
        if _store(city_id, language, html):
            counts["changed"] += 1
            changed_cities.add(city_id)
        counts["stored"] += 1
    if changed_cities:
        _retire_cached_pages(changed_cities)
    return counts


def _store(city_id: str, language: str, html: str) -> bool:
    """Store the copy; True when a visitor would see a difference (the table, or the date it was updated on)."""
    now = timezone.now()
    old = PriceList.objects.filter(city_id=city_id, language=language).first()
    if old is None:
        PriceList.objects.create(city_id=city_id, language=language, html=html, fetched_at=now)
        return True
    changed = old.html != html or timezone.localdate(old.fetched_at) != timezone.localdate(now)
    old.html, old.fetched_at = html, now
    old.save(update_fields=["html", "fetched_at"])
    return changed


def _retire_cached_pages(city_ids: set[str]) -> None:
    """The branch pages are cached whole (core.page_cache, and the CDN): a new price list retires those copies."""
    from core.frontend_cache import purge

    bump_generation()
    for page in BranchPage.objects.live().filter(mis_city_id__in=city_ids):
        purge(page)
