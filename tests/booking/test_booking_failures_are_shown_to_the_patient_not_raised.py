"""The MIS down, the bank unreachable, too many attempts: the step says so in the visitor's language, with a status
that is not a 500."""

import re

import pytest

import booking.mis as mis
from booking.mis.simulator import SimulatedMis
from tests.booking.flow import DETAILS, booking_url, walk_to_details, walk_to_payment
from tests.helpers import page_text

pytestmark = pytest.mark.django_db

DOWN = {
    "kk": "Клиниканың жазылу жүйесі қазір жауап бермей тұр.",
    "ru": "Система записи клиники сейчас не отвечает",
    "en": "The clinic's booking system is not answering at the moment.",
}


@pytest.fixture
def mis_down(monkeypatch):
    def switch():
        monkeypatch.setattr(mis, "get_mis_client", lambda: SimulatedMis(unavailable=True))

    return switch


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_a_mis_that_is_down_is_explained_on_the_first_step(client, mis_down, lang):
    mis_down()
    response = client.get(booking_url(lang))
    assert response.status_code == 503
    assert DOWN[lang] in page_text(response)


@pytest.mark.parametrize("step", ["doctor", "time"])
def test_a_mis_that_goes_down_during_the_booking_is_explained_on_each_step(client, mis_down, step):
    walk_to_details(client, "en")
    mis_down()
    response = client.get(booking_url("en", step))
    assert response.status_code == 503
    assert DOWN["en"] in page_text(response)


def test_a_mis_that_cannot_check_the_iin_is_explained_on_the_details_step(client, mis_down):
    walk_to_details(client, "ru")
    mis_down()
    response = client.post(booking_url("ru", "details"), DETAILS)
    assert response.status_code == 503
    assert DOWN["ru"] in page_text(response)
    assert 'value="Сапарова Айгерим Нурлановна"' in response.content.decode()  # what was typed stays


def test_a_bank_that_does_not_answer_is_explained_on_the_payment_step(client, monkeypatch):
    walk_to_payment(client, "ru")
    from booking.payments.bank import default_bank

    monkeypatch.setitem(default_bank().faults, "token", "500")
    response = client.get(booking_url("ru", "payment"))
    assert response.status_code == 503
    assert "Платёжный сервис не отвечает." in page_text(response)
    assert "booking-payment-data" not in response.content.decode()


def test_too_many_iin_checks_from_one_address_are_refused_for_a_while(client, settings):
    settings.BOOKING_RATE_LIMIT = 3
    walk_to_details(client, "ru")
    for _ in range(3):
        assert client.post(booking_url("ru", "details"), {**DETAILS, "phone": "1"}).status_code == 200
    response = client.post(booking_url("ru", "details"), DETAILS)
    assert response.status_code == 429
    assert "Слишком много попыток с вашего подключения. Попробуйте снова через" in page_text(response)
    # another address is not affected
    other = client.post(booking_url("ru", "details"), DETAILS, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


def test_too_many_new_orders_from_one_address_are_refused_for_a_while(client, settings, caplog):
    settings.BOOKING_RATE_LIMIT = 2
    for _ in range(2):
        assert client.post(booking_url("en"), {"consultation_type": "101"}).status_code == 302
        client.cookies.clear()
    response = client.post(booking_url("en"), {"consultation_type": "101"})
    assert response.status_code == 429
    assert re.search(
        r"Too many attempts from your connection\. Please try again in ([1-9]|10) minutes\.", page_text(response)
    )
    assert "per-address limit reached for order" in caplog.text
