"""`check --deploy`: a site that takes payments through the simulator takes no money, and its simulated bank would
confirm any payment. Registered by booking/apps.py (`from .payments import checks  # noqa: F401` in ready())."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def payments_are_real(app_configs, **kwargs):
    if getattr(settings, "EPAY_MODE", "simulator") == "simulator" and not settings.DEBUG:
        return [
            Warning(
                "EPAY_MODE is 'simulator': bookings are 'paid' by a simulated bank and no money is taken.",
                hint="Set EPAY_MODE=production with EPAY_CLIENT_ID, EPAY_CLIENT_SECRET and EPAY_TERMINAL_ID.",
                id="booking.W001",
            )
        ]
    return []
