"""A booking manager's list and export of orders: every order with the IIN and phone masked; the order's own page
shows them in full, with the order's details in groups and its status history."""

import csv
import io

import pytest

from booking.states import transition
from tests.helpers import page_text

from .staff_helpers import ORDERS, inspect_url

pytestmark = pytest.mark.django_db

FULL_PHONE = "+77011234567"
FULL_IIN = "900101400123"


@pytest.fixture
def manager(client_for):
    return client_for("Booking managers")


def test_the_list_masks_the_iin_and_the_phone(manager, make_order):
    order = make_order("confirmed", doctor_name="Серикова А. Б.")
    text = page_text(manager.get(ORDERS))
    assert order.invoice_id in text
    assert "+7 701 *** ** 67" in text and "9001******23" in text
    assert FULL_IIN not in text and "1234567" not in text
    # Russian, the admin's language here: status, language, amount, the appointment in Almaty time.
    for expected in ("Подтверждён МИС", "Русский", "Серикова А. Б.", "15 000", "Айгерим Сапарова"):
        assert expected in text
    assert order.slot_start.strftime("%d.%m.%Y %H:%M") in text  # the fixture's slots are in Almaty time


def test_the_list_offers_no_add_edit_or_delete(manager, admin_client, make_order):
    order = make_order("paid")
    for client in (manager, admin_client):
        html = client.get(ORDERS).text
        assert "/admin/booking/orders/new/" not in html
        assert f"/edit/{order.pk}/" not in html and f"/delete/{order.pk}/" not in html
    for path in ("new/", f"edit/{order.pk}/", f"delete/{order.pk}/"):
        assert admin_client.get(ORDERS + path).status_code == 404


def test_the_order_page_shows_everything_and_the_history(
    manager, make_order, fake_mis, django_user_model, django_capture_on_commit_callbacks
):
    order = make_order("awaiting_payment", email="aigerim@example.kz", payment_reference="REF-42")
    with django_capture_on_commit_callbacks(execute=True):
        transition(order, "paid")  # queues the sending: the stand-in MIS confirms it
    order.refresh_from_db()
    transition(
        order,
        "refunded",
        note="возврат 1234 в портале Halyk",
        actor=django_user_model.objects.get(username="booking_managers"),
    )
    text = page_text(manager.get(inspect_url(order)))
    assert FULL_PHONE in text and FULL_IIN in text and "aigerim@example.kz" in text
    for heading in ("О заказе", "Приём", "Пациент", "Оплата", "Отправка в МИС", "Согласие", "История статусов"):
        assert heading in text
    assert f"MIS-{order.invoice_id}" in text  # the MIS's order id
    history = text[text.index("История статусов") :]
    # In order: paid, confirmed by the MIS (automatic), refunded by the manager with the note.
    assert history.index("Оплачен") < history.index("Подтверждён МИС") < history.index("Деньги возвращены")
    assert "сайт (автоматически)" in history
    assert "booking_managers" in history and "возврат 1234 в портале Halyk" in history


def test_the_csv_export_masks_the_iin_and_the_phone(manager, make_order):
    kept = make_order("paid", language="kk", phone="+7 (777) 000-11-22")
    other = make_order("draft", language="en")
    response = manager.get(ORDERS, {"export": "csv", "language": "kk"})
    assert response["Content-Disposition"].startswith('attachment; filename="orders.csv"')
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["Номер счёта"] for row in rows] == [kept.invoice_id]  # the list's filter applies
    row = rows[0]
    assert row["Телефон"] == "+7 777 *** ** 22"
    assert row["ИИН"] == "9001******23"
    assert row["Статус"] == "Оплачен" and row["Язык"] == "Қазақша" and row["Сумма, тенге"] == "15000"
    assert row["Время приёма"] == kept.slot_start.strftime("%d.%m.%Y %H:%M")
    assert other.invoice_id not in str(rows)


def test_the_csv_export_cannot_carry_a_spreadsheet_formula(manager, make_order):
    make_order("paid", full_name='=HYPERLINK("http://evil.example","Иван Петров")')
    response = manager.get(ORDERS, {"export": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0]["ФИО"].startswith("'=")


def test_the_xlsx_export_masks_the_iin_and_the_phone(manager, make_order):
    from openpyxl import load_workbook

    make_order("confirmed")
    response = manager.get(ORDERS, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [str(cell.value) for row in sheet.iter_rows() for cell in row]
    assert "+7 701 *** ** 67" in values and "9001******23" in values
    assert FULL_IIN not in values and FULL_PHONE not in values
