"""Background work of the booking, on Django's task framework (the django-tasks backport, TASKS["booking"]).

In production the "booking" backend is django-tasks-db's database queue, run by `manage.py db_worker --backend
booking` (deploy/systemd/hematology-booking-worker.service); in tests and `make demo` tasks run at once
(ImmediateBackend) unless BOOKING_TASKS=database. `manage.py booking_maintenance`, every minute, enqueues the
periodic ones: settle_open_payments (first, so that a payment made at the last minute is recorded before its hold
is released), release_expired_holds, retry_due_orders, purge_abandoned_drafts. The branches' price lists are copied
from the MIS every hour (sync_price_lists, queued by `manage.py sync_price_lists --queue` from its own timer).

Logs name an order by its invoice number only; nothing here logs personal data. The e-mails (booking.emails) are
sent from here: the patient's summary goes to the patient alone; staff notices carry no patient data.
"""

import logging
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_tasks import task, task_backends

from . import emails
from .confirmation import PAYABLE_STATES, record_paid
from .holds import release_expired_holds as _release_expired_holds
from .models import Order, OrderEvent
from .models import OrderStatus as S
from .payments import PaymentError, get_payment_gateway
from .states import transition

logger = logging.getLogger("booking")

BACKEND = "booking"
ALMATY = ZoneInfo("Asia/Almaty")
# Personal data of orders left in these states is blanked after BOOKING_PURGE_HOURS.
ABANDONED_STATES = (S.DRAFT, S.EXPIRED, S.CANCELLED)
# A paid order whose sending was never started (the process died between the payment and the enqueue) is picked up
# after this long by retry_due_orders().
PAID_WITHOUT_SENDING = timedelta(minutes=5)


def enqueue_send_to_mis(order_id: int, *, run_after=None, force: bool = False) -> None:
    """Queue the sending of a paid order to the MIS (at run_after, where the backend can defer)."""
    send = send_paid_order_to_mis
    if run_after is not None:
        if not task_backends[BACKEND].supports_defer:
            return  # retry_due_orders() picks it up when it is due
        send = send.using(run_after=run_after)
    send.enqueue(order_id, force=force)


@task(backend=BACKEND)
def send_paid_order_to_mis(order_id: int, force: bool = False) -> str:
    """Send a paid order to the MIS; returns the order's status afterwards.

    On success the order is confirmed. On any failure it stays (or becomes) mis_rejected, with the attempt counted
    and the next one due after a growing delay. Staff get an e-mail at the first failure (retrying, nothing to do
    yet) and one after BOOKING_MIS_MAX_ATTEMPTS, when automatic retries stop (staff retry from the admin with
    force=True). Nothing is sent twice at once: the order's row stays locked during the call. Not due yet (a
    duplicate in the queue) and not paid: nothing happens.
    """
    from booking.mis import get_mis_client  # the MIS layer; imported here so that tests can replace it

    gave_up = first_rejection = False
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(pk=order_id).first()
        if order is None or order.status not in (S.PAID, S.MIS_REJECTED):
            return order.status if order else "missing"
        now = timezone.now()
        if not force and order.next_attempt_at and order.next_attempt_at > now:
            return order.status
        if not force and order.status == S.MIS_REJECTED and order.next_attempt_at is None:
            return order.status  # gave up already; waits for staff
        order.attempts += 1
        try:
            saved = get_mis_client().save_order(mis_payload(order), order.language)
        except Exception as error:  # any failure keeps the paid order, to be retried
            order.last_error = _error_summary(error, order.attempts)
            if order.attempts >= settings.BOOKING_MIS_MAX_ATTEMPTS:
                order.next_attempt_at = None
                gave_up = True
            else:
                order.next_attempt_at = now + retry_delay(order.attempts)
            if order.status == S.MIS_REJECTED:
                order.save(update_fields=["attempts", "last_error", "next_attempt_at", "updated_at"])
            else:
                transition(order, S.MIS_REJECTED, note=order.last_error)
                first_rejection = True  # paid → mis_rejected happens once per order: one notice
            logger.warning("booking: order %s not accepted by the MIS: %s", order.invoice_id, order.last_error)
        else:
            order.mis_order_id = str(getattr(saved, "order_id", saved))[:64]  # an OrderResult
            order.next_attempt_at = None
            transition(order, S.CONFIRMED, note=f"MIS accepted (attempt {order.attempts})")
            logger.info("booking: order %s confirmed by the MIS", order.invoice_id)
            return order.status
    if gave_up:
        if not settings.BOOKING_STAFF_EMAILS:
            logger.error("booking: order %s was paid but the MIS keeps refusing it; no BOOKING_STAFF_EMAILS", order)
        _notify_staff(emails.notify_staff_of_rejection, order)
    elif first_rejection:
        _notify_staff(emails.notify_staff_of_first_rejection, order)
    if order.next_attempt_at:
        enqueue_send_to_mis(order.pk, run_after=order.next_attempt_at)
    return order.status


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4, 8… times BOOKING_MIS_RETRY_SECONDS after each failure, at most an hour."""
    return timedelta(seconds=min(settings.BOOKING_MIS_RETRY_SECONDS * 2 ** (attempts - 1), 3600))


def _error_summary(error: Exception, attempts: int) -> str:
    # The exception's class only: an MIS message may quote the patient's data.
    return f"{type(error).__name__} (attempt {attempts})"[:255]


def mis_payload(order: Order) -> dict:
    """The order as posted to the MIS's `saveorder` (booking.mis sends it as its JSON body). The keys are those the
    MIS layer's simulator reads: invoice_id (the MIS deduplicates on it), type_id, doctor_id, start (ISO, Almaty)."""
    slot_start = timezone.localtime(order.slot_start, ALMATY).isoformat() if order.slot_start else None
    return {
        "invoice_id": order.invoice_id,
        "type_id": order.consultation_type_id,
        "doctor_id": order.doctor_id,
        "start": slot_start,
        "minutes": order.slot_minutes,
        "amount": order.amount_kzt,
        "currency": order.currency,
        "patient": {
            "mis_patient_id": order.mis_patient_id,
            "full_name": order.full_name,
            "iin": order.iin or "",
            "no_iin": order.no_iin,
            "gender": order.gender,
            "birth_date": order.birth_date.isoformat() if order.birth_date else None,
            "phone": order.phone,
            "email": order.email,
        },
        "questions": order.questions,
        "payment_reference": order.payment_reference,
        "paid_at": order.paid_at.isoformat() if order.paid_at else None,
    }


