"""Per-address limits on the booking's costly or sensitive actions: the IIN check (it asks the MIS, and would let
anybody test IINs) and the creation of orders and payments. Counted in Django's cache (Redis in production, shared
by every app server), as core.password_reset does; with no working cache nothing is limited.

over_limit(request, "iin") → None when the action may go on, else the minutes to wait. Logs carry the action only:
neither the address's owner nor what they typed.
"""

import logging
import math
import time

from django.conf import settings
from django.core.cache import cache

from core.client_address import client_ip

logger = logging.getLogger("booking")


def _limits() -> tuple[int, int]:
    return settings.BOOKING_RATE_LIMIT, settings.BOOKING_RATE_WINDOW_SECONDS


def over_limit(request, action: str) -> int | None:
    """Count one `action` for the visitor's address; the minutes until they may try again if over the limit."""
    limit, window = _limits()
    now = time.time()
    slot = int(now // window)
    key = f"booking-limit:{action}:{client_ip(request)}:{slot}"
    try:
        cache.add(key, 0, timeout=window)
        count = cache.incr(key)
    except Exception:  # noqa: BLE001 - no cache (DummyCache raises ValueError) or Redis down: not limited
        return None
    if count <= limit:
        return None
    if count == limit + 1:
        logger.warning("booking: per-address limit reached for %s", action)
    return max(1, math.ceil(((slot + 1) * window - now) / 60))
