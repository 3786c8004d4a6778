"""`manage.py import_grav` and the old site's booking plugin: the `onlineorder` page (a Twig include of the plugin's
form) becomes the booking page; `payment/success` and `payment/failed` become no pages, only redirects to the booking
page's result routes. Input: the folders of shared/grav-constructs (copied), plus files written here."""

import shutil
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from about.models import AboutPage
from booking.models import BookingPage
from grav_import.models import ImportedPage
from tests.helpers import html_lang, page_text
from tests.test_import_grav import SYSTEM_YAML, run, snapshot

pytestmark = pytest.mark.django_db

CONSTRUCTS = Path(__file__).resolve().parents[2] / "shared/grav-constructs/user/pages"
FORM = "{% include 'onlineorder_form.html.twig' %}"
ONLINEORDER_KK = f"""---
title: 'Онлайн жазылу'
process:
    twig: true
---

Консультацияға жазылу және оны төлеу бір бетте.

{FORM}

Сұрақтар болса, қоңырау шалыңыз.
"""
ONLINEORDER_EN = f"---\ntitle: 'Online booking'\n---\n\n{FORM}\n"


def constructs_tree(root: Path, *, with_kk_and_en: bool = True) -> Path:
    """The `onlineorder` and `payment` folders of the constructs (Russian only), with Kazakh and English files for the
    booking form when asked."""
    pages = root / "user" / "pages"
    (root / "user" / "config").mkdir(parents=True)
    (root / "user" / "config" / "system.yaml").write_text(SYSTEM_YAML, encoding="utf-8")
    if CONSTRUCTS.is_dir():
        for name in ("onlineorder", "payment"):
            shutil.copytree(CONSTRUCTS / name, pages / name)
    else:  # the same files, when shared/ is not beside the project
        for path, title, template in [
            ("payment/success", "Оплата прошла успешно", "payment-success"),
            ("payment/failed", "Оплата не завершена", "payment-failed"),
        ]:
            (pages / path).mkdir(parents=True)
            (pages / path / "default.ru.md").write_text(f"---\ntitle: '{title}'\ntemplate: {template}\n---\n")
        (pages / "onlineorder").mkdir(parents=True)
        (pages / "onlineorder" / "default.ru.md").write_text(
            f"---\ntitle: 'Онлайн-запись'\nprocess:\n    markdown: true\n    twig: true\n---\n\n{FORM}\n"
        )
    if with_kk_and_en:
        (pages / "onlineorder" / "default.kk.md").write_text(ONLINEORDER_KK, encoding="utf-8")
        (pages / "onlineorder" / "default.en.md").write_text(ONLINEORDER_EN, encoding="utf-8")
    return root


def booking_pages() -> dict[str, BookingPage]:
    return {page.locale.language_code: page for page in BookingPage.objects.select_related("locale")}


def test_the_onlineorder_page_becomes_the_booking_page_of_each_of_its_languages(client, tmp_path):
    status, output = run(constructs_tree(tmp_path))
    assert status == 0, output

    pages = booking_pages()
    assert BookingPage.objects.count() == 3 and set(pages) == {"kk", "ru", "en"}
    assert len({page.translation_key for page in pages.values()}) == 1
    assert pages["kk"].title == "Онлайн жазылу"
    assert pages["ru"].title == "Онлайн-запись"
    assert pages["en"].title == "Online booking"  # the demo's "Book a consultation" was nobody's choice
    # The text around the include is the intro; the include itself is nowhere.
    assert pages["kk"].intro == "Консультацияға жазылу және оны төлеу бір бетте.\n\nСұрақтар болса, қоңырау шалыңыз."
    # No content page with the form's include, and nothing for the plugin's result templates or their folder.
    assert not AboutPage.objects.filter(slug__in=["onlineorder", "payment", "success", "failed"]).exists()
    assert not Page.objects.filter(slug__in=["onlineorder", "payment", "success", "failed"]).exists()
    assert set(ImportedPage.objects.filter(folder="onlineorder").values_list("language", "page_id")) == {
        (code, page.pk) for code, page in pages.items()
    }
    assert not ImportedPage.objects.filter(folder__startswith="payment").exists()

    kazakh = client.get("/kk/booking/")
    assert kazakh.status_code == 200 and html_lang(kazakh) == "kk"
    text = page_text(kazakh)
    assert "Онлайн жазылу" in text and "Консультацияға жазылу және оны төлеу бір бетте." in text
    assert "Гематологтың алғашқы консультациясы" in text  # the first step: the consultation types, in Kazakh
    assert "include" not in text and "onlineorder" not in text
    russian = client.get("/ru/booking/")
    assert html_lang(russian) == "ru" and "Первичная консультация гематолога" in page_text(russian)


def test_the_report_says_what_became_of_the_booking_folders(tmp_path):
    status, output = run(constructs_tree(tmp_path))
    assert status == 0, output
    assert "Booking:" in output
    assert "onlineorder [ru]: the booking page /ru/booking/" in output
    assert "onlineorder [en]: the booking page /en/booking/ (title from Grav)" in output
    assert "payment/success [kk]: no page; /kk/payment/success redirects to /kk/booking/paid/" in output
    assert "payment/failed [ru]: no page; /ru/payment/failed redirects to /ru/booking/failed/" in output
    assert "payment: holds only the booking's result pages" in output
    assert "Twig" not in output  # the include is understood, not stripped as unknown template code


