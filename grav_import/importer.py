"""Import a Grav site into the Wagtail page trees, one folder at a time, each in its own transaction.

A folder's language files become one page per language, linked as translations through wagtail-localize (the
default language is the source). Running it again updates what changed and leaves the rest untouched.
"""

import fnmatch
import posixpath
import re
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from pathlib import Path
from types import SimpleNamespace

from django.core.files import File
from django.core.files.images import ImageFile
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.text import slugify
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, ReferenceIndex, Revision, Site
from wagtail.rich_text import RichText
from wagtail.search import index as search_index
from wagtail.search.backends import get_search_backends
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.utils.file import hash_filelike
from wagtail_localize.models import MissingTranslationError, TranslationSource
from willow.image import Image as WillowImage
from willow.image import UnrecognisedImageFormatError

from about.models import AboutPage, BranchPage
from booking.models import BookingPage
from booking.pages import ensure_booking_page
from core.translation import StructureMismatch, create_translation
from home.models import HomePage
from news.models import NewsArticlePage, NewsIndexPage

from . import convert as converter
from .convert import _rich_to_text
from .home import pillars_from_html, split_home, without_tables
from .models import ImportedPage
from .reader import DOCUMENT_EXTENSIONS, GLOBAL_PARTS, IMAGE_EXTENSIONS, GravFolder, PageFile, parse_grav_date

PAGE_TYPES = {
    "home.HomePage": HomePage,
    "news.NewsIndexPage": NewsIndexPage,
    "news.NewsArticlePage": NewsArticlePage,
    "about.AboutPage": AboutPage,
    "about.BranchPage": BranchPage,
}
TEMPLATE_TYPES = {
    "blog": NewsIndexPage,
    "item": NewsArticlePage,
    "default": AboutPage,
    "section": AboutPage,
    "sections": AboutPage,
    "subsection": AboutPage,
}
# The old site's booking plugin: a page that includes its form (`{% include 'onlineorder_form.html.twig' %}`) and
# the result pages its templates draw after the bank's answer. They become the booking page (booking.BookingPage)
# and its routes, never content pages of their own.
BOOKING_FORM_INCLUDE = re.compile(r"\{%-?\s*include\s+['\"][^'\"]*onlineorder[^'\"]*['\"][^%]*?-?%\}", re.I)
BOOKING_RESULT_ROUTES = {"payment-success": "paid/", "payment-failed": "failed/"}
BOOKING_FORM = ""  # the booking page's own route: its first step
BOOKING_TEXT_FIELDS = (
    *("title", "seo_title", "search_description", "intro"),
    *("details_help", "summary_help", "payment_help", "success_text", "failure_text"),
)


@dataclass
class Report:
    counts: dict = field(default_factory=lambda: defaultdict(Counter))  # language → created/updated/unchanged/…
    images: int = 0
    documents: int = 0
    redirects: int = 0
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    needs_human: list[tuple[str, str]] = field(default_factory=list)  # (where, why)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (folder, why)
    repairs: list[str] = field(default_factory=list)
    booking: list[str] = field(default_factory=list)  # what became of the old booking plugin's folders
    covers: list[str] = field(default_factory=list)  # the news articles' cover images, and where each came from

    def flag(self, where: str, why: str) -> None:
        if (where, why) not in self.needs_human:
            self.needs_human.append((where, why))


@contextmanager
def deferred_indexing():
    """Index each imported page and file once, at the end, rather than on each of its saves (a page is saved three
    or four times while it is created, translated and published): the import runs about twice as fast."""
    from modelsearch.signal_handlers import post_save_signal_handler

    models = [model for model in search_index.get_indexed_models() if getattr(model, "search_auto_update", True)]
    for model in models:
        post_save.disconnect(post_save_signal_handler, sender=model)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        for model in models:
            post_save.connect(post_save_signal_handler, sender=model)


class FolderError(Exception):
    """A folder that cannot be imported; its transaction is rolled back and the import goes on."""


class Resolver:
    """Finds, and imports on first use, the media and pages a page body refers to."""

    def __init__(self, importer: "GravImporter", folder: GravFolder, language: str):
        self.importer, self.folder, self.language = importer, folder, language

    def _path(self, reference: str) -> Path | None:
        reference = reference.split("?")[0].split("#")[0].strip()
        if not reference or "://" in reference:
            return None
        if reference.startswith("/user/") and self.importer.site_root:
            path = self.importer.site_root / reference.lstrip("/")
        else:
            path = self.folder.path / reference
        path = path.resolve()
        return path if path.is_file() else None

    def image(self, src: str):
        path = self._path(src)
        return self.importer.media(path, self.folder) if path and path.suffix.lower() in IMAGE_EXTENSIONS else None

    def document(self, href: str):
        path = self._path(href)
        return self.importer.media(path, self.folder) if path and path.suffix.lower() in DOCUMENT_EXTENSIONS else None

    def page(self, href: str) -> int | None:
        return self.importer.page_for_link(href, self.folder, self.language)


