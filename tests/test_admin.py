"""Editors can open every page type in the Wagtail admin, and the block previews work."""

import pytest
from django.urls import reverse

from about.models import AboutPage, BranchPage
from home.models import HomePage
from news.models import NewsArticlePage, NewsIndexPage

pytestmark = pytest.mark.django_db

PAGE_TYPES = [HomePage, NewsIndexPage, NewsArticlePage, AboutPage, BranchPage]


@pytest.fixture
def editor_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.com", "secret")
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", PAGE_TYPES, ids=lambda m: m.__name__)
def test_edit_view_opens_for_every_page_type(editor_client, model):
    page = model.objects.filter(locale__language_code__in=["kk", "en"]).first()
    response = editor_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    assert page.title in response.content.decode()


@pytest.mark.parametrize("model", PAGE_TYPES, ids=lambda m: m.__name__)
def test_preview_renders_every_page_type(editor_client, model):
    page = model.objects.filter(locale__language_code="en").first()
    response = editor_client.get(reverse("wagtailadmin_pages:view_draft", args=[page.pk]))
    assert response.status_code == 200
    assert page.title in response.content.decode()


def test_the_add_page_view_offers_news_under_the_news_index(editor_client):
    news = NewsIndexPage.objects.get(locale__language_code="kk")
    response = editor_client.get(reverse("wagtailadmin_pages:add_subpage", args=[news.pk]))
    # Only one type is allowed there, so Wagtail goes straight to its form.
    assert response.status_code == 302
    assert "newsarticlepage" in response["Location"]
