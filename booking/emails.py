"""The booking's e-mails: the patient's summary, and the staff's notices of a paid order and of the MIS refusing one.

- send_patient_summary(order): to the patient, in the order's language, once the order is paid (text and HTML,
  templates/booking/email/). Their name appears in the body only, which goes to them alone.
- notify_staff_of_paid_order(order), notify_staff_of_first_rejection(order), notify_staff_of_rejection(order): to
  BOOKING_STAFF_EMAILS, in BOOKING_STAFF_LANGUAGE. They name the order by its invoice number and link to it in the
  admin: no patient data (name, IIN, phone, e-mail, birth date) in their subject or body; staff open the admin.

booking.tasks sends them (send_paid_order_emails, send_paid_order_to_mis). Each function returns whether a message
went out, and raises what the mail backend raises: the callers log a failure by invoice number, never by address.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, send_mail
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import npgettext, pgettext

from .models import Order

ALMATY = ZoneInfo("Asia/Almaty")


def slot_local(order: Order):
    return timezone.localtime(order.slot_start, ALMATY) if order.slot_start else None


def format_when(order: Order) -> str:
    """The slot as the active language writes a date and time: "4 наурыз 2030 ж., 09:30", "4 марта 2030 г., 09:30",
    "4 March 2030, 09:30" (config/formats/<lang>/formats.py)."""
    start = slot_local(order)
    return formats.date_format(start, "DATETIME_FORMAT") if start else ""


def format_kzt(amount: int) -> str:
    """Whole tenge grouped as the active language does: "15 000 ₸" in kk and ru (no-break spaces), "15,000 ₸" in en."""
    number = formats.number_format(amount, use_l10n=True, force_grouping=True)
    return f"{number}\N{NO-BREAK SPACE}₸"


def format_minutes(minutes: int) -> str:
    return npgettext("booking e-mail", "%(minutes)s minute", "%(minutes)s minutes", minutes) % {"minutes": minutes}


def branch_of(order: Order) -> tuple[str, str]:
    """The branch's name and address; the booking steps store them on the order (empty when not known)."""
    return (getattr(order, "branch_name", "") or "").strip(), (getattr(order, "branch_address", "") or "").strip()


def contact_phones(order: Order) -> str:
    """The clinic's phone numbers as editors keep them on the branch pages of the order's language: the booked
    branch's when its page is found by city or title, else every branch's ("Астана: +7 …; Қарағанды: +7 …")."""
    from wagtail.models import Locale

    from about.models import BranchPage

    locale = Locale.objects.filter(language_code=order.language).first()
    if locale is None:
        return ""
    branches = [b for b in BranchPage.objects.listed_in(locale).defer_streamfields() if b.phone_list]
    name = branch_of(order)[0].casefold()
    booked = [b for b in branches if name and name in (b.city.casefold(), b.title.casefold())]
    if booked:
        return ", ".join(booked[0].phone_list)
    return "; ".join(f"{b.city}: {', '.join(b.phone_list)}" for b in branches)


def summary_context(order: Order) -> dict:
    branch_name, branch_address = branch_of(order)
    phones = contact_phones(order)
    return {
        "order": order,
        "clinic": _("Hematology Center"),
        "type": order.consultation_type_name,
        "doctor": order.doctor_name,
        "when": format_when(order),
        "length": format_minutes(order.slot_minutes) if order.slot_minutes else "",
        "branch_name": branch_name,
        "branch_address": branch_address,
        "amount": format_kzt(order.amount_kzt),
        "invoice": order.invoice_id,
        "contact_line": (
            pgettext("booking e-mail", "Questions about your booking? Call the clinic: %(phones)s.")
            % {"phones": phones}
            if phones
            else ""
        ),
    }


def send_patient_summary(order: Order) -> bool:
    """The booking's summary to the patient, in the order's language; nothing when they gave no e-mail."""
    if not order.email:
        return False
    with translation.override(order.language):
        context = summary_context(order)
        start = slot_local(order)
        subject = pgettext("booking e-mail", "Your consultation on %(date)s at %(time)s — %(clinic)s") % {
            "date": formats.date_format(start, "j E") if start else "",
            "time": formats.date_format(start, "H:i") if start else "",
            "clinic": context["clinic"],
        }
        text = render_to_string("booking/email/patient_summary.txt", context)
        html = render_to_string("booking/email/patient_summary.html", context)
    message = EmailMultiAlternatives(subject, text, None, [order.email])
    message.attach_alternative(html, "text/html")
    message.send()
    return True


