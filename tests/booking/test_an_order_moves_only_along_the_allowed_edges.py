"""The state machine: every allowed edge moves the order and writes its history; every other edge is refused and
changes nothing; asking for the state an order is already in (a duplicate bank callback) changes nothing."""

import pytest

from booking.models import OrderEvent
from booking.models import OrderStatus as S
from booking.states import ALLOWED, InvalidTransition, transition

ALL = list(S)
EDGES = [(a, b) for a in ALL for b in ALL if b in ALLOWED[a]]
FORBIDDEN = [(a, b) for a in ALL for b in ALL if a != b and b not in ALLOWED[a]]


def test_the_edges_are_those_of_the_issue():
    assert {(str(a), str(b)) for a, b in EDGES} == {
        ("draft", "slot_held"),
        ("draft", "cancelled"),
        ("draft", "expired"),
        ("slot_held", "draft"),
        ("slot_held", "awaiting_payment"),
        ("slot_held", "expired"),
        ("slot_held", "cancelled"),
        ("awaiting_payment", "paid"),
        ("awaiting_payment", "payment_failed"),
        ("awaiting_payment", "expired"),
        ("awaiting_payment", "cancelled"),
        ("payment_failed", "awaiting_payment"),
        ("payment_failed", "paid"),
        ("payment_failed", "expired"),
        ("payment_failed", "cancelled"),
        ("paid", "confirmed"),
        ("paid", "mis_rejected"),
        ("paid", "refunded"),
        ("mis_rejected", "confirmed"),
        ("mis_rejected", "refunded"),
        ("confirmed", "refunded"),
        ("expired", "paid"),
        ("expired", "slot_held"),
    }


@pytest.mark.parametrize(("start", "to"), EDGES, ids=[f"{a}->{b}" for a, b in EDGES])
def test_an_allowed_edge_moves_the_order_and_writes_its_history(make_order, admin_user, start, to):
    order = make_order(start)
    transition(order, to, note="test", actor=admin_user)
    order.refresh_from_db()
    assert order.status == to
    event = OrderEvent.objects.get(order=order)
    assert (event.from_status, event.to_status, event.note, event.actor) == (start, to, "test", admin_user)
    assert (order.paid_at is not None) == (to == S.PAID)
    assert (order.confirmed_at is not None) == (to == S.CONFIRMED)
    if to in (S.SLOT_HELD, S.AWAITING_PAYMENT):
        assert order.hold_expires_at > event.at
    if to in (S.DRAFT, S.EXPIRED, S.CANCELLED, S.PAID, S.CONFIRMED, S.MIS_REJECTED, S.REFUNDED):
        assert order.hold_expires_at is None


@pytest.mark.parametrize(("start", "to"), FORBIDDEN, ids=[f"{a}->{b}" for a, b in FORBIDDEN])
def test_a_forbidden_edge_is_refused_and_changes_nothing(make_order, admin_user, start, to):
    order = make_order(start)
    with pytest.raises(InvalidTransition, match=f"{start} → {to}"):
        transition(order, to, actor=admin_user)
    order.refresh_from_db()
    assert order.status == start
    assert not OrderEvent.objects.filter(order=order).exists()


@pytest.mark.parametrize("state", ALL)
def test_asking_for_the_state_an_order_is_in_changes_nothing(make_order, state):
    order = make_order(state)
    before = order.updated_at
    transition(order, state)
    transition(order, state)
    order.refresh_from_db()
    assert (order.status, order.updated_at) == (state, before)
    assert not OrderEvent.objects.filter(order=order).exists()


@pytest.mark.parametrize("start", [S.PAID, S.MIS_REJECTED, S.CONFIRMED])
def test_only_staff_mark_an_order_refunded(make_order, start):
    order = make_order(start)
    with pytest.raises(InvalidTransition, match="staff only"):
        transition(order, S.REFUNDED)
    order.refresh_from_db()
    assert order.status == start


def test_a_stale_copy_of_the_order_is_checked_against_the_database(make_order):
    """The patient's browser still has the order awaiting payment; the bank's callback has made it paid meanwhile."""
    order = make_order(S.AWAITING_PAYMENT)
    stale = type(order).objects.get(pk=order.pk)
    transition(order, S.PAID)
    with pytest.raises(InvalidTransition, match="paid → cancelled"):
        transition(stale, S.CANCELLED)
    transition(stale, S.PAID)  # the duplicate callback
    assert stale.status == S.PAID
    assert list(OrderEvent.objects.filter(order=order).values_list("to_status", flat=True)) == ["paid"]


def test_an_order_has_a_numeric_invoice_number_and_a_secret_of_its_own(make_order):
    first, second = make_order(), make_order()
    for order in (first, second):
        assert order.invoice_id.isdigit() and 6 <= len(order.invoice_id) <= 15
        assert len(order.secret_hash) >= 32
        assert order.secret_hash not in f"{order} {order!r}"
        assert order.full_name not in f"{order} {order!r}"
    assert first.invoice_id != second.invoice_id
    assert first.secret_hash != second.secret_hash
