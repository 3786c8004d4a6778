"""Wrapped JSON, HTML fragments, slow answers, 500s, malformed JSON and missing fields: the client gives data or a
MisError with a message for the patient, never an unexpected exception."""

import pytest
from django.utils import translation

from booking.mis import MisBadAnswer, MisError, MisRejected, MisUnavailable
from booking.mis.http import HttpMisClient
from booking.mis.simulator import UNKNOWN_IIN

from .conftest import SECRET


def reads(server):
    return [call for call in server.calls if call.act != "saveorder"]


@pytest.mark.parametrize("fault", ["wrapped", "encoded"])
def test_data_wrapped_in_ok_data_twice_is_unwrapped(http_client, mis_server, simulator, fault):
    mis_server.set_fault(fault)
    assert http_client.consultation_types("ru") == simulator.consultation_types("ru")
    assert http_client.check_doctor("d2", "en") == simulator.check_doctor("d2", "en")
    assert http_client.schedule("d4", "102", "kk") == simulator.schedule("d4", "102", "kk")


def test_slots_given_as_an_html_select_become_slots(http_client, mis_server, simulator):
    answer = http_client.session.get(
        mis_server.url,
        params={"act": "getdoctorschedule", "doc": "d1", "type": "101", "lang": "ru", "fault": "html"},
        headers={"Authorization": f"Bearer {http_client._token()}"},
        timeout=2,
    )
    assert answer.headers["Content-Type"].startswith("text/html")
    assert '<option value="2026-12-03T09:30" data-minutes="30">03.12 09:30</option>' in answer.text

    mis_server.set_fault("html")
    assert http_client.schedule("d1", "101", "ru") == simulator.schedule("d1", "101", "ru")


def test_types_and_doctors_given_as_html_keep_their_prices_and_profiles(http_client, mis_server, simulator):
    mis_server.set_fault("html")
    assert http_client.consultation_types("kk") == simulator.consultation_types("kk")
    assert http_client.doctors("101", "en") == simulator.doctors("101", "en")
    assert http_client.check_type("102", "ru") == simulator.check_type("102", "ru")


def test_an_html_fragment_inside_wrapped_json_becomes_records():
    from booking.mis.http import _records, _unwrap

    answer = {"ok": True, "data": {"ok": 1, "data": '<select><option value="2026-12-03T09:00" data-minutes="30">'}}
    assert _records(_unwrap(answer)) == [{"value": "2026-12-03T09:00", "minutes": "30", "text": ""}]


def test_an_html_page_that_is_not_a_select_is_a_bad_answer():
    from booking.mis.http import HtmlFragment, _records

    with pytest.raises(MisBadAnswer):
        _records(HtmlFragment("<html><body><h1>Maintenance</h1></body></html>"))
    assert _records(HtmlFragment('<select><option value="">—</option></select>')) == []


def test_a_slow_mis_is_unavailable_after_the_retries(http_client, mis_server):
    mis_server.set_fault("slow")
    with pytest.raises(MisUnavailable) as failure:
        http_client.doctors("101", "ru")
    assert failure.value.detail == "timeout"
    assert [call.act for call in reads(mis_server)] == ["getdoctors"] * 3


def test_a_500_is_retried_then_the_mis_is_unavailable(http_client, mis_server):
    mis_server.set_fault("500")
    with pytest.raises(MisUnavailable):
        http_client.consultation_types("ru")
    assert len(reads(mis_server)) == 3


def test_a_500_once_is_hidden_by_the_retry(http_client, mis_server, simulator):
    mis_server.set_fault("500", times=1)
    assert http_client.doctors("103", "kk") == simulator.doctors("103", "kk")
    assert len(reads(mis_server)) == 2


def test_saving_an_order_is_never_retried(http_client, mis_server, simulator):
    slot = simulator.schedule("d1", "101", "ru")[0]
    mis_server.set_fault("500")
    with pytest.raises(MisUnavailable):
        http_client.save_order(
            {"invoice_id": "100000200", "type_id": "101", "doctor_id": "d1", "start": slot.start}, "ru"
        )
    assert [call.act for call in mis_server.calls] == ["saveorder"]


def test_a_slow_save_is_not_sent_again(http_client, mis_server, simulator):
    slot = simulator.schedule("d1", "101", "ru")[0]
    mis_server.set_fault("slow")
    with pytest.raises(MisUnavailable):
        http_client.save_order(
            {"invoice_id": "100000201", "type_id": "101", "doctor_id": "d1", "start": slot.start}, "ru"
        )
    assert [call.act for call in mis_server.calls] == ["saveorder"]


def test_malformed_json_is_a_bad_answer_not_retried(http_client, mis_server):
    mis_server.set_fault("malformed")
    with pytest.raises(MisBadAnswer) as failure:
        http_client.consultation_types("ru")
    assert failure.value.detail == "malformed JSON"
    assert failure.value.act == "getconsulttype"
    assert len(reads(mis_server)) == 1


