"""Deleting the page a translation was made from leaves the translations standing as pages of their own, live at
their URLs: the confirmation says so, each translation's history records it, and whoever may also delete a
translation is offered to do so, one by one, through Wagtail's own delete view."""

import pytest
from django.urls import reverse
from wagtail.models import PageLogEntry

from about.models import BranchPage
from tests.helpers import page_text

pytestmark = pytest.mark.django_db


def branch(language) -> BranchPage:
    return BranchPage.objects.get(locale__language_code=language, slug="astana")


@pytest.fixture
def kazakh_translator(client, user_in):
    # A Kazakh translator may delete the Kazakh page they own (Wagtail's rule for "add" + "publish").
    user = user_in("Translators kk")
    BranchPage.objects.filter(pk=branch("kk").pk).update(owner=user)
    client.force_login(user)
    return user


def test_deleting_the_kazakh_source_leaves_the_russian_and_english_pages_live_and_says_so(
    client, kazakh_translator, django_user_model
):
    source, russian, english = branch("kk"), branch("ru"), branch("en")
    delete_url = reverse("wagtailadmin_pages:delete", args=[source.pk])

    confirmation = page_text(client.get(delete_url))
    assert "Переводы этой страницы не удаляются вместе с ней" in confirmation
    assert "Русский: «Филиал в Астане»" in confirmation and "English: «Astana branch»" in confirmation

    response = client.post(delete_url, follow=True)
    assert response.status_code == 200
    assert not BranchPage.objects.filter(pk=source.pk).exists()
    after = page_text(response)
    assert "остаются на сайте отдельными страницами" in after
    # The Kazakh translator has no rights on the Russian and English pages: nothing offered to delete them.
    assert reverse("wagtailadmin_pages:delete", args=[russian.pk]) not in response.content.decode()

    client.logout()
    russian_page = client.get("/ru/about/astana/")
    assert russian_page.status_code == 200 and "Филиал в Астане" in page_text(russian_page)
    english_page = client.get("/en/about/astana/")
    assert english_page.status_code == 200 and "Astana branch" in page_text(english_page)

    for page in (russian, english):
        entry = PageLogEntry.objects.get(page=page, action="editorial.translation_source_deleted")
        assert entry.user == kazakh_translator
        assert entry.data["source"]["title"] == "Астана филиалы"

    # The Russian page's history says what happened, in the admin's language.
    client.force_login(django_user_model.objects.create_superuser("boss", "boss@example.com", "secret"))
    history = page_text(client.get(reverse("wagtailadmin_pages:history", args=[russian.pk])))
    assert "Исходная страница «Астана филиалы» (Қазақша) удалена" in history


def test_who_may_delete_a_translation_too_is_offered_to(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("boss", "boss@example.com", "secret"))
    source, russian = branch("kk"), branch("ru")
    response = client.post(reverse("wagtailadmin_pages:delete", args=[source.pk]), follow=True)
    russian_delete_url = reverse("wagtailadmin_pages:delete", args=[russian.pk])
    assert russian_delete_url in response.content.decode()
    assert "Удалить и «Филиал в Астане» (Русский)" in page_text(response)

    response = client.post(russian_delete_url)
    assert response.status_code == 302
    assert not BranchPage.objects.filter(pk=russian.pk).exists()
    assert PageLogEntry.objects.filter(page_id=russian.pk, action="wagtail.delete").exists()
    assert client.get("/en/about/astana/").status_code == 200
