"""The public site in Chromium: what a visitor does with a mouse, a keyboard and a phone, and axe-core's verdict."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.helpers import MINISTER, VISIT

from .conftest import screenshot

PAGES = {
    "home": {"kk": "/kk/", "ru": "/ru/", "en": "/en/"},
    "news-index": {"kk": "/kk/news/", "ru": "/ru/news/", "en": "/en/news/"},
    # The demo has no Kazakh article: the Kazakh tree is checked with the others' pages.
    "article": {"ru": f"/ru/news/{VISIT}/", "en": f"/en/news/{MINISTER}/"},
    "about": {"kk": "/kk/about/", "ru": "/ru/about/", "en": "/en/about/"},
    "branch": {"kk": "/kk/about/astana/", "ru": "/ru/about/karaganda/", "en": "/en/about/ust-kamenogorsk/"},
    "search": {"kk": "/kk/search/?q=филиал", "ru": "/ru/search/?q=гематолог", "en": "/en/search/?q=minister"},
}
ALL = [(kind, language, path) for kind, paths in PAGES.items() for language, path in paths.items()]


def test_switch_language_on_an_article(page, site_url):
    page.goto(f"{site_url}/ru/news/{VISIT}/")
    page.get_by_role("navigation", name="Язык").get_by_role("link", name="English").click()
    page.wait_for_url(f"{site_url}/en/news/{VISIT}/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Visit of the Chief Consulting Hematologist"


def test_from_the_news_index_to_an_article_and_the_next(page, site_url):
    page.goto(f"{site_url}/en/news/")
    first = page.locator(".card__title a").first
    title = first.inner_text()
    first.click()
    assert page.get_by_role("heading", level=1).inner_text() == title
    page.locator(".prev-next a").first.click()
    assert page.get_by_role("heading", level=1).inner_text() != title
    assert "/en/news/" in page.url


def test_the_gallery_with_the_keyboard(page, site_url):
    page.goto(f"{site_url}/en/news/{MINISTER}/")
    position = page.locator(".gallery__position")
    assert position.inner_text() == "1 / 6"
    page.locator("[data-gallery-track]").focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(600)
    assert position.inner_text() == "2 / 6"
    page.keyboard.press("End")
    page.wait_for_timeout(600)
    assert position.inner_text() == "6 / 6"
    assert page.locator("[data-gallery-next]").is_disabled()
    # The full-size view: Enter opens it, Escape closes it, the focus comes back.
    link = page.locator(".gallery__slide:not([inert]) [data-lightbox]")
    link.focus()
    page.keyboard.press("Enter")
    assert page.locator("[data-lightbox-dialog]").evaluate("dialog => dialog.open")
    page.keyboard.press("Escape")
    assert not page.locator("[data-lightbox-dialog]").evaluate("dialog => dialog.open")
    assert page.evaluate("document.activeElement.hasAttribute('data-lightbox')")


def test_search_with_suggestions(page, site_url):
    page.goto(f"{site_url}/kk/search/")
    box = page.get_by_role("combobox")
    box.fill("Өскем")
    page.locator("#search-suggestions [role=option]").first.wait_for()
    assert "Өскемен филиалы" in page.locator("#search-suggestions").inner_text()
    box.fill("филиалдар")
    box.press("Enter")
    page.wait_for_url("**/kk/search/?q=*")
    assert "Астана филиалы" in page.locator(".search-results").inner_text()


@pytest.mark.parametrize(("kind", "language", "path"), ALL, ids=[f"{kind}-{language}" for kind, language, _ in ALL])
def test_a_phone_never_scrolls_sideways(phone, site_url, kind, language, path):
    phone.goto(f"{site_url}{path}")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(phone, f"phone-{kind}-{language}")


@pytest.mark.parametrize(("kind", "language", "path"), ALL, ids=[f"{kind}-{language}" for kind, language, _ in ALL])
def test_axe_finds_no_serious_or_critical_violation(page, site_url, kind, language, path):
    page.goto(f"{site_url}{path}")
    results = Axe().run(page)
    serious = [
        (violation["id"], violation["impact"], [node["target"] for node in violation["nodes"]][:3])
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    screenshot(page, f"desktop-{kind}-{language}")
    assert serious == []
