#!/usr/bin/env python
"""The booking's benchmark (not a test): SQL queries and in-process time of every step of the booking, for a patient
walking it with the simulated MIS and the simulated bank, on the demo content, with every cache empty (the development
settings without REDIS_URL use Django's dummy cache).

Each of ROUNDS patients (30 by default) walks the whole flow in one language (kk, ru, en in turn) with a client of
their own: the seven pages (GET), the five forms (POST), the bank's callback and the paid/ page. Printed per step:
queries (min–max) and the median and 95th percentile time in milliseconds. Then the same again with the site's own
cache in memory (as Redis is in production): what the header, menu and footer cost is the difference, since the
booking's own answers are never cached.

    .venv/bin/python scripts/bench_booking.py [ROUNDS]
"""

import json
import re
import statistics
import sys
import time
from collections import defaultdict
from html import unescape
from urllib.parse import urlsplit

from _django import setup  # noqa: E402 - scripts/ is on the path when a script runs

WORK = setup("bench-booking-")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings, setup_test_environment  # noqa: E402

from booking.mis.simulator import UNKNOWN_IIN  # noqa: E402
from booking.models import BookingPage, Order, OrderStatus  # noqa: E402
from booking.payments.bank import default_bank  # noqa: E402

LANGUAGES = ("kk", "ru", "en")
DETAILS = {
    "full_name": "Сапарова Айгерим Нурлановна",
    "iin": UNKNOWN_IIN,
    "gender": "female",
    "birth_date": "1982-09-27",
    "phone": "+7 701 123 45 67",
    "email": "patient@example.kz",
    "questions": "",
}
timings: dict[str, list[float]] = defaultdict(list)
queries: dict[str, list[int]] = defaultdict(list)


def measure(name: str, call, *args, expect=(200, 302), **kwargs):
    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        response = call(*args, **kwargs)
        elapsed = (time.perf_counter() - start) * 1000
    if response.status_code not in expect:
        raise SystemExit(f"{name}: HTTP {response.status_code}\n{response.content.decode()[:2000]}")
    timings[name].append(elapsed)
    queries[name].append(len(captured))
    return response


def first_value(response, name: str) -> str:
    match = re.search(rf'name="{name}"[^>]*value="([^"]+)"', response.content.decode())
    if not match:
        raise SystemExit(f"no {name} to choose on {response.request['PATH_INFO']}")
    return unescape(match.group(1))


def walk(client: Client, lang: str, bank_client: Client) -> None:
    page = BookingPage.objects.get(locale__language_code=lang)

    def url(step: str = "") -> str:
        return page.url + page.reverse_subpage(step) if step else page.url

    for step, field in (("", "consultation_type"), ("doctor", "doctor"), ("time", "slot")):
        shown = measure(f"{step or 'type'} (GET)", client.get, url(step))
        measure(f"{step or 'type'} (POST)", client.post, url(step), {field: first_value(shown, field)}, expect=(302,))
    measure("details (GET)", client.get, url("details"))
    measure("details (POST)", client.post, url("details"), DETAILS, expect=(302,))
    measure("summary (GET)", client.get, url("summary"))
    accept = {"accept_offer": "on", "accept_consent": "on"}
    measure("summary (POST)", client.post, url("summary"), accept, expect=(302,))
    payment_page = measure("payment (GET)", client.get, url("payment"))
    found = re.search(
        r'id="booking-payment-data" type="application/json">(.*?)</script>', payment_page.content.decode()
    )
    payment = json.loads(found.group(1))
    # The payer presses Pay in the simulated widget; the simulated bank posts its callback to the site.
    decision = {"invoiceId": payment["invoiceId"], "access_token": payment["auth"]["access_token"], "decision": "pay"}
    client.post("/epay-simulator/decide", decision)
    measure("paid (GET)", client.get, url("paid"))
    order = Order.objects.get(invoice_id=payment["invoiceId"])
    if order.status != OrderStatus.CONFIRMED:
        raise SystemExit(f"order ended {order.status}, not confirmed")


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    setup_test_environment()  # the test client's "testserver" host is allowed
    print(f"Loading the demo into {WORK} …", flush=True)
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)

    bank = default_bank()
    bank_client = Client()

    def deliver(url: str, body: dict) -> bool:
        response = measure(
            "bank callback (POST)",
            bank_client.post,
            urlsplit(url).path,
            json.dumps(body),
            content_type="application/json",
        )
        return response.status_code == 200

    bank.deliver = deliver
    for n in range(rounds):
        walk(Client(), LANGUAGES[n % 3], bank_client)
    report(f"The booking, step by step: {rounds} patients (kk, ru, en in turn), every cache empty, SQLite.")

    timings.clear()
    queries.clear()
    memory = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "bench-booking"}}
    # One address walks the flow many times here: the per-address limit (BOOKING_RATE_LIMIT) is lifted.
    with override_settings(CACHES=memory, BOOKING_RATE_LIMIT=10**6):
        for n in range(rounds):
            walk(Client(), LANGUAGES[n % 3], bank_client)
    report(f"The same {rounds} patients with the site's cache in memory (as Redis in production).")


def report(title: str) -> None:
    print(f"\n{title}\n")
    print(f"{'step':<24} {'queries':>9} {'median ms':>10} {'p95 ms':>8}")
    for name, values in timings.items():
        counts = queries[name]
        spread = f"{min(counts)}–{max(counts)}" if min(counts) != max(counts) else str(counts[0])
        p95 = statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]
        print(f"{name:<24} {spread:>9} {statistics.median(values):>10.1f} {p95:>8.1f}")


if __name__ == "__main__":
    main()
