"""A stand-in for the clinic's MIS with fixed demo data: used in-process when MIS_URL is unset (the demo, tests),
and served over HTTP by booking.mis.server (`manage.py mis_simulator`) to test the real client against it.

Deterministic: the same day gives the same slots, the same invoice the same MIS order id."""

from __future__ import annotations

import zlib
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from booking.iin import is_valid_iin

from .interface import (
    ALMATY,
    ConsultationType,
    Doctor,
    MisClient,
    MisRejected,
    MisUnavailable,
    OrderResult,
    Patient,
    Slot,
    almaty_datetime,
)

DAYS_AHEAD = 14
DAY_START, DAY_END = time(9, 0), time(17, 0)

# id -> price in KZT, length in minutes, {lang: (name, description)}
TYPES: dict[str, dict[str, Any]] = {
    "101": {
        "price": 15000,
        "minutes": 30,
        "text": {
            "kk": ("Гематологтың алғашқы консультациясы", "Алғашқы қабылдау: шағымдар, анамнез, тексеру жоспары."),
            "ru": ("Первичная консультация гематолога", "Первый приём: жалобы, анамнез, план обследования."),
            "en": ("First consultation with a haematologist", "A first visit: complaints, history, a plan of tests."),
        },
    },
    "102": {
        "price": 10000,
        "minutes": 30,
        "text": {
            "kk": ("Гематологтың қайталама консультациясы", "Талдау нәтижелерін талқылау және емді түзету."),
            "ru": ("Повторная консультация гематолога", "Обсуждение результатов анализов и коррекция лечения."),
            "en": ("Follow-up consultation with a haematologist", "Test results discussed and treatment adjusted."),
        },
    },
    "103": {
        "price": 25000,
        "minutes": 60,
        "text": {
            "kk": ("Екінші пікір", "Басқа клиникада қойылған диагноз бен емді сарапшының қарауы."),
            "ru": ("Второе мнение", "Экспертный разбор диагноза и лечения, назначенных в другой клинике."),
            "en": ("Second opinion", "An expert review of a diagnosis and treatment made at another clinic."),
        },
    },
}

# id -> the types they take, their working weekdays (0 = Monday), their city (branch) id, {lang: (name, profile)}
DOCTORS: dict[str, dict[str, Any]] = {
    "d1": {
        "types": ("101", "102", "103"),
        "weekdays": (0, 1, 2, 3, 4),
        "city": "3",
        "text": {
            "kk": ("Айгерім Садықова", "Гематолог, жоғары санатты дәрігер, 15 жыл тәжірибе."),
            "ru": ("Айгерим Садыкова", "Гематолог высшей категории, стаж 15 лет."),
            "en": ("Aigerim Sadykova", "Haematologist of the highest category, 15 years of practice."),
        },
    },
    "d2": {
        "types": ("101", "102"),
        "weekdays": (0, 1, 3),
        "city": "3",
        "text": {
            "kk": ("Ерлан Жақсылықов", "Гематолог, лимфомалар мен лейкоздарды емдейді."),
            "ru": ("Ерлан Жаксылыков", "Гематолог, лечит лимфомы и лейкозы."),
            "en": ("Yerlan Zhaksylykov", "Haematologist treating lymphomas and leukaemias."),
        },
    },
    "d3": {
        "types": ("101", "103"),
        "weekdays": (1, 2, 4),
        "city": "2",
        "text": {
            "kk": ("Марина Ким", "Балалар гематологы, медицина ғылымдарының кандидаты."),
            "ru": ("Марина Ким", "Детский гематолог, кандидат медицинских наук."),
            "en": ("Marina Kim", "Paediatric haematologist, PhD in medicine."),
        },
    },
    "d4": {
        "types": ("102", "103"),
        "weekdays": (0, 2, 3, 4),
        "city": "1",
        "text": {
            "kk": ("Дәурен Әбенов", "Гематолог, қан ұюының бұзылыстары бойынша маман."),
            "ru": ("Даурен Абенов", "Гематолог, специалист по нарушениям свёртывания крови."),
            "en": ("Dauren Abenov", "Haematologist specialising in bleeding and clotting disorders."),
        },
    },
}

