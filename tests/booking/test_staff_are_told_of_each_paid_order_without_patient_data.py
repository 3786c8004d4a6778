"""Each paid order gives BOOKING_STAFF_EMAILS one e-mail in BOOKING_STAFF_LANGUAGE: what was booked, for how much,
and the link to the order in the admin. Nothing about the patient (name, IIN, phone, e-mail, birth date, questions)
in its subject or body: staff open the admin for that."""

from datetime import datetime

import pytest
from django.core import mail

from booking.models import OrderStatus as S
from booking.states import transition
from tests.booking.conftest import ASTANA, PATIENT

NBSP = "\xa0"


def assert_no_personal_data(text: str):
    for value in (
        PATIENT["full_name"],
        "Айгерим",
        "Сапарова",
        PATIENT["iin"],
        PATIENT["phone"],
        "7011234567",
        PATIENT["email"],
        "aigerim",
        PATIENT["questions"],
        "1990",
    ):
        assert value not in text


@pytest.fixture
def staff(settings):
    settings.BOOKING_STAFF_EMAILS = ["registry@hematology.kz", "manager@hematology.kz"]
    settings.BOOKING_STAFF_LANGUAGE = "ru"
    return settings.BOOKING_STAFF_EMAILS


def pay(order, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        transition(order, S.PAID)
    order.refresh_from_db()
    return order


def staff_messages():
    return [message for message in mail.outbox if message.to != [PATIENT["email"]]]


def test_a_paid_order_gives_staff_one_email_with_the_booking_and_the_admin_link(
    staff, make_order, fake_mis, django_capture_on_commit_callbacks
):
    order = make_order(
        S.AWAITING_PAYMENT,
        language="kk",  # the patient's language; staff read theirs
        consultation_type_name="Гематолог кеңесі",
        doctor_name="Ермеков Данияр",
        slot_start=datetime(2030, 3, 4, 14, 0, tzinfo=ASTANA),
        amount_kzt=25000,
    )
    pay(order, django_capture_on_commit_callbacks)

    [message] = staff_messages()
    assert message.to == staff
    assert message.subject == f"Новый оплаченный заказ {order.invoice_id}"
    lines = message.body.splitlines()
    assert lines[0] == "Пациент записался на консультацию и оплатил её:"
    for line in (
        f"Номер счёта: {order.invoice_id}",
        "Консультация: Гематолог кеңесі",
        "Врач: Ермеков Данияр",
        "Дата и время: 4 марта 2030 г., 14:00",
        f"Сумма оплаты: 25{NBSP}000{NBSP}₸",
        "Данные пациента — в панели администратора:",
    ):
        assert line in lines
    assert lines[-1].startswith("http://testserver/admin/")
    assert_no_personal_data(message.subject + message.body + str(message.alternatives))


def test_the_staff_notice_is_in_the_staff_language_and_names_the_branch(
    staff, settings, make_order, fake_mis, django_capture_on_commit_callbacks
):
    settings.BOOKING_STAFF_LANGUAGE = "kk"
    order = make_order(S.AWAITING_PAYMENT, language="ru", slot_start=datetime(2030, 3, 4, 9, 0, tzinfo=ASTANA))
    from booking.emails import notify_staff_of_paid_order

    order.status = S.PAID
    order.branch_name = "Астана"
    assert notify_staff_of_paid_order(order) is True
    [message] = mail.outbox
    assert message.subject == f"Жаңа төленген тапсырыс {order.invoice_id}"
    assert "Күні мен уақыты: 4 наурыз 2030 ж., 09:00" in message.body
    assert "Филиал: Астана" in message.body.splitlines()
    assert_no_personal_data(message.subject + message.body)


def test_each_paid_order_is_announced_once(staff, make_order, fake_mis, django_capture_on_commit_callbacks):
    orders = [pay(make_order(S.AWAITING_PAYMENT), django_capture_on_commit_callbacks) for _ in range(3)]
    subjects = [message.subject for message in staff_messages()]
    assert subjects == [f"Новый оплаченный заказ {order.invoice_id}" for order in orders]


def test_without_staff_addresses_only_the_patient_is_written_to(
    settings, make_order, fake_mis, django_capture_on_commit_callbacks
):
    settings.BOOKING_STAFF_EMAILS = []
    pay(make_order(S.AWAITING_PAYMENT), django_capture_on_commit_callbacks)
    assert [message.to for message in mail.outbox] == [[PATIENT["email"]]]
