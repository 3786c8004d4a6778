"""The epay simulator: the same protocol as Halyk's epay, with no bank and no money.

- `SimulatorGateway`: the gateway `make demo` uses (EPAY_MODE=simulator). It is the real Halyk client answered
  in-process by the simulated bank (bank.py), so the demo goes through the same validation as production; its widget
  script and Pay/Decline endpoint are the Django views in views.py (booking/payments/urls.py).
- `EpaySimulatorServer`: the simulated bank over HTTP (stdlib, threaded), what the Halyk client is tested against
  and what `manage.py epay_simulator --port 8766` serves.
"""

from __future__ import annotations

import json
import threading
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from django.urls import reverse

from .bank import CLIENT_ID, CLIENT_SECRET, TERMINAL_ID, SimulatedBank, default_bank
from .halyk import HalykGateway

_SIM_HOST = "http://epay-simulator.invalid"  # never contacted: SimulatorGateway answers in-process
TOKEN_PATHS = ("/oauth2/token", "/epay2/oauth2/token")
STATUS_PREFIXES = ("/check-status/payment/transaction/", "/api/check-status/payment/transaction/")


def answer(bank: SimulatedBank, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, Any]:
    """One request to the simulated bank → (HTTP status, JSON-able body or text)."""
    path = urllib.parse.urlsplit(path).path
    form = dict(urllib.parse.parse_qsl(body.decode("utf-8", "replace"))) if method == "POST" else {}
    if method == "POST" and path in TOKEN_PATHS:
        return bank.issue_token(form)
    if method == "GET":
        for prefix in STATUS_PREFIXES:
            if path.startswith(prefix):
                return bank.check_status(headers.get("Authorization", ""), path.removeprefix(prefix))
    if method == "POST" and path.endswith("/decide"):
        return bank.decide(form)
    return 404, {"error": "not found"}


class SimulatorGateway(HalykGateway):
    """The Halyk client, answered by the simulated bank in this process."""

    def __init__(self, bank: SimulatedBank | None = None, script_url: str | None = None):
        super().__init__(
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            terminal_id=TERMINAL_ID,
            token_url=_SIM_HOST + TOKEN_PATHS[0],
            script_url=script_url or "(views)",
            status_url=_SIM_HOST + STATUS_PREFIXES[0],
        )
        self.bank = bank or default_bank()
        self._script_url = script_url

    def start(self, *args, **kwargs):
        payment = super().start(*args, **kwargs)
        # The widget is served by booking/payments/urls.py, included under the namespace "epay_simulator".
        script_url = self._script_url or reverse("epay_simulator:payment-api")
        return type(payment)(script_url=script_url, payment=payment.payment)

    def _send(self, request: urllib.request.Request) -> tuple[int, bytes]:
        headers = {key.title(): value for key, value in request.header_items()}
        code, body = answer(self.bank, request.get_method(), request.full_url, headers, request.data or b"")
        return code, (body if isinstance(body, str) else json.dumps(body)).encode()


class EpaySimulatorServer:
    """The simulated bank on http://host:port/. URLs: token_url, status_url, script_url (widget under /payform/)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, bank: SimulatedBank | None = None):
        self.bank = bank or SimulatedBank()
        self.httpd = ThreadingHTTPServer((host, port), _handler_for(self.bank))
        self.httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def token_url(self) -> str:
        return self.base_url + TOKEN_PATHS[0]

    @property
    def status_url(self) -> str:
        return self.base_url + STATUS_PREFIXES[0]

    @property
    def script_url(self) -> str:
        return self.base_url + "/payform/payment-api.js"

    def gateway(self) -> HalykGateway:
        """The real Halyk client pointed at this server."""
        return HalykGateway(
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            terminal_id=TERMINAL_ID,
            token_url=self.token_url,
            script_url=self.script_url,
            status_url=self.status_url,
            timeout=5,
        )

    def start(self) -> EpaySimulatorServer:
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="epay-simulator", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def __enter__(self) -> EpaySimulatorServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _handler_for(bank: SimulatedBank) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "epay-simulator"

        def do_GET(self):  # noqa: N802 (http.server's name)
            if urllib.parse.urlsplit(self.path).path.endswith("/payment-api.js"):
                self._write(200, bank.widget_script(), "application/javascript; charset=utf-8")
                return
            self._reply("GET", b"")

        def do_POST(self):  # noqa: N802
            length = min(int(self.headers.get("Content-Length") or 0), 100_000)
            self._reply("POST", self.rfile.read(length))

        def _reply(self, method: str, body: bytes) -> None:
            code, content = answer(bank, method, self.path, dict(self.headers.items()), body)
            if isinstance(content, str):
                self._write(code, content, "text/html; charset=utf-8")
            else:
                self._write(code, json.dumps(content), "application/json")

        def _write(self, code: int, text: str, content_type: str) -> None:
            data = text.encode("utf-8")
            self.send_response(code)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Access-Control-Allow-Origin", "*")  # the widget posts its decision from the site's page
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format, *args):  # noqa: A002
            pass  # paths carry invoice ids only, but the console stays quiet in tests

    return Handler