# The price lists per city id: {lang: city name}, and the prices (KZT) of PRICE_SERVICES in that city, in order.
PRICE_CITIES: dict[str, dict[str, Any]] = {
    "1": {
        "name": {"kk": "Өскемен", "ru": "Усть-Каменогорск", "en": "Ust-Kamenogorsk"},
        "prices": (13000, 9000, 2500, 4500),
    },
    "2": {"name": {"kk": "Қарағанды", "ru": "Караганда", "en": "Karaganda"}, "prices": (14000, 9500, 2700, 4800)},
    "3": {"name": {"kk": "Астана", "ru": "Астана", "en": "Astana"}, "prices": (15000, 10000, 3000, 5200)},
}
PRICE_SERVICES = (
    {
        "kk": "Гематологтың алғашқы консультациясы",
        "ru": "Первичная консультация гематолога",
        "en": "First consultation with a haematologist",
    },
    {
        "kk": "Гематологтың қайталама консультациясы",
        "ru": "Повторная консультация гематолога",
        "en": "Follow-up consultation with a haematologist",
    },
    {"kk": "Жалпы қан талдауы", "ru": "Общий анализ крови", "en": "Complete blood count"},
    {"kk": "Коагулограмма", "ru": "Коагулограмма", "en": "Coagulation panel"},
)
PRICE_HEADINGS = {
    "kk": ("Бағалар", "Қызмет", "Бағасы, ₸"),
    "ru": ("Цены", "Услуга", "Цена, ₸"),
    "en": ("Prices", "Service", "Price, ₸"),
}

# Known patients by IIN (valid check digits). REJECTED_IIN is valid but refused, to show a MIS refusal.
PATIENTS: dict[str, Patient] = {
    "880415300018": Patient(id="P-1001", name="Арман Қасымов", birth_date=date(1988, 4, 15), gender="male"),
    "901202400025": Patient(id="P-1002", name="Алия Нұрланова", birth_date=date(1990, 12, 2), gender="female"),
    "050301600044": Patient(id="P-1003", name="Дана Серікова", birth_date=date(2005, 3, 1), gender="female"),
}
UNKNOWN_IIN = "820927400077"  # valid, not a patient of the clinic yet
REJECTED_IIN = "750613300038"  # valid, but the MIS refuses it

REASONS = {
    "no_type": {
        "kk": "Бұл консультация түрін қазір жазылуға болмайды.",
        "ru": "На этот вид консультации сейчас нельзя записаться.",
        "en": "This consultation type cannot be booked at the moment.",
    },
    "no_doctor": {
        "kk": "Бұл дәрігерге қазір жазылуға болмайды.",
        "ru": "К этому врачу сейчас нельзя записаться.",
        "en": "This doctor cannot be booked at the moment.",
    },
    "bad_iin": {
        "kk": "ЖСН қате.",
        "ru": "ИИН указан неверно.",
        "en": "The IIN is not valid.",
    },
    "refused_iin": {
        "kk": "Бұл ЖСН бойынша онлайн жазылу мүмкін емес, клиникаға қоңырау шалыңыз.",
        "ru": "По этому ИИН онлайн-запись невозможна, позвоните в клинику.",
        "en": "Online booking is not possible for this IIN; please call the clinic.",
    },
    "no_slot": {
        "kk": "Бұл уақыт бос емес.",
        "ru": "Это время уже занято.",
        "en": "This time is no longer free.",
    },
    "no_price_list": {
        "kk": "Бұл қала үшін баға тізімі жоқ.",
        "ru": "Для этого города нет прайс-листа.",
        "en": "There is no price list for this city.",
    },
    "bad_order": {
        "kk": "Тапсырыс толық емес.",
        "ru": "Заказ заполнен не полностью.",
        "en": "The order is incomplete.",
    },
}


def _lang(lang: str) -> str:
    return lang if lang in ("kk", "ru", "en") else "ru"


def _reason(key: str, lang: str) -> str:
    return REASONS[key][_lang(lang)]


