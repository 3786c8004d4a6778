"""Compile locale/*/LC_MESSAGES/django.po into .mo with polib, so no GNU gettext is needed on any machine."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


def compile_catalogs() -> list[Path]:
    written = []
    for locale_path in settings.LOCALE_PATHS:
        for po_path in sorted(Path(locale_path).glob("*/LC_MESSAGES/*.po")):
            mo_path = po_path.with_suffix(".mo")
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
            written.append(mo_path)
    return written


class Command(BaseCommand):
    help = "Compile the project's .po files into .mo files (pure Python, no gettext needed)."

    def handle(self, *args, **options):
        for path in compile_catalogs():
            self.stdout.write(f"Compiled {path}")
