"""The order's state machine: the only way an order changes status is transition().

    draft → slot_held → awaiting_payment → paid → confirmed
    side branches: mis_rejected (retried; → confirmed once the MIS accepts), payment_failed, expired, cancelled,
    refunded (staff only, from paid, mis_rejected or confirmed).

Every change is checked against ALLOWED, stamps the order's timestamps and writes an OrderEvent, in one transaction
with the order's row locked (select_for_update), so a bank callback and the patient's browser returning at the same
moment cannot both move it. Asking for the state the order is already in changes nothing and writes nothing: a
duplicate bank callback is harmless.
"""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import SLOT_STATES, Order, OrderEvent
from .models import OrderStatus as S

ALLOWED: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SLOT_HELD, S.CANCELLED, S.EXPIRED}),
    # Back to draft: the patient went back and chose another slot.
    S.SLOT_HELD: frozenset({S.DRAFT, S.AWAITING_PAYMENT, S.EXPIRED, S.CANCELLED}),
    S.AWAITING_PAYMENT: frozenset({S.PAID, S.PAYMENT_FAILED, S.EXPIRED, S.CANCELLED}),
    # The patient may try to pay again while the slot is still held; a late success confirmed by the bank counts.
    S.PAYMENT_FAILED: frozenset({S.AWAITING_PAYMENT, S.PAID, S.EXPIRED, S.CANCELLED}),
    S.PAID: frozenset({S.CONFIRMED, S.MIS_REJECTED, S.REFUNDED}),
    S.MIS_REJECTED: frozenset({S.CONFIRMED, S.REFUNDED}),
    S.CONFIRMED: frozenset({S.REFUNDED}),
    # A payment the bank confirms after the hold expired is never dropped (the money is taken); a patient coming
    # back after the hold expired may hold a slot again.
    S.EXPIRED: frozenset({S.PAID, S.SLOT_HELD}),
    S.CANCELLED: frozenset(),
    S.REFUNDED: frozenset(),
}
STAFF_ONLY = frozenset({S.REFUNDED})


class InvalidTransition(Exception):
    """The order cannot go from its status to the one asked for."""


class SlotTaken(Exception):
    """Another order holds or has booked this doctor's slot."""


def transition(order: Order, to: str, note: str = "", actor=None) -> Order:
    """Move `order` to status `to`, saving the order (with any fields the caller set on it) and its history.

    Of an order loaded from the database only the fields the caller changed since (Order.changed_fields) and those
    stamped here are written; a new order is saved whole.

    Raises InvalidTransition for an edge not in ALLOWED (or a staff-only one without an actor), SlotTaken when the
    order would take a slot someone else holds. Returns the order. `note` must not hold personal data.
    """
    to = S(to)
    with transaction.atomic():
        if order.pk is None:
            order.save()
        current = Order.objects.select_for_update().values_list("status", flat=True).get(pk=order.pk)
        if current == to:
            order.refresh_from_db()
            return order
        if to not in ALLOWED[current]:
            raise InvalidTransition(f"{current} → {to}")
        if to in STAFF_ONLY and actor is None:
            raise InvalidTransition(f"{current} → {to} is for staff only")

        now = timezone.now()
        if to in SLOT_STATES and current not in SLOT_STATES and order.doctor_id and order.slot_start:
            # Taking a slot: an expired hold on it no longer blocks; release it here, in this transaction.
            from .holds import release_expired_holds

            release_expired_holds(doctor_id=order.doctor_id, slot_start=order.slot_start, now=now)
        stamped = _stamp(order, current, to, now)
        previous = order.status
        order.status = to
        # Only what the caller changed on this copy and what is stamped here: a stale copy must not write back
        # fields another process has just saved (an MIS order id, a refund's note).
        changed = order.changed_fields()
        update_fields = None if changed is None else {*changed, *stamped, "status", "updated_at"}
        try:
            with transaction.atomic():
                order.save(update_fields=update_fields)
        except IntegrityError as error:
            order.status = previous
            raise SlotTaken(order.invoice_id) from error
        OrderEvent.objects.create(order=order, from_status=current, to_status=to, note=note[:255], actor=actor)
        if to == S.PAID:
            # Once per order: a second request for "paid" returned above. The MIS first; the e-mails after it, and
            # robust, so that a failure to queue them cannot stop anything else run on this commit.
            from .tasks import enqueue_paid_order_emails, enqueue_send_to_mis

            transaction.on_commit(lambda: enqueue_send_to_mis(order.pk))
            transaction.on_commit(lambda: enqueue_paid_order_emails(order.pk), robust=True)
    return order


def _stamp(order: Order, current: str, to: str, now) -> set[str]:
    """Set the timestamps (and the MIS retry fields) that going to `to` implies; returns the fields set."""
    if to == S.SLOT_HELD:
        order.hold_expires_at = now + timedelta(minutes=settings.BOOKING_HOLD_MINUTES)
    elif to == S.AWAITING_PAYMENT:
        # The bank's page takes its time: the hold lasts at least BOOKING_PAYMENT_MINUTES from here.
        payment_end = now + timedelta(minutes=settings.BOOKING_PAYMENT_MINUTES)
        order.hold_expires_at = max(filter(None, [order.hold_expires_at, payment_end]))
    elif to == S.PAYMENT_FAILED:
        pass  # the hold stays until it expires, so the patient can try again
    else:
        order.hold_expires_at = None
    stamped = set() if to == S.PAYMENT_FAILED else {"hold_expires_at"}
    if to == S.PAID:
        order.paid_at = now
        stamped.add("paid_at")
    elif to == S.CONFIRMED:
        order.confirmed_at = now
        order.next_attempt_at = None
        order.last_error = ""
        stamped |= {"confirmed_at", "next_attempt_at", "last_error"}
    elif to == S.REFUNDED:
        order.next_attempt_at = None
        stamped.add("next_attempt_at")
    return stamped