def _staff_order_lines(order: Order) -> str:
    """What staff need to see of an order, without the patient: invoice, type, doctor, time, branch, amount."""
    lines = [
        (pgettext("booking e-mail", "Invoice number"), order.invoice_id),
        (pgettext("booking e-mail", "Consultation"), order.consultation_type_name),
        (pgettext("booking e-mail", "Doctor"), order.doctor_name),
        (pgettext("booking e-mail", "Date and time"), format_when(order)),
        (pgettext("booking e-mail", "Branch"), branch_of(order)[0]),
        (pgettext("booking e-mail", "Amount paid"), format_kzt(order.amount_kzt)),
    ]
    return "\n".join(f"{label}: {value}" for label, value in lines if value)


def _send_to_staff(subject: str, body: str) -> bool:
    if not settings.BOOKING_STAFF_EMAILS:
        return False
    send_mail(subject, body, None, settings.BOOKING_STAFF_EMAILS)
    return True


def notify_staff_of_paid_order(order: Order) -> bool:
    """A new paid order: what was booked and the link to it in the admin."""
    from .tasks import order_admin_url

    with translation.override(settings.BOOKING_STAFF_LANGUAGE):
        subject = pgettext("booking e-mail", "New paid order %(invoice)s") % {"invoice": order.invoice_id}
        body = "\n\n".join(
            [
                pgettext("booking e-mail", "A patient has booked and paid for a consultation:"),
                _staff_order_lines(order),
                pgettext("booking e-mail", "The patient's details are in the admin:\n%(url)s")
                % {"url": order_admin_url(order)},
            ]
        )
    return _send_to_staff(subject, body)


def rejection_reason(order: Order) -> str:
    """The kind of failure in the active language, from the order's last_error ("MisUnavailable (attempt 1)")."""
    kind = order.last_error.split(" ", 1)[0]
    reasons = {
        "MisUnavailable": pgettext("booking e-mail", "the MIS did not answer"),
        "MisRejected": pgettext("booking e-mail", "the MIS refused the order"),
        "MisBadAnswer": pgettext("booking e-mail", "the MIS's answer could not be read"),
    }
    return reasons.get(kind, order.last_error)


def notify_staff_of_first_rejection(order: Order) -> bool:
    """The MIS did not accept a paid order the first time: nothing to do yet, it is retried automatically."""
    from .tasks import order_admin_url

    with translation.override(settings.BOOKING_STAFF_LANGUAGE):
        subject = pgettext("booking e-mail", "Paid order %(invoice)s not accepted by the MIS yet: retrying") % {
            "invoice": order.invoice_id
        }
        body = "\n\n".join(
            [
                pgettext(
                    "booking e-mail",
                    "The patient has paid for order %(invoice)s, but the MIS did not accept it: %(reason)s. It will "
                    "be retried automatically; you need do nothing yet. If the retries fail too, you will get "
                    "another e-mail.",
                )
                % {"invoice": order.invoice_id, "reason": rejection_reason(order)},
                _staff_order_lines(order),
                pgettext("booking e-mail", "The order in the admin:\n%(url)s") % {"url": order_admin_url(order)},
            ]
        )
    return _send_to_staff(subject, body)


def notify_staff_of_rejection(order: Order) -> bool:
    """Automatic retries stopped after BOOKING_MIS_MAX_ATTEMPTS: staff must act."""
    from .tasks import order_admin_url

    with translation.override(settings.BOOKING_STAFF_LANGUAGE):
        subject = _("Paid order %(invoice)s was not accepted by the MIS") % {"invoice": order.invoice_id}
        body = _(
            "The patient has paid for order %(invoice)s, but the MIS did not accept it after %(attempts)s attempts. "
            "Automatic retries have stopped. Open the order, check the MIS, then retry sending it or refund it:\n"
            "%(url)s"
        ) % {"invoice": order.invoice_id, "attempts": order.attempts, "url": order_admin_url(order)}
    return _send_to_staff(subject, body)


def notify_staff_of_late_payment(order: Order) -> bool:
    """Paid after the hold expired, and the slot was another patient's by then: staff arrange another time (or
    refund). The order was not sent to the MIS."""
    from .tasks import order_admin_url

    with translation.override(settings.BOOKING_STAFF_LANGUAGE):
        subject = pgettext("booking e-mail", "Paid order %(invoice)s has no time: call the patient") % {
            "invoice": order.invoice_id
        }
        body = "\n\n".join(
            [
                pgettext(
                    "booking e-mail",
                    "The patient paid for order %(invoice)s after the time was no longer held for them, and another "
                    "patient had booked that time meanwhile. The order was not sent to the MIS. Call the patient "
                    "(their phone is on the order) to agree another time and book it in the MIS, or refund the "
                    "payment and mark the order refunded.",
                )
                % {"invoice": order.invoice_id},
                _staff_order_lines(order),
                pgettext("booking e-mail", "The order in the admin:\n%(url)s") % {"url": order_admin_url(order)},
            ]
        )
    return _send_to_staff(subject, body)
