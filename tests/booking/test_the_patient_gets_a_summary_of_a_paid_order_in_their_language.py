"""When an order is paid, the patient gets one e-mail in the order's language: the consultation, the doctor, the
date and time in Almaty written as that language writes them, the length, the branch, the amount in tenge, the
invoice number, what to bring, and the phone of the clinic (from the branch pages editors keep). Text and HTML."""

from datetime import datetime

import pytest
from django.core import mail

from about.models import BranchPage
from booking.emails import send_patient_summary
from booking.models import OrderStatus as S
from booking.states import transition
from tests.booking.conftest import ASTANA, PATIENT

NBSP = "\xa0"
SLOT = datetime(2030, 3, 4, 9, 30, tzinfo=ASTANA)

EXPECTED = {
    "kk": {
        "type": "Гематолог кеңесі",
        "subject": "Дәрігер кеңесіне жазылуыңыз: 4 наурыз, сағат 09:30 — Гематология орталығы",
        "lines": [
            "Сәлеметсіз бе, Айгерим Сапарова!",
            "Рақмет! Төлеміңіз қабылданды, сіз дәрігер кеңесіне жазылдыңыз.",
            "Кеңес: Гематолог кеңесі",
            "Дәрігер: Ермеков Данияр",
            "Күні мен уақыты: 4 наурыз 2030 ж., 09:30",
            "Ұзақтығы: 30 минут",
            f"Төленген сома: 15{NBSP}000{NBSP}₸",
            "Қабылдауға 15 минут ерте келіңіз; жеке басыңызды куәландыратын құжатты, сондай-ақ бар болса, бұрынғы "
            "талдау нәтижелері мен эпикриздерді ала келіңіз.",
        ],
    },
    "ru": {
        "type": "Консультация гематолога",
        "subject": "Ваша консультация 4 марта в 09:30 — Центр гематологии",
        "lines": [
            "Здравствуйте, Айгерим Сапарова!",
            "Спасибо! Оплата получена, вы записаны на консультацию.",
            "Консультация: Консультация гематолога",
            "Врач: Ермеков Данияр",
            "Дата и время: 4 марта 2030 г., 09:30",
            "Длительность: 30 минут",
            f"Сумма оплаты: 15{NBSP}000{NBSP}₸",
            "Пожалуйста, приходите за 15 минут до приёма и возьмите с собой удостоверение личности, а также "
            "результаты прежних анализов и выписки, если они есть.",
        ],
    },
    "en": {
        "type": "Haematologist consultation",
        "subject": "Your consultation on 4 March at 09:30 — Hematology Center",
        "lines": [
            "Hello, Айгерим Сапарова!",
            "Thank you: your payment has been received and your consultation is booked.",
            "Consultation: Haematologist consultation",
            "Doctor: Ермеков Данияр",
            "Date and time: 4 March 2030, 09:30",
            "Length: 30 minutes",
            f"Amount paid: 15,000{NBSP}₸",
            "Please arrive 15 minutes early and bring your identity document and any earlier test results or "
            "discharge summaries.",
        ],
    },
}


def pay(order, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        transition(order, S.PAID, note="paid")
    order.refresh_from_db()
    return order


@pytest.fixture
def paid_order(make_order, fake_mis, django_capture_on_commit_callbacks):
    def make(language: str, **fields):
        order = make_order(
            S.AWAITING_PAYMENT,
            language=language,
            consultation_type_name=EXPECTED[language]["type"],
            doctor_name="Ермеков Данияр",
            slot_start=SLOT,
            **fields,
        )
        return pay(order, django_capture_on_commit_callbacks)

    return make


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_a_paid_order_sends_the_patient_one_summary_in_their_language(paid_order, language):
    order = paid_order(language)
    assert order.status == S.CONFIRMED  # the e-mail did not stand in the way of the MIS

    [message] = mail.outbox
    expected = EXPECTED[language]
    assert message.to == [PATIENT["email"]]
    assert message.subject == expected["subject"]
    body_lines = message.body.splitlines()
    for line in [*expected["lines"], f"{expected['lines'][2].split(':')[0]}: {expected['type']}"]:
        assert line in body_lines
    assert any(line.endswith(order.invoice_id) for line in body_lines)
    # The clinic's phones, from the branch pages of the patient's language (the demo site's three branches).
    assert "+7 000 000 00 00" in message.body

    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert f'<html lang="{language}">' in html
    assert expected["lines"][4].split(": ", 1)[1] in html  # the date and time
    assert f"15{NBSP}000{NBSP}₸" in html or f"15,000{NBSP}₸" in html
    assert "Ермеков Данияр" in html and order.invoice_id in html


def test_the_booked_branch_its_address_and_its_phone_are_in_the_summary(make_order, locales):
    astana = BranchPage.objects.get(locale=locales["kk"], city="Астана")
    astana.phones = "+7 7172 11 22 33\n+7 701 111 22 33"
    astana.save_revision().publish()
    order = make_order(S.PAID, language="kk", slot_start=SLOT, doctor_id="astana-1")
    # The booking steps keep the branch on the order (branch_name, branch_address).
    order.branch_name = "Астана"
    order.branch_address = "Сығанақ көшесі, 2"

    assert send_patient_summary(order) is True
    [message] = mail.outbox
    assert "Филиал: Астана, Сығанақ көшесі, 2" in message.body.splitlines()
    assert "Жазылу бойынша сұрақтарыңыз бар ма? Клиникаға хабарласыңыз: +7 7172 11 22 33, +7 701 111 22 33." in (
        message.body
    )
    # Only the booked branch's phones, not the others'.
    assert "Қарағанды" not in message.body
    html = message.alternatives[0][0]
    assert "Астана<br>Сығанақ көшесі, 2" in html


def test_without_a_branch_the_summary_has_no_branch_line_and_lists_every_branch_phone(make_order):
    order = make_order(S.PAID, language="ru", slot_start=SLOT, doctor_id="no-branch")
    send_patient_summary(order)
    [message] = mail.outbox
    assert "Филиал" not in message.body
    assert "Позвоните в клинику: Астана: +7 000 000 00 00; Караганда: +7 000 000 00 00" in message.body


def test_the_patient_who_gave_no_email_gets_none_and_staff_are_still_told(paid_order, settings):
    settings.BOOKING_STAFF_EMAILS = ["registry@hematology.kz"]
    order = paid_order("kk", email="")
    assert order.status == S.CONFIRMED
    [staff] = mail.outbox
    assert staff.to == ["registry@hematology.kz"]


def test_a_payment_confirmed_twice_sends_each_email_once(
    make_order, fake_mis, settings, django_capture_on_commit_callbacks
):
    """The bank's callback and the patient's return both ask for "paid": one summary, one staff notice, one MIS send."""
    settings.BOOKING_STAFF_EMAILS = ["registry@hematology.kz"]
    order = make_order(S.AWAITING_PAYMENT, language="kk")
    with django_capture_on_commit_callbacks() as first:
        transition(order, S.PAID)
    with django_capture_on_commit_callbacks() as second:
        transition(order, S.PAID)
    assert len(first) == 2  # the sending to the MIS, then the e-mails
    assert second == []
    for callback in first:
        callback()
    order.refresh_from_db()
    assert order.status == S.CONFIRMED and len(fake_mis.received) == 1
    assert sorted(message.to for message in mail.outbox) == [[PATIENT["email"]], ["registry@hematology.kz"]]
