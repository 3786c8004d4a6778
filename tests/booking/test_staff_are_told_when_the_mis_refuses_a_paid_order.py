"""A paid order the MIS does not accept: staff get one notice at the first refusal ("retried automatically; nothing to
do yet"), none for the further failed retries, and one more when automatic retries stop. No patient data in them."""

import pytest
from django.core import mail

from booking.models import OrderStatus as S
from booking.states import transition
from booking.tasks import retry_due_orders, send_paid_order_to_mis
from tests.booking.test_a_paid_order_is_kept_while_the_mis_is_down import assert_no_personal_data, make_due

STAFF = ["registry@hematology.kz"]


@pytest.fixture(autouse=True)
def staff(settings):
    settings.BOOKING_STAFF_EMAILS = STAFF
    settings.BOOKING_STAFF_LANGUAGE = "ru"
    settings.BOOKING_MIS_MAX_ATTEMPTS = 4


def rejection_notices():
    return [m for m in mail.outbox if m.to == STAFF and "МИС" in m.subject]


def paid(make_order, django_capture_on_commit_callbacks, **fields):
    order = make_order(S.AWAITING_PAYMENT, **fields)
    with django_capture_on_commit_callbacks(execute=True):
        transition(order, S.PAID)
    order.refresh_from_db()
    return order


@pytest.mark.parametrize(
    ("failure", "reason"),
    [("down", "МИС не ответила"), ("rejecting", "МИС отказалась принять заказ")],
)
def test_the_first_refusal_gives_one_notice_then_none_until_retries_stop(
    make_order, fake_mis, django_capture_on_commit_callbacks, failure, reason
):
    setattr(fake_mis, failure, True)
    order = paid(make_order, django_capture_on_commit_callbacks, language="kk")
    assert (order.status, order.attempts) == (S.MIS_REJECTED, 1)

    [first] = rejection_notices()
    assert first.subject == f"Оплаченный заказ {order.invoice_id} пока не принят МИС: отправка повторяется"
    assert first.body.startswith(
        f"Пациент оплатил заказ {order.invoice_id}, но МИС не приняла его: {reason}. Отправка будет повторена "
        "автоматически; пока ничего делать не нужно."
    )
    assert f"Номер счёта: {order.invoice_id}" in first.body
    assert "Заказ в панели администратора:\nhttp://testserver/admin/" in first.body

    # Attempts 2 and 3 fail: no more notices.
    for attempts in (2, 3):
        make_due(order)
        retry_due_orders.enqueue()
        order.refresh_from_db()
        assert order.attempts == attempts
    assert len(rejection_notices()) == 1

    # Attempt 4, the last: retries stop, and staff are told so.
    make_due(order)
    retry_due_orders.enqueue()
    order.refresh_from_db()
    assert (order.attempts, order.next_attempt_at) == (4, None)
    _first, final = rejection_notices()
    assert final.subject == f"Оплаченный заказ {order.invoice_id} не принят МИС"
    assert "Автоматические повторы остановлены." in final.body
    for message in (first, final):
        assert_no_personal_data(message.subject + message.body)


def test_an_order_accepted_at_the_second_attempt_gives_only_the_first_notice(
    make_order, fake_mis, django_capture_on_commit_callbacks
):
    fake_mis.down = True
    order = paid(make_order, django_capture_on_commit_callbacks)
    fake_mis.down = False
    make_due(order)
    retry_due_orders.enqueue()
    order.refresh_from_db()
    assert order.status == S.CONFIRMED
    assert len(rejection_notices()) == 1


def test_the_notices_are_in_the_staff_language(settings, make_order, fake_mis, django_capture_on_commit_callbacks):
    settings.BOOKING_STAFF_LANGUAGE = "en"
    fake_mis.down = True
    order = paid(make_order, django_capture_on_commit_callbacks, language="kk")
    [notice] = [m for m in mail.outbox if m.to == STAFF and "MIS" in m.subject]
    assert notice.subject == f"Paid order {order.invoice_id} not accepted by the MIS yet: retrying"
    assert "you do not need to do anything yet" in notice.body
    assert "the MIS did not answer" in notice.body


def test_an_order_accepted_at_once_gives_no_rejection_notice(make_order, fake_mis, django_capture_on_commit_callbacks):
    order = paid(make_order, django_capture_on_commit_callbacks)
    assert rejection_notices() == []
    # A staff retry of a confirmed order does nothing, and tells no one.
    assert send_paid_order_to_mis.enqueue(order.pk, force=True).return_value == S.CONFIRMED
    assert rejection_notices() == []
