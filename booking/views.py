"""The bank's server-to-server callback (Halyk epay's postLink and failurePostLink, and the simulator's): outside
the language trees, exempt from CSRF (the bank has no token) and checked instead, twice: the order's secret_hash
echoed (PaymentGateway.verify_callback), then the bank's status API (PaymentGateway.confirm) before anything is
marked paid. Anything refused changes nothing and is logged with its reason and the invoice number only.

Answers: 200 for a callback taken into account (also a duplicate, which changes nothing); 400 for one refused
(malformed, unknown invoice, wrong secret); 413 for a body too large; 503 when the status API could not be asked,
so that the bank tries again.
"""

import logging

from django.db import transaction
from django.http import HttpResponse, HttpResponseNotAllowed
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from .confirmation import PAYABLE_STATES, ask_bank, is_settled, record_paid
from .models import Order
from .models import OrderStatus as S
from .payments import CallbackRefused, get_payment_gateway, is_valid_invoice_id, read_callback_body
from .states import transition
from .steps import BANK_REASON_PREFIX

logger = logging.getLogger("booking")

MAX_BODY_BYTES = 16 * 1024  # the bank's callback is well under 2 kB


def _answer(status: int, text: str) -> HttpResponse:
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


@csrf_exempt
@never_cache
def epay_callback(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY_BYTES:
        logger.warning("booking: epay callback refused: body too large")
        return _answer(413, "too large")
    body = request.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        logger.warning("booking: epay callback refused: body too large")
        return _answer(413, "too large")
    try:
        data = read_callback_body(body)
    except CallbackRefused as refused:
        logger.warning("booking: epay callback refused: %s", refused.reason)
        return _answer(400, "refused")
    invoice_id = data.get("invoiceId", data.get("invoiceID"))
    if not is_valid_invoice_id(invoice_id):
        logger.warning("booking: epay callback refused: invoiceId missing or malformed")
        return _answer(400, "refused")
    order = Order.objects.filter(invoice_id=invoice_id).first()
    if order is None:
        logger.warning("booking: epay callback refused: unknown invoice %s", invoice_id)
        return _answer(400, "refused")
    try:
        result = get_payment_gateway().verify_callback(data, order.secret_hash, order.invoice_id)
    except CallbackRefused as refused:
        logger.warning("booking: epay callback for invoice %s refused: %s", invoice_id, refused.reason)
        return _answer(400, "refused")

    if is_settled(order):
        logger.info("booking: epay callback for invoice %s: already %s, nothing changed", invoice_id, order.status)
        return _answer(200, "ok")
    if result.success:
        status = ask_bank(order)
        if status is None:
            return _answer(503, "status unavailable")
        if not status.paid:
            logger.warning(
                "booking: epay callback for invoice %s says paid, the bank's status does not confirm it (%s)",
                invoice_id,
                status.mismatch or status.status_name or status.raw_code or "not paid",
            )
            return _answer(200, "not confirmed")
        record_paid(order, status, "bank callback")
        return _answer(200, "ok")

    # The bank declined. An order on the bank's page becomes payment_failed; any other state stays as it is.
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status == S.AWAITING_PAYMENT:
            transition(order, S.PAYMENT_FAILED, note=f"{BANK_REASON_PREFIX}{result.reason}"[:255])
            logger.info("booking: invoice %s declined by the bank", invoice_id)
        elif order.status not in PAYABLE_STATES:
            logger.warning("booking: epay decline for invoice %s ignored: the order is %s", invoice_id, order.status)
    return _answer(200, "ok")
