"""`check --deploy`: the booking's e-mails need a real sender and someone on staff to tell. Registered by
booking/apps.py (ready()), with booking/payments/checks.py."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.compatibility, deploy=True)
def booking_emails_can_be_delivered(app_configs, **kwargs):
    warnings = []
    if settings.DEFAULT_FROM_EMAIL.rstrip(">").endswith("@localhost"):
        warnings.append(
            Warning(
                "DEFAULT_FROM_EMAIL is an address at localhost: patients' booking summaries will be refused or "
                "filed as spam.",
                hint="Set DEFAULT_FROM_EMAIL to an address of the clinic's domain (docs/booking.md, E-mails).",
                id="booking.W002",
            )
        )
    if not settings.BOOKING_STAFF_EMAILS:
        warnings.append(
            Warning(
                "BOOKING_STAFF_EMAILS is empty: no one is told of paid orders, nor of a paid order the MIS refuses.",
                hint="Set BOOKING_STAFF_EMAILS to the registry's addresses, comma-separated (docs/booking.md).",
                id="booking.W003",
            )
        )
    return warnings
