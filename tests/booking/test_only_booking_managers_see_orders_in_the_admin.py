"""Orders are for the "Booking managers" group (and superusers): editors, moderators and translators neither see the
menu item nor open the orders' pages, and nothing in the rest of the admin (dashboard, search, reports) shows an
order."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation
from wagtail.models import GroupPagePermission
from wagtail.users.models import UserProfile

from booking.models import Order
from tests.helpers import page_text

from .staff_helpers import ORDERS, inspect_url, menu_labels, refund_url, retry_url

pytestmark = pytest.mark.django_db

OTHER_ROLES = ["Editors", "Moderators", "Translators kk", "Translators ru", "Translators en"]


def test_the_group_exists_with_its_permissions_and_no_right_to_change_orders_or_pages():
    group = Group.objects.get(name="Booking managers")
    permissions = set(group.permissions.values_list("content_type__app_label", "codename"))
    assert {
        ("wagtailadmin", "access_admin"),
        ("booking", "view_order"),
        ("booking", "retry_order"),
        ("booking", "refund_order"),
    } <= permissions
    assert not {("booking", "add_order"), ("booking", "change_order"), ("booking", "delete_order")} & permissions
    assert not GroupPagePermission.objects.filter(group=group).exists()


def test_booking_managers_have_the_menu_item_in_the_admins_language(client_for):
    labels = menu_labels(client_for("Booking managers").get("/admin/"))
    assert labels[ORDERS] == "Заказы"


def test_the_menu_item_is_in_kazakh_for_an_admin_in_kazakh(client_for, django_user_model):
    # The site's admin offers Russian and English (Wagtail has no Kazakh); the booking's own words have Kazakh.
    client = client_for("Booking managers")
    UserProfile.get_for_user(django_user_model.objects.get(username="booking_managers"))
    UserProfile.objects.filter(user__username="booking_managers").update(preferred_language="kk")
    assert menu_labels(client.get("/admin/"))[ORDERS] == "Тапсырыстар"
    with translation.override("kk"):
        assert translation.gettext("Retry sending to the MIS") == "МАЖ-ға қайта жіберу"


def test_superusers_see_the_orders(admin_client, make_order):
    order = make_order("paid")
    assert ORDERS in menu_labels(admin_client.get("/admin/"))
    assert order.invoice_id in page_text(admin_client.get(ORDERS))
    assert "Отметить возврат денег" in page_text(admin_client.get(inspect_url(order)))


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_other_roles_get_no_menu_item_and_are_refused_the_pages(client_for, make_order, fake_mis, role):
    order = make_order("mis_rejected")
    client = client_for(role)
    assert ORDERS not in menu_labels(client.get("/admin/"))
    for url in (ORDERS, ORDERS + "results/", inspect_url(order), retry_url(order), refund_url(order)):
        response = client.get(url)
        assert response.status_code == 403, url
        assert order.invoice_id not in response.text
    assert client.get(ORDERS, {"export": "csv"}).status_code == 403
    assert client.post(retry_url(order)).status_code == 403
    assert client.post(refund_url(order)).status_code == 403
    assert Order.objects.get(pk=order.pk).status == "mis_rejected" and fake_mis.received == []


def test_anonymous_visitors_are_sent_to_the_login(client, make_order):
    order = make_order("paid")
    response = client.get(inspect_url(order))
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("role", ["Editors", "Booking managers"])
def test_no_order_appears_in_the_dashboard_search_or_reports(client_for, make_order, role):
    order = make_order("paid", full_name="Уникальное Имя")
    client = client_for(role)
    pages = [
        client.get("/admin/"),
        client.get(reverse("wagtailadmin_pages:search"), {"q": order.invoice_id}),
        client.get(reverse("wagtailadmin_reports:site_history")),
        client.get(reverse("editorial_translations_report")),
    ]
    for response in pages:
        assert response.status_code in (200, 403)  # a booking manager may not search pages
        # (The search page repeats the query itself: what must not appear is the order.)
        assert "Уникальное Имя" not in response.text and inspect_url(order) not in response.text
    assert order.invoice_id not in pages[0].text + pages[2].text + pages[3].text
