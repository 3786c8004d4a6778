"""The Content-Security-Policy of the payment step, and of no other page, allows the bank's widget: its script,
its frame and its calls home (WidgetPayment.csp_origin)."""

import pytest

import booking.steps as steps
from booking.payments.bank import default_bank
from booking.payments.simulator import SimulatorGateway
from tests.booking.flow import booking_url, walk_to_payment

pytestmark = pytest.mark.django_db

BANK = "https://epay.bank.test"


def directive(policy: str, name: str) -> str:
    return next(part.strip() for part in policy.split(";") if part.strip().startswith(name + " "))


@pytest.fixture
def bank_elsewhere(monkeypatch):
    """The Halyk client (as the simulator) with its widget script on the bank's own origin."""
    gateway = SimulatorGateway(bank=default_bank(), script_url=f"{BANK}/payform/payment-api.js")
    monkeypatch.setattr(steps, "get_payment_gateway", lambda: gateway)


def test_the_payment_step_allows_the_bank_for_scripts_frames_and_connections(client, bank_elsewhere):
    walk_to_payment(client, "kk")
    response = client.get(booking_url("kk", "payment"))
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    for name in ("script-src", "frame-src", "connect-src"):
        assert BANK in directive(policy, name)
    assert BANK not in directive(policy, "default-src") and BANK not in directive(policy, "img-src")
    nonce = directive(policy, "script-src").split("'nonce-")[1].split("'")[0]
    html = response.content.decode()
    assert f'<script src="{BANK}/payform/payment-api.js" nonce="{nonce}"></script>' in html
    assert "frame-ancestors 'none'" in policy


def test_no_other_page_allows_the_bank(client, bank_elsewhere):
    walk_to_payment(client, "kk")
    for url in (booking_url("kk"), booking_url("kk", "summary"), booking_url("kk", "paid"), "/kk/"):
        response = client.get(url)
        assert BANK not in response["Content-Security-Policy"], url


def test_the_simulators_widget_needs_nothing_beyond_self(client):
    walk_to_payment(client, "ru")
    response = client.get(booking_url("ru", "payment"))
    policy = response["Content-Security-Policy"]
    assert directive(policy, "connect-src") == "connect-src 'self'"
    assert '<script src="/epay-simulator/payment-api.js"' in response.content.decode()
