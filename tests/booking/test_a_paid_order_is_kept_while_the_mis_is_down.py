"""The MIS down after a payment: the order is kept (paid → mis_rejected, attempts counted), retried with a growing
delay, confirmed once the MIS is back; after BOOKING_MIS_MAX_ATTEMPTS failures staff get an e-mail (the notice of the
first failure: test_staff_are_told_when_the_mis_refuses_a_paid_order.py). No personal data in the logs, the order's
error or the e-mail."""

import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from booking.models import Order
from booking.models import OrderStatus as S
from booking.states import transition
from booking.tasks import retry_due_orders, send_paid_order_to_mis
from tests.booking.conftest import PATIENT


def make_due(order):
    Order.objects.filter(pk=order.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def pay(order, django_capture_on_commit_callbacks):
    """The bank's payment is confirmed: the sending to the MIS is queued when that is committed."""
    with django_capture_on_commit_callbacks(execute=True):
        transition(order, S.PAID, note="paid")
    order.refresh_from_db()
    return order


def assert_no_personal_data(text: str):
    for value in (PATIENT["full_name"], PATIENT["iin"], PATIENT["phone"], PATIENT["email"], "Айгерим", "7011234567"):
        assert value not in text


@pytest.fixture
def logs(caplog):
    caplog.set_level(logging.DEBUG)
    return caplog


def test_a_paid_order_goes_to_the_mis_and_is_confirmed(make_order, fake_mis, django_capture_on_commit_callbacks):
    order = pay(make_order(S.AWAITING_PAYMENT, language="kk"), django_capture_on_commit_callbacks)
    assert order.status == S.CONFIRMED
    assert order.mis_order_id == f"MIS-{order.invoice_id}"
    assert (order.attempts, order.last_error, order.confirmed_at is not None) == (1, "", True)
    payload, lang = fake_mis.received[0]
    assert lang == "kk"
    assert payload["patient"]["iin"] == PATIENT["iin"] and payload["amount"] == 15000
    # The keys the MIS layer sends as saveorder's body; the slot in the clinic's time.
    assert (payload["invoice_id"], payload["type_id"], payload["doctor_id"]) == (order.invoice_id, "1", "7")
    assert payload["start"].endswith("+05:00") and payload["start"][:10] == "2030-03-04"
    assert [(e.from_status, e.to_status) for e in order.events.all()] == [
        ("awaiting_payment", "paid"),
        ("paid", "confirmed"),
    ]


def test_the_mis_down_after_payment_keeps_the_order_and_confirms_it_once_back(
    make_order, fake_mis, logs, settings, django_capture_on_commit_callbacks
):
    settings.BOOKING_MIS_RETRY_SECONDS = 60
    fake_mis.down = True
    order = pay(make_order(S.AWAITING_PAYMENT), django_capture_on_commit_callbacks)
    assert (order.status, order.attempts) == (S.MIS_REJECTED, 1)
    assert order.last_error == "MisUnavailable (attempt 1)"
    assert timedelta(seconds=50) < order.next_attempt_at - timezone.now() <= timedelta(seconds=60)

    # Not due yet: the maintenance leaves it alone.
    call_command("booking_maintenance", stdout=open("/dev/null", "w"))  # noqa: SIM115
    order.refresh_from_db()
    assert order.attempts == 1

    make_due(order)
    assert retry_due_orders.enqueue().return_value == 1
    order.refresh_from_db()
    assert (order.status, order.attempts, order.last_error) == (S.MIS_REJECTED, 2, "MisUnavailable (attempt 2)")
    # Twice as long before the third attempt.
    assert timedelta(seconds=110) < order.next_attempt_at - timezone.now() <= timedelta(seconds=120)

    fake_mis.down = False
    make_due(order)
    call_command("booking_maintenance", stdout=open("/dev/null", "w"))  # noqa: SIM115
    order.refresh_from_db()
    assert (order.status, order.attempts, order.mis_order_id) == (S.CONFIRMED, 3, f"MIS-{order.invoice_id}")
    assert (order.last_error, order.next_attempt_at) == ("", None)
    assert [(e.from_status, e.to_status) for e in order.events.all()] == [
        ("awaiting_payment", "paid"),
        ("paid", "mis_rejected"),
        ("mis_rejected", "confirmed"),
    ]
    assert len(fake_mis.received) == 3
    # The patient's summary only: no staff addresses are set, so no notice went anywhere.
    assert [message.to for message in mail.outbox] == [[PATIENT["email"]]]
    assert f"order {order.invoice_id} not accepted by the MIS: MisUnavailable (attempt 1)" in logs.text
    assert_no_personal_data(logs.text + order.last_error + " ".join(e.note for e in order.events.all()))


def test_after_repeated_failures_staff_get_one_email_without_personal_data(
    make_order, fake_mis, logs, settings, django_capture_on_commit_callbacks
):
    settings.BOOKING_MIS_MAX_ATTEMPTS = 3
    settings.BOOKING_STAFF_EMAILS = ["registry@hematology.kz"]
    fake_mis.rejecting = True
    order = pay(make_order(S.AWAITING_PAYMENT), django_capture_on_commit_callbacks)
    for _ in range(2):
        make_due(order)
        retry_due_orders.enqueue()
    order.refresh_from_db()
    assert (order.status, order.attempts, order.next_attempt_at) == (S.MIS_REJECTED, 3, None)
    assert order.last_error == "MisRejected (attempt 3)"

    # To staff: the first refusal (retrying), the paid order, and this one, after the last attempt.
    first, paid, message = [m for m in mail.outbox if m.to == ["registry@hematology.kz"]]
    assert "пока не принят МИС" in first.subject and "Новый оплаченный заказ" in paid.subject
    assert message.subject == f"Оплаченный заказ {order.invoice_id} не принят МИС"
    assert f"Пациент оплатил заказ {order.invoice_id}, но МИС не приняла его после 3 попыток." in message.body
    assert "http://testserver/admin/" in message.body
    assert_no_personal_data(message.subject + message.body + logs.text)

    # Automatic retries have stopped: the order waits for staff, and no second e-mail is sent.
    assert retry_due_orders.enqueue().return_value == 0
    call_command("booking_maintenance", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 4 and len(fake_mis.received) == 3

    # Staff retry by hand once the MIS is fixed: the order is confirmed.
    fake_mis.rejecting = False
    assert send_paid_order_to_mis.enqueue(order.pk, force=True).return_value == S.CONFIRMED


def test_a_paid_order_whose_sending_was_lost_is_picked_up(make_order, fake_mis):
    """The process died between the payment and the queue: the order sat paid; the maintenance sends it."""
    order = make_order(S.PAID, paid_at=timezone.now() - timedelta(minutes=6))
    recent = make_order(S.PAID, paid_at=timezone.now())
    call_command("booking_maintenance", stdout=open("/dev/null", "w"))  # noqa: SIM115
    order.refresh_from_db()
    recent.refresh_from_db()
    assert (order.status, recent.status) == (S.CONFIRMED, S.PAID)


@pytest.mark.parametrize("state", [S.AWAITING_PAYMENT, S.CONFIRMED, S.REFUNDED, S.CANCELLED])
def test_an_order_not_paid_or_already_done_is_not_sent(make_order, fake_mis, state):
    order = make_order(state)
    assert send_paid_order_to_mis.enqueue(order.pk, force=True).return_value == state
    assert fake_mis.received == []


def test_a_duplicate_in_the_queue_does_not_send_twice(make_order, fake_mis):
    order = make_order(S.PAID)
    send_paid_order_to_mis.enqueue(order.pk)
    send_paid_order_to_mis.enqueue(order.pk)
    order.refresh_from_db()
    assert (order.status, order.attempts, len(fake_mis.received)) == (S.CONFIRMED, 1, 1)
