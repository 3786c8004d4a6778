"""The mail server down or refusing when an order is paid: the order stays paid and goes to the MIS all the same; the
failure is logged by invoice number only (an SMTP error may quote the address), and with the database queue only the
e-mail that failed is tried again, a few times, so that none is sent twice."""

import logging
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django_tasks_db.models import DBTaskResult

from booking.models import OrderStatus as S
from booking.states import transition
from booking.tasks import EMAIL_ATTEMPTS, send_paid_order_emails
from config.settings.base import booking_tasks
from tests.booking.conftest import PATIENT
from tests.booking.test_a_paid_order_is_kept_while_the_mis_is_down import assert_no_personal_data

STAFF = ["registry@hematology.kz"]


class SmtpDown(BaseEmailBackend):
    """A mail server that refuses everything, quoting the recipient as real ones do."""

    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({messages[0].to[0]: (550, b"mailbox unavailable")})


class SmtpRefusesThePatient(LocmemBackend):
    """Staff mail goes through; the patient's address is refused."""

    def send_messages(self, messages):
        if messages[0].to == [PATIENT["email"]]:
            raise smtplib.SMTPRecipientsRefused({PATIENT["email"]: (550, b"no such user")})
        return super().send_messages(messages)


@pytest.fixture
def logs(caplog):
    caplog.set_level(logging.DEBUG)
    return caplog


@pytest.fixture(autouse=True)
def staff(settings):
    settings.BOOKING_STAFF_EMAILS = STAFF


def test_smtp_down_leaves_the_order_paid_and_sent_to_the_mis(
    settings, make_order, fake_mis, logs, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.SmtpDown"
    order = make_order(S.AWAITING_PAYMENT, language="kk")
    with django_capture_on_commit_callbacks(execute=True):
        transition(order, S.PAID)
    order.refresh_from_db()
    assert order.status == S.CONFIRMED and order.paid_at is not None
    assert len(fake_mis.received) == 1
    assert mail.outbox == []
    assert f"booking: patient e-mail of order {order.invoice_id} failed (attempt 1): SMTPRecipientsRefused" in logs.text
    assert f"booking: staff e-mail of order {order.invoice_id} failed (attempt 1): SMTPRecipientsRefused" in logs.text
    assert_no_personal_data(logs.text)


def test_smtp_down_at_the_mis_refusal_keeps_the_order_retrying(
    settings, make_order, fake_mis, logs, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.SmtpDown"
    fake_mis.down = True
    order = make_order(S.AWAITING_PAYMENT)
    with django_capture_on_commit_callbacks(execute=True):
        transition(order, S.PAID)
    order.refresh_from_db()
    assert (order.status, order.attempts) == (S.MIS_REJECTED, 1)
    assert order.next_attempt_at is not None
    assert f"notify_staff_of_first_rejection for order {order.invoice_id} failed: SMTPRecipientsRefused" in logs.text
    assert_no_personal_data(logs.text)


def test_with_the_queue_only_the_failed_email_is_tried_again_a_few_times(settings, make_order, logs):
    settings.TASKS = booking_tasks("database")
    settings.EMAIL_BACKEND = f"{__name__}.SmtpRefusesThePatient"
    order = make_order(S.PAID)

    assert send_paid_order_emails.call(order.pk) == ["patient"]
    assert [message.to for message in mail.outbox] == [STAFF]  # the staff's went out, once
    queued = DBTaskResult.objects.filter(task_path="booking.tasks.send_paid_order_emails")
    retry = queued.get()
    assert retry.args_kwargs["kwargs"] == {"which": ["patient"], "attempt": 2}
    assert retry.run_after is not None

    # The retries fail too, up to EMAIL_ATTEMPTS in all; then nothing more is queued.
    for attempt in range(2, EMAIL_ATTEMPTS + 1):
        assert send_paid_order_emails.call(order.pk, which=["patient"], attempt=attempt) == ["patient"]
    assert queued.count() == EMAIL_ATTEMPTS - 1
    assert [message.to for message in mail.outbox] == [STAFF]
    assert_no_personal_data(logs.text)


def test_an_order_refunded_before_its_emails_are_sent_announces_nothing(make_order):
    order = make_order(S.REFUNDED)
    assert send_paid_order_emails.call(order.pk) == []
    assert mail.outbox == []


def test_the_deploy_check_asks_for_a_real_sender_and_staff_addresses(settings):
    from django.core.checks import run_checks

    settings.DEFAULT_FROM_EMAIL = "webmaster@localhost"
    settings.BOOKING_STAFF_EMAILS = []
    ids = {message.id for message in run_checks(include_deployment_checks=True)}
    assert {"booking.W002", "booking.W003"} <= ids

    settings.DEFAULT_FROM_EMAIL = "Гематология орталығы <site@hematology.kz>"
    settings.BOOKING_STAFF_EMAILS = STAFF
    ids = {message.id for message in run_checks(include_deployment_checks=True)}
    assert not {"booking.W002", "booking.W003"} & ids
