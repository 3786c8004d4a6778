"""A booking manager sends a paid order to the MIS again and marks an order refunded, from the order's page: the
history records who did it. Without the permission, or for an order in another status, the action is refused with
a clear message and nothing changes."""

import pytest
from django.contrib.auth.models import Group, Permission

from booking.models import Order, OrderEvent
from tests.helpers import page_text

from .staff_helpers import inspect_url, refund_url, retry_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client_for):
    return client_for("Booking managers")


@pytest.fixture
def viewer(client, django_user_model):
    """A member of a group that may see orders but neither retry nor refund them."""
    group = Group.objects.create(name="Order viewers")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="view_order")
    )
    user = django_user_model.objects.create_user("viewer", "viewer@example.com", "secret")
    user.groups.add(group)
    client.force_login(user)
    return client


def test_the_order_page_offers_the_actions_its_status_allows(manager, make_order):
    rejected, confirmed, draft = make_order("mis_rejected"), make_order("confirmed"), make_order("draft")
    text = page_text(manager.get(inspect_url(rejected)))
    assert "Повторить отправку в МИС" in text and "Отметить возврат денег" in text
    text = page_text(manager.get(inspect_url(confirmed)))
    assert "Повторить отправку в МИС" not in text and "Отметить возврат денег" in text
    text = page_text(manager.get(inspect_url(draft)))
    assert "Повторить отправку в МИС" not in text and "Отметить возврат денег" not in text


def test_retry_asks_for_confirmation_first(manager, make_order, fake_mis):
    order = make_order("mis_rejected", attempts=6)
    text = page_text(manager.get(retry_url(order)))
    assert "Отправить этот оплаченный заказ в МИС ещё раз сейчас?" in text
    assert fake_mis.received == []
    order.refresh_from_db()
    assert order.status == "mis_rejected"


def test_retry_sends_the_order_and_the_mis_confirms_it(manager, make_order, fake_mis):
    order = make_order("mis_rejected", attempts=6, last_error="MisUnavailable (attempt 6)")
    response = manager.post(retry_url(order), follow=True)
    order.refresh_from_db()
    assert order.status == "confirmed" and order.mis_order_id == f"MIS-{order.invoice_id}"
    assert [payload["invoice_id"] for payload, _lang in fake_mis.received] == [order.invoice_id]
    assert f"Заказ {order.invoice_id} отправлен в МИС и подтверждён." in page_text(response)


def test_retry_while_the_mis_is_still_down_keeps_the_order_and_says_so(manager, make_order, fake_mis):
    fake_mis.down = True
    order = make_order("paid")
    response = manager.post(retry_url(order), follow=True)
    order.refresh_from_db()
    assert order.status == "mis_rejected" and order.attempts == 1
    assert "МИС его пока не приняла" in page_text(response)


def test_refund_moves_the_order_to_refunded_and_records_who(manager, make_order, django_user_model):
    order = make_order("confirmed", mis_order_id="MIS-1")
    text = page_text(manager.get(refund_url(order)))
    assert "Отметить, что деньги за этот заказ возвращены?" in text
    response = manager.post(refund_url(order), {"note": "возврат 998877 в портале Halyk"}, follow=True)
    order.refresh_from_db()
    assert order.status == "refunded" and order.mis_order_id == "MIS-1"
    event = OrderEvent.objects.get(order=order, to_status="refunded")
    assert event.actor == django_user_model.objects.get(username="booking_managers")
    assert event.note == "возврат 998877 в портале Halyk"
    text = page_text(response)
    assert f"Возврат денег по заказу {order.invoice_id} отмечен." in text
    assert "booking_managers" in text[text.index("История статусов") :]


@pytest.mark.parametrize("status", ["draft", "awaiting_payment", "expired", "cancelled", "refunded"])
def test_refund_is_refused_for_an_order_that_was_not_paid_or_is_refunded(manager, make_order, status):
    order = make_order(status)
    response = manager.post(refund_url(order), {"note": ""}, follow=True)
    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == status
    assert not OrderEvent.objects.filter(order=order).exists()
    assert "в этом статусе невозможно" in page_text(response)


@pytest.mark.parametrize("status", ["draft", "confirmed", "refunded", "expired"])
def test_retry_is_refused_for_an_order_that_is_not_waiting_for_the_mis(manager, make_order, fake_mis, status):
    order = make_order(status)
    response = manager.post(retry_url(order), follow=True)
    assert response.status_code == 200
    assert fake_mis.received == []
    order.refresh_from_db()
    assert order.status == status
    assert "в этом статусе невозможно" in page_text(response)


def test_without_the_permissions_the_actions_are_neither_offered_nor_done(viewer, make_order, fake_mis):
    order = make_order("mis_rejected")
    text = page_text(viewer.get(inspect_url(order)))
    assert order.invoice_id in text and "Повторить отправку в МИС" not in text and "Отметить возврат денег" not in text
    assert viewer.post(retry_url(order)).status_code == 403
    assert viewer.post(refund_url(order)).status_code == 403
    assert fake_mis.received == []
    assert Order.objects.get(pk=order.pk).status == "mis_rejected"


def test_the_actions_need_a_csrf_token(django_user_model, make_order, fake_mis):
    from django.test import Client

    order = make_order("paid")
    user = django_user_model.objects.create_user("csrf", "csrf@example.com", "secret")
    user.groups.add(Group.objects.get(name="Booking managers"))
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    assert strict.post(refund_url(order)).status_code == 403
    assert strict.post(retry_url(order)).status_code == 403
    assert Order.objects.get(pk=order.pk).status == "paid" and fake_mis.received == []


def test_an_unknown_order_is_not_found(manager):
    assert manager.get("/admin/booking/orders/inspect/999999/").status_code == 404
    assert manager.post("/admin/booking/orders/inspect/999999/refund/").status_code == 404
