"""Every URL carries its language; "/" sends the visitor to theirs."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("accept_language", "target"),
    [
        ("ru-RU,ru;q=0.9,en;q=0.8", "/ru/"),
        ("en-US,en;q=0.9", "/en/"),
        ("kk", "/kk/"),
        ("de-DE,de;q=0.9", "/kk/"),
        ("", "/kk/"),
        ("*;q=x,,,;;", "/kk/"),
    ],
)
def test_root_redirects_to_the_preferred_language(client, accept_language, target):
    response = client.get("/", headers={"accept-language": accept_language} if accept_language else {})
    assert response.status_code == 302
    assert response["Location"] == target


def test_a_page_path_without_language_is_redirected_too(client):
    response = client.get("/news/", headers={"accept-language": "ru"})
    assert response.status_code == 302
    assert response["Location"] == "/ru/news/"


def test_unknown_page_gives_a_404_in_the_visitors_language(client):
    response = client.get("/ru/no-such-page/")
    assert response.status_code == 404
    assert '<html lang="ru">' in response.content.decode()
