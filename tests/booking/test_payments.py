"""The payment gateway: the real Halyk epay client tested against the simulated bank's HTTP server (the same
protocol as the bank's), the callback checks, and the simulator the demo uses."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings
from django.utils import translation

from booking.payments import (
    CallbackRefused,
    PaymentBadAnswer,
    PaymentUnavailable,
    get_payment_gateway,
    is_valid_invoice_id,
    new_invoice_id,
    new_secret_hash,
    read_callback_body,
)
from booking.payments.bank import TERMINAL_ID, SimulatedBank
from booking.payments.halyk import HalykGateway
from booking.payments.simulator import EpaySimulatorServer, SimulatorGateway

INVOICE = "000123456789"
AMOUNT = 15000
SECRET = "per-order-secret-8f1c"


class CaptureServer:
    """A tiny site that records the callbacks the bank posts to it."""

    def __init__(self):
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                received.append((self.path, self.headers.get("Content-Type"), body))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def bank_server():
    with EpaySimulatorServer() as server:
        yield server


@pytest.fixture
def site():
    with CaptureServer() as capture:
        yield capture


def start(gateway, site, invoice=INVOICE, amount=AMOUNT, lang="kk"):
    return gateway.start(
        invoice_id=invoice,
        amount_kzt=amount,
        description="Консультация гематолога",
        lang=lang,
        back_link="https://site.example/kk/booking/paid/",
        failure_back_link="https://site.example/kk/booking/failed/",
        post_link=site.url("/payments/callback/"),
        failure_post_link=site.url("/payments/callback/failed/"),
        secret_hash=SECRET,
    )


def press(server, widget, decision):
    """What the widget's Pay or Decline button posts to the bank."""
    import urllib.parse
    import urllib.request

    form = {"invoiceId": widget.payment["invoiceId"], "access_token": widget.payment["auth"]["access_token"]}
    data = urllib.parse.urlencode({**form, "decision": decision}).encode()
    with urllib.request.urlopen(server.base_url + "/payform/decide", data=data, timeout=5) as response:
        return json.loads(response.read())


# The token and the widget's payment object


def test_the_token_request_gives_the_widget_a_complete_payment_object(bank_server, site):
    widget = start(bank_server.gateway(), site)

    assert widget.script_url == bank_server.script_url
    payment = widget.payment
    required = {"invoiceId", "amount", "currency", "terminal", "language", "description", "backLink"}
    required |= {"failureBackLink", "postLink", "failurePostLink", "auth"}
    assert required <= set(payment)
    assert payment["invoiceId"] == INVOICE
    assert payment["amount"] == AMOUNT
    assert payment["currency"] == "KZT"
    assert payment["terminal"] == TERMINAL_ID
    assert payment["language"] == "kaz"
    assert payment["description"] == "Консультация гематолога"
    assert payment["postLink"] == site.url("/payments/callback/")
    assert payment["auth"]["access_token"]
    assert payment["auth"]["token_type"] == "Bearer"
    # The bank registered the invoice with what the token request carried.
    registered = bank_server.bank.invoice(INVOICE)
    assert (registered.amount, registered.secret_hash) == (AMOUNT, SECRET)
    assert json.loads(widget.payment_json())["auth"] == payment["auth"]
    assert widget.csp_origin == bank_server.base_url  # what the payment step's CSP must allow


@pytest.mark.parametrize(("lang", "widget_lang"), [("kk", "kaz"), ("ru", "rus"), ("en", "eng")])
def test_the_widget_speaks_the_visitors_language(bank_server, site, lang, widget_lang):
    assert start(bank_server.gateway(), site, lang=lang).payment["language"] == widget_lang


def test_wrong_credentials_are_a_bad_answer_not_a_token(bank_server, site):
    gateway = bank_server.gateway()
    gateway.client_secret = "wrong"
    with pytest.raises(PaymentBadAnswer):
        start(gateway, site)


def test_a_malformed_invoice_id_or_amount_never_reaches_the_bank(bank_server, site):
    with pytest.raises(ValueError):
        start(bank_server.gateway(), site, invoice="12345")
    with pytest.raises(ValueError):
        start(bank_server.gateway(), site, invoice="12345678901234567")
    with pytest.raises(ValueError):
        start(bank_server.gateway(), site, amount=0)
    assert bank_server.bank.invoice("12345") is None


def test_invoice_ids_are_6_to_15_digits():
    assert all(is_valid_invoice_id(new_invoice_id()) for _ in range(50))
    assert is_valid_invoice_id("123456") and is_valid_invoice_id("123456789012345")
    assert not any(is_valid_invoice_id(v) for v in ["12345", "1234567890123456", "12345a", " 123456", 123456])
    assert new_secret_hash() != new_secret_hash()


# The status API: paid only when everything matches


