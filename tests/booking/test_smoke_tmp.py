import pytest
from tests.booking.flow import walk_to_payment, booking_url
from tests.helpers import page_text

pytestmark = pytest.mark.django_db

def test_smoke(client):
    for lang in ("kk",):
        r = client.get(booking_url(lang))
        print(page_text(r)[:1500])
    order = walk_to_payment(client, "ru")
    r = client.get(booking_url("ru", "payment"))
    print(r.status_code, page_text(r)[:1500])
    print(r["Content-Security-Policy"])
