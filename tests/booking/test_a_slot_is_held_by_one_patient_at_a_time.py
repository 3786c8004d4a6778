"""Slot holds are enforced by the database: one doctor's slot is held (or booked) by one order at a time; a hold
lasts BOOKING_HOLD_MINUTES and an expired one no longer blocks."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from booking.holds import SlotTaken, hold, release, release_expired_holds
from booking.models import Order
from booking.models import OrderStatus as S
from booking.states import transition
from tests.booking.conftest import next_slot

DOCTOR = {"doctor_id": "7", "doctor_name": "Доктор", "minutes": 30}


def test_the_second_patient_is_refused_the_slot_the_first_holds(make_order):
    slot = next_slot()
    first, second = make_order(slot_start=None), make_order(slot_start=None)
    hold(first, slot_start=slot, **DOCTOR)
    with pytest.raises(SlotTaken):
        hold(second, slot_start=slot, **DOCTOR)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.slot_start) == (S.SLOT_HELD, slot)
    assert second.status == S.DRAFT
    assert timedelta(minutes=9) < first.hold_expires_at - timezone.now() <= timedelta(minutes=10)


def test_another_doctor_or_another_time_is_free(make_order):
    slot = next_slot()
    hold(make_order(slot_start=None), slot_start=slot, **DOCTOR)
    hold(make_order(slot_start=None), slot_start=slot, doctor_id="8", doctor_name="Другой", minutes=30)
    hold(make_order(slot_start=None), slot_start=slot + timedelta(minutes=30), **DOCTOR)
    assert Order.objects.filter(status=S.SLOT_HELD, slot_start__gte=slot).count() == 3


@pytest.mark.parametrize("booked", [S.AWAITING_PAYMENT, S.PAID, S.CONFIRMED, S.MIS_REJECTED, S.PAYMENT_FAILED])
def test_a_slot_being_paid_or_booked_is_not_free_either(make_order, booked):
    slot = next_slot()
    make_order(booked, slot_start=slot, hold_expires_at=timezone.now() + timedelta(minutes=5))
    with pytest.raises(SlotTaken):
        hold(make_order(slot_start=None), slot_start=slot, **DOCTOR)


@pytest.mark.parametrize("freed", [S.DRAFT, S.EXPIRED, S.CANCELLED, S.REFUNDED])
def test_a_released_expired_cancelled_or_refunded_order_leaves_the_slot_free(make_order, freed):
    slot = next_slot()
    make_order(freed, slot_start=slot)
    taken = hold(make_order(slot_start=None), slot_start=slot, **DOCTOR)
    assert taken.status == S.SLOT_HELD


def test_an_expired_hold_no_longer_blocks_and_is_released_on_the_way(make_order):
    slot = next_slot()
    first = hold(make_order(slot_start=None), slot_start=slot, **DOCTOR)
    Order.objects.filter(pk=first.pk).update(hold_expires_at=timezone.now() - timedelta(seconds=1))
    second = hold(make_order(slot_start=None), slot_start=slot, **DOCTOR)
    first.refresh_from_db()
    assert (first.status, second.status) == (S.EXPIRED, S.SLOT_HELD)
    assert first.events.last().note == "hold expired"


def test_choosing_another_slot_gives_the_first_one_back(make_order):
    slot, other = next_slot(), next_slot()
    order = hold(make_order(slot_start=None), slot_start=slot, **DOCTOR)
    hold(order, slot_start=other, **DOCTOR)
    assert hold(make_order(slot_start=None), slot_start=slot, **DOCTOR).status == S.SLOT_HELD
    assert [(e.from_status, e.to_status) for e in order.events.all()] == [
        ("draft", "slot_held"),
        ("slot_held", "draft"),
        ("draft", "slot_held"),
    ]


def test_a_patient_refused_a_new_slot_keeps_the_one_they_held(make_order):
    mine, theirs = next_slot(), next_slot()
    hold(make_order(slot_start=None), slot_start=theirs, **DOCTOR)
    order = hold(make_order(slot_start=None), slot_start=mine, **DOCTOR)
    with pytest.raises(SlotTaken):
        hold(order, slot_start=theirs, **DOCTOR)
    assert (order.status, order.slot_start) == (S.SLOT_HELD, mine)
    order.refresh_from_db()
    assert (order.status, order.slot_start) == (S.SLOT_HELD, mine)


def test_a_released_slot_is_free_again(make_order):
    slot = next_slot()
    order = hold(make_order(slot_start=None), slot_start=slot, **DOCTOR)
    release(order)
    assert order.status == S.DRAFT
    assert hold(make_order(slot_start=None), slot_start=slot, **DOCTOR).status == S.SLOT_HELD


def test_holds_expire_after_ten_minutes_and_the_periodic_release_frees_them(make_order):
    now = timezone.now()
    held = [hold(make_order(slot_start=None), slot_start=next_slot(), **DOCTOR) for _ in range(2)]
    transition(held[1], S.AWAITING_PAYMENT)
    paid = make_order(S.PAID)
    assert release_expired_holds(now=now + timedelta(minutes=9)) == 0
    # The payment started: that hold lasts BOOKING_PAYMENT_MINUTES (20) from then.
    assert release_expired_holds(now=now + timedelta(minutes=11)) == 1
    assert release_expired_holds(now=now + timedelta(minutes=21)) == 1
    statuses = [Order.objects.get(pk=o.pk).status for o in (*held, paid)]
    assert statuses == [S.EXPIRED, S.EXPIRED, S.PAID]


def test_a_late_payment_after_the_hold_expired_still_counts(make_order):
    order = make_order(S.AWAITING_PAYMENT)
    transition(order, S.EXPIRED, note="hold expired")
    transition(order, S.PAID, note="confirmed by the bank's status API")
    assert order.status == S.PAID and order.paid_at is not None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite takes one writer at a time: nothing to race")
def test_of_patients_asking_for_one_slot_at_the_same_instant_exactly_one_wins(db):
    """Eight threads, each with its own connection and its own committed transaction, released together."""
    slot, racers = next_slot(), 8
    start = threading.Barrier(racers)
    outcomes: list[str] = []
    made: list[int] = []

    def patient():
        try:
            order = Order.objects.create(language="ru")
            made.append(order.pk)
            start.wait(timeout=30)
            try:
                hold(order, slot_start=slot, **DOCTOR)
                outcomes.append("held")
            except SlotTaken:
                outcomes.append("taken")
        except Exception as error:  # surfaced by the assertion below
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=patient) for _ in range(racers)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(outcomes) == ["held"] + ["taken"] * (racers - 1)
    finally:
        # The threads committed outside this test's transaction: remove their orders by hand.
        def clean():
            Order.objects.filter(pk__in=made).delete()
            connections.close_all()

        cleaner = threading.Thread(target=clean)
        cleaner.start()
        cleaner.join(timeout=60)
