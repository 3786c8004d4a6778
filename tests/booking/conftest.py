"""The booking tests' fixtures: orders, a stand-in MIS whose availability a test switches, and the MIS simulator
served on a free port in a thread with HTTP clients pointed at it (tiny timeouts)."""

import types
from datetime import date, datetime, timedelta
from itertools import count
from zoneinfo import ZoneInfo

import pytest

from booking.mis.http import HttpMisClient
from booking.mis.server import MisSimulatorServer
from booking.mis.simulator import SimulatedMis
from booking.models import Order

ASTANA = ZoneInfo("Asia/Almaty")
PATIENT = {
    "full_name": "Айгерим Сапарова",
    "iin": "900101400123",
    "gender": "female",
    "birth_date": date(1990, 1, 1),
    "phone": "+77011234567",
    "email": "aigerim@example.kz",
    "questions": "Головокружение по утрам",
}
_slots = count()


def next_slot() -> datetime:
    """A slot no other test order has: each call a quarter of an hour later."""
    return datetime(2030, 3, 4, 9, 0, tzinfo=ASTANA) + timedelta(minutes=15 * next(_slots))


@pytest.fixture
def make_order(db):
    """make_order(status="paid", **fields) -> an order with a patient, a doctor and a slot of its own."""

    def make(status: str = "draft", **fields) -> Order:
        values = {
            "language": "ru",
            "consultation_type_id": "1",
            "consultation_type_name": "Консультация гематолога",
            "amount_kzt": 15000,
            "doctor_id": "7",
            "doctor_name": "Доктор",
            "slot_start": next_slot(),
            "slot_minutes": 30,
            **PATIENT,
            "status": status,
            **fields,
        }
        return Order.objects.create(**values)

    return make


class FakeMis:
    """The MIS as booking.tasks sees it: save_order(payload, lang) -> an OrderResult-like answer (its order_id), or
    an exception when down or refusing."""

    def __init__(self, unavailable: type[Exception], rejected: type[Exception]):
        self.Unavailable, self.Rejected = unavailable, rejected
        self.down = False
        self.rejecting = False
        self.received: list[tuple[dict, str]] = []

    def save_order(self, payload: dict, lang: str) -> str:
        self.received.append((payload, lang))
        # The messages quote the patient, as a careless MIS might: they must not reach the logs.
        if self.down:
            raise self.Unavailable(f"timeout saving {payload['patient']['full_name']} {payload['patient']['iin']}")
        if self.rejecting:
            raise self.Rejected(f"patient {payload['patient']['phone']} unknown")  # noqa: EM102
        return types.SimpleNamespace(order_id=f"MIS-{payload['invoice_id']}")


@pytest.fixture
def fake_mis(monkeypatch) -> FakeMis:
    """booking.mis.get_mis_client() answers with a FakeMis."""
    import booking.mis as mis
    from booking.mis.interface import MisRejected, MisUnavailable

    fake = FakeMis(MisUnavailable, MisRejected)
    monkeypatch.setattr(mis, "get_mis_client", lambda: fake)
    return fake


TODAY = date(2026, 12, 2)  # a Wednesday
SECRET = "test-secret"  # noqa: S105
API_KEY = "test-api-key"


@pytest.fixture
def simulator():
    return SimulatedMis(today=TODAY)


def _serve(simulator, **options):
    return MisSimulatorServer(("127.0.0.1", 0), simulator=simulator, slow_seconds=1.0, **options).start_in_thread()


@pytest.fixture
def mis_server(simulator):
    """A MIS asking for a JWT from /issuetoken."""
    server = _serve(simulator, secret=SECRET)
    yield server
    server.stop()


@pytest.fixture
def apikey_server(simulator):
    server = _serve(simulator, api_key=API_KEY)
    yield server
    server.stop()


@pytest.fixture
def http_client(mis_server):
    """The real client against the served simulator: 0.2 s timeout, 2 retries, no backoff pause."""
    return HttpMisClient(mis_server.url, auth="jwt", secret=SECRET, timeout=0.2, retries=2, backoff=0)
