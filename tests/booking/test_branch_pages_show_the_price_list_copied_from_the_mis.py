"""Each branch page shows its city's price list as the MIS gave it at the last sync ("Show prices", with the date it
was updated), sanitised; a visitor's request never asks the MIS, and a MIS that is down or answers junk leaves the
last good copy in place (about.price_lists, booking.mis `getpricelist`)."""

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from about.models import BranchPage, PriceList
from about.price_lists import sync_price_lists
from booking.mis import MisBadAnswer
from booking.mis.http import _price_list
from booking.mis.simulator import SimulatedMis
from tests.booking.conftest import SECRET
from tests.helpers import page_text

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")
LONG_AGO = datetime(2026, 3, 14, 10, 0, tzinfo=ALMATY)
SHOWN = {
    "kk": ("Бағаларды көрсету", "Жаңартылған күні: 14 наурыз 2026 ж.", "Қызмет", "14 000"),
    "ru": ("Показать цены", "Обновлено 14 марта 2026 г.", "Услуга", "14 000"),
    "en": ("Show prices", "Updated on 14 March 2026", "Service", "14 000"),
}


def copies() -> dict[tuple[str, str], PriceList]:
    return {(row.city_id, row.language): row for row in PriceList.objects.all()}


def karaganda(language: str) -> BranchPage:
    return BranchPage.objects.get(locale__language_code=language, mis_city_id="2")


def test_the_sync_stores_every_city_in_every_language_without_scripts_or_handlers():
    PriceList.objects.all().delete()
    counts = sync_price_lists(SimulatedMis())
    stored = copies()
    assert set(stored) == {(city, language) for city in ("1", "2", "3") for language in ("kk", "ru", "en")}
    assert counts == {"stored": 9, "changed": 9, "failed": 0, "skipped": 0}
    html = stored["2", "ru"].html
    assert "<table>" in html
    assert "<th>Услуга</th>" in html
    assert "<td>Общий анализ крови</td><td>2&nbsp;700</td>" in html
    assert "<h3>Цены: Караганда</h3>" in html
    for junk in ("<script", "querySelector", "onclick", "togglePrices", "style=", "class="):
        assert junk not in html
    assert "<td>Жалпы қан талдауы</td><td>3&nbsp;000</td>" in stored["3", "kk"].html
    assert "Complete blood count" in stored["1", "en"].html


def test_the_sanitiser_keeps_a_tables_spans_and_drops_links_and_frames():
    from about.price_lists import clean_price_list

    html = clean_price_list(
        '<table><caption>Цены</caption><tr><th colspan="2" onmouseover="x()">A</th></tr>'
        '<tr><td rowspan="2"><a href="javascript:alert(1)">B</a></td><td><iframe src="//evil"></iframe>C</td></tr>'
        "</table><style>td{}</style><ul><li><strong>D</strong></li></ul>"
    )
    assert '<th colspan="2">A</th>' in html
    assert '<td rowspan="2">B</td>' in html
    assert "<caption>Цены</caption>" in html
    assert "<li><strong>D</strong></li>" in html
    for junk in ("onmouseover", "javascript", "<a", "iframe", "<style", "td{}"):
        assert junk not in html


def test_the_http_client_asks_getpricelist_with_the_city_and_language(mis_server, http_client):
    html = http_client.price_list("2", "kk")
    assert html == SimulatedMis().price_list("2", "kk")
    call = mis_server.calls[-1]
    assert (call.act, call.params["city"], call.params["lang"]) == ("getpricelist", "2", "kk")
    for fault in ("wrapped", "encoded"):
        mis_server.set_fault(fault, times=1)
        assert http_client.price_list("2", "kk") == html


@pytest.mark.parametrize("answer", [{"content": 42}, {"content": None}, {}, ["<table>"], "text"])
def test_a_price_list_that_is_not_a_string_is_a_bad_answer(answer):
    with pytest.raises(MisBadAnswer):
        _price_list(answer)


def test_the_sync_through_the_http_client_stores_the_same_tables(mis_server, http_client):
    PriceList.objects.all().delete()
    assert sync_price_lists(http_client)["stored"] == 9
    expected = PriceList.objects.get(city_id="1", language="en").html
    PriceList.objects.all().delete()
    sync_price_lists(SimulatedMis())
    assert PriceList.objects.get(city_id="1", language="en").html == expected


def _age_every_copy() -> dict[tuple[str, str], PriceList]:
    PriceList.objects.update(fetched_at=LONG_AGO, html="<table><tr><td>Last good copy</td></tr></table>")
    return copies()


def _assert_unchanged(before: dict[tuple[str, str], PriceList]) -> None:
    after = copies()
    assert set(after) == set(before)
    for key, row in after.items():
        assert (row.html, row.fetched_at) == (before[key].html, before[key].fetched_at)