def test_a_paid_invoice_is_confirmed_and_the_bank_posts_the_callback_with_the_secret_echoed(bank_server, site):
    gateway = bank_server.gateway()
    widget = start(gateway, site)

    assert press(bank_server, widget, "pay") == {"success": True}

    [(path, content_type, body)] = site.received
    assert path == "/payments/callback/"
    assert content_type == "application/json"
    callback = read_callback_body(body)
    assert callback["secret_hash"] == SECRET
    result = gateway.verify_callback(callback, SECRET, INVOICE)
    assert (result.invoice_id, result.success, result.card_mask) == (INVOICE, True, "440043******0000")
    status = gateway.confirm(INVOICE, AMOUNT)
    assert status.paid and status.found
    assert (status.status_name, status.raw_code, status.currency, status.amount_kzt) == ("CHARGE", "100", "KZT", AMOUNT)
    assert status.reference == result.reference


def test_a_declined_payment_posts_to_the_failure_link_and_is_not_paid(bank_server, site):
    gateway = bank_server.gateway()
    widget = start(gateway, site)

    assert press(bank_server, widget, "decline") == {"success": False}

    [(path, _, body)] = site.received
    assert path == "/payments/callback/failed/"
    result = gateway.verify_callback(read_callback_body(body), SECRET, INVOICE)
    assert result.success is False
    assert result.reason == "Declined by the payer (simulator)"
    status = gateway.confirm(INVOICE, AMOUNT)
    assert (status.paid, status.found, status.status_name) == (False, True, "REJECT")


def test_an_invoice_the_bank_does_not_know_is_not_paid(bank_server):
    status = bank_server.gateway().confirm("999999999", AMOUNT)
    assert (status.paid, status.found, status.raw_code) == (False, False, "102")


def test_an_invoice_started_but_never_paid_is_not_paid(bank_server, site):
    gateway = bank_server.gateway()
    start(gateway, site)
    assert gateway.confirm(INVOICE, AMOUNT).paid is False


@pytest.mark.parametrize(
    ("tampered", "expected_amount", "mismatch"),
    [
        ({}, AMOUNT + 1, "amount"),  # the order costs more than what was paid
        ({"amount": 150}, AMOUNT, "amount"),
        ({"currency": "USD"}, AMOUNT, "currency"),
        ({"invoiceID": "000123456780"}, AMOUNT, "invoice"),
    ],
)
def test_a_paid_status_that_does_not_match_the_order_is_not_paid(
    bank_server, site, tampered, expected_amount, mismatch
):
    gateway = bank_server.gateway()
    press(bank_server, start(gateway, site), "pay")
    bank_server.bank.tamper(INVOICE, **tampered)

    assert gateway.status(INVOICE).paid is True  # the bank's word alone …
    status = gateway.confirm(INVOICE, expected_amount)
    assert (status.paid, status.mismatch) == (False, mismatch)  # … is not enough


def test_the_status_token_is_reused_until_it_expires(bank_server, site):
    gateway = bank_server.gateway()
    gateway.status(INVOICE)
    first = gateway._status_token
    gateway.status(INVOICE)
    assert gateway._status_token == first


def test_a_status_token_the_bank_forgot_is_replaced_once(bank_server, site):
    gateway = bank_server.gateway()
    press(bank_server, start(gateway, site), "pay")
    gateway.status(INVOICE)
    bank_server.bank._tokens.clear()  # the bank restarted

    assert gateway.confirm(INVOICE, AMOUNT).paid


# Odd answers


@pytest.mark.parametrize(("endpoint", "fault", "error"), [
    ("token", "500", PaymentUnavailable),
    ("token", "malformed", PaymentBadAnswer),
    ("token", "incomplete", PaymentBadAnswer),
    ("status", "500", PaymentUnavailable),
    ("status", "malformed", PaymentBadAnswer),
    ("status", "incomplete", PaymentBadAnswer),
])  # fmt: skip
def test_a_failing_or_malformed_answer_is_an_error_with_a_message_for_the_patient(
    bank_server, site, endpoint, fault, error
):
    gateway = bank_server.gateway()
    bank_server.bank.faults[endpoint] = fault
    with pytest.raises(error) as raised:
        start(gateway, site) if endpoint == "token" else gateway.confirm(INVOICE, AMOUNT)
    with translation.override("ru"):
        message = str(raised.value.user_message)
    assert message == "Платёжный сервис не отвечает. Попробуйте ещё раз через несколько минут."


def test_a_bank_that_does_not_answer_is_unavailable(site):
    server = EpaySimulatorServer()
    gateway = server.gateway()
    server.httpd.server_close()  # nothing listens on that port any more
    with pytest.raises(PaymentUnavailable):
        start(gateway, site)


# The callback: the secret_hash is one check, the status API the other


def callback_body(**changes):
    body = {"invoiceId": INVOICE, "code": "ok", "reason": "", "reference": "123", "secret_hash": SECRET}
    body.update(changes)
    return {key: value for key, value in body.items() if value is not None}


