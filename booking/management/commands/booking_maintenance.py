"""Every minute (deploy/systemd/hematology-booking-maintenance.timer): queue the booking's periodic tasks."""

from django.core.management.base import BaseCommand

from booking.tasks import purge_abandoned_drafts, release_expired_holds, retry_due_orders


class Command(BaseCommand):
    help = (
        "Queues the booking's periodic work: expire the slot holds that ran out, retry sending paid orders to the "
        "MIS when due, blank the personal data of orders abandoned for 48 hours. With the database queue the worker "
        "(db_worker --backend booking) runs them; with BOOKING_TASKS=immediate they run here."
    )

    def handle(self, *args, **options):
        for periodic in (release_expired_holds, retry_due_orders, purge_abandoned_drafts):
            result = periodic.enqueue()
            if result.is_finished:
                self.stdout.write(f"{periodic.name}: {result.status} {result.return_value}")
            else:
                self.stdout.write(f"{periodic.name}: queued {result.id}")
