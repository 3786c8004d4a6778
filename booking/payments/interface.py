"""The payment gateway's interface: what the booking steps call, whichever bank (or simulator) is behind it.

The flow (docs/booking.md, "Payment"): the payment step calls `start()` and renders the widget with what it returns;
the bank posts its callback to postLink, which the site checks with `verify_callback()` (the per-order secret_hash
echoed back) and then with `confirm()` (the bank's status API: paid, same invoice, amount and currency). Only both
together make an order paid.
"""

from __future__ import annotations

import hmac
import json
import re
import secrets
from abc import ABC, abstractmethod
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _

CURRENCY = "KZT"
# The site's languages → the widget's.
WIDGET_LANGUAGES = {"kk": "kaz", "ru": "rus", "en": "eng"}
# The status API's answer for a payment that went through: resultCode "100" and one of these states.
PAID_STATUS_NAMES = frozenset({"CHARGE", "AUTH"})
RESULT_CODE_OK = "100"

_INVOICE_ID = re.compile(r"[0-9]{6,15}")


class PaymentError(Exception):
    """Base of the gateway's errors; `user_message` is what the patient may be shown."""

    user_message = _("The payment service is not answering. Please try again in a few minutes.")

    def __init__(self, message: str = "", *, http_status: int | None = None):
        super().__init__(message)
        self.http_status = http_status


class PaymentUnavailable(PaymentError):
    """The bank did not answer, timed out or answered with a server error (5xx)."""


class PaymentBadAnswer(PaymentError):
    """The bank answered something the site cannot trust: not JSON, missing fields, a 4xx."""


class CallbackRefused(ValueError):
    """A postLink callback that is forged, incomplete or for another invoice. `reason` is safe to log."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class WidgetPayment:
    """What the payment step needs: load `script_url`, then `halyk.showPaymentWidget(payment, callback)`.

    `payment` holds the access token (`auth`): render it with Django's `json_script`, never in a URL or a log.
    """

    script_url: str
    payment: dict[str, Any]

    def payment_json(self) -> str:
        return json.dumps(self.payment, ensure_ascii=False)

    @property
    def csp_origin(self) -> str:
        """The bank's origin, for the payment step's CSP (script-src, frame-src, connect-src); "" when the widget
        is served by the site itself (the simulator), which 'self' already allows."""
        parts = urlsplit(self.script_url)
        return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else ""


@dataclass(frozen=True)
class PaymentStatus:
    """The bank's status of one invoice. `paid` from `status()` means only "the bank says paid"; use `confirm()`."""

    invoice_id: str
    paid: bool
    found: bool
    amount_kzt: Decimal | None = None
    currency: str = ""
    status_name: str = ""
    raw_code: str = ""
    reference: str = ""
    card_mask: str = ""
    mismatch: str = ""  # why confirm() said not paid although the bank said paid


@dataclass(frozen=True)
class CallbackResult:
    """An authentic postLink callback. `success` is the bank's word only: confirm() it before marking paid."""

    invoice_id: str
    success: bool
    reason: str = ""
    reference: str = ""
    approval_code: str = ""
    card_mask: str = ""
    transaction_id: str = ""
    amount: Decimal | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False)


def is_valid_invoice_id(value: object) -> bool:
    return isinstance(value, str) and _INVOICE_ID.fullmatch(value) is not None


def validate_invoice_id(value: object) -> str:
    if not is_valid_invoice_id(value):
        raise ValueError("an epay invoice id is 6 to 15 digits")
    return value  # type: ignore[return-value]


def new_invoice_id(digits: int = 12) -> str:
    """A random numeric invoice id (no leading zero); the order's unique constraint catches the rare collision."""
    if not 6 <= digits <= 15:
        raise ValueError("an epay invoice id is 6 to 15 digits")
    return str(10 ** (digits - 1) + secrets.randbelow(9 * 10 ** (digits - 1)))


def new_secret_hash() -> str:
    """A per-order secret that the bank echoes in its callback."""
    return secrets.token_urlsafe(32)


def widget_language(lang: str) -> str:
    code = (lang or "").split("-")[0].lower()
    if code not in WIDGET_LANGUAGES:
        raise ValueError(f"no epay widget language for {lang!r}")
    return WIDGET_LANGUAGES[code]


