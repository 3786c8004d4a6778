"""An order becomes paid here, and only here: after the gateway's status API confirmed this invoice, its amount and
KZT (PaymentGateway.confirm). Called by the bank's callback (booking.views.epay_callback), by the paid/ step when
the patient's browser comes back before the callback, and by the periodic status check of the payments still open
(booking.tasks.settle_open_payments). Logs name the invoice only.

The late payment: the bank may confirm a payment after the order's hold expired (the patient was slow on the bank's
page, or the callback came late). The money is never ignored: expired → paid is allowed. If another patient has
meanwhile taken that doctor's slot, the order is still recorded as paid, without the slot (its doctor id cleared; the
doctor's name and the time stay for staff to see what was paid for), and goes straight to "not accepted by the MIS"
with automatic sending stopped, so staff are told at once and call the patient to agree another time or refund.
"""

import logging

from django.db import transaction

from .models import BOOKED_STATES, Order
from .models import OrderStatus as S
from .payments import PaymentError, PaymentStatus, get_payment_gateway
from .states import InvalidTransition, SlotTaken, transition

logger = logging.getLogger("booking")

LATE_SLOT_TAKEN = "paid after the hold expired; the slot was taken meanwhile"
# What the paid/ step, the callback and the status check may turn into paid: an order on the bank's page, declined
# before, or expired.
PAYABLE_STATES = (S.AWAITING_PAYMENT, S.PAYMENT_FAILED, S.EXPIRED)


def is_settled(order: Order) -> bool:
    return order.status in (*BOOKED_STATES, S.REFUNDED)


def ask_bank(order: Order) -> PaymentStatus | None:
    """The bank's confirmation of this order's payment, or None if it could not be asked (logged)."""
    try:
        return get_payment_gateway().confirm(order.invoice_id, order.amount_kzt)
    except (PaymentError, ValueError) as error:
        logger.warning("booking: status of invoice %s not available: %s", order.invoice_id, type(error).__name__)
        return None


def record_paid(order: Order, status: PaymentStatus, source: str) -> Order:
    """Mark the order paid with the bank's reference and card mask. `status` must come from confirm() and be paid.
    A second call (callback and browser together, a replayed callback) changes nothing."""
    if not status.paid:
        raise ValueError("only a confirmed payment is recorded")
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if is_settled(order):
            return order
        if order.status not in PAYABLE_STATES:
            # Cancelled (or never sent to the bank): the money must still be seen by staff.
            logger.error("booking: invoice %s paid at the bank but the order is %s", order.invoice_id, order.status)
            return order
        order.payment_reference = status.reference[:64]
        order.card_mask = status.card_mask[:32]
        try:
            with transaction.atomic():
                transition(order, S.PAID, note=f"payment confirmed by the bank ({source})")
        except SlotTaken:
            order = _record_late_without_slot(order.pk, status, source)
        except InvalidTransition:
            logger.error("booking: invoice %s paid at the bank but the order is %s", order.invoice_id, order.status)
            return order
    logger.info("booking: invoice %s paid (%s)", order.invoice_id, source)
    return order


def _record_late_without_slot(order_id: int, status: PaymentStatus, source: str) -> Order:
    from .emails import notify_staff_of_late_payment

    order = Order.objects.select_for_update().get(pk=order_id)
    order.payment_reference = status.reference[:64]
    order.card_mask = status.card_mask[:32]
    order.doctor_id = None  # the slot is another patient's now
    transition(order, S.PAID, note=f"payment confirmed by the bank ({source}); {LATE_SLOT_TAKEN}")
    order.next_attempt_at = None  # not sent to the MIS automatically: there is no slot to send
    order.last_error = LATE_SLOT_TAKEN
    transition(order, S.MIS_REJECTED, note=LATE_SLOT_TAKEN)
    logger.warning("booking: invoice %s %s", order.invoice_id, LATE_SLOT_TAKEN)
    transaction.on_commit(lambda: notify_staff_of_late_payment(order), robust=True)
    return order


def settle_from_bank(order: Order, source: str) -> Order:
    """Ask the bank about an order not settled yet and record the payment if it confirms it (the paid/ step)."""
    if is_settled(order) or order.status not in PAYABLE_STATES:
        return order
    status = ask_bank(order)
    if status is not None and status.paid:
        return record_paid(order, status, source)
    if status is not None and status.mismatch:
        logger.warning("booking: invoice %s not confirmed: the bank's %s differs", order.invoice_id, status.mismatch)
    return order
