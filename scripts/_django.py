"""Shared start of the scripts: Django with development settings (DEBUG off, as in production), on a database of
their own (a temporary SQLite file unless DATABASE_URL says otherwise) and a temporary media folder."""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def setup(prefix: str) -> Path:
    work = Path(tempfile.mkdtemp(prefix=prefix))
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{work / 'db.sqlite3'}")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    os.environ["DJANGO_DEBUG"] = "false"  # as in production: no SQL logging, no debug pages
    os.environ["MEDIA_ROOT"] = str(work / "media")
    import django

    django.setup()
    return work
