"""The MIS simulator served on a free port in a thread, and HTTP clients pointed at it with tiny timeouts."""

from datetime import date

import pytest

from booking.mis.http import HttpMisClient
from booking.mis.server import MisSimulatorServer
from booking.mis.simulator import SimulatedMis

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
