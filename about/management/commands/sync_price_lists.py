"""Copy the branches' price lists from the MIS (about.price_lists), now, or queued on the booking queue (--queue,
what deploy/systemd/hematology-price-lists.timer runs every hour)."""

from django.core.management.base import BaseCommand

from about.price_lists import sync_price_lists


class Command(BaseCommand):
    help = (
        "Fetch every branch city's price list from the MIS in every language, sanitise it and store it with the "
        "time; a city the MIS cannot give keeps its last good copy. With --queue, queue it on the booking queue "
        "(db_worker --backend booking runs it) instead of running it here."
    )

    def add_arguments(self, parser):
        parser.add_argument("--queue", action="store_true", help="Queue the sync on the booking queue.")

    def handle(self, *args, **options):
        if options["queue"]:
            from booking.tasks import sync_price_lists as task

            result = task.enqueue()
            if not result.is_finished:
                self.stdout.write(f"{task.name}: queued {result.id}")
                return
            counts = result.return_value
        else:
            counts = sync_price_lists()
        if options["verbosity"]:
            self.stdout.write("Price lists: " + ", ".join(f"{name} {number}" for name, number in counts.items()))
