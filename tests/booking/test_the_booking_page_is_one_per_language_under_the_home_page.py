"""BookingPage: under a home page only, one per language, no children; it needs the offer and the consent;
ensure_booking_page() makes the three languages and can be run again."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from about.models import AboutPage
from booking.models import BookingPage
from booking.pages import ensure_booking_page
from home.models import HomePage

pytestmark = pytest.mark.django_db


class TestTree(WagtailPageTestCase):
    def test_parent_and_children(self):
        self.assertAllowedParentPageTypes(BookingPage, {HomePage})
        self.assertAllowedSubpageTypes(BookingPage, set())
        self.assertCanCreateAt(HomePage, BookingPage)
        self.assertCanNotCreateAt(AboutPage, BookingPage)


def test_a_home_page_takes_one_booking_page():
    home = HomePage.objects.get(locale__language_code="kk")
    assert BookingPage.max_count_per_parent == 1
    assert not BookingPage.can_create_at(home)  # the demo's is there


def test_the_page_needs_the_offer_and_the_consent():
    page = BookingPage(title="x", slug="x")
    with pytest.raises(ValidationError) as refused:
        page.clean()
    assert set(refused.value.message_dict) == {"offer_document", "consent_document"}
    other = Page.objects.live().exclude(depth__lt=2).first()
    page.offer_page, page.consent_page = other, other
    page.clean()


def test_the_demo_has_the_booking_page_in_three_languages_as_translations():
    pages = {p.locale.language_code: p for p in BookingPage.objects.live().select_related("locale")}
    assert set(pages) == {"kk", "ru", "en"}
    assert {p.slug for p in pages.values()} == {"booking"}
    assert len({p.translation_key for p in pages.values()}) == 1
    assert (pages["kk"].title, pages["ru"].title, pages["en"].title) == (
        "Онлайн жазылу",
        "Онлайн-запись",
        "Book a consultation",
    )
    assert pages["ru"].offer_page_id == pages["kk"].offer_page_id  # synchronised; shown in the page's language


def test_ensure_booking_page_changes_nothing_when_run_again():
    home = HomePage.objects.get(locale__language_code="kk")
    before = Page.objects.count()
    page = ensure_booking_page(home)
    assert page.slug == "booking" and Page.objects.count() == before
