#!/usr/bin/env python
"""Relevance check of the site search (not a test): about 30 queries over the demo content in kk, ru and en, each
with the page it must find among the first three results. Prints each query and precision@3 per language.

    .venv/bin/python scripts/search_relevance.py        # builds the demo in a temporary SQLite database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/relevance .venv/bin/python scripts/search_relevance.py
"""

from _django import setup  # noqa: E402 - scripts/ is on the path when a script runs

WORK = setup("search-relevance-")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from wagtail.models import Page  # noqa: E402

from search.query import search  # noqa: E402

NEWS = "/news/"
VISIT = "/news/2022-04-12-visit-chief-consulting-hematologist/"
MINISTER = "/news/minister-of-health-visited-hematology-senter-in-astana/"
UNICEF = "/news/dialogue-for-children-central-asia-unicef/"
CASES = {
    "kk": [
        ("қан аурулары", "/"),
        ("халықаралық стандарттарға", "/"),
        ("диагностикасы", "/"),
        ("ламинарлық ауа", "/"),
        ("Өскемен", "/about/ust-kamenogorsk/"),
        ("Қарағанды филиалы", "/about/karaganda/"),
        ("Астанадағы филиал", "/about/astana/"),
        ("төсектері", "/about/"),
        ("консультациялар", "/about/"),
        ("жаңалықтары", NEWS),
    ],
    "ru": [
        ("Кемайкин", VISIT),
        ("трансплантации", VISIT),
        ("главный внештатный гематолог", VISIT),
        ("ремиссия", VISIT),
        ("Усть-Каменогорск", "/about/ust-kamenogorsk/"),
        ("филиал в Караганде", "/about/karaganda/"),
        ("койки дневного стационара", "/about/"),
        ("безопасности персонала", "/"),
        ("гематологов", "/"),
        ("новости центра", NEWS),
    ],
    "en": [
        ("minister of health", MINISTER),
        ("UNICEF", UNICEF),
        ("transplantations", VISIT),
        ("Karaganda", "/about/karaganda/"),
        ("myeloid leukemia", MINISTER),
        ("pediatric cancer", UNICEF),
        ("dispensary register", "/about/"),
        ("Kemaykin", VISIT),
        ("proton therapy", UNICEF),
        ("diagnostics", "/"),
    ],
}


def main():
    print(f"Database: {connection.vendor}")
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    total_hits = total = 0
    for language, cases in CASES.items():
        hits = 0
        for query, expected in cases:
            entries = search(query, language)[:3]
            pages = Page.objects.in_bulk([entry.page_id for entry in entries if entry.page_id])
            paths = [pages[e.page_id].url.removeprefix(f"/{language}") if e.page_id in pages else "-" for e in entries]
            found = f"/{language}{expected}" in [f"/{language}{path}" for path in paths]
            hits += found
            print(f"  [{language}] {'ok  ' if found else 'MISS'} {query!r:40} → {paths}")
        print(f"{language}: precision@3 = {hits}/{len(cases)} = {hits / len(cases):.2f}")
        total_hits, total = total_hits + hits, total + len(cases)
    print(f"all: precision@3 = {total_hits}/{total} = {total_hits / total:.2f}")


if __name__ == "__main__":
    main()
