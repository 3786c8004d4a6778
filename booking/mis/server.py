"""The MIS simulator served over HTTP with the MIS's own protocol (booking.mis.http), for testing the real client
and for trying MIS_URL locally: `manage.py mis_simulator --port 8765`.

Odd answers on demand, for one call with `?fault=<name>` in the URL (put it in MIS_URL to keep it on), or for the
next calls with `POST /_control?fault=<name>&times=<n>` (no `times`: until changed; `fault=` clears it):
    slow       answers after `slow_seconds` (beyond the client's timeout)
    500        an HTTP 500
    malformed  JSON cut short
    missing    records without a required field (a price, a name, a slot's length, a price list's content...)
    wrapped    {ok, data} twice around the data
    encoded    {ok, data} around the data as a JSON string, itself wrapped in {ok, data}
    html       lists (and single records) as an HTML <select> fragment
    reject     {"ok": false, "error": ...}
The request line is never logged in full: the IIN travels in the query string.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import itertools
import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .interface import ConsultationType, Doctor, MisRejected, OrderResult, Patient, Slot
from .simulator import SimulatedMis

FAULTS = ("slow", "500", "malformed", "missing", "wrapped", "encoded", "html", "reject")


@dataclass
class Call:
    method: str
    act: str
    params: dict[str, str]
    headers: dict[str, str]
    body: Any = None


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class MisSimulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self,
        address: tuple[str, int] = ("127.0.0.1", 0),
        *,
        secret: str = "",
        api_key: str = "",
        token_lifetime: int = 300,
        slow_seconds: float = 1.0,
        simulator: SimulatedMis | None = None,
        verbose: bool = False,
    ):
        super().__init__(address, _Handler)
        self.secret = secret
        self.api_key = api_key
        self.token_lifetime = token_lifetime
        self.slow_seconds = slow_seconds
        self.simulator = simulator or SimulatedMis()
        self.verbose = verbose
        self.fault = ""
        self.fault_times: int | None = None
        self.calls: list[Call] = []
        self.tokens_issued = 0
        self._tokens: dict[str, float] = {}
        self._counter = itertools.count(1)
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/"

    # Control ------------------------------------------------------------------------------------------------------

    def set_fault(self, fault: str, times: int | None = None) -> None:
        if fault and fault not in FAULTS:
            raise ValueError(f"fault must be one of {FAULTS}")
        with self._lock:
            self.fault, self.fault_times = fault, times

    def take_fault(self, asked: str) -> str:
        if asked:
            return asked
        with self._lock:
            fault = self.fault
            if fault and self.fault_times is not None:
                self.fault_times -= 1
                if self.fault_times <= 0:
                    self.fault, self.fault_times = "", None
            return fault

    def revoke_tokens(self) -> None:
        """Forget every token issued, as a MIS that restarted or rotated its key: the next call gets a 401."""
        with self._lock:
            self._tokens.clear()

    def start_in_thread(self) -> MisSimulatorServer:
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self.shutdown()
        self.server_close()

    def handle_error(self, request, client_address) -> None:
        # A client that gave up waiting (the "slow" fault) closed its end: nothing to report.
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)

    def pause(self, seconds: float) -> None:
        self._stopping.wait(seconds)

    # Tokens -------------------------------------------------------------------------------------------------------

    def issue_token(self) -> str:
        with self._lock:
            self.tokens_issued += 1
            expires = int(time.time()) + self.token_lifetime
            header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
            claims = _b64(json.dumps({"sub": "site", "exp": expires, "jti": next(self._counter)}).encode())
            signature = hmac.new(self.secret.encode(), f"{header}.{claims}".encode(), hashlib.sha256).digest()
            token = f"{header}.{claims}.{_b64(signature)}"
            self._tokens[token] = expires
            return token

    def token_is_valid(self, token: str) -> bool:
        with self._lock:
            return self._tokens.get(token, 0) > time.time()


class _Handler(BaseHTTPRequestHandler):
    server: MisSimulatorServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        if self.server.verbose:
            # Only the method, path and action: the query string may hold an IIN.
            query = parse_qs(urlsplit(self.path).query)
            print(f"{self.command} {urlsplit(self.path).path} act={query.get('act', [''])[0]}", flush=True)

    def do_GET(self) -> None:  # noqa: N802
        self._handle()

    def do_POST(self) -> None:  # noqa: N802
        self._handle()

    # Plumbing -----------------------------------------------------------------------------------------------------

    def _send(self, status: int, body: str, content_type: str = "application/json; charset=utf-8") -> None:
        payload = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _json(self, status: int, data: Any) -> None:
        self._send(status, json.dumps(data, ensure_ascii=False))

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _handle(self) -> None:
        url = urlsplit(self.path)
        params = {key: values[-1] for key, values in parse_qs(url.query, keep_blank_values=True).items()}
        raw = self._body()
        path = url.path.rstrip("/")
        if path.endswith("/issuetoken"):
            return self._issue_token(raw)
        if path.endswith("/_control") and self.command == "POST":
            times = params.get("times")
            try:
                self.server.set_fault(params.get("fault", ""), int(times) if times else None)
            except ValueError as error:
                return self._json(400, {"ok": False, "error": str(error)})
            return self._json(200, {"ok": True, "data": {"fault": self.server.fault}})
        call = Call(
            method=self.command,
            act=params.get("act", ""),
            params=params,
            headers={
                name: self.headers[name]
                for name in ("Authorization", "X-API-Key", "Idempotency-Key")
                if self.headers.get(name)
            },
        )
        if raw:
            try:
                call.body = json.loads(raw)
            except ValueError:
                return self._json(400, {"ok": False, "error": "the body is not JSON"})
        with self.server._lock:
            self.server.calls.append(call)
        if not self._authorised():
            return self._json(401, {"ok": False, "error": "unauthorised"})
        if params.get("lang") not in ("kk", "ru", "en"):
            return self._json(400, {"ok": False, "error": "lang is required"})
        self._answer(call, self.server.take_fault(params.get("fault", "")))

    def _issue_token(self, raw: bytes) -> None:
        if "json" in (self.headers.get("Content-Type") or ""):
            secret = (json.loads(raw or b"{}") or {}).get("secret", "")
        else:
            secret = parse_qs(raw.decode()).get("secret", [""])[0]
        if not self.server.secret or not hmac.compare_digest(secret, self.server.secret):
            return self._json(403, {"ok": False, "error": "bad secret"})
        self._json(200, {"ok": True, "data": {"token": self.server.issue_token()}})

    def _authorised(self) -> bool:
        if self.server.secret:
            token = (self.headers.get("Authorization") or "").removeprefix("Bearer ").strip()
            return self.server.token_is_valid(token)
        if self.server.api_key:
            return hmac.compare_digest(self.headers.get("X-API-Key") or "", self.server.api_key)
        return True

    # Answers ------------------------------------------------------------------------------------------------------

    def _answer(self, call: Call, fault: str) -> None:
        if fault == "slow":
            self.server.pause(self.server.slow_seconds)
        elif fault == "500":
            return self._send(500, "Internal Server Error", "text/plain")
        elif fault == "malformed":
            return self._send(200, '{"ok": true, "data": [{"id": ')
        try:
            data = self._data(call)
        except MisRejected as refusal:
            return self._json(200, {"ok": False, "error": refusal.reason})
        except (KeyError, ValueError):
            return self._json(400, {"ok": False, "error": "bad request"})
        if fault == "reject":
            return self._json(200, {"ok": False, "error": "Simulated refusal"})
        if fault == "html" and isinstance(data, (list, ConsultationType, Doctor)):
            return self._send(200, _select(data if isinstance(data, list) else [data]), "text/html; charset=utf-8")
        if isinstance(data, dict):  # getpricelist: {"content": "<html>"}, as is
            answer = {} if fault == "missing" else data
        elif isinstance(data, list):
            answer = [_record(item, fault == "missing") for item in data]
        else:
            answer = None if data is None else _record(data, fault == "missing")
        if fault == "wrapped":
            return self._json(200, {"ok": True, "data": {"ok": True, "data": answer}})
        if fault == "encoded":
            inner = json.dumps({"ok": True, "data": answer}, ensure_ascii=False)
            return self._json(200, {"ok": True, "data": inner})
        self._json(200, {"ok": True, "data": answer})

    def _data(self, call: Call) -> Any:
        mis, params, lang = self.server.simulator, call.params, call.params["lang"]
        match call.act:
            case "getconsulttype":
                return mis.consultation_types(lang)
            case "checktype":
                return mis.check_type(params["id"], lang)
            case "getdoctors":
                return mis.doctors(params["type"], lang)
            case "checkdoctor":
                return mis.check_doctor(params["id"], lang)
            case "getdoctorschedule":
                return mis.schedule(params["doc"], params["type"], lang)
            case "checkiin":
                return mis.check_iin(params["iin"], lang)
            case "getpricelist":
                return {"content": mis.price_list(params["city"], lang)}
            case "saveorder" if call.method == "POST" and isinstance(call.body, dict):
                return mis.save_order(call.body, lang)
        raise KeyError(call.act)


# What the real MIS sends: field names of its JSON, and naive local times for slots.
_REQUIRED = {ConsultationType: "price", Doctor: "name", Slot: "minutes", Patient: "id", OrderResult: "order_id"}


def _record(item: Any, missing: bool) -> dict:
    if isinstance(item, ConsultationType):
        record = {"id": item.id, "name": item.name, "price": item.price_kzt, "description": item.description}
    elif isinstance(item, Doctor):
        record = {"id": item.id, "name": item.name, "profile": item.profile, "city_id": item.city_id}
    elif isinstance(item, Slot):
        record = {"start": item.start.strftime("%Y-%m-%dT%H:%M"), "minutes": item.minutes}
    elif isinstance(item, Patient):
        born = item.birth_date.isoformat() if item.birth_date else ""
        record = {"id": item.id, "name": item.name, "birth_date": born, "gender": item.gender}
    else:
        record = {"order_id": item.order_id}
    if missing:
        record.pop(_REQUIRED[type(item)])
    return record


def _select(items: list) -> str:
    options = ['<option value="">—</option>']
    for item in items:
        if isinstance(item, Slot):
            value, text = item.start.strftime("%Y-%m-%dT%H:%M"), item.start.strftime("%d.%m %H:%M")
            data = {"minutes": item.minutes}
        elif isinstance(item, ConsultationType):
            value, text, data = item.id, item.name, {"price": item.price_kzt, "description": item.description}
        else:
            value, text, data = item.id, item.name, {"profile": item.profile, "city": item.city_id}
        attrs = "".join(f' data-{name}="{html.escape(str(v))}"' for name, v in data.items())
        options.append(f'<option value="{html.escape(value)}"{attrs}>{html.escape(text)}</option>')
    return '<select class="form-control" name="choice">' + "".join(options) + "</select>"
