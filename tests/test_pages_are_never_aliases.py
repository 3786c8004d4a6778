"""This site keeps every translation as a page of its own: nobody (superusers included) turns a page into an alias of
another language's page, copies a page as an alias, or lets wagtail-localize create alias pages; so publishing a
page never rewrites a page in another language."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from wagtail.models import Locale, Page
from wagtail_localize.models import LocaleSynchronization, Translation

from about.models import AboutPage, BranchPage
from tests.helpers import page_text

pytestmark = pytest.mark.django_db

REFUSAL = "На этом сайте переводы — отдельные страницы"


def russian_branch() -> BranchPage:
    return BranchPage.objects.get(locale__language_code="ru", slug="astana")


@pytest.fixture
def superuser_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("boss", "boss@example.com", "secret"))
    return client


@pytest.mark.parametrize("group", ["Editors", "Translators ru", None])
def test_nobody_converts_a_russian_page_into_an_alias_of_its_kazakh_source(client_for, superuser_client, group):
    client = client_for(group) if group else superuser_client
    page = russian_branch()
    url = reverse("wagtail_localize:convert_to_alias", args=[page.pk])

    for response in (client.get(url), client.post(url)):
        assert response.status_code == 403
        assert REFUSAL in page_text(response)

    page.refresh_from_db()
    assert page.alias_of_id is None
    translation = Translation.objects.filter(target_locale__language_code="ru", source__object_id=page.translation_key)
    assert translation.exists()
    client.logout()
    text = page_text(client.get("/ru/about/astana/"))
    assert "Филиал в Астане" in text and "Астана филиалы" not in text


def test_the_editor_does_not_offer_convert_to_alias(superuser_client):
    # wagtail-localize offers "Convert to alias page" in the ordinary editor of a page whose translation was stopped,
    # and as a button in its translation editor.
    page = russian_branch()
    translation = Translation.objects.get(target_locale__language_code="ru", source__object_id=page.translation_key)
    editor = superuser_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert editor.status_code == 200
    assert "editorial/admin/no_aliases.css" in editor.content.decode()

    translation.enabled = False
    translation.save()
    editor = superuser_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert editor.status_code == 200
    assert "Начать синхронизированный перевод" in page_text(editor)  # wagtail-localize's other item still shows
    assert "localize-convert-to-alias" not in editor.content.decode()


def test_a_page_is_not_copied_as_an_alias(client_for):
    client = client_for("Moderators")
    page = BranchPage.objects.get(locale__language_code="kk", slug="astana")
    before = Page.objects.count()
    response = client.post(
        reverse("wagtailadmin_pages:copy", args=[page.pk]),
        {
            "new_title": "Көшірме",
            "new_slug": "astana-alias",
            "new_parent_page": page.get_parent().pk,
            "alias": "on",
        },
    )
    assert response.status_code == 403
    assert REFUSAL in page_text(response)
    assert Page.objects.count() == before
    assert not Page.objects.filter(alias_of__isnull=False).exists()


def test_an_ordinary_copy_still_works(client_for):
    client = client_for("Moderators")
    page = BranchPage.objects.get(locale__language_code="kk", slug="astana")
    response = client.post(
        reverse("wagtailadmin_pages:copy", args=[page.pk]),
        {"new_title": "Көшірме", "new_slug": "astana-copy", "new_parent_page": page.get_parent().pk},
    )
    assert response.status_code == 302
    copy = Page.objects.get(slug="astana-copy")
    assert copy.alias_of_id is None and copy.locale.language_code == "kk"


def kazakh_section_with_a_page():
    about = AboutPage.objects.get(locale__language_code="kk", slug="about")
    section = about.add_child(instance=AboutPage(title="Жаңа бөлім", slug="new-section"))
    section.save_revision().publish()
    child = section.add_child(instance=AboutPage(title="Ішкі бет", slug="inner"))
    child.save_revision().publish()
    return section, child


def test_translating_a_page_whose_parent_is_not_translated_creates_no_alias(client_for, locales):
    # wagtail-localize would create the missing Russian parent as a live alias showing the Kazakh text under /ru/.
    section, child = kazakh_section_with_a_page()
    client = client_for("Editors")
    response = client.post(
        reverse("wagtail_localize:submit_page_translation", args=[child.pk]), {"locales": [locales["ru"].pk]}
    )
    assert response.status_code == 403
    text = page_text(response)
    assert REFUSAL in text and "«Жаңа бөлім»" in text and "Русский" in text
    assert not Page.objects.filter(alias_of__isnull=False).exists()
    assert not Page.objects.filter(translation_key=child.translation_key, locale=locales["ru"]).exists()

    # Translating the parent first (with its sub-pages) works as usual.
    response = client.post(
        reverse("wagtail_localize:submit_page_translation", args=[section.pk]),
        {"locales": [locales["ru"].pk], "include_subtree": "on"},
    )
    assert response.status_code == 302
    assert Page.objects.filter(translation_key=child.translation_key, locale=locales["ru"], alias_of=None).exists()


def test_no_language_is_synchronised_from_another(superuser_client, locales):
    # wagtail-localize's "Synchronise content from another locale" fills a language's tree with alias pages.
    response = superuser_client.post(
        reverse("wagtaillocales:edit", args=[locales["ru"].pk]),
        {
            "language_code": "ru",
            "component-wagtail_localize_localesynchronization-enabled": "on",
            "component-wagtail_localize_localesynchronization-sync_from": locales["kk"].pk,
        },
    )
    assert response.status_code == 403
    assert REFUSAL in page_text(response)
    assert not LocaleSynchronization.objects.exists()
    assert not Page.objects.filter(alias_of__isnull=False).exists()


def test_an_existing_alias_becomes_a_page_of_its_own_and_publishing_the_source_leaves_it(
    django_capture_on_commit_callbacks, client
):
    # An alias left from before (wagtail-localize's sync or "convert to alias"): the migration turns it into an
    # ordinary page, so publishing the Kazakh page no longer rewrites the Russian one.
    kk_about = AboutPage.objects.get(locale__language_code="kk", slug="about")
    kazakh = kk_about.add_child(instance=AboutPage(title="Бағалар", slug="prices", intro="Қазақша мәтін"))
    kazakh.save_revision().publish()
    russian = kazakh.copy_for_translation(Locale.objects.get(language_code="ru"), alias=True)
    assert russian.alias_of_id == kazakh.pk

    migration = importlib.import_module("editorial.migrations.0002_no_alias_pages")
    migration.turn_aliases_into_pages(apps, None)

    russian.refresh_from_db()
    assert russian.alias_of_id is None
    kazakh = AboutPage.objects.get(pk=kazakh.pk)
    kazakh.title = "Бағалар 2026"
    kazakh.intro = "Жаңа қазақша мәтін"
    with django_capture_on_commit_callbacks(execute=True):
        kazakh.save_revision().publish()

    assert AboutPage.objects.get(pk=russian.pk).intro == "Қазақша мәтін"
    text = page_text(client.get("/ru/about/prices/"))
    assert "Бағалар" in text and "Жаңа қазақша мәтін" not in text
    assert "Жаңа қазақша мәтін" in page_text(client.get("/kk/about/prices/"))
