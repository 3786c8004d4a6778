"""The booking steps, the routes of booking.models.BookingPage: type → doctor → time → details → summary → payment,
then paid/ or failed/. Each step is a GET (its form) and a POST (validated, saved on the order, then a redirect to
the next step: POST/redirect/GET); they work without JavaScript.

The patient's order is found through the session only (`request.session["booking_order"]`, its primary key): no
personal data and no order id ever appears in a URL. A step reached without what it needs redirects to the first
step missing. The MIS's and the bank's failures are shown as their `user_message` on the step, never as a 500.

Changing the consultation, the doctor or the time once the payment has started does not touch that order (its
invoice went to the bank with its amount and slot): a new order is made with the same choices and details, and the
old one gives its slot up (expired: a late payment on it is still recorded, booking.confirmation).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.client_address import client_ip
from core.middleware import public_policy

from . import mis
from .branches import set_branch
from .confirmation import PAYABLE_STATES, is_settled, settle_from_bank
from .forms import DetailsForm, DoctorForm, SummaryForm, TimeForm, TypeForm
from .holds import SlotTaken, hold, release
from .limits import over_limit
from .mis import MisError, MisRejected
from .models import HOLDING_STATES, SLOT_STATES, Order, OrderEvent
from .models import OrderStatus as S
from .payments import PaymentError, get_payment_gateway
from .states import transition

logger = logging.getLogger("booking")

SESSION_KEY = "booking_order"
STEPS_IN_ORDER = ("type", "doctor", "time", "details", "summary", "payment")
STEP_LABELS = {
    "type": gettext_lazy("Consultation"),
    "doctor": gettext_lazy("Doctor"),
    "time": gettext_lazy("Date and time"),
    "details": gettext_lazy("Your details"),
    "summary": gettext_lazy("Confirmation"),
    "payment": gettext_lazy("Payment"),
}
# Copied to a new order when the patient changes a booking whose payment has started.
CARRIED_FIELDS = (
    "consultation_type_id",
    "consultation_type_name",
    "amount_kzt",
    "doctor_id",
    "doctor_name",
    "branch_name",
    "branch_address",
    "full_name",
    "iin",
    "no_iin",
    "gender",
    "birth_date",
    "phone",
    "email",
    "questions",
    "mis_patient_id",
)


# The order of this visitor


def session_order(request) -> Order | None:
    """The order the session points at, whatever its state (the paid/ and failed/ steps show settled ones)."""
    pk = request.session.get(SESSION_KEY)
    if not isinstance(pk, int):
        return None
    return Order.objects.filter(pk=pk).first()


def open_order(request) -> Order | None:
    """The order being booked: None once it is paid (or cancelled), so the next booking starts afresh."""
    order = session_order(request)
    if order is None or is_settled(order) or order.status == S.CANCELLED:
        return None
    return order


def remember(request, order: Order) -> None:
    request.session[SESSION_KEY] = order.pk


def hold_is_valid(order: Order | None) -> bool:
    return (
        order is not None
        and order.status in HOLDING_STATES
        and order.hold_expires_at is not None
        and order.hold_expires_at > timezone.now()
    )


def has_details(order: Order) -> bool:
    return bool(order.full_name and order.phone and order.birth_date and order.email and (order.iin or order.no_iin))


def first_missing_step(order: Order | None) -> str | None:
    if order is None or not order.consultation_type_id:
        return "type"
    if not order.doctor_id:
        return "doctor"
    if not hold_is_valid(order):
        return "time"
    if not has_details(order):
        return "details"
    if not order.consent_at:
        return "summary"
    return None


def order_for_changes(request, order: Order, lang: str) -> Order:
    """The order on which the consultation, doctor or time may change: this one before the payment started, else a
    new one carrying the same choices and details (see the module's docstring)."""
    if order.status in (S.DRAFT, S.SLOT_HELD):
        return order
    if order.status in (S.AWAITING_PAYMENT, S.PAYMENT_FAILED):
        transition(order, S.EXPIRED, note="payment abandoned: the patient changed the booking")
    new = Order(language=lang, **{name: getattr(order, name) for name in CARRIED_FIELDS})
    new.save()
    remember(request, new)
    return new


# Rendering


@dataclass
class ProgressItem:
    name: str
    label: str
    url: str | None  # None: not reachable yet
    current: bool


class StepContext:
    """What every step's template gets: the page's step URLs, the progress list, the order."""

    def __init__(self, page, request, step: str, order: Order | None):
        self.page, self.request, self.step, self.order = page, request, step, order
        self.base_url = page.get_url(request)

    def url(self, name: str) -> str:
        return self.base_url + page_subpath(self.page, name)

    def progress(self) -> list[ProgressItem]:
        missing = first_missing_step(self.order)
        reachable = STEPS_IN_ORDER.index(missing) if missing else len(STEPS_IN_ORDER) - 1
        return [
            ProgressItem(
                name=name,
                label=str(STEP_LABELS[name]),
                url=self.url(name) if index <= reachable else None,
                current=name == self.step,
            )
            for index, name in enumerate(STEPS_IN_ORDER)
        ]


def page_subpath(page, name: str) -> str:
    return page.reverse_subpage(name)


def redirect_to(page, request, name: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(page.get_url(request) + page_subpath(page, name))


def render_step(page, request, step: str, template: str, order: Order | None, status: int = 200, **context):
    ctx = StepContext(page, request, step, order)
    previous = STEPS_IN_ORDER[STEPS_IN_ORDER.index(step) - 1] if step in STEPS_IN_ORDER[1:] else None
    response = page.render(
        request,
        template=f"booking/{template}.html",
        context_overrides={
            "step": step,
            "order": order,
            "progress": ctx.progress() if step in STEPS_IN_ORDER else [],
            "back_url": ctx.url(previous) if previous else "",
            "step_url": ctx.url,
            "urls": {name: ctx.url(name) for name in (*STEPS_IN_ORDER, "paid", "failed")},
            "hold_valid": hold_is_valid(order),
            **context,
        },
    )
    response.status_code = status
    return response


def lang_of(page) -> str:
    return page.locale.language_code


def mis_failure(page, request, step: str, template: str, order, error: MisError, **context):
    logger.warning("booking: MIS %s on the %s step (%s)", error.code, step, error.act or "-")
    status = 200 if isinstance(error, MisRejected) else 503
    return render_step(page, request, step, template, order, status=status, error_message=error.user_message, **context)


def too_many(page, request, step: str, template: str, order, minutes: int, **context):
    message = _("Too many attempts from your connection. Please try again in %(minutes)s minutes.") % {
        "minutes": minutes
    }
    return render_step(page, request, step, template, order, status=429, error_message=message, **context)


def require(page, request, step: str) -> tuple[Order | None, HttpResponseRedirect | None]:
    """The open order, or a redirect to the first step it still misses before `step`."""
    order = open_order(request)
    missing = first_missing_step(order)
    if missing is not None and STEPS_IN_ORDER.index(missing) < STEPS_IN_ORDER.index(step):
        if missing == "time" and order is not None and order.slot_start is not None:
            messages.warning(
                request,
                _("The time you chose was held for you for a limited time only. Please choose a time again."),
            )
        return order, redirect_to(page, request, missing)
    return order, None


# The steps


def type_step(page, request):
    lang = lang_of(page)
    order = open_order(request)
    try:
        types = mis.get_mis_client().consultation_types(lang)
    except MisError as error:
        return mis_failure(page, request, "type", "type_step", order, error, form=TypeForm(), types=[])
    form = TypeForm(request.POST if request.method == "POST" else None)
    form.fields["consultation_type"].choices = [(t.id, t.name) for t in types]
    chosen = order.consultation_type_id if order else ""
    if request.method == "POST" and form.is_valid():
        type_id = form.cleaned_data["consultation_type"]
        if order is None:
            minutes = over_limit(request, "order")
            if minutes:
                return too_many(page, request, "type", "type_step", order, minutes, form=form, types=types)
        try:
            current = mis.get_mis_client().check_type(type_id, lang)  # its price now is what the patient pays
        except MisError as error:
            return mis_failure(page, request, "type", "type_step", order, error, form=form, types=types)
        if order is None:
            order = Order(language=lang)
        elif type_id != order.consultation_type_id or current.price_kzt != order.amount_kzt:
            order = order_for_changes(request, order, lang)
            if order.status == S.SLOT_HELD:
                release(order, note="consultation changed")
            order.doctor_id, order.doctor_name, order.slot_start, order.slot_minutes = None, "", None, 0
        order.consultation_type_id, order.consultation_type_name = current.id, current.name
        order.amount_kzt, order.language = current.price_kzt, lang
        order.save()
        remember(request, order)
        return redirect_to(page, request, "doctor")
    if form.is_bound:
        chosen = form.data.get("consultation_type", "")
    return render_step(page, request, "type", "type_step", order, form=form, types=types, chosen=chosen)


def doctor_step(page, request):
    order, redirect = require(page, request, "doctor")
    if redirect:
        return redirect
    lang = lang_of(page)
    try:
        doctors = mis.get_mis_client().doctors(order.consultation_type_id, lang)
    except MisError as error:
        return mis_failure(page, request, "doctor", "doctor_step", order, error, form=DoctorForm(), doctors=[])
    form = DoctorForm(request.POST if request.method == "POST" else None)
    form.fields["doctor"].choices = [(d.id, d.name) for d in doctors]
    if request.method == "POST" and form.is_valid():
        doctor = next(d for d in doctors if d.id == form.cleaned_data["doctor"])
        if doctor.id != order.doctor_id:
            order = order_for_changes(request, order, lang)
            if order.status == S.SLOT_HELD:
                release(order, note="doctor changed")
            order.slot_start, order.slot_minutes = None, 0
        order.doctor_id, order.doctor_name, order.language = doctor.id, doctor.name, lang
        set_branch(order, doctor.city_id)
        order.save()
        return redirect_to(page, request, "time")
    chosen = form.data.get("doctor", "") if form.is_bound else order.doctor_id
    return render_step(page, request, "doctor", "doctor_step", order, form=form, doctors=doctors, chosen=chosen)


@dataclass
class Day:
    day: date
    slots: list


def taken_by_others(order: Order, starts: list[datetime]) -> set[datetime]:
    """The slots of this doctor held (and not expired) or booked by other orders: not offered."""
    now = timezone.now()
    rows = (
        Order.objects.filter(doctor_id=order.doctor_id, slot_start__in=starts, status__in=SLOT_STATES)
        .exclude(pk=order.pk)
        .exclude(status__in=HOLDING_STATES, hold_expires_at__lte=now)
        .values_list("slot_start", flat=True)
    )
    return set(rows)


def time_step(page, request):
    order, redirect = require(page, request, "time")
    if redirect:
        return redirect
    lang = lang_of(page)
    try:
        schedule = mis.get_mis_client().schedule(order.doctor_id, order.consultation_type_id, lang)
    except MisError as error:
        return mis_failure(page, request, "time", "time_step", order, error, form=TimeForm(), days=[])
    mine = (order.slot_start, order.slot_minutes) if hold_is_valid(order) else None
    taken = taken_by_others(order, [slot.start for slot in schedule])
    slots = {slot.start.isoformat(): slot for slot in schedule if slot.start not in taken}
    form = TimeForm(request.POST if request.method == "POST" else None)
    form.fields["slot"].choices = [(key, key) for key in slots]
    error_message = ""
    if request.method == "POST" and form.is_valid():
        slot = slots[form.cleaned_data["slot"]]
        if mine is not None and slot.start == order.slot_start:
            return redirect_to(page, request, "details")
        order = order_for_changes(request, order, lang)
        try:
            hold(order, doctor_id=order.doctor_id, doctor_name=order.doctor_name, slot_start=slot.start,
                 minutes=slot.minutes)  # fmt: skip
        except SlotTaken:
            slots.pop(form.cleaned_data["slot"], None)
            error_message = _("This time was just taken. Please choose another one.")
        else:
            remember(request, order)
            return redirect_to(page, request, "details")
    days = [
        Day(day=day, slots=list(group))
        for day, group in groupby(slots.values(), key=lambda slot: timezone.localtime(slot.start).date())
    ]
    if form.is_bound:
        chosen = form.data.get("slot", "")
    else:
        chosen = next((key for key, slot in slots.items() if mine and slot.start == order.slot_start), "")
    return render_step(
        page, request, "time", "time_step", order, form=form, days=days, chosen=chosen, error_message=error_message
    )


def details_step(page, request):
    order, redirect = require(page, request, "details")
    if redirect:
        return redirect
    lang = lang_of(page)
    if request.method != "POST":
        initial = {
            name: getattr(order, name)
            for name in ("full_name", "iin", "no_iin", "gender", "birth_date", "phone", "email", "questions")
        }
        form = DetailsForm(initial={key: value for key, value in initial.items() if value})
        return render_step(page, request, "details", "details_step", order, form=form)
    form = DetailsForm(request.POST)
    minutes = over_limit(request, "iin")
    if minutes:
        return too_many(page, request, "details", "details_step", order, minutes, form=form)
    if not form.is_valid():
        return render_step(page, request, "details", "details_step", order, form=form)
    data = form.cleaned_data
    patient = None
    if data["iin"]:
        try:
            patient = mis.get_mis_client().check_iin(data["iin"], lang)
        except MisRejected as error:
            form.add_error("iin", error.user_message)
            return render_step(page, request, "details", "details_step", order, form=form)
        except MisError as error:
            return mis_failure(page, request, "details", "details_step", order, error, form=form)
    for name in ("full_name", "gender", "birth_date", "phone", "email", "questions"):
        setattr(order, name, data[name])
    order.iin = data["iin"] or None
    order.no_iin = not data["iin"]
    order.mis_patient_id = patient.id if patient else ""
    order.language = lang
    order.save()
    return redirect_to(page, request, "summary")


def agreements_of(page) -> dict:
    return {"offer": page.agreement("offer"), "consent": page.agreement("consent")}


def summary_step(page, request):
    order, redirect = require(page, request, "summary")
    if redirect:
        return redirect
    agreements = agreements_of(page)
    is_open = all(agreements.values())
    form = SummaryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and is_open and form.is_valid():
        offer, consent = agreements["offer"], agreements["consent"]
        order.offer_ref_id, order.offer_title, order.offer_version = offer.ref_id, offer.title[:255], offer.version
        order.consent_ref_id, order.consent_title = consent.ref_id, consent.title[:255]
        order.consent_version = consent.version
        order.consent_at, order.consent_ip = timezone.now(), client_ip(request)
        order.save()
        return redirect_to(page, request, "payment")
    if not form.is_bound and order.consent_at:
        form = SummaryForm(initial={"accept_offer": True, "accept_consent": True})
    return render_step(
        page, request, "summary", "summary_step", order, form=form, agreements=agreements, is_open=is_open,
        status=200 if is_open else 503,
    )  # fmt: skip


def payment_description(order: Order) -> str:
    """What the bank shows the payer: the consultation and its time. Nothing about the patient."""
    when = timezone.localtime(order.slot_start).strftime("%d.%m.%Y %H:%M") if order.slot_start else ""
    return f"{order.consultation_type_name}, {order.doctor_name}, {when}"[:250]


def payment_step(page, request):
    order, redirect = require(page, request, "payment")
    if redirect:
        return redirect
    if not all(agreements_of(page).values()):
        return redirect_to(page, request, "summary")
    minutes = over_limit(request, "order")
    if minutes:
        return too_many(page, request, "payment", "payment_step", order, minutes, payment=None)
    if order.status in (S.SLOT_HELD, S.PAYMENT_FAILED):
        order.language = lang_of(page)
        transition(order, S.AWAITING_PAYMENT, note="payment started")
    ctx = StepContext(page, request, "payment", order)
    try:
        payment = get_payment_gateway().start(
            invoice_id=order.invoice_id,
            amount_kzt=order.amount_kzt,
            description=payment_description(order),
            lang=lang_of(page),
            back_link=request.build_absolute_uri(ctx.url("paid")),
            failure_back_link=request.build_absolute_uri(ctx.url("failed")),
            post_link=request.build_absolute_uri(reverse("booking_epay_callback")),
            failure_post_link=request.build_absolute_uri(reverse("booking_epay_callback")),
            secret_hash=order.secret_hash,
        )
    except (PaymentError, ValueError) as error:
        logger.warning("booking: payment of invoice %s not started: %s", order.invoice_id, type(error).__name__)
        message = PaymentError.user_message
        return render_step(page, request, "payment", "payment_step", order, status=503, error_message=message)
    response = render_step(page, request, "payment", "payment_step", order, payment=payment)
    # The one page whose policy allows the bank's widget (its script, its frame and its calls home).
    response["Content-Security-Policy"] = public_policy(request.csp_nonce, extra_sources=[payment.csp_origin])
    return response


def paid_step(page, request):
    order = session_order(request)
    if order is None:
        return redirect_to(page, request, "type")
    if order.status in PAYABLE_STATES:
        order = settle_from_bank(order, "patient returned")
    if not is_settled(order):
        if order.status == S.PAYMENT_FAILED:
            return redirect_to(page, request, "failed")
        if order.status != S.AWAITING_PAYMENT:
            return redirect_to(page, request, first_missing_step(open_order(request)) or "payment")
        # The bank has not confirmed yet: this page asks again when reloaded.
        return render_step(page, request, "paid", "paid_step", order, waiting=True)
    return render_step(page, request, "paid", "paid_step", order, waiting=False)


def failed_step(page, request):
    order = session_order(request)
    if order is None:
        return redirect_to(page, request, "type")
    if order.status in PAYABLE_STATES:
        order = settle_from_bank(order, "patient returned")
    if is_settled(order):
        return redirect_to(page, request, "paid")
    if order.status in (S.DRAFT, S.SLOT_HELD):
        return redirect_to(page, request, first_missing_step(order) or "payment")
    reason = (
        OrderEvent.objects.filter(order=order, to_status=S.PAYMENT_FAILED)
        .order_by("-at", "-pk")
        .values_list("note", flat=True)
        .first()
    )
    bank_reason = reason.removeprefix(BANK_REASON_PREFIX) if reason and reason.startswith(BANK_REASON_PREFIX) else ""
    can_retry = hold_is_valid(order) and order.consent_at is not None
    return render_step(page, request, "failed", "failed_step", order, bank_reason=bank_reason, can_retry=can_retry)


BANK_REASON_PREFIX = "declined by the bank: "

STEPS = {
    "type": type_step,
    "doctor": doctor_step,
    "time": time_step,
    "details": details_step,
    "summary": summary_step,
    "payment": payment_step,
    "paid": paid_step,
    "failed": failed_step,
}
