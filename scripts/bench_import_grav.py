#!/usr/bin/env python
"""Benchmark of `import_grav` (not a test): generates a synthetic Grav site of FOLDERS news folders in kk, ru and en,
each with paragraphs, a heading, a photo and a PDF, imports it into a fresh database and prints the time, the SQL
queries per page and the peak memory. Target: under 60 s for 500 folders on the development machine.

    .venv/bin/python scripts/bench_import_grav.py [FOLDERS]         # SQLite in a temporary file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python scripts/bench_import_grav.py
"""

import os
import resource
import sys
import time
from pathlib import Path

from _django import setup  # noqa: E402 - scripts/ is on the path when a script runs

WORK = setup("bench-grav-")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from PIL import Image  # noqa: E402

TEXT = {
    "kk": ("Жаңалық", "Гематология орталығында жаңа зертхана ашылды. Пациенттер үшін диагностика жеделдеді."),
    "ru": ("Новость", "В Центре гематологии открылась новая лаборатория. Диагностика для пациентов ускорилась."),
    "en": ("News", "A new laboratory opened at the Hematology Center. Diagnostics for patients became faster."),
}


def generate(folders: int) -> Path:
    site = WORK / "grav"
    pages = site / "user" / "pages"
    (site / "user" / "config").mkdir(parents=True)
    (site / "user" / "config" / "system.yaml").write_text(
        "timezone: Asia/Almaty\nlanguages:\n  supported: [kk, ru, en]\n  default_lang: kk\n", encoding="utf-8"
    )
    (pages / "01.home").mkdir(parents=True)
    (pages / "01.home" / "default.kk.md").write_text("---\ntitle: Басты бет\n---\n\n# МИССИЯ\n> Миссия\n")
    news = pages / "02.news"
    news.mkdir()
    for code, (title, _text) in TEXT.items():
        (news / f"blog.{code}.md").write_text(f"---\ntitle: {title}\n---\n\n{title}.\n", encoding="utf-8")
    for n in range(folders):
        folder = news / f"{n:04d}.item-{n}"
        folder.mkdir()
        # Every tenth photo is shared with the previous folder's, as on the real site (deduplicated on import).
        Image.new("RGB", (320, 200), ((n // 10 * 10) * 7 % 256, n % 256, 120)).save(folder / "photo.jpg", quality=70)
        (folder / "report.pdf").write_bytes(b"%PDF-1.4\n% report " + str(n).encode() + b"\n%%EOF\n")
        day = n % 28 + 1
        for code, (title, text) in TEXT.items():
            body = (
                f"{text}\n\n===\n\n## {title} {n}\n\n{text} {text}\n\n![{title}](photo.jpg)\n\n"
                f"- {text}\n- {text}\n\n[PDF](report.pdf)\n"
            )
            header = f"---\ntitle: '{title} {n}'\ndate: '{day:02d}-03-2024 10:00'\n---\n\n"
            (folder / f"item.{code}.md").write_text(header + body, encoding="utf-8")
    return site


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def main():
    folders = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    print(f"Database: {connection.vendor} ({os.environ['DATABASE_URL'].split('@')[-1]})")
    call_command("migrate", verbosity=0)
    site = generate(folders)
    counter = QueryCounter()
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        call_command("import_grav", str(site), verbosity=0)
    elapsed = time.perf_counter() - started
    from wagtail.models import Page

    pages = Page.objects.filter(depth__gt=1).count()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Folders: {folders} × 3 languages → {pages} pages")
    print(f"Import time: {elapsed:.1f} s ({elapsed / pages * 1000:.0f} ms per page)")
    print(f"SQL queries: {counter.count} ({counter.count / pages:.0f} per page)")
    print(f"Peak memory (RSS): {peak_mb:.0f} MB")
    started = time.perf_counter()
    call_command("import_grav", str(site), verbosity=0)
    print(f"Second run (nothing changed): {time.perf_counter() - started:.1f} s")
    print(f"Target: import under 60 s → {'met' if elapsed < 60 else 'NOT met'}")


if __name__ == "__main__":
    main()
