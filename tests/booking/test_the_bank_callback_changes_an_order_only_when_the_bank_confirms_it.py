"""The bank's callback (/epay/callback/): checked by the order's secret_hash and by the bank's status API before an
order becomes paid. Forged, replayed, mismatched, unknown or malformed callbacks change nothing and are logged with
the invoice number only; a late payment (after the hold expired) is still recorded."""

import json
import logging
from datetime import timedelta

import pytest
from django.utils import timezone

from booking.holds import release_expired_holds
from booking.models import Order, OrderStatus
from booking.payments.bank import default_bank
from booking.states import transition
from tests.booking.conftest import PATIENT
from tests.booking.flow import BankAtTheSite, booking_url, payment_object, walk_to_payment

pytestmark = pytest.mark.django_db

CALLBACK = "/epay/callback/"


@pytest.fixture
def bank(monkeypatch):
    return BankAtTheSite(monkeypatch)


@pytest.fixture
def paying(client, bank):
    """An order on the bank's page (awaiting payment) and its widget payment object."""
    order = walk_to_payment(client, "ru")
    payment = payment_object(client.get(booking_url("ru", "payment")))
    order.refresh_from_db()
    return order, payment


def post(client, body, **extra):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.post(CALLBACK, data, content_type="application/json", **extra)


def callback_for(order: Order, code: str = "ok", **changes) -> dict:
    body = {
        "invoiceId": order.invoice_id,
        "code": code,
        "reason": "" if code == "ok" else "Insufficient funds",
        "reference": "123456789012",
        "cardMask": "440043******0000",
        "amount": order.amount_kzt,
        "currency": "KZT",
        "secret_hash": order.secret_hash,
    }
    body.update(changes)
    return body


def assert_no_personal_data(caplog, order: Order) -> None:
    logged = caplog.text
    for value in (order.iin, order.phone, order.full_name, order.email, "Сапарова", PATIENT["phone"]):
        if value:
            assert value not in logged


def pay_at_the_bank(order: Order) -> None:
    """The payer paid in the bank's widget; its callback is not (yet) delivered."""
    bank = default_bank()
    invoice = bank.invoice(order.invoice_id)
    invoice.status_name, invoice.reference = "CHARGE", "555000111222"


def test_a_forged_callback_without_the_orders_secret_changes_nothing(client, paying, caplog):
    order, _ = paying
    pay_at_the_bank(order)  # even a real payment is not taken from a post that does not know the secret
    with caplog.at_level(logging.INFO):
        response = post(client, callback_for(order, secret_hash="guessed"))
    assert response.status_code == 400
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert f"epay callback for invoice {order.invoice_id} refused: secret_hash does not match" in caplog.text
    assert_no_personal_data(caplog, order)


def test_a_callback_saying_paid_while_the_bank_says_not_paid_changes_nothing(client, paying, caplog):
    order, _ = paying
    with caplog.at_level(logging.INFO):
        response = post(client, callback_for(order))
    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert "does not confirm it" in caplog.text
    assert_no_personal_data(caplog, order)


def test_a_payment_of_another_amount_is_not_taken_as_paid(client, paying, caplog):
    order, _ = paying
    pay_at_the_bank(order)
    default_bank().tamper(order.invoice_id, amount=100)
    with caplog.at_level(logging.INFO):
        response = post(client, callback_for(order, amount=100))
    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert "(amount)" in caplog.text
    assert_no_personal_data(caplog, order)


def test_a_confirmed_callback_makes_the_order_paid_once_and_a_replay_changes_nothing(
    client, paying, caplog, django_capture_on_commit_callbacks
):
    order, _ = paying
    pay_at_the_bank(order)
    with caplog.at_level(logging.INFO), django_capture_on_commit_callbacks(execute=True):
        first = post(client, callback_for(order))
        second = post(client, callback_for(order))
        error_after = post(client, callback_for(order, code="error"))
    assert (first.status_code, second.status_code, error_after.status_code) == (200, 200, 200)
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED
    assert order.payment_reference == "555000111222"
    assert order.events.filter(to_status=OrderStatus.PAID).count() == 1
    assert "nothing changed" in caplog.text
    assert_no_personal_data(caplog, order)


