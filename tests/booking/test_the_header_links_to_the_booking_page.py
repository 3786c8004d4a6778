"""Every page's header has the call to action "Жазылу" / "Записаться" / "Book a consultation", to the booking page
of the page's language; without a live booking page there is none."""

import re

import pytest

from booking.models import BookingPage
from tests.booking.flow import booking_url

pytestmark = pytest.mark.django_db

LABELS = {"kk": "Жазылу", "ru": "Записаться", "en": "Book a consultation"}


def call_to_action(response) -> tuple[str, str] | None:
    header = response.content.decode().split('<header class="site-header">', 1)[1].split("</header>", 1)[0]
    match = re.search(r'<a class="header-cta" href="([^"]+)"[^>]*>([^<]+)</a>', header)
    return (match.group(1), match.group(2)) if match else None


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_a_normal_page_links_to_its_languages_booking_page(client, lang):
    for url in (f"/{lang}/", f"/{lang}/search/"):
        assert call_to_action(client.get(url)) == (booking_url(lang), LABELS[lang])


def test_the_booking_page_marks_the_link_as_the_current_page(client):
    html = client.get(booking_url("ru")).content.decode()
    assert f'<a class="header-cta" href="{booking_url("ru")}" aria-current="page">' in html


def test_without_a_live_booking_page_there_is_no_call_to_action(client):
    page = BookingPage.objects.get(locale__language_code="en")
    page.unpublish()
    assert call_to_action(client.get("/en/")) is None
    assert call_to_action(client.get("/ru/")) is not None