def order_admin_url(order: Order) -> str:
    """The order's page in the admin (its ModelViewSet's inspect view, url namespace "booking_orders")."""
    try:
        path = reverse("booking_orders:inspect", args=[order.pk])
    except NoReverseMatch:
        path = reverse("wagtailadmin_home")
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


# E-mails of a paid order: tried this many times in all, this far apart (where the backend can defer; the immediate
# backend of tests and `make demo` tries once).
EMAIL_ATTEMPTS = 3
EMAIL_RETRY_DELAY = timedelta(minutes=5)
PAID_ORDER_EMAILS = {"patient": "send_patient_summary", "staff": "notify_staff_of_paid_order"}  # in booking.emails


def _notify_staff(send, order: Order) -> None:
    """Send a staff notice; a mail failure is logged (invoice and the error's class only) and goes no further."""
    try:
        send(order)
    except Exception as error:  # SMTP down or refusing: the order itself is not affected
        logger.error("booking: %s for order %s failed: %s", send.__name__, order.invoice_id, type(error).__name__)


def enqueue_paid_order_emails(order_id: int) -> None:
    """Queued on commit when an order becomes paid (booking.states.transition), after the sending to the MIS."""
    send_paid_order_emails.enqueue(order_id)


@task(backend=BACKEND)
def send_paid_order_emails(order_id: int, which: list[str] | None = None, attempt: int = 1) -> list[str]:
    """Send a paid order's e-mails: the summary to the patient and the notice to staff (`which`: both by default).
    Returns those that failed. A failure (SMTP down) is logged by invoice number and error class only (an SMTP
    error may quote the address); it never touches the order, whose payment and sending to the MIS go on. The
    failed ones alone are queued again, EMAIL_RETRY_DELAY later, up to EMAIL_ATTEMPTS in all, so that an e-mail that
    went out is never sent twice."""
    order = Order.objects.filter(pk=order_id).first()
    if order is None or order.status not in (S.PAID, S.MIS_REJECTED, S.CONFIRMED):
        return []  # refunded before the queue reached it: nothing to announce
    if order.lost_its_slot:
        return []  # no time to announce: staff got the late-payment notice (booking.confirmation)
    failed = []
    for name in [name for name in which or PAID_ORDER_EMAILS if name in PAID_ORDER_EMAILS]:
        try:
            getattr(emails, PAID_ORDER_EMAILS[name])(order)
        except Exception as error:  # any mail failure: logged, retried, never raised into the payment's path
            failed.append(name)
            logger.error(
                "booking: %s e-mail of order %s failed (attempt %s): %s",
                name,
                order.invoice_id,
                attempt,
                type(error).__name__,
            )
    if failed and attempt < EMAIL_ATTEMPTS and task_backends[BACKEND].supports_defer:
        send_paid_order_emails.using(run_after=timezone.now() + EMAIL_RETRY_DELAY).enqueue(
            order_id, which=failed, attempt=attempt + 1
        )
    return failed


SETTLE_GIVE_UP_AFTER = 3  # status checks failing in a row: the bank is down, the next run tries again


