"""Halyk Bank epay: the OAuth token, the payment widget's object and the status API (docs/booking.md, "Payment").

Plain stdlib HTTP with a timeout on every call; every answer is validated before it is used. Neither the secret nor
the token is ever logged.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from .interface import (
    CURRENCY,
    PaymentBadAnswer,
    PaymentGateway,
    PaymentStatus,
    PaymentUnavailable,
    WidgetPayment,
    parse_status_answer,
    validate_invoice_id,
    widget_language,
)

logger = logging.getLogger(__name__)

# The scope of a payment token (brief: "payment") and of the token the status API wants (Halyk's documentation).
PAYMENT_SCOPE = "payment"
STATUS_SCOPE = "webapi usermanagement email_send verification statement statistics payment"
MAX_TIMEOUT = 10.0


class HalykGateway(PaymentGateway):
    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        terminal_id: str,
        token_url: str,
        script_url: str,
        status_url: str,
        timeout: float = MAX_TIMEOUT,
    ):
        if not (client_id and client_secret and terminal_id and token_url and script_url and status_url):
            raise ValueError("epay needs a client id, secret, terminal and its three URLs")
        self.client_id = client_id
        self.client_secret = client_secret
        self.terminal_id = terminal_id
        self.token_url = token_url
        self.script_url = script_url
        self.status_url = status_url if status_url.endswith("/") else status_url + "/"
        self.timeout = min(float(timeout), MAX_TIMEOUT)
        self._status_token: tuple[str, float] | None = None
        self._lock = threading.Lock()

    # The payment step
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
        validate_invoice_id(invoice_id)
        if isinstance(amount_kzt, bool) or not isinstance(amount_kzt, int) or amount_kzt <= 0:
            raise ValueError("the amount is a positive whole number of tenge")
        language = widget_language(lang)
        auth = self.request_token(
            scope=PAYMENT_SCOPE,
            invoiceID=invoice_id,
            amount=str(amount_kzt),
            currency=CURRENCY,
            postLink=post_link,
            failurePostLink=failure_post_link,
            secret_hash=secret_hash,
        )
        payment = {
            "invoiceId": invoice_id,
            "invoiceIdAlt": "",
            "backLink": back_link,
            "failureBackLink": failure_back_link,
            "postLink": post_link,
            "failurePostLink": failure_post_link,
            "language": language,
            "description": description,
            "accountId": "",
            "terminal": self.terminal_id,
            "amount": amount_kzt,
            "currency": CURRENCY,
            "auth": auth,
        }
        return WidgetPayment(script_url=self.script_url, payment=payment)

    # The status API
    def status(self, invoice_id: str) -> PaymentStatus:
        validate_invoice_id(invoice_id)
        for attempt in range(2):
            request = urllib.request.Request(
                self.status_url + urllib.parse.quote(invoice_id),
                headers={"Authorization": f"Bearer {self._token_for_status()}", "Accept": "application/json"},
            )
            try:
                answer = self._call(request, "status")
            except _NotFound:
                return PaymentStatus(invoice_id=invoice_id, paid=False, found=False, raw_code="404")
            except PaymentBadAnswer as error:
                if error.http_status != 401 or attempt:
                    raise
                with self._lock:  # the bank forgot our token before it said it would: get a new one, once
                    self._status_token = None
                continue
            return parse_status_answer(invoice_id, answer)
        raise AssertionError("unreachable")

    # Tokens
    def request_token(self, *, scope: str, **fields: str) -> dict[str, Any]:
        """POST the client-credentials form; returns the whole token answer (the widget wants it as `auth`)."""
        form = {
            "grant_type": "client_credentials",
            "scope": scope,
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "terminal": self.terminal_id,
            **fields,
        }
        request = urllib.request.Request(
            self.token_url,
            data=urllib.parse.urlencode(form).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
            method="POST",
        )
        try:
            answer = self._call(request, "token")
        except _NotFound as error:
            raise PaymentBadAnswer("token endpoint not found") from error
        token = answer.get("access_token") if isinstance(answer, dict) else None
        if not isinstance(token, str) or not token:
            raise PaymentBadAnswer("token answer without access_token")
        if str(answer.get("token_type") or "bearer").lower() != "bearer":
            raise PaymentBadAnswer("token answer is not a bearer token")
        return answer

    def _token_for_status(self) -> str:
        with self._lock:
            if self._status_token and self._status_token[1] > time.monotonic():
                return self._status_token[0]
        answer = self.request_token(scope=STATUS_SCOPE)
        try:
            lifetime = int(answer.get("expires_in") or 0)
        except (TypeError, ValueError):
            lifetime = 0
        token = answer["access_token"]
        with self._lock:
            # Renewed a minute early, so a token never expires between the check and the call.
            self._status_token = (token, time.monotonic() + max(lifetime - 60, 0))
        return token

    def _call(self, request: urllib.request.Request, what: str) -> Any:
        """Send a request and read its JSON; every failure becomes PaymentUnavailable or PaymentBadAnswer."""
        try:
            code, body = self._send(request)
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as error:
            logger.warning("epay %s did not answer: %s", what, type(error).__name__)
            raise PaymentUnavailable(f"epay {what}: no answer") from error
        if code == 404:
            raise _NotFound
        if code >= 500:
            logger.warning("epay %s answered HTTP %s", what, code)
            raise PaymentUnavailable(f"epay {what}: HTTP {code}", http_status=code)
        if code >= 400:
            logger.warning("epay %s answered HTTP %s", what, code)
            raise PaymentBadAnswer(f"epay {what}: HTTP {code}", http_status=code)
        try:
            return json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            logger.warning("epay %s answered something that is not JSON", what)
            raise PaymentBadAnswer(f"epay {what}: not JSON") from error

    def _send(self, request: urllib.request.Request) -> tuple[int, bytes]:
        """(HTTP status, body). The simulator overrides this to answer in-process."""
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (URLs from settings)
                return response.status, response.read(1_000_000)
        except urllib.error.HTTPError as error:
            return error.code, error.read(1_000_000)


class _NotFound(Exception):
    pass
