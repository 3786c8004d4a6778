from django.core.management.base import BaseCommand

from search.indexing import rebuild


class Command(BaseCommand):
    help = "Rebuild the site search from every live, public page and every document."

    def handle(self, *args, **options):
        count = rebuild()
        self.stdout.write(f"Indexed {count} pages and documents.")
