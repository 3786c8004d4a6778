"""SimulatedMis: 3 types with prices, 4 doctors with profiles, in kk, ru and en; slots on working days of the next
14 days; known IINs with valid check digits; one MIS order per invoice."""

from datetime import date, time, timedelta

import pytest

from booking.iin import is_valid_iin
from booking.mis import MisRejected, MisUnavailable
from booking.mis.simulator import PATIENTS, REJECTED_IIN, UNKNOWN_IIN, SimulatedMis

from .conftest import TODAY


def test_three_types_with_prices_and_descriptions_in_each_language(simulator):
    for lang in ("kk", "ru", "en"):
        kinds = simulator.consultation_types(lang)
        assert [(kind.id, kind.price_kzt) for kind in kinds] == [("101", 15000), ("102", 10000), ("103", 25000)]
        assert all(kind.name and kind.description for kind in kinds)
    assert simulator.check_type("102", "ru").name == "Повторная консультация гематолога"


def test_four_doctors_with_profiles_each_taking_some_types(simulator):
    everyone = {doctor.id for kind in ("101", "102", "103") for doctor in simulator.doctors(kind, "en")}
    assert everyone == {"d1", "d2", "d3", "d4"}
    assert [doctor.name for doctor in simulator.doctors("101", "ru")] == [
        "Айгерим Садыкова",
        "Ерлан Жаксылыков",
        "Марина Ким",
    ]
    assert all(doctor.profile for doctor in simulator.doctors("103", "kk"))


def test_slots_are_on_the_doctors_working_days_within_the_next_fourteen_days(simulator):
    slots = simulator.schedule("d2", "101", "ru")  # Monday, Tuesday, Thursday
    days = {slot.start.date() for slot in slots}
    assert min(days) > TODAY and max(days) <= TODAY + timedelta(days=14)
    assert {day.weekday() for day in days} == {0, 1, 3}
    assert all(time(9) <= slot.start.time() and slot.start.time() <= time(16, 30) for slot in slots)
    assert all(slot.minutes == 30 and slot.start.tzname() == "+05" for slot in slots)


def test_the_same_day_gives_the_same_slots_and_some_are_already_taken(simulator):
    assert simulator.schedule("d1", "101", "en") == SimulatedMis(today=TODAY).schedule("d1", "101", "en")
    per_day = len([slot for slot in simulator.schedule("d1", "101", "en") if slot.start.date() == date(2026, 12, 3)])
    assert 0 < per_day < 16


def test_a_doctor_has_no_slots_for_a_type_they_do_not_take(simulator):
    assert simulator.schedule("d2", "103", "ru") == []


def test_the_known_iins_are_valid_and_give_patients(simulator):
    assert all(is_valid_iin(iin) for iin in [*PATIENTS, UNKNOWN_IIN, REJECTED_IIN])
    assert simulator.check_iin("901202400025", "ru").id == "P-1002"
    assert simulator.check_iin(UNKNOWN_IIN, "ru") is None
    with pytest.raises(MisRejected) as refusal:
        simulator.check_iin("901202400026", "kk")
    assert refusal.value.reason == "ЖСН қате."


def test_an_order_gets_the_same_mis_id_each_time_it_is_sent(simulator):
    slot = simulator.schedule("d3", "103", "ru")[0]
    payload = {"invoice_id": 100000300, "type_id": "103", "doctor_id": "d3", "start": slot.start.isoformat()}
    assert (
        simulator.save_order(payload, "ru").order_id == simulator.save_order(payload, "ru").order_id == "SIM-100000300"
    )


def test_the_simulator_can_play_a_mis_that_is_down_or_rejects_paid_orders():
    with pytest.raises(MisUnavailable):
        SimulatedMis(today=TODAY, unavailable=True).consultation_types("ru")
    rejecting = SimulatedMis(today=TODAY, reject_orders="Пациент уже записан на это время.")
    slot = rejecting.schedule("d1", "101", "ru")[0]
    with pytest.raises(MisRejected) as refusal:
        rejecting.save_order(
            {"invoice_id": "100000301", "type_id": "101", "doctor_id": "d1", "start": slot.start}, "ru"
        )
    assert refusal.value.reason == "Пациент уже записан на это время."
