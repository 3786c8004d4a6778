"""The bank's side of the epay protocol, in memory: what the simulator (in-process, its HTTP server and its Django
views) answers. It behaves like Halyk's epay as far as the site can see: a client-credentials token bound to an
invoice, the widget (payment-api.js) with Pay and Decline, the server-to-server callback to postLink or
failurePostLink with the secret_hash echoed, and the status API.

`faults` lets tests make an endpoint misbehave: {"token": "500" | "malformed", "status": ...}. `tamper()` changes
what the status API says about an invoice (another amount, currency or invoice id).
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.utils import translation
from django.utils.translation import gettext

from .interface import CURRENCY, is_valid_invoice_id, parse_amount

logger = logging.getLogger(__name__)

CLIENT_ID = "simulator"
CLIENT_SECRET = "simulator-secret"  # not a secret: the simulator takes no money
TERMINAL_ID = "00000000-0000-4000-8000-000000000000"
TOKEN_LIFETIME = 1200
CALLBACK_TIMEOUT = 10.0
WIDGET_JS = Path(__file__).with_name("payment-api.js")
_SITE_LANGUAGE = {"kaz": "kk", "rus": "ru", "eng": "en"}


@dataclass
class Invoice:
    invoice_id: str
    amount: Any
    currency: str
    terminal: str
    post_link: str
    failure_post_link: str
    secret_hash: str
    status_name: str = ""  # "" until the payer decides, then CHARGE or REJECT
    reference: str = ""
    transaction_id: str = ""
    tampered: dict[str, Any] = field(default_factory=dict)


def deliver_callback(url: str, body: dict[str, Any]) -> bool:
    """POST the callback as JSON, as the bank does. Only the invoice id is logged."""
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=CALLBACK_TIMEOUT) as response:  # noqa: S310
            return 200 <= response.status < 300
    except OSError as error:
        logger.warning("epay simulator: callback for invoice %s not delivered: %s", body.get("invoiceId"), error)
        return False


class SimulatedBank:
    def __init__(self, *, deliver=deliver_callback):
        self.deliver = deliver
        self.faults: dict[str, str] = {}
        self._tokens: dict[str, tuple[str | None, float]] = {}
        self._invoices: dict[str, Invoice] = {}
        self._lock = threading.Lock()

    # POST /oauth2/token (form-encoded) → (HTTP status, JSON)
    def issue_token(self, form: dict[str, str]) -> tuple[int, Any]:
        if fault := self.faults.get("token"):
            return self._fault(fault)
        if form.get("grant_type") != "client_credentials":
            return 400, {"error": "unsupported_grant_type"}
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            return 401, {"error": "invalid_client"}
        if form.get("terminal") != TERMINAL_ID:
            return 400, {"error": "invalid_terminal"}
        invoice_id = form.get("invoiceID") or None
        if invoice_id is not None:
            amount = parse_amount(form.get("amount"))
            if not is_valid_invoice_id(invoice_id) or amount is None or amount <= 0:
                return 400, {"error": "invalid_request"}
            if form.get("currency") != CURRENCY:
                return 400, {"error": "invalid_currency"}
            with self._lock:
                known = self._invoices.get(invoice_id)
                if known is not None and known.status_name == "CHARGE":
                    return 400, {"error": "invoice_already_paid"}
                self._invoices[invoice_id] = Invoice(
                    invoice_id=invoice_id,
                    amount=int(amount) if amount == int(amount) else float(amount),
                    currency=CURRENCY,
                    terminal=form["terminal"],
                    post_link=form.get("postLink", ""),
                    failure_post_link=form.get("failurePostLink", ""),
                    secret_hash=form.get("secret_hash", ""),
                )
        token = secrets.token_hex(20)
        with self._lock:
            self._tokens[token] = (invoice_id, time.monotonic() + TOKEN_LIFETIME)
        return 200, {
            "access_token": token,
            "expires_in": str(TOKEN_LIFETIME),
            "refresh_token": "",
            "scope": form.get("scope", ""),
            "token_type": "Bearer",
        }

    # GET /check-status/payment/transaction/<invoice_id> with "Authorization: Bearer …"
    def check_status(self, authorization: str, invoice_id: str) -> tuple[int, Any]:
        if fault := self.faults.get("status"):
            return self._fault(fault)
        token = authorization.removeprefix("Bearer ").strip()
        if not self._token_valid(token):
            return 401, {"error": "invalid_token"}
        with self._lock:
            invoice = self._invoices.get(invoice_id)
        if invoice is None or not invoice.status_name:
            return 200, {"resultCode": "102", "resultMessage": "Transaction not found"}
        transaction = {
            "id": invoice.transaction_id,
            "createdDate": datetime.now(UTC).isoformat(),
            "invoiceID": invoice.invoice_id,
            "amount": invoice.amount,
            "currency": invoice.currency,
            "terminal": invoice.terminal,
            "cardMask": "440043******0000",
            "reference": invoice.reference,
            "statusName": invoice.status_name,
            "reason": "" if invoice.status_name == "CHARGE" else "Declined by the payer (simulator)",
            **invoice.tampered,
        }
        return 200, {"resultCode": "100", "resultMessage": "Success", "transaction": transaction}

    # POST <widget base>/decide (form-encoded, from payment-api.js) → {"success": bool}
    def decide(self, form: dict[str, str]) -> tuple[int, Any]:
        invoice_id, token = form.get("invoiceId", ""), form.get("access_token", "")
        with self._lock:
            bound = self._tokens.get(token)
            invoice = self._invoices.get(invoice_id)
        if invoice is None or bound is None or bound[0] != invoice_id or bound[1] < time.monotonic():
            return 403, {"success": False, "error": "unknown invoice or token"}
        pay = form.get("decision") == "pay"
        with self._lock:
            if invoice.status_name == "CHARGE":
                return 409, {"success": False, "error": "already paid"}
            invoice.status_name = "CHARGE" if pay else "REJECT"
            invoice.reference = str(100000000000 + secrets.randbelow(899999999999))
            invoice.transaction_id = secrets.token_hex(16)
        callback = {
            "id": invoice.transaction_id,
            "dateTime": datetime.now(UTC).isoformat(),
            "invoiceId": invoice.invoice_id,
            "amount": invoice.amount,
            "currency": invoice.currency,
            "terminal": invoice.terminal,
            "accountId": "",
            "description": form.get("description", ""),
            "language": form.get("language", ""),
            "cardMask": "440043******0000",
            "cardType": "VISA",
            "issuer": "SIMULATOR",
            "reference": invoice.reference,
            "secure": "yes",
            "code": "ok" if pay else "error",
            "reason": "" if pay else "Declined by the payer (simulator)",
            "reasonCode": 0 if pay else 5,
            "approvalCode": f"{secrets.randbelow(1000000):06d}" if pay else "",
            "secret_hash": invoice.secret_hash,
        }
        url = invoice.post_link if pay else invoice.failure_post_link
        if url:
            self.deliver(url, callback)
        return 200, {"success": pay}

    # GET <widget base>/payment-api.js
    def widget_script(self) -> str:
        labels = {}
        for widget_lang, site_lang in _SITE_LANGUAGE.items():
            with translation.override(site_lang):
                labels[widget_lang] = {
                    "title": gettext("Test payment"),
                    "note": gettext("Simulated bank: no money is taken."),
                    "amount": gettext("Amount"),
                    "pay": gettext("Pay"),
                    "decline": gettext("Decline"),
                    "failed": gettext("The payment could not be made."),
                }
        return WIDGET_JS.read_text(encoding="utf-8").replace("__LABELS__", json.dumps(labels, ensure_ascii=False))

    # For tests
    def tamper(self, invoice_id: str, **transaction_fields: Any) -> None:
        with self._lock:
            self._invoices[invoice_id].tampered.update(transaction_fields)

    def invoice(self, invoice_id: str) -> Invoice | None:
        with self._lock:
            return self._invoices.get(invoice_id)

    def _token_valid(self, token: str) -> bool:
        with self._lock:
            entry = self._tokens.get(token)
        return entry is not None and entry[1] >= time.monotonic()

    @staticmethod
    def _fault(kind: str) -> tuple[int, Any]:
        if kind == "malformed":
            return 200, "<html>Service temporarily unavailable</html>"
        if kind == "incomplete":
            return 200, {"token_type": "Bearer", "resultMessage": "?"}
        return 500, {"error": "internal"}


_default_bank: SimulatedBank | None = None
_default_lock = threading.Lock()


def default_bank() -> SimulatedBank:
    """The process's one simulated bank (the in-process gateway and the Django views share it)."""
    global _default_bank
    with _default_lock:
        if _default_bank is None:
            _default_bank = SimulatedBank()
        return _default_bank