class GravImporter:
    def __init__(self, pages_dir: Path, site_root: Path | None, config, *, dry_run=False, only=None, type_map=None):
        self.pages_dir, self.site_root, self.config = pages_dir, site_root, config
        self.dry_run = dry_run
        self.only = (only or "").strip("/")
        self.type_map = type_map or {}
        self.report = Report()
        self.locales = {locale.language_code: locale for locale in Locale.objects.all()}
        self.languages = [code for code in config.languages if code in self.locales]
        self.pages: dict[tuple[str, str], Page] = {}  # (folder rel, language) → page
        self.by_route: dict[str, GravFolder] = {}
        self.collections: dict[str, Collection] = {}
        self.relink: set[str] = set()
        self.touched: list = []
        self.translation_source = None  # pages and files created or changed, indexed once at the end
        self.booking_folders: list[tuple[GravFolder, str]] = []  # (folder, its booking route), redirected at the end
        self._booking: BookingPage | None = None

    # The run ---------------------------------------------------------------------------------------------------

    def run(self, tree: GravFolder, progress=None) -> Report:
        for code in self.config.languages:
            if code not in self.locales:
                self.report.warnings.append(f"the Grav site has the language “{code}”, which this site does not")
        folders = [folder for folder in tree.walk() if folder is not tree]
        for folder in folders:
            self.by_route[self.grav_route(folder)] = folder
        with deferred_indexing():
            self.import_folders(folders, progress)
        if not self.dry_run:
            self.make_redirects()
            self.index(self.touched)
        return self.report

    def index(self, objects) -> None:
        by_model = defaultdict(dict)
        for obj in objects:
            obj = obj.specific if isinstance(obj, Page) else obj
            by_model[type(obj)][obj.pk] = obj
        for model, items in by_model.items():
            indexed = [item.get_indexed_instance() for item in items.values()]
            for backend in get_search_backends(with_auto_update=True):
                backend.add_bulk(model, [item for item in indexed if item is not None])
            for item in items.values():
                ReferenceIndex.create_or_update_for_object(item)

    def import_folders(self, folders, progress) -> None:
        seen_content: dict[tuple, str] = {}
        for folder in progress(folders) if progress else folders:
            inside = folder.rel == self.only or folder.rel.startswith(self.only + "/")
            if self.only and not inside and not self.only.startswith(folder.rel + "/"):
                continue  # outside --only (its ancestors are still imported, to hold it)
            duplicate_key = (folder.parent.rel if folder.parent else "", folder.name, folder.fingerprint())
            if folder.files and duplicate_key in seen_content:
                self.report.skipped.append((folder.rel, f"duplicate of {seen_content[duplicate_key]}"))
                self.report.flag(folder.rel, f"identical to {seen_content[duplicate_key]}: imported once")
                continue
            seen_content[duplicate_key] = folder.rel
            self.import_folder(folder)
        for rel in sorted(self.relink):
            # Links to pages that were created after the page that links to them.
            self.import_folder(next(f for f in folders if f.rel == rel), force=True)

    def import_folder(self, folder: GravFolder, force: bool = False) -> None:
        if not force:
            self.report.warnings.extend(f"{folder.rel}/{warning}" for warning in folder.warnings)
        route = self.booking_route(folder)
        if route is not None and not force:
            self.booking_folders.append((folder, route))
        if route is not None and route != BOOKING_FORM:
            # A result page: no page, only redirects to the booking page's route (make_booking_redirects).
            if self.dry_run:
                self.report.booking.append(
                    f"{folder.rel}: no page; its old addresses would redirect to the booking page's {route} route"
                )
            return
        model, reason = (BookingPage, "") if route == BOOKING_FORM else self.page_type(folder)
        if model is None:
            self.report.skipped.append((folder.rel, reason))
            return
        if not force:  # the relinking pass imports a folder a second time: report its files once
            for file in folder.files.values():
                self.report.repairs.extend(f"{file.path}: {note}" for note in file.notes)
                self.report.warnings.extend(f"{folder.rel}/{warning}" for warning in file.warnings)
        touched_before, pages_before = len(self.touched), dict(self.pages)
        try:
            if self.dry_run:
                self._plan_folder(folder, model)
            else:
                with transaction.atomic():
                    if model is BookingPage:
                        self._import_booking_form(folder, force)
                    else:
                        self._import_folder(folder, model, force)
        except Exception as error:  # noqa: BLE001 - one bad page must not stop the import of the others
            # The folder's transaction is rolled back: forget what it created.
            del self.touched[touched_before:]
            self.pages = pages_before
            self._booking = None
            message = str(error) if isinstance(error, FolderError) else f"{error.__class__.__name__}: {error}"
            self.report.errors.append(message if isinstance(error, FolderError) else f"{folder.rel}: {message}")

    # Decisions -------------------------------------------------------------------------------------------------

    def page_type(self, folder: GravFolder):
        if folder.is_modular:
            return None, "modular part of its parent page, not a page"
        if folder.name.lower() in GLOBAL_PARTS:
            return None, "global part of the site (header, footer, sidebar…), not a page"
        if any(file.header.get("routable") is False for file in folder.files.values()):
            return None, "routable: false (no URL of its own)"
        parent = folder.parent
        while parent is not None:
            if self.booking_route(parent) is not None:
                return None, f"inside the old booking plugin's folder {parent.rel}: not a page"
            if self.page_type(parent)[0] is None:
                return None, f"its parent {parent.rel} is not imported"
            parent = parent.parent
        route = self.grav_route(folder)
        for pattern, type_name in self.type_map.items():
            if fnmatch.fnmatch(route, pattern.strip("/")) or fnmatch.fnmatch(folder.rel, pattern.strip("/")):
                if type_name == "skip":
                    return None, f"skipped by the map ({pattern})"
                return PAGE_TYPES[type_name], ""
        if folder.parent is None and folder.name.lower() == self.config.home_alias:
            return HomePage, ""
        if self.holds_only_booking_results(folder):
            return None, "holds only the booking's result pages, which become routes of the booking page: no page"
        if folder.files:
            model = TEMPLATE_TYPES.get(folder.template)
            return (model, "") if model else (None, f"template “{folder.template}” has no page type (use --map)")
        if folder.children:
            items = [child.template for child in folder.children if child.files]
            return (NewsIndexPage if items and set(items) == {"item"} else AboutPage), ""
        return None, "empty folder"

    def booking_route(self, folder: GravFolder) -> str | None:
        """The booking page's route that an old booking plugin folder becomes ("" for the page that includes its
        form, "paid/" or "failed/" for its result templates), or None for any other folder."""
        if folder.is_modular:
            return None
        for file in folder.files.values():
            for template in (file.template, str(file.header.get("template") or "")):
                route = BOOKING_RESULT_ROUTES.get(template.strip().lower().replace("_", "-"))
                if route is not None:
                    return route
        if any(BOOKING_FORM_INCLUDE.search(file.body) for file in folder.files.values()):
            return BOOKING_FORM
        return None

    def holds_only_booking_results(self, folder: GravFolder) -> bool:
        """A folder like `payment`: no text of its own, and only the booking's result pages below it."""
        if not folder.children or any(file.body.strip() for file in folder.files.values()):
            return False
        return all(
            self.booking_route(child) not in (None, BOOKING_FORM) or self.holds_only_booking_results(child)
            for child in folder.children
        )

    def grav_route(self, folder: GravFolder) -> str:
        parts, node = [], folder
        while node is not None:
            parts.append(node.slug(self.config.default_language))
            node = node.parent
        return "/".join(reversed(parts))

    def source_language(self, folder: GravFolder) -> str:
        languages = [code for code in self.languages if code in folder.files]
        if self.config.default_language in languages or not languages:
            return self.config.default_language
        return languages[0]

    # Pages -----------------------------------------------------------------------------------------------------

    def _import_folder(self, folder: GravFolder, model, force: bool) -> None:
        broken = {code: file for code, file in folder.files.items() if file.error}
        for code, file in broken.items():
            self.report.errors.append(file.error)
            self.report.counts[code]["failed"] += 1
        source_language = self.source_language(folder)
        if source_language in broken:
            # Its translations cannot be linked to a source that is not there: the whole folder waits for the fix.
            raise FolderError(f"{folder.rel}: not imported: its {source_language} file (the source) cannot be read")
        languages = [code for code in self.languages if code in folder.files and code not in broken]
        fingerprint = folder.fingerprint()
        source = self.upsert_source(folder, model, source_language, fingerprint, force)
        self.translation_source = None  # synced once with the source, shared by its translations
        for code in languages:
            if code != source_language:
                self.upsert_translation(folder, model, source, code, fingerprint, force)

    def record(self, folder: GravFolder, language: str) -> ImportedPage | None:
        return ImportedPage.objects.filter(folder=folder.rel, language=language).select_related("page").first()

    def remember(self, folder, language, page, fingerprint) -> None:
        self.touched.append(page)
        ImportedPage.objects.update_or_create(
            folder=folder.rel, language=language, defaults={"page": page, "fingerprint": fingerprint}
        )
        self.pages[(folder.rel, language)] = page

    def upsert_source(self, folder, model, language, fingerprint, force) -> Page:
        record = self.record(folder, language)
        existing = record.page.specific if record and record.page else None
        if model is HomePage:
            existing = existing or HomePage.objects.filter(locale=self.locales[language]).first()
        parent = None
        if existing is None and model is not HomePage:
            parent = self.parent_page(folder, language)
            existing = model.objects.child_of(parent).filter(slug=self.slug(folder, language)).first()
        if existing is not None and record and record.fingerprint == fingerprint and not force:
            self.pages[(folder.rel, language)] = existing
            self.report.counts[language]["unchanged"] += 1
            return existing
        page = existing or model(locale=self.locales[language])
        file = folder.files.get(language)
        self.fill(page, folder, file, language)
        if existing is None:
            if model is HomePage:
                parent = self.home_parent()
            page.live = False  # published below, if Grav publishes it
            parent.add_child(instance=page)
            self.report.counts[language]["created"] += 1
            if model is HomePage:
                self.make_site_root(page)
        else:
            self.report.counts[language]["updated"] += 1
        self.save(page, file)
        self.remember(folder, language, page, fingerprint)
        return page

    def upsert_translation(self, folder, model, source, language, fingerprint, force) -> Page:
        locale = self.locales[language]
        record = self.record(folder, language)
        existing = source.get_translation_or_none(locale)
        if existing is not None and record and record.fingerprint == fingerprint and not force:
            self.pages[(folder.rel, language)] = existing
            self.report.counts[language]["unchanged"] += 1
            return existing
        self.ensure_parent_translation(folder, language)
        file = folder.files[language]
        translated = model(locale=locale)
        self.fill(translated, folder, file, language)
        try:
            if self.translation_source is None:
                self.translation_source, _created = TranslationSource.update_or_create_from_instance(source)
            page = create_translation(
                source,
                locale,
                translated,
                publish=self.should_be_live(file),
                translation_source=self.translation_source,
            )
        except StructureMismatch as mismatch:
            page = existing.specific if existing else source.copy_for_translation(locale)
            self.fill(page, folder, file, language)
            self.save(page, file)
            self.report.flag(
                f"{folder.rel} [{language}]",
                f"{mismatch} It was imported as it is; edit it directly rather than in the translation editor.",
            )
        self.report.counts[language]["updated" if existing else "created"] += 1
        self.remember(folder, language, page, fingerprint)
        return page

    def ensure_parent_translation(self, folder: GravFolder, language: str) -> None:
        if folder.parent is not None:
            self.page_in(folder.parent, language)
        else:
            self.home(language)

    def page_in(self, folder: GravFolder, language: str) -> Page:
        """The folder's page in that language; created as a draft translation of its source when it is missing."""
        if (folder.rel, language) in self.pages:
            return self.pages[(folder.rel, language)]
        source_language = self.source_language(folder)
        source = self.pages.get((folder.rel, source_language))
        if source is None:
            record = self.record(folder, source_language)
            source = record.page.specific if record and record.page else None
        if source is None:
            raise FolderError(f"{folder.rel}: its parent {folder.rel} has not been imported")
        page = source.get_translation_or_none(self.locales[language])
        if page is None:
            self.ensure_parent_translation(folder, language)
            page = source.copy_for_translation(self.locales[language])
            self.report.counts[language]["created"] += 1
            self.report.flag(
                f"{folder.rel} [{language}]",
                f"created as an untranslated draft to hold its {language} sub-pages: translate and publish it",
            )
        self.pages[(folder.rel, language)] = page.specific
        return page.specific

    def home(self, language: str) -> HomePage:
        home = HomePage.objects.filter(locale=self.locales[language]).first()
        if home is not None:
            return home
        source = HomePage.objects.filter(locale=self.locales[self.config.default_language]).first()
        if source is None:
            raise FolderError(f"there is no home page yet: import the home folder ({self.config.home_alias}) first")
        home = source.copy_for_translation(self.locales[language])
        self.report.counts[language]["created"] += 1
        self.report.flag(f"home [{language}]", "home page created as an untranslated draft: translate and publish it")
        return home

    def parent_page(self, folder: GravFolder, language: str) -> Page:
        if folder.parent is None:
            return self.home(language)
        return self.page_in(folder.parent, language)

    def home_parent(self) -> Page:
        root = Page.get_first_root_node()
        # Wagtail's install creates a "Welcome to your new Wagtail site!" page; the clinic's home replaces it.
        for placeholder in Page.objects.child_of(root).filter(content_type__model="page", slug="home"):
            placeholder.delete()
        return root

    def make_site_root(self, home: Page) -> None:
        if home.locale.language_code != self.config.default_language:
            return
        site = Site.objects.filter(is_default_site=True).first() or Site(hostname="localhost", port=80)
        site.root_page, site.is_default_site = home, True
        site.save()

    def slug(self, folder: GravFolder, language: str) -> str:
        return slugify(folder.slug(language)) or slugify(folder.name) or "page"

    # The booking page ------------------------------------------------------------------------------------------

    def booking_page(self) -> BookingPage:
        """The booking page of the site's default language (booking.pages.ensure_booking_page), with its
        translations; made, with sample offer and consent pages, when the site has none yet."""
        if self._booking is None:
            home = HomePage.objects.filter(locale=Locale.get_default()).first()
            if home is None:
                raise FolderError(f"there is no home page yet: import the home folder ({self.config.home_alias}) first")
            existed = BookingPage.objects.child_of(home).exists()
            self._booking = ensure_booking_page(home)
            if not existed:
                self.report.flag(
                    "booking",
                    "the booking page was created with sample public offer and consent pages: choose the clinic's "
                    "documents on the booking page and replace the samples",
                )
        return self._booking

    def booking_in(self, language: str) -> BookingPage | None:
        booking = self.booking_page()
        if booking.locale.language_code == language:
            return booking
        page = booking.get_translation_or_none(self.locales[language])
        return page.specific if page is not None else None

    def _import_booking_form(self, folder: GravFolder, force: bool) -> None:
        """The old `onlineorder` page: its title (and any text around the form, as the intro) goes to the booking
        page of its language, unless an editor has already written that page's texts."""
        fingerprint = folder.fingerprint()
        booking = self.booking_page()
        languages = [code for code in self.languages if code in folder.files]
        # The booking page's own language first: its translations are built from it.
        languages.sort(key=lambda code: code != booking.locale.language_code)
        for code in languages:
            file, where = folder.files[code], f"{folder.rel} [{code}]"
            if file.error:
                self.report.errors.append(file.error)
                self.report.counts[code]["failed"] += 1
                continue
            page = self.booking_in(code)
            if page is None:
                self.report.flag(where, f"there is no {code} booking page (its home page is missing): not imported")
                continue
            url = page.get_url() or f"/{code}/{page.slug}/"
            record = self.record(folder, code)
            if record and record.page_id == page.pk and record.fingerprint == fingerprint and not force:
                self.pages[(folder.rel, code)] = page
                self.report.counts[code]["unchanged"] += 1
                self.report.booking.append(f"{where}: the booking page {url} (unchanged)")
                continue
            texts = self.booking_texts(folder, file, code)
            if Revision.objects.for_instance(page).filter(user__isnull=False).exists():
                changes = {}
                kept = ", ".join(f"{name} “{value}”" for name, value in texts.items() if getattr(page, name) != value)
                outcome = f"an editor's texts kept (Grav's {kept} not applied)" if kept else "texts as in Grav"
            else:
                changes = {name: value for name, value in texts.items() if getattr(page, name) != value}
                outcome = f"{' and '.join(changes)} from Grav" if changes else "texts as in Grav"
            if changes:
                page = self.set_booking_texts(page, changes, where)
                self.touched.append(page)
            self.report.counts[code]["updated" if changes else "unchanged"] += 1
            self.report.booking.append(f"{where}: the booking page {url} ({outcome})")
            self.remember(folder, code, page, fingerprint)
            if record and record.page_id not in (None, page.pk):
                self.report.flag(
                    where,
                    f"an earlier import made page #{record.page_id} of this folder, now replaced by the booking "
                    "page: delete it",
                )

    def booking_texts(self, folder: GravFolder, file: PageFile, language: str) -> dict[str, str]:
        """The title, and the intro from any text around the form's include (the include itself is dropped)."""
        texts = {}
        title = str(file.header.get("title") or "").strip()[:255]
        if title:
            texts["title"] = title
        converted = converter.convert(BOOKING_FORM_INCLUDE.sub("", file.body), Resolver(self, folder, language))
        where = f"{folder.rel} [{language}]"
        for reason in converted.needs_review:
            self.report.flag(where, reason)
        self.report.warnings.extend(f"{where}: {warning}" for warning in converted.warnings)
        parts = [converted.summary] if converted.summary else []
        for name, value in converted.blocks:
            if name == "paragraph":
                parts.append(_rich_to_text(_html(value)))
            elif name == "heading":
                parts.append(value["text"])
            else:
                self.report.flag(
                    where, f"the {name} beside the booking form was left out: the booking page has text only"
                )
        intro = "\n\n".join(part for part in parts if part)
        if intro:
            texts["intro"] = intro
        return texts

    def set_booking_texts(self, page: BookingPage, changes: dict[str, str], where: str) -> BookingPage:
        """The source page is saved and published; a translation is updated as a translator would
        (core.translation), so that the translation editor shows the same texts."""
        source = self.booking_page()
        if page.pk == source.pk:
            for name, value in changes.items():
                setattr(page, name, value)
            page.save_revision().publish()
            page.refresh_from_db()
            return page
        translated = BookingPage(locale=page.locale)
        for name in BOOKING_TEXT_FIELDS:
            setattr(translated, name, changes.get(name, getattr(page, name)))
        try:
            return create_translation(source, page.locale, translated).specific
        except (StructureMismatch, MissingTranslationError) as problem:
            for name, value in changes.items():
                setattr(page, name, value)
            page.save_revision().publish()
            page.refresh_from_db()
            self.report.flag(where, f"{problem} The texts were set on the page directly; check its translation.")
            return page

    # Content ---------------------------------------------------------------------------------------------------

    def fill(self, page: Page, folder: GravFolder, file: PageFile | None, language: str) -> None:
        header = file.header if file else {}
        where = f"{folder.rel} [{language}]"
        if file is None:
            self.report.flag(where, "no page file in Grav: the title comes from the folder name")
        elif not file.has_front_matter:
            self.report.flag(where, "no front matter: the title comes from the folder name; check title and date")
        page.title = str(header.get("title") or folder.name.replace("-", " ").capitalize()).strip()[:255]
        page.slug = self.slug(folder, language)
        page.show_in_menus = header.get("visible", True) is not False and isinstance(page, (NewsIndexPage, AboutPage))
        metadata = header.get("metadata") if isinstance(header.get("metadata"), dict) else {}
        description = metadata.get("description")
        page.search_description = str(description or page.search_description or "")
        body = file.body if file else ""
        resolver = Resolver(self, folder, language)
        if isinstance(page, HomePage):
            converted = converter.convert(without_tables(body), resolver)
            parts = split_home(converted.blocks)
            page.mission, page.vision, page.intro = parts["mission"], parts["vision"], parts["intro"]
            pillars = pillars_from_html(body)
            if pillars:
                page.pillars = [("pillar", pillar) for pillar in pillars]
        else:
            converted = converter.convert(body, resolver)
        for reason in converted.needs_review:
            self.report.flag(where, reason)
        vague = [
            alt for alt in _alt_texts(converted.blocks) if not alt or alt.isdigit() or alt.lower().endswith(".jpg")
        ]
        if vague:
            self.report.flag(where, f"{len(vague)} image(s) without a real description (alt text such as “{vague[0]}”)")
        self.report.warnings.extend(f"{where}: {warning}" for warning in converted.warnings)
        if converted.unresolved_links:
            self.relink.add(folder.rel)
        blocks = converted.blocks
        if isinstance(page, NewsArticlePage):
            date = parse_grav_date(header.get("date") or header.get("publish_date"), self.config.timezone)
            if date is None and file is not None:
                date = datetime.fromtimestamp(file.path.stat().st_mtime, tz=self.config.timezone).replace(microsecond=0)
                self.report.flag(where, "no date: the file's modification time was used")
            page.date = date or page.date
            page.summary = converted.summary
            page.body = blocks
            page.cover_image = self.cover_image(folder, file, page.title, where)
        elif isinstance(page, NewsIndexPage):
            lead = f"<p>{escape(converted.summary)}</p>" if converted.summary else ""
            page.intro = lead + "".join(_html(value) for name, value in blocks if name == "paragraph")
        elif isinstance(page, BranchPage):
            page.city = str(header.get("city") or page.city or page.title)[:100]
            page.mis_city_id = str(header.get("mis_city_id") or page.mis_city_id or "")[:16]
            page.address = str(header.get("address") or page.address or "")
            phones = header.get("phones") or header.get("phone") or page.phones
            page.phones = "\n".join(phones) if isinstance(phones, list) else str(phones or "")
            page.whatsapp = str(header.get("whatsapp") or page.whatsapp or "")[:30]
            hours = header.get("opening_hours") or header.get("hours") or page.opening_hours
            page.opening_hours = "\n".join(hours) if isinstance(hours, list) else str(hours or "")
            maps = [value for name, value in blocks if name == "map"]
            page.map_embed_url = str(header.get("map") or (maps[0]["url"] if maps else "") or page.map_embed_url)
            page.body = [(name, value) for name, value in blocks if name != "map" or not maps or value is not maps[0]]
        elif isinstance(page, AboutPage):
            page.intro = converted.summary
            page.body = blocks
            if page.pk is None:
                page.show_child_pages = any(child.files for child in folder.children)

    def cover_image(self, folder: GravFolder, file: PageFile | None, title: str, where: str):
        """The image Grav's theme showed as a news item's header, in the list and on the article: the one
        `header_image_file` names, else the folder's first image (in `media_order`, else in file-name order);
        none with `header_image: false`. Without a description, it gets the article's title as its alt text."""
        header = file.header if file else {}
        if header.get("header_image") is False:
            return None
        named = str(header.get("header_image_file") or "").strip()
        if named:
            path = folder.path / Path(named).name
            if not path.is_file() or path.suffix.lower() not in IMAGE_EXTENSIONS:
                self.report.warnings.append(
                    f"{where}: header_image_file {named} is not an image of the folder: no cover"
                )
                return None
            why = "named by header_image_file"
        else:
            images = grav_media_order([m for m in folder.media if m.suffix.lower() in IMAGE_EXTENSIONS], header)
            if not images:
                return None
            path, why = images[0], "the folder's first image, Grav's header image"
        image = self.media(path, folder)
        if image is None:
            return None  # a damaged file, reported by media()
        if not self.dry_run and not (image.description or "").strip():
            image.description = title[:255]
            image.save(update_fields=["description"])
        line = f"{where}: cover {path.name} ({why})"
        if line not in self.report.covers:  # the relinking pass fills a page twice
            self.report.covers.append(line)
        return None if self.dry_run else image

    def should_be_live(self, file: PageFile | None) -> bool:
        return file is None or file.header.get("published", True) is not False

    def save(self, page: Page, file: PageFile | None) -> None:
        """A revision, published when the Grav page is published (or scheduled, for a future publish_date).
        A folder without a page file is published too: it holds published pages (and is flagged for a human)."""
        header = file.header if file else {}
        publish_at = parse_grav_date(header.get("publish_date"), self.config.timezone)
        page.expire_at = parse_grav_date(header.get("unpublish_date"), self.config.timezone)
        page.go_live_at = publish_at if publish_at and publish_at > timezone.now() else None
        revision = page.save_revision(clean=False)
        if self.should_be_live(file):
            revision.publish()
            first = publish_at or parse_grav_date(header.get("date"), self.config.timezone)
            if first and first <= timezone.now():
                Page.objects.filter(pk=page.pk).update(first_published_at=first)

    # Links and media -------------------------------------------------------------------------------------------

    def page_for_link(self, href: str, folder: GravFolder, language: str) -> int | None:
        path = href.split("#")[0].split("?")[0].strip()
        if not path:
            return None
        parts = [part for part in path.split("/") if part]
        if parts and parts[0] in self.config.languages:
            language, parts = parts[0], parts[1:]
            target = "/".join(parts)
        elif path.startswith("/"):
            target = "/".join(parts)
        else:
            target = posixpath.normpath(posixpath.join(self.grav_route(folder) + "/", path)).strip("/.")
        if target in ("", self.config.home_alias):
            home = HomePage.objects.filter(locale=self.locales.get(language)).first()
            return home.pk if home else None
        linked = self.by_route.get(target) or self.by_route.get(target.rstrip("/"))
        if linked is None:
            return None
        for code in (language, self.source_language(linked)):
            page = self.pages.get((linked.rel, code))
            if page is None:
                record = self.record(linked, code)
                page = record.page if record else None
            if page is not None:
                return page.pk
        return None

    def collection(self, folder: GravFolder) -> Collection:
        top = folder
        while top.parent is not None:
            top = top.parent
        name = top.name.replace("-", " ").capitalize()
        if name not in self.collections:
            root = Collection.get_first_root_node()
            self.collections[name] = root.get_children().filter(name=name).first() or root.add_child(name=name)
        return self.collections[name]

    def media(self, path: Path, folder: GravFolder):
        """The Wagtail image or document for a file: one per distinct content, whichever folder it is in."""
        is_image = path.suffix.lower() in IMAGE_EXTENSIONS
        model = get_image_model() if is_image else get_document_model()
        problem = unreadable_image(path) if is_image else None
        if problem:
            self.report.warnings.append(
                f"{folder.rel}/{path.name}: not imported: {problem}; the page is imported without it"
            )
            return None
        if self.dry_run:
            return SimpleNamespace(id=0, pk=0, title=path.stem)
        with path.open("rb") as handle:
            digest = hash_filelike(handle)
        existing = model.objects.filter(file_hash=digest).first()
        if existing is not None:
            return existing
        with path.open("rb") as handle:
            item = model(title=path.stem.replace("-", " ").replace("_", " "), collection=self.collection(folder))
            item.file = (ImageFile if is_image else File)(handle, name=path.name)
            try:
                # A savepoint: a file that fails after its row is written (its renditions, made on save) leaves
                # neither a row that a later run would reuse nor a broken folder transaction.
                with transaction.atomic():
                    item.save()
            except Exception as error:  # noqa: BLE001 - a damaged file is reported, the page still imports
                if item.file.name:
                    item.file.storage.delete(item.file.name)
                self.report.warnings.append(
                    f"{folder.rel}/{path.name}: not imported: the file cannot be read ({error}); "
                    "the page is imported without it"
                )
                return None
        if not item.file_hash:
            item.get_file_hash()
        self.touched.append(item)
        if is_image:
            self.report.images += 1
        else:
            self.report.documents += 1
        return item

    # Redirects -------------------------------------------------------------------------------------------------

    def make_redirects(self) -> None:
        """A permanent redirect from every old URL (/<lang>/<grav route>) whose new URL differs."""
        targets = dict(self.pages)
        for home in HomePage.objects.filter(locale__language_code__in=self.languages).select_related("locale"):
            targets[("", home.locale.language_code)] = home
        folders = {folder.rel: folder for folder in self.by_route.values()}
        for (rel, language), page in targets.items():
            if isinstance(page, BookingPage):
                continue  # below, in every language
            if isinstance(page, HomePage):
                old_paths = [f"/{language}/{self.config.home_alias}"]
            elif rel in folders:
                old_paths = [f"/{language}/{self.grav_route(folders[rel])}"]
            else:
                continue
            page = Page.objects.filter(pk=page.pk).first()
            if page is None:  # its folder failed and was rolled back
                continue
            new_path = Redirect.normalise_path(page.get_url() or "")
            for old in old_paths:
                old = Redirect.normalise_path(old.lower())
                if old and old != new_path:
                    _redirect, created = Redirect.objects.update_or_create(
                        old_path=old, site=None, defaults={"redirect_page": page, "is_permanent": True}
                    )
                    self.report.redirects += int(created)
        self.make_alias_redirects(folders)
        self.make_pagination_redirects(folders)
        self.make_booking_redirects()

    def make_alias_redirects(self, folders: dict[str, GravFolder]) -> None:
        """Grav's `routes: aliases:` of a page file: site-wide addresses of the page. An alias without a language
        prefix redirects, with and without the prefix of the file's language, to the page in that language; when
        several language files claim the same bare alias, the default language's file (or the first) keeps it."""
        bare_claimed: set[str] = set()
        order = sorted(self.pages.items(), key=lambda item: (item[0][1] != self.config.default_language, item[0]))
        for (rel, language), page in order:
            folder = folders.get(rel)
            file = folder.files.get(language) if folder is not None else None
            if file is None or isinstance(page, BookingPage):
                continue
            routes = file.header.get("routes")
            aliases = routes.get("aliases") if isinstance(routes, dict) else None
            if isinstance(aliases, str):
                aliases = [aliases]
            if not isinstance(aliases, list):
                continue
            page = Page.objects.filter(pk=page.pk).first()
            if page is None:
                continue
            new_path = Redirect.normalise_path(page.get_url() or "")
            for alias in aliases:
                alias = Redirect.normalise_path("/" + str(alias).strip().strip("/").lower())
                if alias == "/":
                    continue
                first = alias.split("/")[1]
                if first in self.languages:
                    old_paths = [alias]
                else:
                    old_paths = [f"/{language}{alias}"]
                    if alias not in bare_claimed:
                        bare_claimed.add(alias)
                        old_paths.append(alias)
                for old in old_paths:
                    if old == new_path:
                        continue
                    _redirect, created = Redirect.objects.update_or_create(
                        old_path=old, site=None, defaults={"redirect_page": page, "is_permanent": True}
                    )
                    self.report.redirects += int(created)

    def make_pagination_redirects(self, folders: dict[str, GravFolder]) -> None:
        """Grav's news pagination (`/xx/news/page:2`): a permanent redirect for each old page that exists at import
        time, to the news index's page holding the same first article (`?page=N`; Grav's page size is the folder's
        `content: limit:`, 10 if unset). A query string cannot be a page route, so these point at the index's URL
        as it is now."""
        for (rel, language), page in self.pages.items():
            folder = folders.get(rel)
            if folder is None or not isinstance(page, NewsIndexPage):
                continue
            page = NewsIndexPage.objects.filter(pk=page.pk).first()
            if page is None or not page.get_url():
                continue
            file = folder.files.get(language) or folder.files.get(self.source_language(folder))
            content = file.header.get("content") if file is not None else None
            limit = content.get("limit") if isinstance(content, dict) else None
            limit = limit if isinstance(limit, int) and limit > 0 else 10
            old_pages = max(1, -(-page.articles().count() // limit))
            base = f"/{language}/{self.grav_route(folder)}"
            for number in range(1, old_pages + 1):
                new_number = (number - 1) * limit // page.per_page + 1
                link = page.get_url() + (f"?page={new_number}" if new_number > 1 else "")
                old = Redirect.normalise_path(f"{base}/page:{number}".lower())
                _redirect, created = Redirect.objects.update_or_create(
                    old_path=old,
                    site=None,
                    defaults={"redirect_link": link, "redirect_page": None, "is_permanent": True},
                )
                self.report.redirects += int(created)

    def make_booking_redirects(self) -> None:
        """The old booking plugin's addresses, in every language of the site (its links and the bank's return
        addresses carried the patient's language): /xx/onlineorder to the booking page, /xx/payment/success and
        /xx/payment/failed to its "paid/" and "failed/" routes."""
        if not self.booking_folders:
            return
        try:
            with transaction.atomic():
                self.booking_page()
        except Exception as error:  # noqa: BLE001 - reported like a folder's failure
            self.report.errors.append(f"booking page: {error.__class__.__name__}: {error}")
            return
        for folder, route in self.booking_folders:
            for language in self.languages:
                page = self.booking_in(language)
                if page is None:
                    continue
                old = Redirect.normalise_path(f"/{language}/{self.grav_route(folder)}".lower())
                target = Redirect.normalise_page_route_path(route)
                if old == Redirect.normalise_path((page.get_url() or "") + target):
                    continue  # the old address is the new one (a Grav folder called "booking")
                _redirect, created = Redirect.objects.update_or_create(
                    old_path=old,
                    site=None,
                    defaults={"redirect_page": page, "redirect_page_route_path": target, "is_permanent": True},
                )
                self.report.redirects += int(created)
                if route != BOOKING_FORM:
                    new = (page.get_url() or "").rstrip("/") + target
                    self.report.booking.append(f"{folder.rel} [{language}]: no page; {old} redirects to {new}")

    # Dry run ---------------------------------------------------------------------------------------------------

    def _plan_folder(self, folder: GravFolder, model) -> None:
        fingerprint = folder.fingerprint()
        if model is BookingPage:
            for code in (code for code in self.languages if code in folder.files):
                record = self.record(folder, code)
                unchanged = record is not None and record.fingerprint == fingerprint
                self.report.counts[code]["unchanged" if unchanged else "updated"] += 1
                self.report.booking.append(f"{folder.rel} [{code}]: would become the booking page")
            return
        for code, file in folder.files.items():
            if file.error:
                self.report.errors.append(file.error)
                continue
            if code not in self.locales:
                continue
            page = model(locale=self.locales[code])
            self.fill(page, folder, file, code)
            record = self.record(folder, code)
            if record is None:
                self.report.counts[code]["created"] += 1
            elif record.fingerprint == fingerprint:
                self.report.counts[code]["unchanged"] += 1
            else:
                self.report.counts[code]["updated"] += 1


def _natural_key(path: Path) -> list:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", path.name.lower())]


def grav_media_order(images: list[Path], header: dict) -> list[Path]:
    """A folder's images in Grav's order: those `media_order` lists first, in its order, then the others by name
    (natural, case-insensitive: 2.jpg before 10.jpg)."""
    order = header.get("media_order") or []
    names = [str(name).strip() for name in (order.split(",") if isinstance(order, str) else order)]
    by_name = {image.name: image for image in images}
    listed = [by_name[name] for name in names if name in by_name]
    return [*dict.fromkeys(listed), *sorted((i for i in images if i not in listed), key=_natural_key)]


def unreadable_image(path: Path) -> str | None:
    """Why a file named as a picture is not one Wagtail can show (e.g. an HTML error page saved as .jpg), or None."""
    try:
        with path.open("rb") as handle:
            image = WillowImage.open(handle)
            if image.format_name == "svg":
                return "not an image (it holds text or SVG, not a picture)"
            image.get_size()
    except UnrecognisedImageFormatError:
        return "not an image"
    except (OSError, ValueError) as error:
        return f"a damaged image ({error})"
    return None


def _alt_texts(blocks) -> list[str]:
    alts = []
    for name, value in blocks:
        if name == "image":
            alts.append(value["alt_text"])
        elif name == "gallery":
            alts.extend(item["alt_text"] for item in value["images"])
    return alts


def _html(value) -> str:
    return value.source if isinstance(value, RichText) else str(value)
