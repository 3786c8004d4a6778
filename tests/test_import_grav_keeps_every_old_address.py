"""`manage.py import_grav` keeps the old site's addresses working: the route aliases of a page's front matter
(`routes: aliases: [/offer]`) answer with a permanent redirect to the page, in the language Grav served them in."""

import pytest
from wagtail.contrib.redirects.models import Redirect

from news.models import NewsIndexPage
from tests.helpers import html_lang, page_text
from tests.test_import_grav import article, grav, run, snapshot  # noqa: F401 - grav is a fixture

pytestmark = pytest.mark.django_db

CONTRACTS_KK = {"03.contracts/default.kk.md": "---\ntitle: Шарттар\n---\n\nОрталықтың шарттары.\n"}
OFFER = {
    "03.contracts/default.ru.md": "---\ntitle: Договоры\n---\n\nДоговоры центра.\n",
    "03.contracts/offer/default.ru.md": (
        "---\ntitle: 'Договор оферты'\nroutes:\n  aliases:\n    - /offer\n    - /ru/public-offer\n---\n\n"
        "Текст договора.\n"
    ),
    "03.contracts/offer/default.kk.md": (
        "---\ntitle: 'Жария оферта'\nroutes:\n  aliases: [/offer, /oferta-kk]\n---\n\nШарт мәтіні.\n"
    ),
}


def test_an_alias_redirects_permanently_to_the_page_in_its_files_language(client, grav):  # noqa: F811
    status, output = run(grav({**CONTRACTS_KK, **OFFER}))
    assert status == 0, output

    russian = client.get("/ru/offer")
    assert russian.status_code == 301
    assert russian["Location"] == "/ru/contracts/offer/"
    page = client.get(russian["Location"])
    assert html_lang(page) == "ru" and "Текст договора." in page_text(page)

    # An alias with its language prefix is kept as it is.
    assert client.get("/ru/public-offer")["Location"] == "/ru/contracts/offer/"

    kazakh = client.get("/kk/offer")
    assert kazakh.status_code == 301 and kazakh["Location"] == "/kk/contracts/offer/"
    page = client.get(kazakh["Location"])
    assert html_lang(page) == "kk" and "Шарт мәтіні." in page_text(page)

    # The bare alias, claimed by both files, goes to the default language's (Kazakh) page.
    bare = client.get("/offer")
    assert bare.status_code == 301 and bare["Location"] == "/kk/contracts/offer/"


def test_a_second_run_adds_no_alias_redirect(grav):  # noqa: F811
    root = grav({**CONTRACTS_KK, **OFFER})
    run(root)
    count = Redirect.objects.count()
    assert Redirect.objects.filter(old_path__in=["/offer", "/ru/offer", "/kk/offer", "/ru/public-offer"]).count() == 4
    before = snapshot()
    status, output = run(root)
    assert status == 0, output
    assert snapshot() == before and Redirect.objects.count() == count
    assert "0 redirects added" in output


def test_an_alias_that_is_not_a_list_or_is_the_pages_own_address_adds_nothing_wrong(client, grav):  # noqa: F811
    files = {
        **CONTRACTS_KK,
        "03.contracts/default.ru.md": "---\ntitle: Договоры\n---\n\nДоговоры центра.\n",
        "03.contracts/offer/default.ru.md": (
            "---\ntitle: 'Договор оферты'\nroutes:\n  aliases: /offer\n---\n\nТекст договора.\n"
        ),
        "03.contracts/prices/default.ru.md": (
            "---\ntitle: 'Цены'\nroutes:\n  aliases: [/contracts/prices]\n---\n\nЦены.\n"
        ),
    }
    status, output = run(grav(files))
    assert status == 0, output
    assert client.get("/ru/offer")["Location"] == "/ru/contracts/offer/"
    # The page's own address never redirects to itself.
    assert not Redirect.objects.filter(old_path="/ru/contracts/prices").exists()
    assert "Цены." in page_text(client.get("/ru/contracts/prices/"))


def news(count: int, limit: int | None = None) -> dict:
    header = f"content:\n  limit: {limit}\n" if limit else ""
    files = {"02.news/blog.ru.md": f"---\ntitle: Новости\n{header}---\n\nНовости центра.\n"}
    for number in range(1, count + 1):
        files[f"02.news/{number:02d}.item-{number}/item.ru.md"] = article(
            f"Новость номер {number}", date=f"{number:02d}-03-2024 09:30"
        )
    return files


def test_the_old_news_pages_redirect_to_the_index_page_holding_the_same_articles(client, grav):  # noqa: F811
    status, output = run(grav(news(12, limit=5)))  # Grav showed 5 a page: page:1..3; the new index shows 10
    assert status == 0, output
    index = NewsIndexPage.objects.get(locale__language_code="ru")
    assert index.url == "/ru/news/"

    first = client.get("/ru/news/page:1")
    assert first.status_code == 301 and first["Location"] == "/ru/news/"
    assert client.get("/ru/news/page:2")["Location"] == "/ru/news/"  # Grav's 6th..10th are on the first page
    third = client.get("/ru/news/page:3")
    assert third.status_code == 301 and third["Location"] == "/ru/news/?page=2"
    text = page_text(client.get(third["Location"]))
    assert "Новость номер 1" in text and "Новость номер 2" in text and "Новость номер 12" not in text
    assert client.get("/ru/news/page:4").status_code == 404  # Grav had no fourth page


def test_without_a_limit_grav_showed_ten_news_a_page(client, grav):  # noqa: F811
    status, output = run(grav(news(11)))
    assert status == 0, output
    assert client.get("/ru/news/page:2")["Location"] == "/ru/news/?page=2"
    assert client.get("/ru/news/page:3").status_code == 404
    count = Redirect.objects.count()
    run(grav(news(11)))
    assert Redirect.objects.count() == count