def parse_amount(value: object) -> Decimal | None:
    if isinstance(value, bool) or value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def parse_status_answer(invoice_id: str, answer: object) -> PaymentStatus:
    """The status API's JSON → PaymentStatus. Raises PaymentBadAnswer for anything not shaped like the bank's."""
    if not isinstance(answer, dict) or not isinstance(answer.get("resultCode"), str | int):
        raise PaymentBadAnswer("status answer without resultCode")
    code = str(answer["resultCode"])
    transaction = answer.get("transaction")
    if code != RESULT_CODE_OK or transaction in (None, {}):
        return PaymentStatus(invoice_id=invoice_id, paid=False, found=False, raw_code=code)
    if not isinstance(transaction, dict):
        raise PaymentBadAnswer("status answer with a malformed transaction")
    status_name = str(transaction.get("statusName") or "").upper()
    return PaymentStatus(
        invoice_id=str(transaction.get("invoiceID") or transaction.get("invoiceId") or ""),
        paid=status_name in PAID_STATUS_NAMES,
        found=True,
        amount_kzt=parse_amount(transaction.get("amount")),
        currency=str(transaction.get("currency") or ""),
        status_name=status_name,
        raw_code=code,
        reference=str(transaction.get("reference") or ""),
        card_mask=str(transaction.get("cardMask") or ""),
    )


class PaymentGateway(ABC):
    """One bank behind the booking steps. Implementations: halyk.HalykGateway, simulator.SimulatorGateway."""

    @abstractmethod
    def start(
        self,
        invoice_id: str,
        amount_kzt: int,
        description: str,
        lang: str,
        back_link: str,
        failure_back_link: str,
        post_link: str,
        failure_post_link: str,
        secret_hash: str,
    ) -> WidgetPayment:
        """Get the bank's token for this invoice and build the widget's payment object."""

    @abstractmethod
    def status(self, invoice_id: str) -> PaymentStatus:
        """Ask the bank's status API about one invoice."""

    def confirm(self, invoice_id: str, amount_kzt: int) -> PaymentStatus:
        """Paid only if the bank says paid for this very invoice, this amount and KZT. Never raises for a mismatch."""
        validate_invoice_id(invoice_id)
        status = self.status(invoice_id)
        if not status.paid:
            return status
        mismatch = ""
        if status.invoice_id != invoice_id:
            mismatch = "invoice"
        elif status.amount_kzt is None or status.amount_kzt != Decimal(amount_kzt):
            mismatch = "amount"
        elif status.currency != CURRENCY:
            mismatch = "currency"
        return replace(status, paid=False, mismatch=mismatch) if mismatch else status

    def verify_callback(
        self, data: object, expected_secret_hash: str, expected_invoice_id: str | None = None
    ) -> CallbackResult:
        """Check a postLink body: the secret_hash echoed equals ours, the invoice is the expected one, code is
        "ok" or "error". Raises CallbackRefused otherwise. Success still needs confirm()."""
        if not isinstance(data, dict):
            raise CallbackRefused("not an object")
        invoice_id = data.get("invoiceId", data.get("invoiceID"))
        if not is_valid_invoice_id(invoice_id):
            raise CallbackRefused("invoiceId missing or malformed")
        if expected_invoice_id is not None and invoice_id != expected_invoice_id:
            raise CallbackRefused("invoiceId is not the expected one")
        echoed = data.get("secret_hash")
        if not isinstance(echoed, str) or not expected_secret_hash:
            raise CallbackRefused("secret_hash missing")
        if not hmac.compare_digest(echoed.encode(), expected_secret_hash.encode()):
            raise CallbackRefused("secret_hash does not match")
        code = data.get("code")
        if code not in ("ok", "error"):
            raise CallbackRefused("code is neither ok nor error")
        return CallbackResult(
            invoice_id=invoice_id,
            success=code == "ok",
            reason=str(data.get("reason") or ""),
            reference=str(data.get("reference") or ""),
            approval_code=str(data.get("approvalCode") or ""),
            card_mask=str(data.get("cardMask") or ""),
            transaction_id=str(data.get("id") or ""),
            amount=parse_amount(data.get("amount")),
            raw=data,
        )


def read_callback_body(body: bytes) -> dict[str, Any]:
    """The postLink request body (JSON) → dict. Raises CallbackRefused for anything else."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise CallbackRefused("body is not JSON") from error
    if not isinstance(data, dict):
        raise CallbackRefused("body is not a JSON object")
    return data
