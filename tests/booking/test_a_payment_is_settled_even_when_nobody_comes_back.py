"""A payment the site could not check when the bank's callback came (its status API down: the callback got 503) and
whose payer never came back to paid/ is found by the periodic status check (booking.tasks.settle_open_payments,
queued by booking_maintenance before the holds are released): the order becomes paid, goes to the MIS and the usual
e-mails go out. Late payments are settled too; unpaid orders stay as they are; a bank down during the run changes
nothing; orders that never reached the payment step are never asked about. Logs name invoices only."""

import logging
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from booking.holds import release_expired_holds
from booking.models import Order, OrderEvent
from booking.models import OrderStatus as S
from booking.tasks import settle_open_payments
from tests.booking.conftest import PATIENT
from tests.booking.flow import DETAILS, BankAtTheSite, booking_url, payment_object, walk_to_payment

pytestmark = pytest.mark.django_db

STAFF = "desk@clinic.example"


@pytest.fixture
def bank(monkeypatch):
    return BankAtTheSite(monkeypatch)


@pytest.fixture
def asked(bank, monkeypatch) -> list[str]:
    """The invoices the bank's status API is asked about, in order."""
    invoices = []
    check_status = bank.bank.check_status

    def counting(authorization, invoice_id):
        invoices.append(invoice_id)
        return check_status(authorization, invoice_id)

    monkeypatch.setattr(bank.bank, "check_status", counting)
    return invoices


@pytest.fixture
def staff(settings):
    settings.BOOKING_STAFF_EMAILS = [STAFF]


def on_the_banks_page(client, lang: str = "ru"):
    """A patient's order awaiting payment, and the widget's payment object (the invoice is known to the bank)."""
    order = walk_to_payment(client, lang)
    payment = payment_object(client.get(booking_url(lang, "payment")))
    order.refresh_from_db()
    assert order.status == S.AWAITING_PAYMENT
    return order, payment


def pay_and_leave(bank, client, payment, monkeypatch):
    """The payer presses Pay and closes the browser; the bank's callback is lost on its way."""
    monkeypatch.setattr(bank.bank, "deliver", lambda url, body: False)
    assert bank.press(client, payment, "pay").json() == {"success": True}


def settle(django_capture_on_commit_callbacks) -> dict:
    with django_capture_on_commit_callbacks(execute=True):
        result = settle_open_payments.enqueue()
    assert result.status == "SUCCESSFUL"
    return result.return_value


def assert_no_personal_data(text: str) -> None:
    for value in (DETAILS["full_name"], DETAILS["iin"], DETAILS["email"], "7011234567", PATIENT["full_name"]):
        assert value not in text
    assert PATIENT["iin"] not in text and PATIENT["phone"] not in text


def test_a_payment_whose_callback_got_503_is_recorded_confirmed_and_announced_by_the_status_check(
    client, bank, asked, staff, monkeypatch, mailoutbox, caplog, django_capture_on_commit_callbacks
):
    order, payment = on_the_banks_page(client, "ru")
    monkeypatch.setitem(bank.bank.faults, "status", "500")  # the bank's status API is down
    with django_capture_on_commit_callbacks(execute=True):
        bank.press(client, payment, "pay")
    [(_url, body, answered)] = bank.callbacks
    assert (body["code"], answered) == ("ok", 503)  # the site could not check it; the patient never comes back
    order.refresh_from_db()
    assert order.status == S.AWAITING_PAYMENT
    assert mailoutbox == []

    monkeypatch.delitem(bank.bank.faults, "status")  # the status API answers again
    with caplog.at_level(logging.INFO):
        counts = settle(django_capture_on_commit_callbacks)

    assert counts == {"asked": 1, "paid": 1, "unpaid": 0, "unavailable": 0, "skipped": 0}
    order.refresh_from_db()
    assert order.status == S.CONFIRMED
    assert order.mis_order_id == f"SIM-{order.invoice_id}"  # the MIS simulator accepted it
    assert order.payment_reference and order.card_mask == "440043******0000"
    assert list(order.events.values_list("to_status", flat=True)) == [
        "slot_held",
        "awaiting_payment",
        "paid",
        "confirmed",
    ]
    assert order.events.get(to_status=S.PAID).note == "payment confirmed by the bank (status check)"
    # The usual e-mails: the patient's summary in their language, and the staff's notice.
    by_recipient = {message.to[0]: message for message in mailoutbox}
    assert set(by_recipient) == {DETAILS["email"], STAFF}
    assert by_recipient[DETAILS["email"]].subject.startswith("Ваша консультация ")
    assert by_recipient[STAFF].subject == f"Новый оплаченный заказ {order.invoice_id}"
    assert f"invoice {order.invoice_id} paid (status check)" in caplog.text
    assert_no_personal_data(caplog.text)
    # The patient who does come back later sees the booking confirmed.
    assert "Ваша запись подтверждена" in client.get(booking_url("ru", "paid")).content.decode()


