"""The admin's "Forgot password?" form, with a limit on the e-mails it sends.

Without one, anybody could make the site send an editor hundreds of reset e-mails, or use it to send mail to many
addresses. Each request counts once against the visitor's address and once against the e-mail address asked for,
in the cache (an atomic counter per hour, shared by every app server through Redis); over either limit
(PASSWORD_RESET_LIMITS) no e-mail is sent. The visitor sees the same neutral page either way (Django's view never
says whether an account exists). Plugged in through Wagtail's WAGTAILADMIN_USER_PASSWORD_RESET_FORM setting.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from wagtail.admin.forms.auth import PasswordResetForm

from core.client_address import client_ip

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 3600


def _count(key: str) -> int | None:
    """Add one to the counter `key` for this hour; None when there is no working cache."""
    try:
        cache.add(key, 0, timeout=WINDOW_SECONDS)
        return cache.incr(key)
    except Exception:  # noqa: BLE001 - no cache (DummyCache raises ValueError) or Redis down
        return None


def within_limits(request, email: str) -> bool:
    limits = settings.PASSWORD_RESET_LIMITS
    # The e-mail address is hashed: it is personal data, and the key is all that is needed.
    email_key = hashlib.sha256(email.strip().casefold().encode()).hexdigest()
    counts = {
        "address": _count(f"password-reset:address:{client_ip(request)}"),
        "email": _count(f"password-reset:email:{email_key}"),
    }
    over = [name for name, count in counts.items() if count is not None and count > limits[name]]
    if over:
        logger.warning("Password reset e-mail not sent: more than the hourly limit per %s.", " and ".join(over))
    return not over


class RateLimitedPasswordResetForm(PasswordResetForm):
    def save(self, *args, request=None, **kwargs):
        if request is not None and not within_limits(request, self.cleaned_data["email"]):
            return
        super().save(*args, request=request, **kwargs)
