"""The clinic's MIS behind one interface (booking.mis.interface.MisClient): the HTTP client or the simulator.

from booking.mis import get_mis_client, MisError
mis = get_mis_client()
try:
    types = mis.consultation_types("ru")
except MisError as error:
    show(error.user_message)
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .interface import (
    ConsultationType,
    Doctor,
    MisBadAnswer,
    MisClient,
    MisError,
    MisRejected,
    MisUnavailable,
    OrderResult,
    Patient,
    Slot,
)

__all__ = [
    "ConsultationType",
    "Doctor",
    "MisBadAnswer",
    "MisClient",
    "MisError",
    "MisRejected",
    "MisUnavailable",
    "OrderResult",
    "Patient",
    "Slot",
    "get_mis_client",
]


def get_mis_client() -> MisClient:
    """The simulator when MIS_URL is unset; otherwise the HTTP client with the MIS_* settings."""
    url = getattr(settings, "MIS_URL", "")
    if not url:
        from .simulator import SimulatedMis

        return SimulatedMis()
    from .http import HttpMisClient

    auth = getattr(settings, "MIS_AUTH", "jwt")
    if auth == "jwt" and not getattr(settings, "MIS_SECRET", ""):
        raise ImproperlyConfigured("MIS_AUTH=jwt needs MIS_SECRET in the environment.")
    if auth == "apikey" and not getattr(settings, "MIS_API_KEY", ""):
        raise ImproperlyConfigured("MIS_AUTH=apikey needs MIS_API_KEY in the environment.")
    if auth not in ("jwt", "apikey"):
        raise ImproperlyConfigured("MIS_AUTH must be jwt or apikey.")
    return HttpMisClient(
        url,
        auth=auth,
        secret=getattr(settings, "MIS_SECRET", ""),
        api_key=getattr(settings, "MIS_API_KEY", ""),
        timeout=getattr(settings, "MIS_TIMEOUT", 5.0),
        retries=getattr(settings, "MIS_RETRIES", 2),
        backoff=getattr(settings, "MIS_BACKOFF", 0.3),
        token_url=getattr(settings, "MIS_TOKEN_URL", ""),
        token_lifetime=getattr(settings, "MIS_TOKEN_LIFETIME", 300),
    )
