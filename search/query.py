"""Running a visitor's query against the search entries of one language."""

import html
import re
from collections.abc import Sequence

from django.db import connection
from django.db.models import Q
from django.utils.safestring import SafeString, mark_safe

from .models import SearchEntry
from .stemming import stem, words

MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 12
_TOKENS = re.compile(r"([^\W_]+)", re.UNICODE)


def clean_query(raw: str) -> str:
    """One line of printable text, at most MAX_QUERY_LENGTH characters; what cannot be searched is dropped."""
    printable = "".join(ch if ch.isprintable() else " " for ch in raw or "")
    return " ".join(printable.split())[:MAX_QUERY_LENGTH]


def query_stems(query: str, language: str) -> list[str]:
    seen = []
    for word in words(query)[:MAX_QUERY_WORDS]:
        stemmed = stem(word, language)
        if stemmed not in seen:
            seen.append(stemmed)
    return seen


def entries_for(language: str):
    return SearchEntry.objects.filter(Q(language=language) | Q(language=""))


class RankedEntries(Sequence):
    """The matching entries, best first, as (entry id, page id) pairs: ranking reads no text. An entry is read in
    full only when a slice of them is taken (the page of results shown: one query for the ten)."""

    def __init__(self, hits: list[tuple[int, int | None]]):
        self.hits = hits

    def __len__(self) -> int:
        return len(self.hits)

    def __getitem__(self, index):
        if isinstance(index, slice):
            ids = [entry_id for entry_id, _page_id in self.hits[index]]
            entries = SearchEntry.objects.in_bulk(ids)
            return [entries[entry_id] for entry_id in ids if entry_id in entries]
        return self[index : index + 1 or None][0]

    def __iter__(self):
        return iter(self[:])

    def without_pages(self, page_ids) -> "RankedEntries":
        return RankedEntries([hit for hit in self.hits if hit[1] not in page_ids])


def search(query: str, language: str) -> RankedEntries:
    """Entries of the language (and documents) holding every word of the query, best first; when none holds them
    all, those holding any of them."""
    stems = query_stems(query, language)
    if not stems:
        return RankedEntries([])
    if connection.vendor == "postgresql":
        return _search_postgresql(stems, language, " & ") or _search_postgresql(stems, language, " | ")
    return _search_simple(stems, language, require_all=True) or _search_simple(stems, language, require_all=False)


def _search_postgresql(stems: list[str], language: str, operator: str) -> RankedEntries:
    # Stems are letters and digits only (stemming.WORD), so quoting them makes a safe tsquery.
    tsquery = operator.join(f"'{s}'" for s in stems)
    ranked = (
        entries_for(language)
        .extra(
            select={"rank": "ts_rank(vector, to_tsquery('simple', %s))"},
            select_params=[tsquery],
            where=["vector @@ to_tsquery('simple', %s)"],
            params=[tsquery],
        )
        .order_by("-rank", "-date", "title")
        .values_list("pk", "page_id")[:500]
    )
    return RankedEntries(list(ranked))


def _search_simple(stems: list[str], language: str, require_all: bool) -> RankedEntries:
    condition = Q()
    for s in stems:
        found = Q(title_stems__contains=f" {s} ") | Q(text_stems__contains=f" {s} ")
        condition = condition & found if require_all else condition | found
    candidates = list(entries_for(language).filter(condition)[:2000])

    def score(entry: SearchEntry) -> float:
        return sum(3 * entry.title_stems.count(f" {s} ") + entry.text_stems.count(f" {s} ") for s in stems)

    ranked = sorted(candidates, key=lambda entry: (-score(entry), -(entry.date.timestamp() if entry.date else 0)))
    return RankedEntries([(entry.pk, entry.page_id) for entry in ranked])


def suggest(prefix: str, language: str, limit: int = 8) -> list[SearchEntry]:
    """Pages whose title has words starting with each word typed so far (the last one perhaps half typed)."""
    typed = words(prefix)[:MAX_QUERY_WORDS]
    if not typed or len(typed[-1]) < 2 and len(typed) == 1:
        return []
    condition = Q()
    for word in typed:
        condition &= Q(title_stems__contains=f" {stem(word, language)[: len(word)]}") | Q(title__icontains=word)
    return list(
        entries_for(language).exclude(kind=SearchEntry.Kind.DOCUMENT).filter(condition).order_by("title")[:limit]
    )


def highlight(text: str, stems: list[str], language: str, width: int = 260) -> SafeString:
    """A passage of `text` around the first matched word, matched words in <mark>, everything else escaped."""
    if not text:
        return mark_safe("")
    wanted = set(stems)
    parts = _TOKENS.split(text)
    first = next((i for i, part in enumerate(parts) if i % 2 and stem(part, language) in wanted), None)
    start_char = 0 if first is None else max(0, len("".join(parts[:first])) - width // 3)
    passage = text[start_char : start_char + width]
    if start_char > 0:
        passage = passage.split(" ", 1)[-1]
    out = []
    for i, part in enumerate(_TOKENS.split(passage)):
        escaped = html.escape(part)
        out.append(f"<mark>{escaped}</mark>" if i % 2 and stem(part, language) in wanted else escaped)
    prefix = "… " if start_char > 0 else ""
    suffix = " …" if start_char + width < len(text) else ""
    return mark_safe(prefix + "".join(out).strip() + suffix)  # noqa: S308 - every part is escaped above
