"""Walking the booking steps with Django's test client, as a patient would: helpers for the booking tests."""

import re
from datetime import date
from html import unescape

from booking.mis.simulator import UNKNOWN_IIN
from booking.models import BookingPage, Order
from tests.helpers import page_text

LANGUAGES = ("kk", "ru", "en")
# A patient the simulated MIS does not know yet (valid IIN: born 27.09.1982, female).
DETAILS = {
    "full_name": "Сапарова Айгерим Нурлановна",
    "iin": UNKNOWN_IIN,
    "gender": "female",
    "birth_date": "1982-09-27",
    "phone": "8 (701) 123-45-67",
    "email": "aigerim@example.kz",
    "questions": "Головокружение по утрам",
}
BORN = date(1982, 9, 27)


def booking_url(lang: str, step: str = "") -> str:
    page = BookingPage.objects.get(locale__language_code=lang)
    return page.url + page.reverse_subpage(step) if step else page.url


def radio_values(response, name: str) -> list[str]:
    html = response.content.decode()
    return [unescape(value) for value in re.findall(rf'name="{name}"[^>]*value="([^"]+)"', html)]


def choose(client, lang: str, step: str, name: str, value: str | None = None):
    """GET the step, POST its first option (or `value`); returns the POST's response."""
    url = booking_url(lang, step)
    page = client.get(url)
    assert page.status_code == 200, page_text(page)
    value = value or radio_values(page, name)[0]
    return client.post(url, {name: value})


def walk_to_details(client, lang: str = "ru"):
    """Type, doctor and time chosen (the first of each); the slot is held."""
    choose(client, lang, "", "consultation_type")
    choose(client, lang, "doctor", "doctor")
    response = choose(client, lang, "time", "slot")
    assert response.status_code == 302 and response["Location"].endswith("/details/")
    return session_order(client)


def walk_to_payment(client, lang: str = "ru", **details):
    walk_to_details(client, lang)
    response = client.post(booking_url(lang, "details"), {**DETAILS, **details})
    assert response.status_code == 302, page_text(response)
    response = client.post(booking_url(lang, "summary"), {"accept_offer": "on", "accept_consent": "on"})
    assert response.status_code == 302 and response["Location"].endswith("/payment/")
    return session_order(client)


def session_order(client) -> Order | None:
    pk = client.session.get("booking_order")
    return Order.objects.filter(pk=pk).first() if pk else None


def payment_object(response) -> dict:
    """The widget's payment object the payment step carries (json_script)."""
    import json

    match = re.search(
        r'<script id="booking-payment-data" type="application/json">(.*?)</script>', response.content.decode(), re.S
    )
    assert match, "no payment object on the page"
    return json.loads(match.group(1))


class BankAtTheSite:
    """The simulated bank of the demo (booking.payments.bank.default_bank), its callbacks posted to the site through
    a test client of their own (no session: the bank is another server)."""

    def __init__(self, monkeypatch):
        from urllib.parse import urlsplit

        from django.test import Client

        from booking.payments.bank import default_bank

        self.bank = default_bank()
        self.server_client = Client()
        self.callbacks: list[tuple[str, dict, int]] = []

        def deliver(url: str, body: dict) -> bool:
            import json

            response = self.server_client.post(urlsplit(url).path, json.dumps(body), content_type="application/json")
            self.callbacks.append((url, body, response.status_code))
            return response.status_code == 200

        monkeypatch.setattr(self.bank, "deliver", deliver)

    def press(self, client, payment: dict, decision: str):
        """The payer presses Pay or Decline in the widget (the simulator's /epay-simulator/decide)."""
        return client.post(
            "/epay-simulator/decide",
            {"invoiceId": payment["invoiceId"], "access_token": payment["auth"]["access_token"], "decision": decision},
        )
