#!/usr/bin/env python
"""Search latency benchmark (not a test): fills the search index with PAGES entries per language (3 000 by
default) of realistic kk/ru/en text, then times 300 searches and prints p50/p95/max. Target: p95 < 100 ms.

It fills the index the way publishing does (search.indexing), from generated texts rather than generated pages:
what is measured is the query, not page creation (for that, see scripts/bench_import_grav.py).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_search .venv/bin/python scripts/bench_search.py [PAGES]
"""

import random
import statistics
import sys
import time

from _django import setup  # noqa: E402 - scripts/ is on the path when a script runs

WORK = setup("bench-search-")

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from search.indexing import joined_stems, update_vector  # noqa: E402
from search.models import SearchEntry  # noqa: E402
from search.query import search  # noqa: E402

WORDS = {
    "kk": "қан ауруы дәрігер дәрігерлер науқас науқастар емдеу орталық филиал гематология зертхана талдау "
    "диагностика стационар төсек кеңес пациент мектеп жаңалық сапа стандарт қауіпсіздік жабдық трансплантация "
    "лейкоз анемия гемофилия химиотерапия донор көмек".split(),
    "ru": "кровь болезнь врач врачи пациент пациенты лечение центр филиал гематология лаборатория анализ "
    "диагностика стационар койка консультация школа новость качество стандарт безопасность оборудование "
    "трансплантация лейкоз лейкоза анемия гемофилия химиотерапия донор помощь".split(),
    "en": "blood disease doctor doctors patient patients treatment center branch hematology laboratory test "
    "diagnostics hospital bed consultation school news quality standard safety equipment transplantation "
    "leukemia anemia hemophilia chemotherapy donor care".split(),
}
QUERIES = {
    "kk": ["дәрігерлерге", "лейкоз", "қан аурулары", "науқастарға көмек", "гемофилия емдеу", "трансплантация"],
    "ru": ["лейкозом", "врачей", "болезни крови", "химиотерапия пациентов", "донор", "трансплантации"],
    "en": ["leukemias", "doctors", "blood disease", "patient care", "donor", "transplantation center"],
}


def fill(pages: int) -> None:
    rng = random.Random(42)
    SearchEntry.objects.all().delete()
    for language, words in WORDS.items():
        entries = []
        for n in range(pages):
            title = " ".join(rng.choices(words, k=5)).capitalize()
            text = ". ".join(" ".join(rng.choices(words, k=12)) for _ in range(20))
            entries.append(
                SearchEntry(
                    language=language,
                    kind="news",
                    title=f"{title} {n}",
                    text=text,
                    title_stems=joined_stems(title, language),
                    text_stems=joined_stems(text, language),
                )
            )
        with transaction.atomic():
            for entry in SearchEntry.objects.bulk_create(entries, batch_size=500):
                update_vector(entry)


def main():
    pages = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    print(f"Database: {connection.vendor}")
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    fill(pages)
    print(f"Indexed {pages} entries per language in {time.perf_counter() - started:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_searchentry")
    timings = []
    for _round in range(17):
        for language, queries in QUERIES.items():
            for query in queries:
                started = time.perf_counter()
                results = search(query, language)[:10]
                timings.append((time.perf_counter() - started) * 1000)
                assert results, (language, query)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95)]
    p50, slowest = statistics.median(timings), timings[-1]
    print(f"{len(timings)} searches: p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {slowest:.1f} ms")
    print(f"Target p95 < 100 ms → {'met' if p95 < 100 else 'NOT met'}")


if __name__ == "__main__":
    main()