@task(backend=BACKEND)
def settle_open_payments() -> dict[str, int]:
    """Ask the bank about every payment still open and record those it confirms (booking.confirmation.record_paid,
    late payments included): orders awaiting payment or declined, and expired orders that reached the payment step
    within BOOKING_SETTLE_HOURS. This is what makes a payment count when the bank's callback came while its status API
    was down (the callback got 503) and the patient never came back to paid/.

    Each order is asked about once per run; orders that never reached the payment step never. A bank that cannot be
    asked (PaymentError) is logged with the invoice number and the kind of failure, and the run goes on with the next
    order; after SETTLE_GIVE_UP_AFTER such failures in a row the bank is taken to be down and the run stops (each
    call may wait EPAY_TIMEOUT: a run must not hold the queue's worker for minutes), leaving the rest to the next run a
    minute later. Returns the counts: asked, paid, unpaid, unavailable, and skipped (left for the next run)."""
    counts = {"asked": 0, "paid": 0, "unpaid": 0, "unavailable": 0, "skipped": 0}
    failures_in_a_row = 0
    pending = list(open_payment_ids())
    for index, pk in enumerate(pending):
        if failures_in_a_row >= SETTLE_GIVE_UP_AFTER:
            counts["skipped"] = len(pending) - index
            break
        order = Order.objects.filter(pk=pk).first()
        if order is None or order.status not in PAYABLE_STATES:
            continue  # settled meanwhile (the callback, the patient's return)
        counts["asked"] += 1
        try:
            status = get_payment_gateway().confirm(order.invoice_id, order.amount_kzt)
        except (PaymentError, ValueError) as error:
            counts["unavailable"] += 1
            failures_in_a_row += 1
            logger.warning("booking: status check of invoice %s failed: %s", order.invoice_id, type(error).__name__)
            continue
        failures_in_a_row = 0
        if status.paid:
            record_paid(order, status, "status check")
            counts["paid"] += 1
        else:
            if status.mismatch:
                logger.warning(
                    "booking: invoice %s not confirmed: the bank's %s differs", order.invoice_id, status.mismatch
                )
            counts["unpaid"] += 1
    if counts["unavailable"]:
        logger.warning("booking: the bank's status could not be asked for %s open payment(s)", counts["unavailable"])
    return counts


def open_payment_ids() -> list[int]:
    """The orders settle_open_payments() asks the bank about, oldest first: awaiting payment or declined, and expired
    ones whose history shows the payment step within BOOKING_SETTLE_HOURS (one that never got there has no invoice
    at the bank)."""
    since = timezone.now() - timedelta(hours=settings.BOOKING_SETTLE_HOURS)
    reached_payment = OrderEvent.objects.filter(order=OuterRef("pk"), to_status=S.AWAITING_PAYMENT, at__gte=since)
    return list(
        Order.objects.filter(
            Q(status__in=(S.AWAITING_PAYMENT, S.PAYMENT_FAILED)) | Q(Exists(reached_payment), status=S.EXPIRED)
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@task(backend=BACKEND)
def release_expired_holds() -> int:
    """Expire the orders whose slot hold ran out; returns how many."""
    return _release_expired_holds()


@task(backend=BACKEND)
def retry_due_orders() -> int:
    """Queue the sending of every order due: mis_rejected ones whose next attempt has come, and paid ones never sent
    (kept paid for PAID_WITHOUT_SENDING). Returns how many."""
    now = timezone.now()
    due = list(
        Order.objects.filter(status=S.MIS_REJECTED, next_attempt_at__lte=now).values_list("pk", flat=True)
    ) + list(Order.objects.filter(status=S.PAID, paid_at__lte=now - PAID_WITHOUT_SENDING).values_list("pk", flat=True))
    for pk in due:
        enqueue_send_to_mis(pk)
    return len(due)


@task(backend=BACKEND)
def purge_abandoned_drafts() -> int:
    """Blank the personal data (name, IIN, phone, e-mail, birth date, questions, IP address, MIS patient id, card
    mask) of orders abandoned (draft, expired, cancelled) for BOOKING_PURGE_HOURS (48); the rows stay, for counts.
    Returns how many were blanked."""
    now = timezone.now()
    return Order.objects.filter(
        status__in=ABANDONED_STATES,
        updated_at__lte=now - timedelta(hours=settings.BOOKING_PURGE_HOURS),
        purged_at__isnull=True,
    ).update(
        full_name="",
        iin=None,
        phone="",
        email="",
        birth_date=None,
        questions="",
        consent_ip=None,
        mis_patient_id="",
        card_mask="",
        purged_at=now,
    )


@task(backend=BACKEND)
def sync_price_lists() -> dict[str, int]:
    """Copy the branches' price lists from the MIS (about.price_lists.sync_price_lists); returns its counts."""
    from about.price_lists import sync_price_lists as sync

    return sync()
