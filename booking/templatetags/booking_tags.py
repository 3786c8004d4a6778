"""The booking in templates: the header's call to action, prices in tenge."""

from django import template
from django.utils import translation

from core.cache import remember
from core.models import locale_ids, private_q

register = template.Library()


@register.filter
def kzt(amount) -> str:
    """15000 → "15 000 ₸" (no-break spaces: the price never wraps)."""
    try:
        value = int(amount)
    except (TypeError, ValueError):
        return ""
    return f"{value:,}".replace(",", "\u00a0") + "\u00a0₸"


def booking_page(language: str):
    """The live, public booking page of a language, or None; cached until the content changes (core.cache)."""
    from booking.models import BookingPage

    def build():
        return BookingPage.objects.live().exclude(private_q()).filter(locale_id=locale_ids().get(language)).first()

    return remember(f"booking-page:{language}", build)


@register.inclusion_tag("booking/includes/call_to_action.html", takes_context=True)
def booking_call_to_action(context):
    page = booking_page(translation.get_language())
    current = context.get("page")
    return {
        "booking_page": page,
        "request": context.get("request"),
        "is_current": page is not None and getattr(current, "pk", None) == page.pk,
    }
