"""With BOOKING_TASKS=database (production's default), the booking's tasks wait in the database until the worker
(`manage.py db_worker --backend booking`) runs them; a failed sending is queued again for its next attempt."""

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from booking.models import Order
from booking.models import OrderStatus as S
from booking.states import transition
from config.settings.base import booking_tasks


def work():
    call_command("db_worker", "--batch", "--backend", "booking", "--no-startup-delay", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_a_paid_order_waits_in_the_queue_and_is_retried_at_its_time(
    make_order, fake_mis, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.TASKS = booking_tasks("database")
    # Between tasks the worker closes connections left outside autocommit: here, the test's own transaction.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    fake_mis.down = True
    order = make_order(S.AWAITING_PAYMENT)
    with django_capture_on_commit_callbacks(execute=True):
        transition(order, S.PAID)
    queued = DBTaskResult.objects.filter(task_path="booking.tasks.send_paid_order_to_mis")
    assert queued.count() == 1
    order.refresh_from_db()
    assert (order.status, fake_mis.received) == (S.PAID, [])

    work()
    order.refresh_from_db()
    assert (order.status, order.attempts) == (S.MIS_REJECTED, 1)
    retry = queued.get(status="READY")
    assert retry.run_after == order.next_attempt_at

    # Not due yet: the worker leaves it.
    work()
    order.refresh_from_db()
    assert order.attempts == 1

    fake_mis.down = False
    earlier = timezone.now() - timedelta(seconds=1)
    Order.objects.filter(pk=order.pk).update(next_attempt_at=earlier)
    queued.filter(pk=retry.pk).update(run_after=earlier)
    work()
    order.refresh_from_db()
    assert (order.status, order.attempts, order.mis_order_id) == (S.CONFIRMED, 2, f"MIS-{order.invoice_id}")
    assert set(queued.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_production_queues_the_booking_and_leaves_wagtail_s_tasks_as_they_were():
    tasks = booking_tasks("database")
    assert tasks["booking"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert tasks["default"]["BACKEND"] == "django_tasks.backends.immediate.ImmediateBackend"
    assert booking_tasks("immediate")["booking"]["BACKEND"] == "django_tasks.backends.immediate.ImmediateBackend"
