"""Each step shows the MIS's data in the page's language (consultation types with their prices, doctors and their
profiles, days and times in Almaty), with the progress list, and the choices made come back when going back."""

import re

import pytest
from django.utils import timezone

from booking.mis.simulator import DOCTORS, TYPES
from tests.booking.flow import DETAILS, booking_url, choose, radio_values, session_order, walk_to_details
from tests.helpers import page_text

pytestmark = pytest.mark.django_db

HEADINGS = {
    "kk": ("Консультацияны таңдаңыз", "Дәрігерді таңдаңыз", "Күн мен уақытты таңдаңыз", "Әрі қарай"),
    "ru": ("Выберите консультацию", "Выберите врача", "Выберите дату и время", "Далее"),
    "en": ("Choose a consultation", "Choose a doctor", "Choose a date and time", "Next"),
}
WEEKDAYS = {
    "kk": ("дүйсенбі", "сейсенбі", "сәрсенбі", "бейсенбі", "жұма", "сенбі", "жексенбі"),
    "ru": ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_each_step_shows_the_mis_data_in_the_page_language(client, lang):
    first = client.get(booking_url(lang))
    text = page_text(first)
    assert first.status_code == 200
    assert HEADINGS[lang][0] in text and HEADINGS[lang][3] in text
    for row in TYPES.values():
        name, description = row["text"][lang]
        assert name in text and description in text
    assert "15 000 ₸" in text and "10 000 ₸" in text and "25 000 ₸" in text
    assert '<li aria-current="step" class="is-current">' in first.content.decode()

    doctor_page = client.get(client.post(booking_url(lang), {"consultation_type": "101"})["Location"])
    text = page_text(doctor_page)
    assert HEADINGS[lang][1] in text
    for doctor_id in ("d1", "d2", "d3"):  # the doctors who take type 101
        name, profile = DOCTORS[doctor_id]["text"][lang]
        assert name in text and profile in text
    assert DOCTORS["d4"]["text"][lang][0] not in text

    time_page = client.get(client.post(booking_url(lang, "doctor"), {"doctor": "d1"})["Location"])
    text = page_text(time_page)
    assert HEADINGS[lang][2] in text
    assert any(day.lower() in text.lower() for day in WEEKDAYS[lang])
    values = radio_values(time_page, "slot")
    assert values and all(value.endswith("+05:00") for value in values)  # Almaty's time
    first_time = re.search(r"T(\d\d:\d\d)", values[0]).group(1)
    assert first_time in text


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_details_and_summary_steps_speak_the_page_language(client, lang):
    walk_to_details(client, lang)
    labels = {"kk": "Толық аты-жөні", "ru": "ФИО", "en": "Full name"}
    details = client.get(booking_url(lang, "details"))
    assert labels[lang] in page_text(details)
    held = {"kk": "Бұл уақыт сізге", "ru": "Это время закреплено за вами до", "en": "This time is held for you until"}
    assert held[lang] in page_text(details)
    client.post(booking_url(lang, "details"), DETAILS)
    summary = page_text(client.get(booking_url(lang, "summary")))
    offers = {"kk": "Жария оферта шарты", "ru": "Договор публичной оферты", "en": "Public offer agreement"}
    assert offers[lang] in summary
    assert "Сапарова Айгерим Нурлановна" in summary and "+77011234567" in summary


def test_the_summary_links_the_agreements_in_the_page_language(client):
    walk_to_details(client, "en")
    client.post(booking_url("en", "details"), DETAILS)
    html = client.get(booking_url("en", "summary")).content.decode()
    assert re.search(r'<a href="/en/public-offer/">Public offer agreement</a>', html)
    assert re.search(r'<a href="/en/informed-consent/">Informed voluntary consent</a>', html)
    assert "(2025-01)" in html


def test_going_back_shows_the_choices_made_and_back_links_lead_one_step_back(client):
    walk_to_details(client, "ru")
    order = session_order(client)
    type_page = client.get(booking_url("ru"))
    assert re.search(r'value="101" checked', type_page.content.decode())
    doctor_page = client.get(booking_url("ru", "doctor"))
    assert re.search(rf'value="{order.doctor_id}" checked', doctor_page.content.decode())
    assert f'href="{booking_url("ru")}"' in doctor_page.content.decode()  # back
    time_page = client.get(booking_url("ru", "time"))
    held = timezone.localtime(order.slot_start).isoformat()  # Almaty, as the MIS gives it
    assert re.search(rf'value="{re.escape(held)}" checked', time_page.content.decode())
    details_page = client.get(booking_url("ru", "details"))
    assert f'<p class="booking-back"><a href="{booking_url("ru", "time")}">' in details_page.content.decode()

    client.post(booking_url("ru", "details"), DETAILS)
    again = client.get(booking_url("ru", "details")).content.decode()
    assert 'value="Сапарова Айгерим Нурлановна"' in again and 'value="+77011234567"' in again


def test_choosing_another_doctor_gives_the_held_slot_back(client):
    order = walk_to_details(client, "ru")
    held = order.slot_start
    response = choose(client, "ru", "doctor", "doctor", value="d2")
    assert response["Location"].endswith("/ru/booking/time/")
    order.refresh_from_db()
    assert (order.status, order.doctor_id, order.slot_start) == ("draft", "d2", None)
    assert held is not None
    # The details step now needs a time again.
    assert client.get(booking_url("ru", "details"))["Location"].endswith("/ru/booking/time/")


@pytest.mark.parametrize(
    ("step", "first_missing"),
    [("doctor", ""), ("time", ""), ("details", ""), ("summary", ""), ("payment", "")],
)
def test_a_step_reached_without_an_order_redirects_to_the_first_step(client, step, first_missing):
    response = client.get(booking_url("kk", step))
    assert response.status_code == 302
    assert response["Location"] == booking_url("kk", first_missing)


def test_a_step_reached_too_early_redirects_to_the_first_step_missing(client):
    client.post(booking_url("ru"), {"consultation_type": "101"})
    assert client.get(booking_url("ru", "summary"))["Location"] == booking_url("ru", "doctor")
    walk_to_details(client, "ru")
    assert client.get(booking_url("ru", "payment"))["Location"] == booking_url("ru", "details")
    client.post(booking_url("ru", "details"), DETAILS)
    assert client.get(booking_url("ru", "payment"))["Location"] == booking_url("ru", "summary")
    # paid/ and failed/ without a payment: back into the steps
    assert client.get(booking_url("ru", "paid"))["Location"] == booking_url("ru", "summary")


def test_an_expired_hold_sends_the_patient_back_to_choose_a_time(client):
    from datetime import timedelta

    from django.utils import timezone

    from booking.models import Order

    order = walk_to_details(client, "ru")
    Order.objects.filter(pk=order.pk).update(hold_expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get(booking_url("ru", "details"), follow=True)
    assert response.redirect_chain[-1][0] == booking_url("ru", "time")
    assert "Пожалуйста, выберите время снова" in page_text(response)


def test_a_slot_taken_meanwhile_is_refused_with_a_message_and_the_list_again(client):
    from booking.models import Order, OrderStatus
    from booking.states import transition

    walk_to_details(client, "ru")
    choose(client, "ru", "doctor", "doctor", value="d3")
    page = client.get(booking_url("ru", "time"))
    wanted = radio_values(page, "slot")[0]
    from datetime import datetime

    other = Order.objects.create(language="ru", doctor_id="d3", slot_start=datetime.fromisoformat(wanted))
    transition(other, OrderStatus.SLOT_HELD)
    response = client.post(booking_url("ru", "time"), {"slot": wanted})
    assert response.status_code == 200
    assert "Это время только что заняли. Пожалуйста, выберите другое." in page_text(response)
    assert wanted not in radio_values(response, "slot") and radio_values(response, "slot")
