"""Orders left as drafts, expired or cancelled keep the patient's personal data for BOOKING_PURGE_HOURS (48), then
lose it; the rows stay, so that they are still counted. Orders that were paid keep theirs."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from booking.models import Order
from booking.models import OrderStatus as S
from booking.tasks import purge_abandoned_drafts
from tests.booking.conftest import PATIENT

PERSONAL = (
    "full_name",
    "iin",
    "phone",
    "email",
    "birth_date",
    "questions",
    "consent_ip",
    "mis_patient_id",
    "card_mask",
)


def age(order, hours):
    Order.objects.filter(pk=order.pk).update(updated_at=timezone.now() - timedelta(hours=hours))


def personal_data(order) -> dict:
    order.refresh_from_db()
    return {field: getattr(order, field) for field in PERSONAL}


@pytest.mark.parametrize("state", [S.DRAFT, S.EXPIRED, S.CANCELLED])
def test_an_abandoned_order_is_blanked_after_48_hours_and_still_counted(make_order, state):
    order = make_order(state, consent_ip="203.0.113.5", mis_patient_id="P-1", card_mask="440043...0001")
    age(order, 47)
    assert purge_abandoned_drafts.enqueue().return_value == 0
    assert personal_data(order)["full_name"] == PATIENT["full_name"]

    age(order, 49)
    call_command("booking_maintenance", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert personal_data(order) == {
        "full_name": "",
        "iin": None,
        "phone": "",
        "email": "",
        "birth_date": None,
        "questions": "",
        "consent_ip": None,
        "mis_patient_id": "",
        "card_mask": "",
    }
    order.refresh_from_db()
    assert order.purged_at is not None
    assert (order.status, order.invoice_id, order.amount_kzt, order.language) == (state, order.invoice_id, 15000, "ru")
    assert Order.objects.filter(pk=order.pk, status=state).count() == 1
    # Once is enough.
    assert purge_abandoned_drafts.enqueue().return_value == 0


@pytest.mark.parametrize(
    "state",
    [S.SLOT_HELD, S.AWAITING_PAYMENT, S.PAYMENT_FAILED, S.PAID, S.MIS_REJECTED, S.CONFIRMED, S.REFUNDED],
)
def test_an_order_in_progress_or_paid_keeps_its_data(make_order, fake_mis, state):
    order = make_order(state)
    age(order, 100)
    purge_abandoned_drafts.enqueue()
    assert personal_data(order)["iin"] == PATIENT["iin"]
