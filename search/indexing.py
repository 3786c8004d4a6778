"""Keeping the site search's entries in step with the pages and documents."""

import re

from django.db import connection
from django.utils.html import strip_tags as strip_all_tags
from wagtail.models import Page

from .models import SearchEntry
from .stemming import stems

_BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|td|th|tr|blockquote)>|<br\s*/?>", re.I)


def strip_tags(html: str) -> str:
    """Plain text, with the end of each paragraph, list item or cell kept as a line break."""
    return strip_all_tags(_BLOCK_END.sub("\n", html))


def joined_stems(text: str, language: str) -> str:
    return f" {' '.join(stems(text, language))} "


def page_text(page) -> str:
    """Everything a visitor reads on the page, as plain text (title apart)."""
    from about.models import BranchPage

    parts = [page.search_description]
    for name in ("summary", "intro", "mission", "vision", "city", "address", "opening_hours", "services"):
        value = getattr(page, name, "")
        parts.append(strip_tags(str(value)) if value else "")
    for name in ("body", "pillars", "key_figures"):
        stream = getattr(page, name, None)
        if stream is not None:
            parts.extend(strip_tags(str(text)) for text in stream.stream_block.get_searchable_content(stream))
    if isinstance(page, BranchPage):
        parts.append(page.phones)
    return "\n".join(part for part in parts if part)


def kind_of(page) -> str:
    from about.models import BranchPage
    from news.models import NewsArticlePage

    if isinstance(page, NewsArticlePage):
        return SearchEntry.Kind.NEWS
    if isinstance(page, BranchPage):
        return SearchEntry.Kind.BRANCH
    return SearchEntry.Kind.PAGE


def index_page(page: Page) -> None:
    page = page.specific
    if not page.live or page.get_view_restrictions().exists() or page.depth < 2:
        remove_page(page)
        return
    language = page.locale.language_code
    text = page_text(page)
    entry, _created = SearchEntry.objects.update_or_create(
        page_id=page.pk,
        defaults={
            "language": language,
            "kind": kind_of(page),
            "title": page.title,
            "text": text,
            "date": getattr(page, "date", None),
            "title_stems": joined_stems(page.title, language),
            "text_stems": joined_stems(text, language),
        },
    )
    update_vector(entry)


def remove_page(page: Page) -> None:
    SearchEntry.objects.filter(page_id=page.pk).delete()


def index_document(document) -> None:
    title = document.title
    entry, _created = SearchEntry.objects.update_or_create(
        document_id=document.pk,
        defaults={
            "language": "",
            "kind": SearchEntry.Kind.DOCUMENT,
            "title": title,
            "text": "",
            # A document has no language: its title is stemmed the three ways, so each language's forms find it.
            "title_stems": " ".join(joined_stems(title, code) for code in ("kk", "ru", "en")),
        },
    )
    update_vector(entry)


def update_vector(entry: SearchEntry) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE search_searchentry SET vector = setweight(to_tsvector('simple', title_stems), 'A') || "
                "setweight(to_tsvector('simple', text_stems), 'B') WHERE id = %s",
                [entry.pk],
            )


def rebuild() -> int:
    from wagtail.documents import get_document_model

    SearchEntry.objects.all().delete()
    count = 0
    for page in Page.objects.live().public().filter(depth__gt=1).specific().iterator():
        index_page(page)
        count += 1
    for document in get_document_model().objects.all().iterator():
        index_document(document)
        count += 1
    return count
