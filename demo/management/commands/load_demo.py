"""The demo site: the clinic's Grav sample (plus the demo's news, about and branch pages) imported with
import_grav, then the Russian and English translations of the Kazakh mission page applied through wagtail-localize,
then the booking page in the three languages (with sample offer and consent pages), then the branches' price lists
from the MIS (the simulator unless MIS_URL is set). Safe to run again: the importer
leaves unchanged pages alone and published translations are not redone."""

from pathlib import Path

import polib
from django.core.management import call_command
from django.core.management.base import BaseCommand
from wagtail.models import Locale

from about.price_lists import sync_price_lists
from booking.pages import ensure_booking_page
from core.translation import apply_po_file
from home.models import HomePage

CONTENT = Path(__file__).resolve().parents[2] / "content"


class Command(BaseCommand):
    help = "Load the demo content in Kazakh, Russian and English (import_grav of demo/content, then translations)."

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        call_command(
            "import_grav", str(CONTENT / "grav"), map=str(CONTENT / "map.yaml"), verbosity=verbosity, stdout=self.stdout
        )
        home = HomePage.objects.get(locale__language_code="kk")
        for po_path in sorted((CONTENT / "translations").glob("home.*.po")):
            locale = Locale.objects.get(language_code=po_path.suffixes[0].lstrip("."))
            existing = home.get_translation_or_none(locale)
            if existing is not None and existing.live:
                continue
            apply_po_file(home, locale, polib.pofile(str(po_path)))
            if verbosity:
                self.stdout.write(f"Translated the home page into {locale.language_code} from {po_path.name}.")
        # The online booking in the three languages, with sample offer and consent pages (booking.pages).
        ensure_booking_page(home, version="2025-01")
        # The branches' price lists, as the hourly sync would copy them (about.price_lists).
        counts = sync_price_lists()
        if verbosity:
            self.stdout.write(f"Price lists: {counts['stored']} stored, {counts['failed']} kept from before.")