def test_an_expired_order_paid_late_is_settled(client, bank, asked, monkeypatch, django_capture_on_commit_callbacks):
    order, payment = on_the_banks_page(client, "kk")
    Order.objects.filter(pk=order.pk).update(hold_expires_at=timezone.now() - timedelta(minutes=1))
    assert release_expired_holds() == 1
    pay_and_leave(bank, client, payment, monkeypatch)  # paid on the bank's page after the hold ran out

    counts = settle(django_capture_on_commit_callbacks)

    assert counts == {"asked": 1, "paid": 1, "unpaid": 0, "unavailable": 0, "skipped": 0}
    assert asked == [order.invoice_id]
    order.refresh_from_db()
    assert order.status == S.CONFIRMED and order.doctor_id  # its slot was still free
    assert list(order.events.values_list("to_status", flat=True))[-4:] == [
        "awaiting_payment",
        "expired",
        "paid",
        "confirmed",
    ]


def test_a_payment_made_at_the_last_minute_is_settled_before_its_hold_is_released(
    client, bank, asked, monkeypatch, django_capture_on_commit_callbacks
):
    order, payment = on_the_banks_page(client, "en")
    pay_and_leave(bank, client, payment, monkeypatch)
    Order.objects.filter(pk=order.pk).update(hold_expires_at=timezone.now() - timedelta(seconds=1))

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("booking_maintenance", stdout=out)

    assert out.getvalue().splitlines()[0].startswith("settle_open_payments: SUCCESSFUL")
    order.refresh_from_db()
    assert order.status == S.CONFIRMED
    assert S.EXPIRED not in order.events.values_list("to_status", flat=True)  # never lost its hold


def test_orders_the_bank_says_are_unpaid_stay_as_they_are(
    client, bank, asked, mailoutbox, django_capture_on_commit_callbacks
):
    waiting, _ = on_the_banks_page(client, "ru")  # on the bank's page, nothing paid yet
    client.logout()
    declined, payment = on_the_banks_page(client, "ru")
    bank.press(client, payment, "decline")
    declined.refresh_from_db()
    assert declined.status == S.PAYMENT_FAILED
    events_before = OrderEvent.objects.count()

    counts = settle(django_capture_on_commit_callbacks)

    assert counts == {"asked": 2, "paid": 0, "unpaid": 2, "unavailable": 0, "skipped": 0}
    assert sorted(asked) == sorted([waiting.invoice_id, declined.invoice_id])
    waiting.refresh_from_db()
    declined.refresh_from_db()
    assert (waiting.status, declined.status) == (S.AWAITING_PAYMENT, S.PAYMENT_FAILED)
    assert OrderEvent.objects.count() == events_before
    assert mailoutbox == []


