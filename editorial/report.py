"""Translation coverage: for every page and every language, whether the page is translated and up to date.

A constant number of queries (pages, translation sources, locales, the texts' translation counts), whatever the size
of the site.

Statuses, per page group (a page and its translations, which share a translation key) and language:
- source: the page is written in this language (the others are translated from it);
- up_to_date: the translation is live and holds the source's current text;
- needs_review: as up_to_date, but some texts are still machine stand-ins ("[ru] …") or untranslated, so the page
  shows them in the original language;
- outdated: the source was published again after it was last synced, or synced after the translation was last
  published: the translation does not show the source's current text;
- draft: the translation exists but is not published;
- missing: there is no page in this language.
Pages whose source is not live are left out: there is nothing to translate yet.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page
from wagtail_localize.models import TranslationSource

from .review import TranslationGaps

SOURCE, UP_TO_DATE, OUTDATED, DRAFT, MISSING = "source", "up_to_date", "outdated", "draft", "missing"
NEEDS_REVIEW = "needs_review"
STATUS_LABELS = {
    SOURCE: _("Original"),
    UP_TO_DATE: _("Up to date"),
    NEEDS_REVIEW: _("Needs review"),
    OUTDATED: _("Outdated"),
    DRAFT: _("Draft"),
    MISSING: _("Missing"),
}
FIX_LABELS = {
    SOURCE: _("Edit"),
    UP_TO_DATE: _("Edit"),
    NEEDS_REVIEW: _("Review translation"),
    OUTDATED: _("Update translation"),
    DRAFT: _("Translate and publish"),
    MISSING: _("Translate"),
}


@dataclass
class Row:
    title: str
    page_type: str
    language: str
    status: str
    page_id: int | None
    source_page_id: int
    source_language: str
    fix_url: str
    path: str

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def fix_label(self) -> str:
        return str(FIX_LABELS[self.status])


def _after(moment, reference) -> bool:
    return moment is not None and reference is not None and moment > reference


def _edit_url(page_id: int) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page_id])


def translation_rows() -> list[Row]:
    locales = {locale.pk: locale.language_code for locale in Locale.objects.all()}
    pages_by_key: dict = defaultdict(dict)
    for page in Page.objects.filter(depth__gt=1).values(
        "id", "translation_key", "locale_id", "live", "last_published_at", "title", "content_type_id", "path",
        "alias_of_id",
    ):  # fmt: skip
        pages_by_key[page["translation_key"]][page["locale_id"]] = page
    sources = defaultdict(list)
    for source in TranslationSource.objects.order_by("pk").values("id", "object_id", "locale_id", "last_updated_at"):
        sources[source["object_id"]].append(source)
    gaps = TranslationGaps()

    rows = []
    for key, pages in pages_by_key.items():
        key_sources = [s for s in sources.get(key, []) if s["locale_id"] in pages]
        source = key_sources[0] if key_sources else None
        source_locale = source["locale_id"] if source else min(pages.values(), key=lambda p: p["id"])["locale_id"]
        source_page = pages[source_locale]
        if not source_page["live"]:
            continue
        page_type = ContentType.objects.get_for_id(source_page["content_type_id"]).model_class()
        type_name = str(page_type._meta.verbose_name) if page_type else ""
        for locale_id, language in locales.items():
            page = pages.get(locale_id)
            if page is not None and page["alias_of_id"]:
                page = None  # an alias shows another language's text: not a translation
            if page is None:
                status = MISSING
                submit = reverse("wagtail_localize:submit_page_translation", args=[source_page["id"]])
                fix_url = f"{submit}?{urlencode({'select_locale': language})}"
            elif locale_id == source_locale:
                status, fix_url = SOURCE, _edit_url(page["id"])
            elif not page["live"]:
                status, fix_url = DRAFT, _edit_url(page["id"])
            elif source and _after(source_page["last_published_at"], source["last_updated_at"]):
                # The source changed since it was last synced: sync it, then the translation editor shows the news.
                status = OUTDATED
                fix_url = reverse("wagtail_localize:update_translations", args=[source["id"]])
            elif source and _after(source["last_updated_at"], page["last_published_at"]):
                # Synced, but the translation has not been published since.
                status, fix_url = OUTDATED, _edit_url(page["id"])
            elif source and gaps.get(source["id"], locale_id).needs_review:
                # Live with stand-ins or untranslated texts: the translation editor shows which.
                status, fix_url = NEEDS_REVIEW, _edit_url(page["id"])
            else:
                status, fix_url = UP_TO_DATE, _edit_url(page["id"])
            shown = page or source_page
            rows.append(
                Row(
                    title=shown["title"],
                    page_type=type_name,
                    language=language,
                    status=status,
                    page_id=page["id"] if page else None,
                    source_page_id=source_page["id"],
                    source_language=locales[source_locale],
                    fix_url=fix_url,
                    path=source_page["path"],
                )
            )
    language_order = {code: i for i, (code, _name) in enumerate(settings.LANGUAGES)}
    rows.sort(key=lambda row: (language_order.get(row.language, len(language_order)), row.path))
    return rows


def summary(rows: list[Row]) -> list[dict]:
    """Per language: counts by status and the share of pages a visitor can read up to date in it."""
    counts = defaultdict(Counter)
    for row in rows:
        counts[row.language][row.status] += 1
    result = []
    for language, counter in counts.items():
        total = sum(counter.values())
        ready = counter[SOURCE] + counter[UP_TO_DATE]
        result.append(
            {
                "language": language,
                "total": total,
                "percent": round(100 * ready / total) if total else 100,
                **{status: counter[status] for status in STATUS_LABELS},
            }
        )
    return result
