"""python manage.py import_grav PATH [--dry-run] [--only SUBPATH] [--map FILE]"""

import sys
from pathlib import Path

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from grav_import.importer import PAGE_TYPES, GravImporter
from grav_import.reader import locate, read_config, read_tree


class Command(BaseCommand):
    help = "Import a Grav site (its root, its user/ folder or its pages folder) into the kk/ru/en page trees."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The Grav site root (containing user/) or a pages folder.")
        parser.add_argument("--dry-run", action="store_true", help="Read and report; write nothing.")
        parser.add_argument("--only", metavar="SUBPATH", help="Import only this folder (relative to pages/).")
        parser.add_argument(
            "--map",
            metavar="FILE",
            help="YAML mapping folder patterns to page types, e.g. `about/branches/*: about.BranchPage` (or skip).",
        )

    def handle(self, *args, **options):
        try:
            pages_dir, site_root = locate(Path(options["path"]))
        except FileNotFoundError as error:
            raise CommandError(str(error)) from error
        type_map = self.read_map(options.get("map"))
        languages = [code for code, _name in settings.LANGUAGES]
        config = read_config(site_root, languages, settings.LANGUAGE_CODE)
        tree = read_tree(pages_dir, config)
        importer = GravImporter(
            pages_dir, site_root, config, dry_run=options["dry_run"], only=options.get("only"), type_map=type_map
        )
        verbosity = options["verbosity"]
        show_progress = verbosity > 0 and sys.stderr.isatty()

        def progress(folders):
            return tqdm(folders, desc="Importing", unit="folder", file=sys.stderr, disable=not show_progress)

        report = importer.run(tree, progress=progress)
        self.print_summary(report, config.languages, options["dry_run"], verbosity)
        if report.errors:
            sys.exit(1)

    def read_map(self, path: str | None) -> dict:
        if not path:
            return {}
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as error:
            raise CommandError(f"Cannot read the map file {path}: {error}") from error
        if not isinstance(data, dict):
            raise CommandError(f"{path}: expected lines of `folder pattern: page type`")
        unknown = {value for value in data.values() if value not in PAGE_TYPES and value != "skip"}
        if unknown:
            known = ", ".join([*PAGE_TYPES, "skip"])
            raise CommandError(f"{path}: unknown page type(s) {', '.join(sorted(unknown))}; use one of {known}")
        return {str(key): str(value) for key, value in data.items()}

    def print_summary(self, report, languages, dry_run, verbosity) -> None:
        write = self.stdout.write
        if verbosity == 0:
            for error in report.errors:
                self.stderr.write(error)
            return
        write(self.style.MIGRATE_HEADING("Dry run: nothing was written." if dry_run else "Import finished."))
        for code in languages:
            counts = report.counts.get(code, {})
            write(
                f"  {code}: {counts.get('created', 0)} created, {counts.get('updated', 0)} updated, "
                f"{counts.get('unchanged', 0)} unchanged, {counts.get('failed', 0)} failed"
            )
        write(
            f"  {len(report.skipped)} folders skipped, {report.images} images and {report.documents} documents added, "
            f"{report.redirects} redirects added, {len(report.repairs)} files repaired, "
            f"{len(report.warnings)} warnings, {len(report.errors)} errors"
        )
        sections = [
            ("Skipped", [f"{folder}: {why}" for folder, why in report.skipped]),
            ("Booking", report.booking),
            ("Cover photos", report.covers),
            ("Repaired", report.repairs),
            ("Needs a human", [f"{where}: {why}" for where, why in report.needs_human]),
            ("Warnings", report.warnings if verbosity > 1 else report.warnings[:20]),
            ("Errors", report.errors),
        ]
        for title, lines in sections:
            if lines:
                write(self.style.MIGRATE_HEADING(f"{title}:"))
                for line in lines:
                    write(f"  - {line}")
        if verbosity <= 1 and len(report.warnings) > 20:
            write(f"  … and {len(report.warnings) - 20} more warnings (use -v 2 to see them all)")
