"""The whole booking, as a patient goes through it with the demo's simulated bank: the steps, the payment widget's
Pay or Decline, the bank's callback, the paid/ or failed/ page; the order ends confirmed by the (simulated) MIS."""

from urllib.parse import urlsplit

import pytest
from django.utils import translation

from booking.models import OrderStatus
from tests.booking.flow import BankAtTheSite, booking_url, payment_object, session_order, walk_to_payment
from tests.helpers import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank(monkeypatch):
    return BankAtTheSite(monkeypatch)


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_a_paid_booking_ends_confirmed_and_the_paid_page_shows_it(
    client, bank, lang, django_capture_on_commit_callbacks
):
    order = walk_to_payment(client, lang)
    payment_page = client.get(booking_url(lang, "payment"))
    assert payment_page.status_code == 200
    payment = payment_object(payment_page)
    assert payment["invoiceId"] == order.invoice_id
    assert payment["amount"] == 15000 and payment["currency"] == "KZT"
    assert payment["language"] == {"kk": "kaz", "ru": "rus", "en": "eng"}[lang]
    assert urlsplit(payment["backLink"]).path == booking_url(lang, "paid")
    assert urlsplit(payment["failureBackLink"]).path == booking_url(lang, "failed")
    assert urlsplit(payment["postLink"]).path == "/epay/callback/" == urlsplit(payment["failurePostLink"]).path
    assert '<script src="/epay-simulator/payment-api.js"' in payment_page.content.decode()
    assert "/static/js/booking-payment.js" in payment_page.content.decode()
    assert session_order(client).status == OrderStatus.AWAITING_PAYMENT

    with django_capture_on_commit_callbacks(execute=True):
        answer = bank.press(client, payment, "pay")
    assert answer.json() == {"success": True}
    [(url, body, status)] = bank.callbacks
    assert status == 200 and body["code"] == "ok"

    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED
    assert order.mis_order_id == f"SIM-{order.invoice_id}"
    assert order.payment_reference and order.card_mask == "440043******0000"
    assert list(order.events.values_list("to_status", flat=True)) == [
        "slot_held",
        "awaiting_payment",
        "paid",
        "confirmed",
    ]

    paid = client.get(booking_url(lang, "paid"))
    text = page_text(paid)
    with translation.override(lang):
        assert translation.gettext("Your booking is confirmed") in text
    assert order.invoice_id in text
    assert order.consultation_type_name in text and order.doctor_name in text
    assert "15\xa0000\xa0₸" in paid.content.decode()  # never broken across lines


def test_the_consent_given_is_recorded_on_the_order(client, bank):
    order = walk_to_payment(client, "kk")
    assert order.offer_title == "Жария оферта шарты" and order.offer_version == "2025-01"
    assert order.consent_title == "Ақпараттандырылған ерікті келісім" and order.consent_version == "2025-01"
    assert order.offer_ref_id and order.consent_ref_id
    assert order.consent_at is not None and order.consent_ip == "127.0.0.1"
    assert order.language == "kk"


def test_a_declined_payment_shows_the_failed_page_and_the_patient_can_try_again(
    client, bank, django_capture_on_commit_callbacks
):
    order = walk_to_payment(client, "ru")
    payment = payment_object(client.get(booking_url("ru", "payment")))
    assert bank.press(client, payment, "decline").json() == {"success": False}
    order.refresh_from_db()
    assert order.status == OrderStatus.PAYMENT_FAILED

    failed = page_text(client.get(booking_url("ru", "failed")))
    assert "Оплата не прошла" in failed
    assert "Ответ банка: Declined by the payer (simulator)" in failed
    assert "Попробовать снова" in failed

    # Try again: the same invoice goes to the bank again, and this time it is paid.
    again = client.get(booking_url("ru", "payment"))
    assert again.status_code == 200
    payment = payment_object(again)
    assert payment["invoiceId"] == order.invoice_id
    with django_capture_on_commit_callbacks(execute=True):
        bank.press(client, payment, "pay")
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED
    assert client.get(booking_url("ru", "failed"))["Location"].endswith("/ru/booking/paid/")


def test_a_browser_back_before_the_callback_still_sees_its_payment_confirmed(
    client, bank, monkeypatch, django_capture_on_commit_callbacks
):
    order = walk_to_payment(client, "en")
    payment = payment_object(client.get(booking_url("en", "payment")))
    monkeypatch.setattr(bank.bank, "deliver", lambda url, body: False)  # the callback is lost on the way
    bank.press(client, payment, "pay")
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT

    with django_capture_on_commit_callbacks(execute=True):
        paid = client.get(booking_url("en", "paid"))
    # Rendered as the payment was recorded; the MIS confirms it right after (tests run the queue at once).
    assert "Your payment has been received" in page_text(paid)
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED
    assert "Your booking is confirmed" in page_text(client.get(booking_url("en", "paid")))
    assert "patient returned" in order.events.get(to_status="paid").note


def test_the_paid_page_waits_for_the_bank_while_nothing_is_paid_yet(client, bank):
    walk_to_payment(client, "kk")
    client.get(booking_url("kk", "payment"))
    waiting = client.get(booking_url("kk", "paid"))
    assert waiting.status_code == 200
    assert "Банктің растауын күтудеміз" in page_text(waiting)
    assert session_order(client).status == OrderStatus.AWAITING_PAYMENT


def test_after_a_paid_booking_the_first_step_starts_a_new_one(client, bank, django_capture_on_commit_callbacks):
    order = walk_to_payment(client, "ru")
    with django_capture_on_commit_callbacks(execute=True):
        bank.press(client, payment_object(client.get(booking_url("ru", "payment"))), "pay")
    first = client.get(booking_url("ru"))
    assert "checked" not in first.content.decode()
    assert client.get(booking_url("ru", "doctor"))["Location"] == booking_url("ru")
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED
