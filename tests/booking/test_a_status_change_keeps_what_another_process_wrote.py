"""transition() writes only what its caller changed on its copy of the order and what it stamps itself: a copy
loaded before another process saved the order (the MIS worker, a staff action, the bank's callback) does not write
that process's fields back to their old values."""

from datetime import timedelta

import pytest

from booking.models import Order
from booking.models import OrderStatus as S
from booking.states import transition
from tests.booking.conftest import next_slot

pytestmark = pytest.mark.django_db


def test_a_stale_copy_refunded_by_staff_keeps_the_mis_order_id_saved_meanwhile(make_order, admin_user):
    order = make_order(S.MIS_REJECTED, attempts=2, last_error="MisUnavailable (attempt 2)")
    copy_a = Order.objects.get(pk=order.pk)
    copy_b = Order.objects.get(pk=order.pk)  # loaded before A saved: stale from then on

    copy_a.mis_order_id = "MIS-777"
    copy_a.save()

    transition(copy_b, S.REFUNDED, note="refund 42", actor=admin_user)

    order.refresh_from_db()
    assert order.status == S.REFUNDED
    assert order.mis_order_id == "MIS-777"
    assert order.events.get().note == "refund 42"
    assert order.next_attempt_at is None  # stamped by the transition


def test_a_stale_copy_still_saves_the_fields_its_caller_changed(make_order):
    order = make_order(S.PAID)
    stale = Order.objects.get(pk=order.pk)
    Order.objects.filter(pk=order.pk).update(questions="changed elsewhere")

    stale.mis_order_id = "MIS-1"
    transition(stale, S.CONFIRMED, note="MIS accepted")

    order.refresh_from_db()
    assert (order.status, order.mis_order_id) == (S.CONFIRMED, "MIS-1")
    assert order.confirmed_at is not None
    assert order.questions == "changed elsewhere"


def test_the_fields_stamped_by_the_transition_are_written_even_if_unchanged_on_the_copy(make_order):
    order = make_order(S.AWAITING_PAYMENT)
    stale = Order.objects.get(pk=order.pk)
    stale.hold_expires_at = None
    stale.save()  # a copy that believes the hold is gone already
    Order.objects.filter(pk=order.pk).update(hold_expires_at=order.created_at + timedelta(minutes=20))

    transition(stale, S.EXPIRED, note="hold expired")

    order.refresh_from_db()
    assert (order.status, order.hold_expires_at) == (S.EXPIRED, None)


def test_a_field_set_back_between_two_transitions_of_one_copy_is_saved(make_order):
    """After each save the copy remembers what it wrote: a value put back afterwards is a change again."""
    order = make_order(S.PAID)
    order.last_error = "first"
    transition(order, S.MIS_REJECTED)
    order.last_error = ""
    order.next_attempt_at = None
    transition(order, S.CONFIRMED)
    order.refresh_from_db()
    assert (order.status, order.last_error) == (S.CONFIRMED, "")


def test_a_new_order_is_saved_whole(db):
    order = Order(language="kk", doctor_id="3", doctor_name="Дәрігер", slot_start=next_slot(), slot_minutes=30)
    transition(order, S.SLOT_HELD, note="slot held")
    saved = Order.objects.get(pk=order.pk)
    assert (saved.status, saved.language, saved.doctor_name, saved.slot_minutes) == (S.SLOT_HELD, "kk", "Дәрігер", 30)
    assert saved.invoice_id and saved.hold_expires_at is not None
