#!/usr/bin/env python
"""Page weight (not a test): HTML + CSS + JS of each page type before images, raw and gzipped, on the demo site.
Target: at most 60 KB per page. Builds the demo in a temporary SQLite database.

    .venv/bin/python scripts/page_weight.py
"""

import gzip
import re
from pathlib import Path

from _django import setup  # noqa: E402 - scripts/ is on the path when a script runs

WORK = setup("page-weight-")

from django.contrib.staticfiles import finders  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

PAGES = {
    "home": "/kk/",
    "news index": "/ru/news/",
    "article (gallery)": "/en/news/minister-of-health-visited-hematology-senter-in-astana/",
    "about": "/en/about/",
    "branch": "/kk/about/astana/",
    "search": "/ru/search/?q=гематолог",
}
LIMIT = 60 * 1024


def assets(html: str) -> list[bytes]:
    found = re.findall(r'<link rel="stylesheet" href="/static/([^"]+)"|<script src="/static/([^"]+)"', html)
    return [Path(finders.find(css or js)).read_bytes() for css, js in found]


def main():
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    client = Client(HTTP_HOST="localhost")
    print(f"{'page':22} {'HTML':>8} {'CSS+JS':>8} {'total':>8} {'gzipped':>8}")
    for name, url in PAGES.items():
        html = client.get(url).content
        files = assets(html.decode())
        raw = len(html) + sum(len(f) for f in files)
        packed = len(gzip.compress(html)) + sum(len(gzip.compress(f)) for f in files)
        status = "ok" if raw <= LIMIT else "OVER"
        print(f"{name:22} {len(html) / 1024:7.1f}K {sum(map(len, files)) / 1024:7.1f}K {raw / 1024:7.1f}K "
              f"{packed / 1024:7.1f}K  {status}")  # fmt: skip


if __name__ == "__main__":
    main()
