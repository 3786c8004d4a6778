"""Only the pages live under /kk/, /ru/ and /en/. An unknown address under the admin, the documents or the health
checks answers "not found" where it was asked (the admin's 404 in the admin, the site's elsewhere), instead of
being sent to /ru/admin/… or /kk/documents/… by Django's LocaleMiddleware. A page address without its language is
still redirected to the visitor's language."""

import pytest

from tests.helpers import html_lang, page_text

pytestmark = pytest.mark.django_db


def assert_not_found_here(response):
    assert response.status_code == 404, response.get("Location")
    assert "Location" not in response


@pytest.mark.parametrize(
    "url",
    [
        "/documents/999999/missing.pdf",
        "/healthz/extra",
        "/readyz/",
        "/sitemap.xml/extra",
        "/robots.txt/x",
        "/static/no-such-folder/",
        "/media/no-such-folder/",
    ],
)
def test_an_unknown_address_outside_the_language_trees_answers_the_sites_404(client, url):
    response = client.get(url, headers={"accept-language": "ru"})
    assert_not_found_here(response)
    assert "Страница не найдена" in page_text(response)
    assert html_lang(response) == "ru"


def test_an_editor_asking_for_an_unknown_admin_screen_gets_the_admins_404(client_for):
    client = client_for("Editors")
    for url in ("/admin/no-such-screen/", "/admin/pages/999999/edit/extra/"):
        response = client.get(url, headers={"accept-language": "kk"})
        assert_not_found_here(response)
        # In Russian: the admin speaks it to an editor whose browser asks for Kazakh (editorial.middleware).
        assert "Запрошенная страница не найдена." in page_text(response)


def test_an_unknown_django_admin_screen_answers_404(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "secret"))
    response = client.get("/django-admin/no-such-screen/", headers={"accept-language": "en"})
    assert_not_found_here(response)
    assert "Page not found" in page_text(response)


def test_a_visitor_not_signed_in_is_asked_to_sign_in_to_the_admin_not_sent_to_a_language(client):
    response = client.get("/admin/no-such-screen/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/no-such-screen/"


def test_a_page_address_without_its_language_is_still_sent_to_the_visitors_language(client):
    response = client.get("/about/", headers={"accept-language": "en"})
    assert response.status_code == 302
    assert response["Location"] == "/en/about/"