def test_a_callback_with_our_secret_is_accepted():
    result = SimulatorGateway(bank=SimulatedBank()).verify_callback(callback_body(), SECRET, INVOICE)
    assert (result.invoice_id, result.success, result.reference) == (INVOICE, True, "123")


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (callback_body(secret_hash="forged"), "secret_hash does not match"),
        (callback_body(secret_hash=SECRET + "x"), "secret_hash does not match"),
        (callback_body(secret_hash=None), "secret_hash missing"),
        (callback_body(invoiceId=None), "invoiceId missing or malformed"),
        (callback_body(invoiceId="12ab56"), "invoiceId missing or malformed"),
        (callback_body(invoiceId="000123456780"), "invoiceId is not the expected one"),
        (callback_body(code=None), "code is neither ok nor error"),
        (callback_body(code="OK!"), "code is neither ok nor error"),
        (["not", "an", "object"], "not an object"),
    ],
)
def test_a_forged_incomplete_or_mismatched_callback_is_refused(body, reason):
    with pytest.raises(CallbackRefused) as refused:
        SimulatorGateway(bank=SimulatedBank()).verify_callback(body, SECRET, INVOICE)
    assert refused.value.reason == reason


def test_a_callback_body_that_is_not_json_is_refused():
    with pytest.raises(CallbackRefused, match="not JSON"):
        read_callback_body(b"invoiceId=000123456789&code=ok")
    with pytest.raises(CallbackRefused, match="not a JSON object"):
        read_callback_body(b"[1, 2]")


def test_a_payment_cannot_be_decided_with_another_invoices_token(bank_server, site):
    gateway = bank_server.gateway()
    mine = start(gateway, site)
    other = start(gateway, site, invoice="000123456788")
    forged = type(mine)(mine.script_url, {**mine.payment, "auth": other.payment["auth"]})

    import urllib.error

    with pytest.raises(urllib.error.HTTPError) as refused:
        press(bank_server, forged, "pay")
    assert refused.value.code == 403
    assert site.received == []
    assert gateway.confirm(INVOICE, AMOUNT).paid is False


# The widget script and the demo's in-process simulator


def test_the_simulators_widget_defines_show_payment_widget_with_translated_buttons(bank_server):
    import urllib.request

    with urllib.request.urlopen(bank_server.script_url, timeout=5) as response:
        script = response.read().decode()
    assert "halyk.showPaymentWidget = showPaymentWidget" in script
    labels = json.loads(script.split("var LABELS = ", 1)[1].split(";\n", 1)[0])
    assert (labels["rus"]["pay"], labels["rus"]["decline"]) == ("Оплатить", "Отказаться")
    assert (labels["kaz"]["pay"], labels["kaz"]["decline"]) == ("Төлеу", "Бас тарту")
    assert (labels["eng"]["pay"], labels["eng"]["decline"]) == ("Pay", "Decline")


@pytest.mark.django_db
def test_the_demo_pays_through_the_sites_own_simulator_pages(client, site, monkeypatch):
    bank = SimulatedBank()
    gateway = SimulatorGateway(bank=bank)
    widget = start(gateway, site, lang="ru")
    assert widget.script_url == "/epay-simulator/payment-api.js"
    assert widget.csp_origin == ""  # the site's own: 'self' allows it

    script = client.get(widget.script_url)
    assert script["Content-Type"].startswith("application/javascript")
    assert "Оплатить" in script.content.decode()

    import booking.payments.views as views

    monkeypatch.setattr(views, "default_bank", lambda: bank)
    form = {"invoiceId": INVOICE, "access_token": widget.payment["auth"]["access_token"], "decision": "pay"}
    answer = client.post("/epay-simulator/decide", form)
    assert answer.json() == {"success": True}
    [(_, _, body)] = site.received
    assert gateway.verify_callback(read_callback_body(body), SECRET, INVOICE).success
    assert gateway.confirm(INVOICE, AMOUNT).paid


def test_settings_choose_the_gateway():
    with override_settings(EPAY_MODE="simulator"):
        assert isinstance(get_payment_gateway(), SimulatorGateway)
    urls = {"EPAY_TOKEN_URL": "https://t/", "EPAY_SCRIPT_URL": "https://s/", "EPAY_STATUS_URL": "https://c/"}
    with override_settings(EPAY_MODE="test", EPAY_CLIENT_ID="id", EPAY_CLIENT_SECRET="s", EPAY_TERMINAL_ID="t", **urls):
        gateway = get_payment_gateway()
        assert type(gateway) is HalykGateway and gateway.token_url == "https://t/"
    from django.core.exceptions import ImproperlyConfigured

    with override_settings(EPAY_MODE="production", EPAY_CLIENT_ID=""), pytest.raises(ImproperlyConfigured):
        get_payment_gateway()
    with override_settings(EPAY_MODE="paypal"), pytest.raises(ImproperlyConfigured):
        get_payment_gateway()


def test_the_deploy_check_warns_when_production_would_take_payments_through_the_simulator():
    from booking.payments.checks import payments_are_real

    with override_settings(EPAY_MODE="simulator", DEBUG=False):
        [warning] = payments_are_real(None)
    assert warning.id == "booking.W001"
    assert "no money is taken" in warning.msg
    with override_settings(EPAY_MODE="production", DEBUG=False):
        assert payments_are_real(None) == []
    with override_settings(EPAY_MODE="simulator", DEBUG=True):
        assert payments_are_real(None) == []