def test_a_declined_payment_makes_the_order_payment_failed(client, paying, caplog):
    order, _ = paying
    with caplog.at_level(logging.INFO):
        response = post(client, callback_for(order, code="error"))
        again = post(client, callback_for(order, code="error"))
    assert response.status_code == again.status_code == 200
    order.refresh_from_db()
    assert order.status == OrderStatus.PAYMENT_FAILED
    assert order.events.filter(to_status=OrderStatus.PAYMENT_FAILED).count() == 1
    assert "declined by the bank: Insufficient funds" in order.events.get(to_status="payment_failed").note
    assert_no_personal_data(caplog, order)


@pytest.mark.parametrize(
    ("body", "logged"),
    [
        (b"not json at all", "body is not JSON"),
        (b"[1, 2]", "body is not a JSON object"),
        ({"code": "ok"}, "invoiceId missing or malformed"),
        ({"invoiceId": "12ab", "code": "ok"}, "invoiceId missing or malformed"),
        ({"invoiceId": "999999999999", "code": "ok", "secret_hash": "x"}, "unknown invoice 999999999999"),
    ],
)
def test_malformed_or_unknown_callbacks_are_refused_and_logged(client, paying, caplog, body, logged):
    order, _ = paying
    with caplog.at_level(logging.INFO):
        response = post(client, body)
    assert response.status_code == 400
    assert logged in caplog.text
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT


def test_a_callback_with_an_unknown_code_is_refused(client, paying, caplog):
    order, _ = paying
    with caplog.at_level(logging.INFO):
        response = post(client, callback_for(order, code="maybe"))
    assert response.status_code == 400
    assert "code is neither ok nor error" in caplog.text


def test_only_a_small_post_is_read(client, paying, caplog):
    order, _ = paying
    assert client.get(CALLBACK).status_code == 405
    with caplog.at_level(logging.INFO):
        response = post(client, callback_for(order, padding="x" * 20_000))
    assert response.status_code == 413
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT


def test_the_callback_needs_no_csrf_token(paying):
    from django.test import Client

    order, _ = paying
    response = Client(enforce_csrf_checks=True).post(
        CALLBACK, json.dumps(callback_for(order, code="error")), content_type="application/json"
    )
    assert response.status_code == 200


def expire(order: Order) -> Order:
    Order.objects.filter(pk=order.pk).update(hold_expires_at=timezone.now() - timedelta(minutes=1))
    assert release_expired_holds() >= 1
    order.refresh_from_db()
    assert order.status == OrderStatus.EXPIRED
    return order


def test_a_late_payment_after_the_hold_expired_is_still_recorded(
    client, paying, caplog, django_capture_on_commit_callbacks
):
    order, _ = paying
    order = expire(order)
    pay_at_the_bank(order)
    with caplog.at_level(logging.INFO), django_capture_on_commit_callbacks(execute=True):
        response = post(client, callback_for(order))
    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED
    assert order.doctor_id and order.slot_start


def test_a_late_payment_whose_slot_was_taken_is_kept_paid_and_handed_to_staff(
    client, paying, caplog, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.BOOKING_STAFF_EMAILS = ["desk@clinic.example"]
    order, _ = paying
    order = expire(order)
    # Another patient holds the same slot now.
    other = Order.objects.create(
        language="ru",
        consultation_type_id=order.consultation_type_id,
        amount_kzt=order.amount_kzt,
        doctor_id=order.doctor_id,
        slot_start=order.slot_start,
        slot_minutes=order.slot_minutes,
    )
    transition(other, OrderStatus.SLOT_HELD)
    pay_at_the_bank(order)
    with caplog.at_level(logging.INFO), django_capture_on_commit_callbacks(execute=True):
        response = post(client, callback_for(order))
    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == OrderStatus.MIS_REJECTED
    assert order.paid_at is not None and order.payment_reference == "555000111222"
    assert order.doctor_id is None and order.doctor_name and order.slot_start  # what was paid for stays visible
    assert order.next_attempt_at is None and "slot was taken" in order.last_error
    assert list(order.events.values_list("to_status", flat=True))[-2:] == ["paid", "mis_rejected"]
    other.refresh_from_db()
    assert other.status == OrderStatus.SLOT_HELD
    [mail] = mailoutbox  # staff only: the patient gets no summary of a time that is not theirs
    assert mail.subject == f"У оплаченного заказа {order.invoice_id} нет времени приёма: позвоните пациенту"
    assert mail.to == ["desk@clinic.example"]
    assert_no_personal_data(caplog, order)
    # The patient's page says the payment was received and the clinic will be in touch.
    assert "Оплата получена" in client.get(booking_url("ru", "paid")).content.decode()
