"""What the booking steps ask the clinic's MIS (medical information system), whichever client answers.

Every method takes the visitor's language ("kk", "ru" or "en") and answers in it. Every failure is a MisError whose
`user_message` is a sentence for the patient in the active language; the step views show it instead of a 500.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext

LANGUAGES = ("kk", "ru", "en")
ALMATY = ZoneInfo("Asia/Almaty")


def almaty_datetime(value: str) -> datetime:
    """An ISO date-time as an aware datetime in Asia/Almaty; a time without an offset is the clinic's local time."""
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=ALMATY)
    return moment.astimezone(ALMATY)


@dataclass(frozen=True)
class ConsultationType:
    id: str
    name: str
    price_kzt: int
    description: str = ""


@dataclass(frozen=True)
class Doctor:
    id: str
    name: str
    profile: str = ""
    # The MIS's id of the city (branch) where the doctor receives: Ust-Kamenogorsk 1, Karaganda 2, Astana 3. Matched
    # against BranchPage.mis_city_id to tell the patient where to come; "" when the MIS does not say.
    city_id: str = ""


@dataclass(frozen=True)
class Slot:
    start: datetime  # aware, in Asia/Almaty
    minutes: int


@dataclass(frozen=True)
class Patient:
    """A patient the MIS already knows by IIN (never logged, never put in a URL of ours)."""

    id: str
    name: str = field(default="", repr=False)
    birth_date: date | None = field(default=None, repr=False)
    gender: str = field(default="", repr=False)  # "male", "female" or "" when the MIS does not say
    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class OrderResult:
    order_id: str  # the MIS's own id of the saved order


class MisError(Exception):
    """The MIS could not give a usable answer. `code` is stable for code; `user_message` is for the patient."""

    code = "error"

    def __init__(self, detail: str = "", *, act: str = ""):
        # `detail` is for logs: it never holds personal data (no IIN, name or phone, no URL with query).
        super().__init__(detail or self.code)
        self.detail = detail
        self.act = act

    @property
    def user_message(self) -> str:
        return gettext("The clinic's booking system cannot take your request right now. Please try again later.")


class MisUnavailable(MisError):
    """No answer in time, a network failure or a 5xx: worth trying again later."""

    code = "unavailable"

    @property
    def user_message(self) -> str:
        return gettext("The clinic's booking system is not answering at the moment. Please try again in a few minutes.")


class MisBadAnswer(MisError):
    """The MIS answered something we cannot read (malformed JSON, missing or wrong fields)."""

    code = "bad_answer"

    @property
    def user_message(self) -> str:
        return gettext(
            "The clinic's booking system gave an answer we could not read. Please try again later or call the clinic."
        )


class MisRejected(MisError):
    """The MIS said no (`ok: false`), with its reason in the patient's language when it gives one."""

    code = "rejected"

    def __init__(self, reason: str = "", *, act: str = ""):
        super().__init__("rejected", act=act)
        self.reason = reason

    @property
    def user_message(self) -> str:
        if self.reason:
            return gettext("The clinic's booking system did not accept this: %(reason)s") % {"reason": self.reason}
        return gettext("The clinic's booking system did not accept this request.")


class MisClient(abc.ABC):
    """The one interface the booking steps use; `get_mis_client()` picks the implementation from the settings."""

    @abc.abstractmethod
    def consultation_types(self, lang: str) -> list[ConsultationType]: ...

    @abc.abstractmethod
    def check_type(self, type_id: str, lang: str) -> ConsultationType:
        """The type as the MIS has it now (its current price); MisRejected if it can no longer be booked."""

    @abc.abstractmethod
    def doctors(self, type_id: str, lang: str) -> list[Doctor]: ...

    @abc.abstractmethod
    def check_doctor(self, doctor_id: str, lang: str) -> Doctor:
        """The doctor as the MIS has them now; MisRejected if they can no longer be booked."""

    @abc.abstractmethod
    def schedule(self, doctor_id: str, type_id: str, lang: str) -> list[Slot]:
        """The free slots of this doctor for this type, earliest first."""

    @abc.abstractmethod
    def check_iin(self, iin: str, lang: str) -> Patient | None:
        """The known patient with this IIN, or None if the MIS does not know it; MisRejected if it refuses the IIN."""

    @abc.abstractmethod
    def save_order(self, payload: dict[str, Any], lang: str) -> OrderResult:
        """Save a paid order. `payload["invoice_id"]` (our invoice id) is required: the MIS deduplicates on it, so
        sending the same order twice (a retry after a lost answer) gives the same MIS order, not two."""

    @abc.abstractmethod
    def price_list(self, city_id: str, lang: str) -> str:
        """The price list of a city (branch) as the MIS shows it: an HTML fragment, not yet sanitised (the site
        cleans it before storing it, about.price_lists); MisRejected if the MIS has none for that city."""
