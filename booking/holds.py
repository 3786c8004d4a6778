"""Slot holds: a patient filling in the form keeps their slot for BOOKING_HOLD_MINUTES (10).

The database enforces the hold: Order's partial unique constraint `booking_one_order_per_slot` on (doctor_id,
slot_start) over the states that hold or have booked a slot. Two patients asking for one slot at the same instant:
one insert waits for the other's transaction and then fails, and that patient gets SlotTaken. An expired hold stops
blocking at once: hold() releases it in its own transaction, and release_expired_holds() runs every minute
(booking_maintenance) for the rest.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from .models import HOLDING_STATES, Order
from .models import OrderStatus as S
from .states import SlotTaken, transition

__all__ = ["SlotTaken", "hold", "release", "release_expired_holds"]


def hold(order: Order, *, doctor_id: str, doctor_name: str, slot_start: datetime, minutes: int) -> Order:
    """Hold this doctor's slot for the order (saving it), for BOOKING_HOLD_MINUTES. Raises SlotTaken.

    An order already holding another slot gives it up first; asking again for the slot it holds changes nothing.
    """
    if timezone.is_naive(slot_start):
        raise ValueError("slot_start must be an aware datetime")
    try:
        return _hold(order, str(doctor_id), doctor_name, slot_start, minutes)
    except SlotTaken:
        try:
            order.refresh_from_db()  # as it was: still holding its old slot, if it had one
        except Order.DoesNotExist:  # a new order, saved in the transaction that was rolled back
            order.pk, order.status = None, S.DRAFT
        raise


@transaction.atomic
def _hold(order: Order, doctor_id: str, doctor_name: str, slot_start: datetime, minutes: int) -> Order:
    if order.status == S.SLOT_HELD and (order.doctor_id, order.slot_start) != (doctor_id, slot_start):
        transition(order, S.DRAFT, note="slot changed")
    order.doctor_id, order.doctor_name = doctor_id, doctor_name
    order.slot_start, order.slot_minutes = slot_start, minutes
    return transition(order, S.SLOT_HELD, note="slot held")


def release(order: Order, note: str = "slot released") -> Order:
    """Give the slot back (the patient went back to choose another one): slot_held → draft."""
    return transition(order, S.DRAFT, note=note)


def release_expired_holds(*, doctor_id: str | None = None, slot_start: datetime | None = None, now=None) -> int:
    """Expire the orders whose hold ran out (all of them, or those on one slot); returns how many."""
    now = now or timezone.now()
    expired = Order.objects.filter(status__in=HOLDING_STATES, hold_expires_at__lte=now)
    if doctor_id is not None:
        expired = expired.filter(doctor_id=doctor_id, slot_start=slot_start)
    count = 0
    for order in expired.order_by("pk"):
        with transaction.atomic():
            # Checked again under the lock: the patient may have just paid.
            locked = Order.objects.select_for_update().get(pk=order.pk)
            if locked.status in HOLDING_STATES and locked.hold_expires_at and locked.hold_expires_at <= now:
                transition(locked, S.EXPIRED, note="hold expired")
                count += 1
    return count