@pytest.mark.parametrize(
    ("call", "missing"),
    [
        (lambda mis: mis.consultation_types("ru"), "price"),
        (lambda mis: mis.check_type("101", "ru"), "price"),
        (lambda mis: mis.doctors("101", "ru"), "name"),
        (lambda mis: mis.check_doctor("d1", "ru"), "name"),
        (lambda mis: mis.schedule("d1", "101", "ru"), "minutes"),
        (lambda mis: mis.check_iin("880415300018", "ru"), "id"),
    ],
)
def test_a_record_without_a_required_field_is_a_bad_answer(http_client, mis_server, call, missing):
    mis_server.set_fault("missing")
    with pytest.raises(MisBadAnswer) as failure:
        call(http_client)
    assert failure.value.detail == f"bad or missing {missing}"


@pytest.mark.parametrize(
    "record",
    [
        {"id": "1", "name": "A", "price": -1},
        {"id": "1", "name": "A", "price": 10.5},
        {"id": "1", "name": "A", "price": "15 000"},
        {"id": "1", "name": "A", "price": True},
        {"id": "1", "name": "", "price": 100},
        {"id": None, "name": "A", "price": 100},
        {"id": "1", "name": ["A"], "price": 100},
    ],
)
def test_a_type_with_a_wrong_field_is_a_bad_answer(record):
    from booking.mis.http import _consultation_type

    with pytest.raises(MisBadAnswer):
        _consultation_type(record)


@pytest.mark.parametrize(
    "record",
    [{"start": "tomorrow", "minutes": 30}, {"start": "2026-12-03T09:00", "minutes": 0}, {"start": 5, "minutes": 30}],
)
def test_a_slot_with_a_wrong_field_is_a_bad_answer(record):
    from booking.mis.http import _slot

    with pytest.raises(MisBadAnswer):
        _slot(record)


def test_a_list_that_is_not_a_list_of_records_is_a_bad_answer():
    from booking.mis.http import _records

    with pytest.raises(MisBadAnswer):
        _records({"id": "1"})
    with pytest.raises(MisBadAnswer):
        _records(["101"])


def test_ok_false_is_a_refusal_with_the_mis_reason(http_client, mis_server):
    mis_server.set_fault("reject")
    with pytest.raises(MisRejected) as refusal:
        http_client.check_iin(UNKNOWN_IIN, "ru")
    assert refusal.value.reason == "Simulated refusal"


def test_a_mis_that_cannot_be_reached_is_unavailable_and_its_url_never_shows_the_iin(caplog):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens there once the socket is closed
    client = HttpMisClient(f"http://127.0.0.1:{port}/", auth="apikey", api_key="k", timeout=0.2, retries=1, backoff=0)
    with pytest.raises(MisUnavailable) as failure:
        client.check_iin("880415300018", "ru")
    assert failure.value.detail == "ConnectionError"
    assert "880415300018" not in str(failure.value)
    assert "880415300018" not in caplog.text
    assert "MIS checkiin unavailable (attempt 2 of 2): ConnectionError" in caplog.text


def test_a_jwt_mis_with_a_wrong_secret_is_unavailable(mis_server):
    client = HttpMisClient(mis_server.url, auth="jwt", secret="wrong", timeout=0.2, retries=0)
    with pytest.raises(MisUnavailable) as failure:
        client.consultation_types("ru")
    assert "not authorised" in failure.value.detail


@pytest.mark.parametrize(
    ("error", "lang", "message"),
    [
        (
            MisUnavailable(),
            "ru",
            "Система записи клиники сейчас не отвечает. Попробуйте ещё раз через несколько минут.",
        ),
        (
            MisUnavailable(),
            "en",
            "The clinic's booking system is not answering at the moment. Please try again in a few minutes.",
        ),
        (
            MisBadAnswer(),
            "kk",
            "Клиниканың жазылу жүйесі біз оқи алмайтын жауап берді. "
            "Кейінірек қайталап көріңіз немесе клиникаға қоңырау шалыңыз.",
        ),
        (MisRejected("Это время уже занято."), "ru", "Система записи клиники не приняла запрос: Это время уже занято."),
        (MisRejected(), "en", "The clinic's booking system did not accept this request."),
        (MisError(), "ru", "Система записи клиники сейчас не может принять запрос. Попробуйте позже."),
    ],
)
def test_every_failure_has_a_message_for_the_patient_in_their_language(error, lang, message):
    with translation.override(lang):
        assert error.user_message == message


def test_the_timeout_is_never_above_five_seconds():
    assert HttpMisClient("http://mis.invalid/", auth="jwt", secret=SECRET, timeout=30).timeout == 5.0
