"""The epay simulator's widget in a real browser: a shop page loads payment-api.js from the simulated bank and calls
halyk.showPaymentWidget(payment, callback), as the booking's payment step will; Pay and Decline post the bank's
callback to postLink / failurePostLink with the secret echoed, call callback({success}) and go to backLink /
failureBackLink. The site itself is not needed: the shop is a tiny local server."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from booking.payments.simulator import EpaySimulatorServer
from tests.browser.conftest import CHROMIUM

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed")

INVOICE = "700000000001"
SECRET = "browser-test-secret"


class Shop:
    def __init__(self):
        self.callbacks = []
        self.page_html = ""
        shop = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                body = (shop.page_html if self.path == "/pay" else f"<h1>{self.path.strip('/')}</h1>").encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):  # noqa: N802
                shop.callbacks.append((self.path, json.loads(self.rfile.read(int(self.headers["Content-Length"])))))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def shop():
    shop = Shop()
    yield shop
    shop.close()


@pytest.fixture
def bank():
    with EpaySimulatorServer() as server:
        yield server


def open_widget(page, bank, shop, lang):
    widget = bank.gateway().start(
        invoice_id=INVOICE,
        amount_kzt=12000,
        description="Consultation",
        lang=lang,
        back_link=shop.url + "/paid",
        failure_back_link=shop.url + "/failed",
        post_link=shop.url + "/callback",
        failure_post_link=shop.url + "/callback-failed",
        secret_hash=SECRET,
    )
    shop.page_html = f"""<!doctype html><html><body><h1>Payment step</h1>
<script src="{widget.script_url}"></script>
<script>
halyk.showPaymentWidget({widget.payment_json()}, function (result) {{
  sessionStorage.setItem("widget-result", JSON.stringify(result));
}});
</script></body></html>"""
    page.goto(shop.url + "/pay")


def test_pay_posts_the_callback_with_the_secret_and_returns_to_the_back_link(page, bank, shop):
    open_widget(page, bank, shop, "kk")
    assert page.get_by_role("dialog").get_by_role("heading").inner_text() == "Сынақ төлемі"
    assert "12000 KZT" in page.get_by_role("dialog").inner_text()

    page.get_by_role("button", name="Төлеу").click()
    page.wait_for_url(shop.url + "/paid")

    assert json.loads(page.evaluate("sessionStorage.getItem('widget-result')")) == {"success": True}
    [(path, callback)] = shop.callbacks
    assert (path, callback["invoiceId"], callback["code"], callback["secret_hash"]) == (
        "/callback",
        INVOICE,
        "ok",
        SECRET,
    )
    assert bank.gateway().confirm(INVOICE, 12000).paid


def test_decline_posts_to_the_failure_link_and_returns_to_the_failure_back_link(page, bank, shop):
    open_widget(page, bank, shop, "en")
    page.get_by_role("button", name="Decline").click()
    page.wait_for_url(shop.url + "/failed")

    assert json.loads(page.evaluate("sessionStorage.getItem('widget-result')")) == {"success": False}
    [(path, callback)] = shop.callbacks
    assert (path, callback["code"], callback["secret_hash"]) == ("/callback-failed", "error", SECRET)
    assert not bank.gateway().confirm(INVOICE, 12000).paid