def test_a_mis_that_is_down_leaves_the_last_good_copy_and_its_date(caplog):
    before = _age_every_copy()
    with caplog.at_level(logging.WARNING, logger="about.price_lists"):
        counts = sync_price_lists(SimulatedMis(unavailable=True))
    _assert_unchanged(before)
    # Two cities not answering in a row: the MIS is down, the rest waits for the next run.
    assert counts == {"stored": 0, "changed": 0, "failed": 2, "skipped": 7}
    assert "city 1 (kk) kept its last copy: unavailable" in caplog.text


@pytest.mark.parametrize("fault", ["malformed", "missing", "reject", "500"])
def test_a_mis_answering_junk_leaves_the_last_good_copy_and_its_date(mis_server, http_client, fault, caplog):
    before = _age_every_copy()
    mis_server.set_fault(fault)
    with caplog.at_level(logging.WARNING, logger="about.price_lists"):
        counts = sync_price_lists(http_client)
    _assert_unchanged(before)
    assert counts["stored"] == 0
    assert counts["failed"] >= 2
    kind = {"malformed": "bad_answer", "missing": "bad_answer", "reject": "rejected", "500": "unavailable"}[fault]
    assert f"city 1 (kk) kept its last copy: {kind}" in caplog.text


def test_an_answer_empty_once_cleaned_leaves_the_last_good_copy():
    class ScriptOnly:
        def price_list(self, city_id, lang):
            return "<script>alert(1)</script>"

    before = _age_every_copy()
    assert sync_price_lists(ScriptOnly())["failed"] == 9
    _assert_unchanged(before)


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_branch_page_shows_the_prices_and_their_date_in_its_language(client, language):
    PriceList.objects.update(fetched_at=LONG_AGO)
    summary, updated, column, price = SHOWN[language]
    response = client.get(karaganda(language).url)
    html = response.content.decode()
    assert f"<summary>{summary}</summary>" in html
    text = page_text(response)
    assert updated in text
    assert column in text
    assert price in text
    assert "togglePrices" not in html
    assert 'querySelector(".pricelist")' not in html


def test_a_branch_without_a_stored_copy_shows_no_prices(client):
    PriceList.objects.filter(city_id="2").delete()
    text = page_text(client.get(karaganda("ru").url))
    assert "Показать цены" not in text
    assert "Обновлено" not in text
    assert "Показать цены" in page_text(
        client.get(BranchPage.objects.get(locale__language_code="ru", mis_city_id="3").url)
    )


def test_showing_a_branch_page_never_asks_the_mis(client, settings, mis_server):
    settings.MIS_URL, settings.MIS_AUTH, settings.MIS_SECRET = mis_server.url, "jwt", SECRET
    settings.MIS_TIMEOUT, settings.MIS_RETRIES = 0.2, 0
    for language in ("kk", "ru", "en"):
        assert "<details" in client.get(karaganda(language).url).content.decode()
    PriceList.objects.all().delete()
    client.get(karaganda("ru").url)
    assert mis_server.calls == []
    assert mis_server.tokens_issued == 0
    # The same settings do reach the served MIS when the sync runs, so the assertion above can fail.
    sync_price_lists()
    assert {call.act for call in mis_server.calls} == {"getpricelist"}


def test_a_new_price_list_is_shown_at_once_although_the_page_was_cached(client):
    class NewPrices:
        def price_list(self, city_id, lang):
            return f"<table><tr><td>New price {city_id}</td></tr></table>"

    url = karaganda("en").url
    assert "New price" not in page_text(client.get(url))
    assert client.get(url)["X-Cache"] == "HIT"
    assert sync_price_lists(NewPrices())["changed"] == 9
    assert "New price 2" in page_text(client.get(url))


def test_an_unchanged_price_list_keeps_the_cached_pages():
    from core.cache import generation

    sync_price_lists(SimulatedMis())
    before = generation()
    assert sync_price_lists(SimulatedMis())["changed"] == 0
    assert generation() == before


def test_the_command_and_the_queue_run_the_sync(settings):
    from django.core.management import call_command

    from booking.tasks import sync_price_lists as task

    PriceList.objects.all().delete()
    call_command("sync_price_lists", verbosity=0)
    assert PriceList.objects.count() == 9
    PriceList.objects.all().delete()
    call_command("sync_price_lists", "--queue", verbosity=0)  # the immediate backend in tests: run at once
    assert PriceList.objects.count() == 9
    assert task.enqueue().return_value["stored"] == 9


def test_the_simulator_has_no_price_list_for_an_unknown_city():
    from booking.mis import MisRejected

    with pytest.raises(MisRejected) as refusal:
        SimulatedMis().price_list("99", "en")
    assert refusal.value.reason == "There is no price list for this city."