def test_the_old_addresses_redirect_to_the_booking_page_and_its_result_routes(client, tmp_path):
    run(constructs_tree(tmp_path, with_kk_and_en=False))  # Russian files only: every language's address still moves
    expected = {"onlineorder": "", "payment/success": "paid/", "payment/failed": "failed/"}
    for language in ("kk", "ru", "en"):
        for old, route in expected.items():
            for address in (f"/{language}/{old}", f"/{language}/{old}/"):
                response = client.get(address)
                assert response.status_code == 301, address
                assert response["Location"] == f"/{language}/booking/{route}", address
    # The routes exist: without an order, the result pages lead back to the first step, in the visitor's language.
    response = client.get("/ru/booking/paid/", follow=True)
    assert response.redirect_chain and "Первичная консультация гематолога" in page_text(response)


def test_a_second_run_changes_nothing(tmp_path):
    root = constructs_tree(tmp_path)
    run(root)
    before = snapshot()
    status, output = run(root)
    assert status == 0, output
    assert snapshot() == before
    assert BookingPage.objects.count() == 3
    assert "kk: 0 created, 0 updated, 1 unchanged" in output
    assert "ru: 0 created, 0 updated, 1 unchanged" in output
    assert "0 redirects added" in output
    assert "onlineorder [ru]: the booking page /ru/booking/ (unchanged)" in output


def test_an_editors_title_and_intro_are_never_overwritten(tmp_path):
    editor = get_user_model().objects.create_superuser("editor", "editor@example.com", "secret")
    russian = booking_pages()["ru"]
    russian.title, russian.intro = "Запись к гематологу", "Текст редактора."
    russian.save_revision(user=editor).publish(user=editor)
    root = constructs_tree(tmp_path)
    status, output = run(root)
    assert status == 0, output
    russian = BookingPage.objects.get(pk=russian.pk)
    assert (russian.title, russian.intro) == ("Запись к гематологу", "Текст редактора.")
    assert "onlineorder [ru]: the booking page /ru/booking/ (an editor's texts kept" in output
    assert booking_pages()["en"].title == "Online booking"  # the languages nobody edited still follow Grav

    # The Grav page changes (a new fingerprint): the editor's texts still stand.
    (root / "user/pages/onlineorder/default.ru.md").write_text(f"---\ntitle: 'Запись онлайн'\n---\n\n{FORM}\n")
    status, output = run(root)
    assert status == 0, output
    assert BookingPage.objects.get(pk=russian.pk).title == "Запись к гематологу"


def test_the_form_is_recognised_by_its_include_not_by_the_folder_name(tmp_path):
    pages = tmp_path / "user" / "pages"
    (tmp_path / "user" / "config").mkdir(parents=True)
    (tmp_path / "user" / "config" / "system.yaml").write_text(SYSTEM_YAML, encoding="utf-8")
    (pages / "07.zapis").mkdir(parents=True)
    (pages / "07.zapis" / "default.ru.md").write_text(
        "---\ntitle: 'Запись на приём'\n---\n\n{%- include \"partials/onlineorder_form.html.twig\" with {a: 1} -%}\n"
    )
    (pages / "08.onlineorder").mkdir(parents=True)
    (pages / "08.onlineorder" / "default.ru.md").write_text("---\ntitle: 'Как записаться'\n---\n\nПозвоните нам.\n")
    status, output = run(tmp_path)
    assert status == 0, output
    assert booking_pages()["ru"].title == "Запись на приём"
    assert BookingPage.objects.count() == 3
    assert AboutPage.objects.get(slug="onlineorder", locale__language_code="ru").intro == "Позвоните нам."
    assert not Page.objects.filter(slug="zapis").exists()


def test_a_dry_run_writes_nothing_and_tells_what_would_happen(tmp_path):
    before = snapshot()
    status, output = run(constructs_tree(tmp_path), "--dry-run")
    assert status == 0, output
    assert snapshot() == before
    assert "onlineorder [ru]: would become the booking page" in output
    assert "payment/success: no page; its old addresses would redirect to the booking page's paid/ route" in output


def test_an_old_address_that_is_already_the_booking_pages_gets_no_redirect(client, tmp_path):
    pages = tmp_path / "user" / "pages"
    (tmp_path / "user" / "config").mkdir(parents=True)
    (tmp_path / "user" / "config" / "system.yaml").write_text(SYSTEM_YAML, encoding="utf-8")
    (pages / "05.booking").mkdir(parents=True)
    (pages / "05.booking" / "default.ru.md").write_text(f"---\ntitle: 'Онлайн-запись'\n---\n\n{FORM}\n")
    status, output = run(tmp_path)
    assert status == 0, output
    assert not Redirect.objects.filter(old_path__in=["/ru/booking", "/kk/booking", "/en/booking"]).exists()
    response = client.get("/ru/booking/")
    assert response.status_code == 200 and "Первичная консультация гематолога" in page_text(response)
