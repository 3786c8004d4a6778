"""The HTTP client against the served simulator: every call of the protocol gives the simulator's own data."""

from datetime import date, datetime

import pytest

from booking.mis import MisRejected
from booking.mis.interface import ALMATY
from booking.mis.simulator import PATIENTS, REJECTED_IIN, UNKNOWN_IIN


def test_consultation_types_come_with_prices_and_descriptions_in_the_asked_language(http_client, simulator):
    for lang in ("kk", "ru", "en"):
        assert http_client.consultation_types(lang) == simulator.consultation_types(lang)
    english = {kind.id: kind for kind in http_client.consultation_types("en")}
    assert english["101"].name == "First consultation with a haematologist"
    assert english["101"].price_kzt == 15000
    assert http_client.consultation_types("kk")[0].name == "Гематологтың алғашқы консультациясы"


def test_a_type_is_checked_again_with_its_current_price(http_client):
    kind = http_client.check_type("103", "ru")
    assert (kind.name, kind.price_kzt) == ("Второе мнение", 25000)


def test_an_unknown_type_is_refused_with_the_mis_reason_in_the_asked_language(http_client):
    with pytest.raises(MisRejected) as refusal:
        http_client.check_type("999", "ru")
    assert refusal.value.reason == "На этот вид консультации сейчас нельзя записаться."


def test_doctors_are_those_of_the_type_with_their_profile(http_client, simulator):
    doctors = http_client.doctors("102", "en")
    assert doctors == simulator.doctors("102", "en")
    assert [doctor.name for doctor in doctors] == ["Aigerim Sadykova", "Yerlan Zhaksylykov", "Dauren Abenov"]
    assert http_client.check_doctor("d3", "kk").profile == "Балалар гематологы, медицина ғылымдарының кандидаты."


def test_the_schedule_gives_aware_almaty_slots_with_their_length(http_client, simulator):
    slots = http_client.schedule("d1", "103", "ru")
    assert slots == simulator.schedule("d1", "103", "ru")
    assert slots[0].start == datetime(2026, 12, 3, 10, 0, tzinfo=ALMATY)  # 09:00 is taken
    assert slots[0].start.utcoffset().total_seconds() == 5 * 3600
    assert {slot.minutes for slot in slots} == {60}


def test_a_known_iin_gives_the_patient_and_an_unknown_one_none(http_client):
    patient = http_client.check_iin("880415300018", "ru")
    assert patient == PATIENTS["880415300018"]
    assert patient.birth_date == date(1988, 4, 15)
    assert http_client.check_iin(UNKNOWN_IIN, "ru") is None


def test_a_refused_iin_gives_the_mis_reason(http_client):
    with pytest.raises(MisRejected) as refusal:
        http_client.check_iin(REJECTED_IIN, "en")
    assert refusal.value.reason == "Online booking is not possible for this IIN; please call the clinic."
    assert "Online booking is not possible" in refusal.value.user_message


def test_a_patient_shows_no_personal_data_when_printed():
    assert repr(PATIENTS["880415300018"]) == "Patient(id='P-1001')"


def test_an_order_is_saved_once_per_invoice_with_the_invoice_as_idempotency_key(http_client, mis_server, simulator):
    slot = simulator.schedule("d1", "101", "ru")[0]
    payload = {"invoice_id": "100000123", "type_id": "101", "doctor_id": "d1", "start": slot.start, "minutes": 30}
    first = http_client.save_order(payload, "ru")
    again = http_client.save_order(payload, "ru")
    assert first.order_id == again.order_id == "SIM-100000123"
    saves = [call for call in mis_server.calls if call.act == "saveorder"]
    assert [call.method for call in saves] == ["POST", "POST"]
    assert saves[0].headers["Idempotency-Key"] == "100000123"
    assert saves[0].body["invoice_id"] == "100000123"
    assert saves[0].body["start"] == slot.start.isoformat()


def test_an_order_for_a_time_that_is_not_free_is_refused(http_client):
    payload = {"invoice_id": "100000124", "type_id": "101", "doctor_id": "d1", "start": "2026-12-05T09:00"}  # Sat
    with pytest.raises(MisRejected) as refusal:
        http_client.save_order(payload, "kk")
    assert refusal.value.reason == "Бұл уақыт бос емес."


def test_an_order_without_our_invoice_id_is_never_sent(http_client, mis_server):
    with pytest.raises(ValueError, match="invoice_id"):
        http_client.save_order({"type_id": "101"}, "ru")
    assert not [call for call in mis_server.calls if call.act == "saveorder"]


def test_every_call_carries_the_language(http_client, mis_server):
    http_client.consultation_types("kk")
    http_client.check_type("101", "ru")
    http_client.doctors("101", "en")
    http_client.check_doctor("d1", "kk")
    http_client.schedule("d1", "101", "ru")
    http_client.check_iin(UNKNOWN_IIN, "en")
    slot = http_client.schedule("d2", "102", "kk")[0]
    http_client.save_order({"invoice_id": "100000125", "type_id": "102", "doctor_id": "d2", "start": slot.start}, "kk")
    assert [(call.act, call.params["lang"]) for call in mis_server.calls] == [
        ("getconsulttype", "kk"),
        ("checktype", "ru"),
        ("getdoctors", "en"),
        ("checkdoctor", "kk"),
        ("getdoctorschedule", "ru"),
        ("checkiin", "en"),
        ("getdoctorschedule", "kk"),
        ("saveorder", "kk"),
    ]
    assert mis_server.calls[4].params == {"act": "getdoctorschedule", "lang": "ru", "doc": "d1", "type": "101"}


def test_a_language_the_site_does_not_have_is_a_programming_error(http_client):
    with pytest.raises(ValueError, match="lang"):
        http_client.consultation_types("de")
