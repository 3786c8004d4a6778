"""Every interface string exists in kk, ru and en, and the committed .mo files match the .po files."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

from tests.helpers import page_text

pytestmark = pytest.mark.django_db

CATALOGS = {code: Path(settings.LOCALE_PATHS[0]) / code / "LC_MESSAGES" / "django.po" for code in ("kk", "ru", "en")}


@pytest.mark.parametrize("code", ["kk", "ru"])
def test_every_string_is_translated(code):
    po = polib.pofile(str(CATALOGS[code]))
    assert [entry.msgid for entry in po.untranslated_entries()] == []
    assert [entry.msgid for entry in po.fuzzy_entries()] == []


def test_all_three_catalogs_hold_the_same_strings():
    ids = {code: {(e.msgctxt, e.msgid) for e in polib.pofile(str(path))} for code, path in CATALOGS.items()}
    assert ids["kk"] == ids["ru"] == ids["en"]


@pytest.mark.parametrize("code", ["kk", "ru", "en"])
def test_compiled_catalog_matches_its_source(code):
    po_path = CATALOGS[code]
    compiled = polib.mofile(str(po_path.with_suffix(".mo")))
    expected = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0)
        for e in polib.pofile(str(po_path)).translated_entries()
    }
    actual = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0) for e in compiled if e.msgid}
    assert actual == expected, "Run: .venv/bin/python manage.py compile_messages_portable"


@pytest.mark.parametrize(("url", "code"), [("/kk/", "kk"), ("/ru/", "ru"), ("/en/", "en")])
def test_the_interface_speaks_the_page_language(client, url, code):
    text = page_text(client.get(url))
    with translation.override(code):
        for source in ["Our branches", "Skip to content", "Mission", "Vision", "About the center"]:
            assert translation.gettext(source) in text
        if code != "en":
            assert translation.gettext("Our branches") != "Our branches"
