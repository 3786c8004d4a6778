"""Every minute (deploy/systemd/hematology-booking-maintenance.timer): queue the booking's periodic tasks.

The open payments are settled first: an order the bank confirms at the last minute becomes paid before
release_expired_holds would expire its hold (the queue runs tasks in the order they were queued)."""

from django.core.management.base import BaseCommand

from booking.tasks import purge_abandoned_drafts, release_expired_holds, retry_due_orders, settle_open_payments


class Command(BaseCommand):
    help = (
        "Queues the booking's periodic work: ask the bank about payments still open and record those it confirms, "
        "expire the slot holds that ran out, retry sending paid orders to the MIS when due, blank the personal data "
        "of orders abandoned for 48 hours. With the database queue the worker "
        "(db_worker --backend booking) runs them; with BOOKING_TASKS=immediate they run here."
    )

    def handle(self, *args, **options):
        for periodic in (settle_open_payments, release_expired_holds, retry_due_orders, purge_abandoned_drafts):
            result = periodic.enqueue()
            if result.is_finished:
                self.stdout.write(f"{periodic.name}: {result.status} {result.return_value}")
            else:
                self.stdout.write(f"{periodic.name}: queued {result.id}")
