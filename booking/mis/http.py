"""The clinic's MIS over HTTP.

The protocol: one base URL, the action in the `act` query parameter, `lang` on every call; reads are GETs
(getconsulttype, checktype&id=, getdoctors&type=, checkdoctor&id=, getdoctorschedule&doc=&type=, checkiin&iin=,
getpricelist&city=),
saveorder is a POST with a JSON body. Authorisation is a bearer JWT (POST `secret` to <MIS_URL>/issuetoken, the
token in data.token) or an X-API-Key header. Answers are JSON, wrapped in {ok, data} any number of times (ok false
is a refusal, its `error`/`message` the reason), or an HTML fragment such as a <select> of slots.

Reads are retried with backoff on timeouts, network failures and 5xx; saveorder is never retried (the MIS could
book twice): it carries our invoice id (in the body and the Idempotency-Key header) so that the MIS can deduplicate
when the order is sent again later by the queue. Nothing logged here holds personal data: the IIN travels in the
MIS's query string as its protocol wants, so URLs and the requests library's messages are never logged.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import time
from datetime import date
from typing import Any

import requests
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder

from .interface import (
    LANGUAGES,
    ConsultationType,
    Doctor,
    MisBadAnswer,
    MisClient,
    MisError,
    MisRejected,
    MisUnavailable,
    OrderResult,
    Patient,
    Slot,
    almaty_datetime,
)

logger = logging.getLogger("booking.mis")

MAX_TIMEOUT = 5.0
TOKEN_MARGIN = 30  # seconds: a token this close to its expiry is not used any more
MAX_WRAPPING = 10


class HtmlFragment(str):
    """An answer the MIS gave as HTML instead of data."""


class HttpMisClient(MisClient):
    def __init__(
        self,
        url: str,
        *,
        auth: str = "jwt",
        secret: str = "",
        api_key: str = "",
        timeout: float = MAX_TIMEOUT,
        retries: int = 2,
        backoff: float = 0.3,
        token_url: str = "",
        token_lifetime: int = 300,
    ):
        if auth not in ("jwt", "apikey"):
            raise ValueError("auth must be 'jwt' or 'apikey'")
        self.url = url
        self.auth = auth
        self.secret = secret
        self.api_key = api_key
        self.timeout = min(float(timeout), MAX_TIMEOUT)
        self.retries = max(int(retries), 0)
        self.backoff = max(float(backoff), 0.0)
        self.token_url = token_url or url.split("?", 1)[0].rstrip("/") + "/issuetoken"
        self.token_lifetime = int(token_lifetime)
        self.session = requests.Session()
        digest = hashlib.sha256(f"{self.token_url}|{secret}".encode()).hexdigest()[:20]
        self._token_key = f"booking:mis:token:{digest}"

    # The interface ------------------------------------------------------------------------------------------------

    def consultation_types(self, lang: str) -> list[ConsultationType]:
        data = self._read("getconsulttype", lang)
        return [_consultation_type(record) for record in _records(data)]

    def check_type(self, type_id: str, lang: str) -> ConsultationType:
        return _consultation_type(_record(self._read("checktype", lang, id=type_id)))

    def doctors(self, type_id: str, lang: str) -> list[Doctor]:
        return [_doctor(record) for record in _records(self._read("getdoctors", lang, type=type_id))]

    def check_doctor(self, doctor_id: str, lang: str) -> Doctor:
        return _doctor(_record(self._read("checkdoctor", lang, id=doctor_id)))

    def schedule(self, doctor_id: str, type_id: str, lang: str) -> list[Slot]:
        data = self._read("getdoctorschedule", lang, doc=doctor_id, type=type_id)
        return sorted((_slot(record) for record in _records(data)), key=lambda slot: slot.start)

    def check_iin(self, iin: str, lang: str) -> Patient | None:
        data = self._read("checkiin", lang, iin=iin)
        if data in (None, "", [], {}, False):
            return None
        return _patient(_record(data))

    def save_order(self, payload: dict[str, Any], lang: str) -> OrderResult:
        invoice = str(payload.get("invoice_id") or "")
        if not invoice:
            raise ValueError("save_order needs payload['invoice_id'] so that the MIS can deduplicate")
        body = json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json; charset=utf-8", "Idempotency-Key": invoice}
        # One attempt only: a POST whose answer was lost may have been saved (the queue sends it again later).
        data = self._attempt("POST", "saveorder", lang, {}, body=body, headers=headers)
        return OrderResult(order_id=_id(_record(data), "order_id", "id"))

    def price_list(self, city_id: str, lang: str) -> str:
        return _price_list(self._read("getpricelist", lang, city=city_id))

    # Transport ----------------------------------------------------------------------------------------------------

    def _read(self, act: str, lang: str, **params: str) -> Any:
        attempts = self.retries + 1
        for attempt in range(1, attempts + 1):
            try:
                return self._attempt("GET", act, lang, params)
            except MisUnavailable as error:
                logger.warning("MIS %s unavailable (attempt %d of %d): %s", act, attempt, attempts, error.detail)
                if attempt == attempts:
                    raise
                time.sleep(self.backoff * 2 ** (attempt - 1))
        raise AssertionError("unreachable")

    def _attempt(self, method: str, act: str, lang: str, params: dict, **kwargs) -> Any:
        if lang not in LANGUAGES:
            raise ValueError(f"lang must be one of {LANGUAGES}")
        query = {"act": act, "lang": lang, **{key: str(value) for key, value in params.items()}}
        response = self._send(method, act, query, **kwargs)
        if response.status_code == 401 and self.auth == "jwt":
            # The token expired or was revoked early: forget it and ask once more with a new one.
            cache.delete(self._token_key)
            response = self._send(method, act, query, **kwargs)
        try:
            return _unwrap(_decode(response, act))
        except MisError as error:
            error.act = act
            if isinstance(error, MisBadAnswer):
                logger.warning("MIS %s gave an unreadable answer: %s", act, error.detail)
            raise

    def _send(self, method: str, act: str, query: dict, *, headers: dict | None = None, body=None):
        headers = dict(headers or {})
        if self.auth == "jwt":
            headers["Authorization"] = f"Bearer {self._token()}"
        else:
            headers["X-API-Key"] = self.api_key
        try:
            return self.session.request(
                method, self.url, params=query, data=body, headers=headers, timeout=self.timeout
            )
        except requests.Timeout:
            raise MisUnavailable("timeout", act=act) from None
        except requests.RequestException as error:
            # str(error) would hold the URL and its query (an IIN): only the kind of failure is kept.
            raise MisUnavailable(type(error).__name__, act=act) from None

    def _token(self) -> str:
        token = cache.get(self._token_key)
        if token:
            return token
        try:
            response = self.session.post(self.token_url, data={"secret": self.secret}, timeout=self.timeout)
        except requests.Timeout:
            raise MisUnavailable("token: timeout", act="issuetoken") from None
        except requests.RequestException as error:
            raise MisUnavailable(f"token: {type(error).__name__}", act="issuetoken") from None
        data = _unwrap(_decode(response, "issuetoken"))
        token = data.get("token") if isinstance(data, dict) else None
        if not isinstance(token, str) or not token.strip():
            raise MisBadAnswer("token: no data.token", act="issuetoken")
        expires = _jwt_expiry(token) or time.time() + self.token_lifetime
        ttl = int(expires - time.time() - TOKEN_MARGIN)
        if ttl > 0:
            cache.set(self._token_key, token, ttl)
        return token


# Decoding and validation ------------------------------------------------------------------------------------------


def _decode(response: requests.Response, act: str) -> Any:
    status = response.status_code
    if status >= 500 or status == 429:
        raise MisUnavailable(f"HTTP {status}", act=act)
    if status in (401, 403):
        raise MisUnavailable(f"HTTP {status}: not authorised (check MIS_AUTH and its secret or key)", act=act)
    if not 200 <= status < 300:
        raise MisBadAnswer(f"HTTP {status}", act=act)
    try:
        text = response.text if "charset" in response.headers.get("Content-Type", "") else response.content.decode()
    except UnicodeDecodeError:
        raise MisBadAnswer("not UTF-8", act=act) from None
    return _parse_text(text)


def _parse_text(text: str) -> Any:
    stripped = text.strip()
    if stripped.startswith("<"):
        return HtmlFragment(stripped)
    try:
        return json.loads(stripped)
    except ValueError:
        raise MisBadAnswer("malformed JSON") from None


def _unwrap(value: Any) -> Any:
    """Peel {ok, data} (and JSON encoded again as a string) off as many times as the MIS put it on."""
    for _ in range(MAX_WRAPPING):
        if isinstance(value, str) and not isinstance(value, HtmlFragment) and value.strip()[:1] in ("{", "[", "<"):
            value = _parse_text(value)
            continue
        if isinstance(value, dict) and "ok" in value:
            if value["ok"] is False or value["ok"] in (0, "false", "0"):
                reason = value.get("error") or value.get("message") or value.get("reason") or ""
                raise MisRejected(reason if isinstance(reason, str) else "")
            value = value.get("data")
            continue
        return value
    raise MisBadAnswer("wrapped too deep")


def _options(fragment: HtmlFragment) -> list[dict[str, str]]:
    """<option value="…" data-x="…">text</option> -> {"value", "text", "x"}; placeholders without a value skipped."""
    soup = BeautifulSoup(fragment, "html.parser")
    options = soup.find_all("option")
    if not options and soup.find("select") is None:
        raise MisBadAnswer("HTML without a <select>")
    records = []
    for option in options:
        value = (option.get("value") or "").strip()
        if not value:
            continue
        record = {name[5:]: str(data) for name, data in option.attrs.items() if name.startswith("data-")}
        record.update(value=value, text=option.get_text(" ", strip=True))
        records.append(record)
    return records


def _records(data: Any) -> list[dict]:
    if isinstance(data, HtmlFragment):
        return _options(data)
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise MisBadAnswer("expected a list of records")
    return data


def _record(data: Any) -> dict:
    if isinstance(data, HtmlFragment):
        data = _options(data)
    if isinstance(data, list) and len(data) == 1:
        data = data[0]
    if not isinstance(data, dict):
        raise MisBadAnswer("expected a record")
    return data


def _field(record: dict, *names: str) -> Any:
    for name in names:
        if record.get(name) not in (None, ""):
            return record[name]
    return None


def _id(record: dict, *names: str) -> str:
    value = _field(record, *names)
    if isinstance(value, bool) or not isinstance(value, (str, int)) or not str(value).strip() or len(str(value)) > 64:
        raise MisBadAnswer(f"bad or missing {names[0]}")
    return str(value).strip()


def _text(record: dict, *names: str, required: bool = True) -> str:
    value = _field(record, *names)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise MisBadAnswer(f"bad or missing {names[0]}")
    return value.strip()


def _whole_number(value: Any, name: str, minimum: int) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise MisBadAnswer(f"bad or missing {name}")
    return value


def _consultation_type(record: dict) -> ConsultationType:
    return ConsultationType(
        id=_id(record, "id", "value"),
        name=_text(record, "name", "text"),
        price_kzt=_whole_number(_field(record, "price_kzt", "price"), "price", 0),
        description=_text(record, "description", required=False),
    )


def _doctor(record: dict) -> Doctor:
    return Doctor(
        id=_id(record, "id", "value"),
        name=_text(record, "name", "text"),
        profile=_text(record, "profile", required=False),
        city_id=_city_id(record),
    )


def _city_id(record: dict) -> str:
    value = _field(record, "city_id", "city")
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int)) or len(str(value)) > 16:
        raise MisBadAnswer("bad city_id")
    return str(value).strip()


def _slot(record: dict) -> Slot:
    try:
        start = almaty_datetime(_text(record, "start", "value"))
    except ValueError:
        raise MisBadAnswer("bad start") from None
    minutes = _whole_number(_field(record, "minutes"), "minutes", 1)
    if minutes > 24 * 60:
        raise MisBadAnswer("bad minutes")
    return Slot(start=start, minutes=minutes)


def _patient(record: dict) -> Patient:
    born = _text(record, "birth_date", required=False)
    try:
        birth_date = date.fromisoformat(born) if born else None
    except ValueError:
        raise MisBadAnswer("bad birth_date") from None
    gender = _text(record, "gender", required=False).lower()
    gender = {"m": "male", "f": "female"}.get(gender, gender)
    return Patient(
        id=_id(record, "id", "patient_id"),
        name=_text(record, "name", required=False),
        birth_date=birth_date,
        gender=gender if gender in ("male", "female") else "",
        extra={key: value for key, value in record.items() if key not in ("id", "name", "birth_date", "gender")},
    )


MAX_PRICE_LIST = 1_000_000  # characters: a price list is a table, not a whole site


def _price_list(data: Any) -> str:
    """{"content": "<html>"} -> the HTML (sanitised later, by the caller that stores it)."""
    content = data.get("content") if isinstance(data, dict) else None
    if not isinstance(content, str):
        raise MisBadAnswer("bad or missing content")
    if len(content) > MAX_PRICE_LIST:
        raise MisBadAnswer("content too long")
    return content


def _jwt_expiry(token: str) -> float | None:
    """The `exp` of a JWT, read without checking its signature (only the MIS needs to trust it)."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError, binascii.Error):
        return None
    exp = claims.get("exp") if isinstance(claims, dict) else None
    return float(exp) if isinstance(exp, (int, float)) and not isinstance(exp, bool) else None
