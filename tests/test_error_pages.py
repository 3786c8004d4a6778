"""Error pages: the 404 in the visitor's language, the 500 static (it renders with the database down)."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.views.defaults import server_error

from tests.helpers import html_lang, page_text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "text"), [("kk", "Бет табылмады"), ("ru", "Страница не найдена"), ("en", "Page not found")]
)
def test_404_speaks_the_visitors_language(client, language, text):
    response = client.get(f"/{language}/no-such-page/")
    assert response.status_code == 404 and html_lang(response) == language
    assert text in page_text(response)


def test_500_renders_without_the_database(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the 500 page touched the database")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = server_error(RequestFactory().get("/kk/"))
    text = page_text(response)
    assert response.status_code == 500
    assert "Қызмет уақытша қолжетімсіз" in text and "Сервис временно недоступен" in text
    assert "Service temporarily unavailable" in text