def test_a_bank_down_during_the_run_changes_nothing_and_the_run_goes_on(
    client, bank, asked, monkeypatch, caplog, mailoutbox, django_capture_on_commit_callbacks
):
    first, payment = on_the_banks_page(client, "ru")
    pay_and_leave(bank, client, payment, monkeypatch)
    client.logout()
    second, _ = on_the_banks_page(client, "ru")
    monkeypatch.setitem(bank.bank.faults, "status", "500")

    with caplog.at_level(logging.INFO):
        counts = settle(django_capture_on_commit_callbacks)

    assert counts == {"asked": 2, "paid": 0, "unpaid": 0, "unavailable": 2, "skipped": 0}
    assert sorted(asked) == sorted([first.invoice_id, second.invoice_id])  # the next order is still asked
    for order in (first, second):
        order.refresh_from_db()
        assert order.status == S.AWAITING_PAYMENT
        assert f"status check of invoice {order.invoice_id} failed: PaymentUnavailable" in caplog.text
    assert mailoutbox == []
    assert_no_personal_data(caplog.text)

    # Once the bank answers again, the next run settles the paid one.
    monkeypatch.delitem(bank.bank.faults, "status")
    assert settle(django_capture_on_commit_callbacks)["paid"] == 1
    first.refresh_from_db()
    assert first.status == S.CONFIRMED


def reached_payment(order: Order, hours_ago: float = 0) -> None:
    event = OrderEvent.objects.create(order=order, from_status=S.SLOT_HELD, to_status=S.AWAITING_PAYMENT)
    OrderEvent.objects.filter(pk=event.pk).update(at=timezone.now() - timedelta(hours=hours_ago))


def test_only_orders_that_reached_the_payment_step_are_asked_about_once_each(
    make_order, bank, asked, settings, django_capture_on_commit_callbacks
):
    settings.BOOKING_SETTLE_HOURS = 24
    awaiting = make_order(S.AWAITING_PAYMENT)
    reached_payment(awaiting)
    failed = make_order(S.PAYMENT_FAILED)
    reached_payment(failed)
    expired_twice_at_the_bank = make_order(S.EXPIRED)  # paid, declined, tried again: two events, one question
    reached_payment(expired_twice_at_the_bank, hours_ago=2)
    reached_payment(expired_twice_at_the_bank, hours_ago=1)
    # Never asked: never at the payment step, at it too long ago, or settled already.
    never_at_the_bank = [make_order(status) for status in (S.DRAFT, S.SLOT_HELD, S.EXPIRED, S.CANCELLED)]
    expired_long_ago = make_order(S.EXPIRED)
    reached_payment(expired_long_ago, hours_ago=25)
    settled = [make_order(status) for status in (S.PAID, S.MIS_REJECTED, S.CONFIRMED, S.REFUNDED)]
    for order in settled:
        reached_payment(order)

    counts = settle(django_capture_on_commit_callbacks)

    assert sorted(asked) == sorted([awaiting.invoice_id, failed.invoice_id, expired_twice_at_the_bank.invoice_id])
    assert counts == {"asked": 3, "paid": 0, "unpaid": 3, "unavailable": 0, "skipped": 0}
    for order in [*never_at_the_bank, expired_long_ago, *settled]:
        status = order.status
        order.refresh_from_db()
        assert order.status == status


def test_a_bank_that_is_down_is_not_asked_about_every_order_in_one_run(
    client, bank, asked, monkeypatch, django_capture_on_commit_callbacks
):
    from booking.tasks import SETTLE_GIVE_UP_AFTER

    orders = []
    for _ in range(SETTLE_GIVE_UP_AFTER + 2):
        client.logout()
        orders.append(on_the_banks_page(client, "ru")[0])
    monkeypatch.setitem(bank.bank.faults, "status", "500")

    counts = settle(django_capture_on_commit_callbacks)

    # Each call may wait for the bank's timeout: after three failures in a row the run leaves the rest to the next.
    assert counts == {"asked": 3, "paid": 0, "unpaid": 0, "unavailable": 3, "skipped": 2}
    assert len(asked) == SETTLE_GIVE_UP_AFTER
    monkeypatch.delitem(bank.bank.faults, "status")
    assert settle(django_capture_on_commit_callbacks)["unpaid"] == len(orders)
