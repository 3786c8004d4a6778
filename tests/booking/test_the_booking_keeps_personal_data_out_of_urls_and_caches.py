"""No personal data and no order id in any URL of the booking (the order is found through the session), and no
step is kept by a browser, nginx, a CDN or the app's page cache."""

import re
from urllib.parse import unquote

import pytest
from django.conf import settings

from tests.booking.flow import DETAILS, BankAtTheSite, booking_url, payment_object, session_order, walk_to_payment

pytestmark = pytest.mark.django_db


def links_of(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'(?:href|src|action)="([^"]*)"', html)


def test_no_url_of_the_flow_carries_personal_data_or_the_order(client, monkeypatch, django_capture_on_commit_callbacks):
    bank = BankAtTheSite(monkeypatch)
    order = walk_to_payment(client, "ru")
    urls = []
    for step in ("", "doctor", "time", "details", "summary", "payment"):
        response = client.get(booking_url("ru", step))
        urls += [booking_url("ru", step), *links_of(response)]
    payment = payment_object(client.get(booking_url("ru", "payment")))
    urls += [payment["backLink"], payment["failureBackLink"], payment["postLink"], payment["failurePostLink"]]
    with django_capture_on_commit_callbacks(execute=True):
        bank.press(client, payment, "pay")
    urls += [url for url, _, _ in bank.callbacks]
    urls += links_of(client.get(booking_url("ru", "paid")))
    order.refresh_from_db()
    personal = [
        order.iin, order.phone, "7011234567", order.email, order.full_name, "Сапарова", order.birth_date.isoformat(),
        "27.09.1982", order.invoice_id, order.secret_hash,
    ]  # fmt: skip
    assert len(urls) > 30
    for url in urls:
        plain = unquote(url)
        for value in personal:
            assert value not in plain, (url, value)
        assert str(order.pk) not in re.split(r"[/?&=#]", plain), url
    assert client.session["booking_order"] == order.pk


def test_every_step_is_private_and_never_stored(client):
    responses = [client.get(booking_url("kk"))]
    order = walk_to_payment(client, "kk")
    for step in ("doctor", "time", "details", "summary", "payment"):
        responses.append(client.get(booking_url("kk", step)))
    responses.append(client.post(booking_url("kk", "details"), {**DETAILS, "phone": "1"}))
    for response in responses:
        assert response["Cache-Control"] == "private, no-store", response
        assert "X-Cache" not in response
    assert order is not None


def test_the_first_step_of_an_anonymous_visitor_is_not_kept_by_the_page_cache(client):
    assert settings.PAGE_CACHE_SECONDS > 0
    first = client.get(booking_url("en"))
    second = client.get(booking_url("en"))
    assert first["Cache-Control"] == second["Cache-Control"] == "private, no-store"
    assert second.get("X-Cache") != "HIT"
    # The CSRF token of one visitor never reaches another.
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', first.content.decode()).group(1)
    assert token not in second.content.decode()


def test_the_callback_is_never_cached(client):
    response = client.post("/epay/callback/", b"{}", content_type="application/json")
    assert "no-store" in response["Cache-Control"] or "private" in response["Cache-Control"]


def test_the_session_keeps_only_the_orders_key(client):
    walk_to_payment(client, "en")
    order = session_order(client)
    booking_keys = {key: value for key, value in client.session.items() if not key.startswith("_")}
    assert booking_keys == {"booking_order": order.pk}