class SimulatedMis(MisClient):
    """The MIS with fixed demo data. `unavailable=True` makes every call fail as a MIS that is down; `reject_orders`
    (a reason) makes save_order refuse, as a MIS that turns a paid order down."""

    def __init__(self, *, today: date | None = None, unavailable: bool = False, reject_orders: str = ""):
        self._today = today
        self.unavailable = unavailable
        self.reject_orders = reject_orders

    def _up(self, act: str) -> None:
        if self.unavailable:
            raise MisUnavailable("simulated outage", act=act)

    def today(self) -> date:
        return self._today or timezone.localdate(timezone=ALMATY)

    def _type(self, type_id: str, lang: str) -> ConsultationType:
        row = TYPES.get(str(type_id))
        if row is None:
            raise MisRejected(_reason("no_type", lang), act="checktype")
        name, description = row["text"][_lang(lang)]
        return ConsultationType(id=str(type_id), name=name, price_kzt=row["price"], description=description)

    def _doctor(self, doctor_id: str, lang: str) -> Doctor:
        row = DOCTORS.get(str(doctor_id))
        if row is None:
            raise MisRejected(_reason("no_doctor", lang), act="checkdoctor")
        name, profile = row["text"][_lang(lang)]
        return Doctor(id=str(doctor_id), name=name, profile=profile, city_id=row["city"])

    def consultation_types(self, lang: str) -> list[ConsultationType]:
        self._up("getconsulttype")
        return [self._type(type_id, lang) for type_id in TYPES]

    def check_type(self, type_id: str, lang: str) -> ConsultationType:
        self._up("checktype")
        return self._type(type_id, lang)

    def doctors(self, type_id: str, lang: str) -> list[Doctor]:
        self._up("getdoctors")
        return [self._doctor(doc, lang) for doc, row in DOCTORS.items() if str(type_id) in row["types"]]

    def check_doctor(self, doctor_id: str, lang: str) -> Doctor:
        self._up("checkdoctor")
        return self._doctor(doctor_id, lang)

    def schedule(self, doctor_id: str, type_id: str, lang: str) -> list[Slot]:
        self._up("getdoctorschedule")
        doctor, kind = DOCTORS.get(str(doctor_id)), TYPES.get(str(type_id))
        if doctor is None or kind is None or str(type_id) not in doctor["types"]:
            return []
        minutes = kind["minutes"]
        slots = []
        for offset in range(1, DAYS_AHEAD + 1):
            day = self.today() + timedelta(days=offset)
            if day.weekday() not in doctor["weekdays"]:
                continue
            start = datetime.combine(day, DAY_START, tzinfo=ALMATY)
            end = datetime.combine(day, DAY_END, tzinfo=ALMATY)
            while start + timedelta(minutes=minutes) <= end:
                # About one slot in four is already taken, the same ones every time.
                if zlib.crc32(f"{doctor_id}|{start:%Y-%m-%dT%H:%M}".encode()) % 4:
                    slots.append(Slot(start=start, minutes=minutes))
                start += timedelta(minutes=minutes)
        return slots

    def check_iin(self, iin: str, lang: str) -> Patient | None:
        self._up("checkiin")
        if not is_valid_iin(iin):
            raise MisRejected(_reason("bad_iin", lang), act="checkiin")
        if iin == REJECTED_IIN:
            raise MisRejected(_reason("refused_iin", lang), act="checkiin")
        return PATIENTS.get(iin)

    def save_order(self, payload: dict[str, Any], lang: str) -> OrderResult:
        self._up("saveorder")
        invoice = str(payload.get("invoice_id") or "")
        if not invoice.isdigit():
            raise MisRejected(_reason("bad_order", lang), act="saveorder")
        if self.reject_orders:
            raise MisRejected(self.reject_orders, act="saveorder")
        type_id, doctor_id = str(payload.get("type_id", "")), str(payload.get("doctor_id", ""))
        self._type(type_id, lang)
        self._doctor(doctor_id, lang)
        try:
            start = almaty_datetime(str(payload.get("start", "")))
        except ValueError:
            raise MisRejected(_reason("bad_order", lang), act="saveorder") from None
        if start not in {slot.start for slot in self.schedule(doctor_id, type_id, lang)}:
            raise MisRejected(_reason("no_slot", lang), act="saveorder")
        # The same invoice always gives the same MIS order: a retried save_order does not book twice.
        return OrderResult(order_id=f"SIM-{invoice}")

    def price_list(self, city_id: str, lang: str) -> str:
        """A table of PRICE_SERVICES with the city's prices, with what the MIS's own page carried besides (a script
        and an onclick), which the site must remove before showing it."""
        self._up("getpricelist")
        city = PRICE_CITIES.get(str(city_id))
        if city is None:
            raise MisRejected(_reason("no_price_list", lang), act="getpricelist")
        lang = _lang(lang)
        title, service, price = PRICE_HEADINGS[lang]
        rows = "".join(
            f"<tr><td>{names[lang]}</td><td>{amount:,}</td></tr>".replace(",", "\u00a0")  # 15 000, as written locally
            for names, amount in zip(PRICE_SERVICES, city["prices"], strict=True)
        )
        return (
            f'<h3 class="pricelist-title">{title}: {city["name"][lang]}</h3>'
            f'<table class="table pricelist" onclick="togglePrices(this)" style="width:100%">'
            f"<thead><tr><th>{service}</th><th>{price}</th></tr></thead><tbody>{rows}</tbody></table>"
            '<script>document.querySelector(".pricelist").dataset.loaded = "1";</script>'
        )
