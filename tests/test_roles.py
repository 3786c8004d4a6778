"""The roles as an editor meets them in the admin: what each may do (it happens) and what it may not (403, and
nothing changes)."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import GroupPagePermission, Locale, Page, WorkflowState
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from about.models import BranchPage
from home.models import HomePage
from news.models import NewsArticlePage, NewsIndexPage

pytestmark = pytest.mark.django_db

MINISTER = "minister-of-health-visited-hematology-senter-in-astana"
VISIT = "2022-04-12-visit-chief-consulting-hematologist"


def branch(language, slug="astana") -> BranchPage:
    return BranchPage.objects.get(locale__language_code=language, slug=slug)


def branch_form(page, **changes):
    data = {
        "title": page.title,
        "slug": page.slug,
        "city": page.city,
        "address": page.address,
        "phones": page.phones,
        "whatsapp": page.whatsapp,
        "opening_hours": page.opening_hours,
        "map_embed_url": page.map_embed_url,
        "services": rich_text(page.services),
        "body": streamfield([]),
        **changes,
    }
    return nested_form_data(data)


def english_translation_of_visit() -> Translation:
    # The visit article was written in Russian and translated into English.
    source = NewsArticlePage.objects.get(locale__language_code="ru", slug=VISIT)
    return Translation.objects.get(source__object_id=source.translation_key, target_locale__language_code="en")


# The groups ----------------------------------------------------------------------------------------------------


def test_the_roles_exist_after_migrating():
    names = set(Group.objects.values_list("name", flat=True))
    assert {"Editors", "Moderators", "Translators kk", "Translators ru", "Translators en"} <= names


def test_each_translators_group_holds_its_rights_on_its_own_language_tree_only():
    for code in ("kk", "ru", "en"):
        pages = set(
            GroupPagePermission.objects.filter(group__name=f"Translators {code}").values_list("page_id", flat=True)
        )
        assert pages == {HomePage.objects.get(locale__language_code=code).pk}


def test_a_new_home_page_gets_its_translators(locales):
    # A fourth language is added to a site: its home page gets its translators group at once.
    de = Locale.objects.create(language_code="de")
    kk_home = HomePage.objects.get(locale__language_code="kk")
    HomePage.max_count = None
    try:
        de_home = kk_home.copy_for_translation(de)
    finally:
        HomePage.max_count = 3
    assert GroupPagePermission.objects.filter(group__name="Translators de", page=de_home).exists()


def test_news_indexes_are_under_the_review_workflow():
    for news in NewsIndexPage.objects.all():
        assert news.get_workflow().name == "Review and publish"


# Translators ---------------------------------------------------------------------------------------------------


def test_translator_edits_and_publishes_in_its_own_language(client_for):
    client = client_for("Translators kk")
    page = branch("kk")
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        branch_form(page, opening_hours="Дс–Жм 08:00–18:00", **{"action-publish": "action-publish"}),
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.opening_hours == "Дс–Жм 08:00–18:00" and page.live


@pytest.mark.parametrize("language", ["ru", "en"])
def test_translator_cannot_edit_another_languages_page(client_for, language):
    client = client_for("Translators kk")
    page = branch(language)
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, branch_form(page, opening_hours="changed", **{"action-publish": "action-publish"}))
    assert response.status_code == 403
    page.refresh_from_db()
    assert page.opening_hours != "changed"


@pytest.mark.parametrize(
    "view", ["wagtailadmin_pages:unpublish", "wagtailadmin_pages:delete", "wagtailadmin_pages:copy"]
)
def test_translator_cannot_unpublish_delete_or_copy_outside_its_language(client_for, view):
    client = client_for("Translators kk")
    page = branch("ru")
    assert client.post(reverse(view, args=[page.pk])).status_code == 403
    assert BranchPage.objects.get(pk=page.pk).live


def test_translator_cannot_move_a_page_into_another_language(client_for):
    client = client_for("Translators kk")
    page, destination = branch("kk"), Page.objects.get(locale__language_code="ru", slug="about")
    response = client.post(reverse("wagtailadmin_pages:move_confirm", args=[page.pk, destination.pk]))
    assert response.status_code == 403
    assert BranchPage.objects.get(pk=page.pk).get_parent().locale.language_code == "kk"


def test_translator_is_offered_only_its_own_language_to_translate_into(client_for):
    client = client_for("Translators kk")
    article = NewsArticlePage.objects.get(slug=MINISTER)
    response = client.get(reverse("wagtail_localize:submit_page_translation", args=[article.pk]))
    assert response.status_code == 200
    form = response.context["form"]
    assert [locale.language_code for locale in form.fields["locales"].queryset] == ["kk"]
    assert form.fields["select_all"].widget.is_hidden  # nothing to select all of


def test_translator_starts_a_translation_into_its_own_language(client_for, locales):
    client = client_for("Translators kk")
    article = NewsArticlePage.objects.get(slug=MINISTER)
    response = client.post(
        reverse("wagtail_localize:submit_page_translation", args=[article.pk]), {"locales": [locales["kk"].pk]}
    )
    assert response.status_code == 302
    kazakh = article.get_translation(locales["kk"])
    assert not kazakh.live  # translations start as drafts
    assert kazakh.alias_of_id is None


def test_translator_cannot_start_a_translation_into_another_language(client_for, locales):
    client = client_for("Translators kk")
    article = NewsArticlePage.objects.get(slug=MINISTER)
    response = client.post(
        reverse("wagtail_localize:submit_page_translation", args=[article.pk]),
        {"locales": [locales["kk"].pk, locales["ru"].pk]},
    )
    assert response.status_code == 403
    assert article.get_translation_or_none(locales["ru"]) is None
    assert article.get_translation_or_none(locales["kk"]) is None


def test_translator_cannot_touch_another_languages_translation(client_for):
    client = client_for("Translators kk")
    translation = english_translation_of_visit()
    segment = translation.source.stringsegment_set.first()
    before = StringTranslation.objects.filter(locale=translation.target_locale).count()

    edit_string = reverse("wagtail_localize:edit_string_translation", args=[translation.pk, segment.pk])
    assert client.put(edit_string, "value=hacked", content_type="application/x-www-form-urlencoded").status_code == 403
    assert client.get(reverse("wagtail_localize:download_pofile", args=[translation.pk])).status_code == 403
    assert client.post(reverse("wagtail_localize:upload_pofile", args=[translation.pk])).status_code == 403
    assert client.post(reverse("wagtail_localize:machine_translate", args=[translation.pk])).status_code == 403
    assert client.post(reverse("wagtail_localize:stop_translation", args=[translation.pk])).status_code == 403
    assert client.get(reverse("wagtail_localize:update_translations", args=[translation.source_id])).status_code == 403
    assert client.post(reverse("wagtail_localize:update_translations", args=[translation.source_id])).status_code == 403

    assert StringTranslation.objects.filter(locale=translation.target_locale).count() == before
    assert not StringTranslation.objects.filter(data="hacked").exists()
    assert Translation.objects.get(pk=translation.pk).enabled


def test_the_english_translator_works_on_the_english_translation(client_for):
    client = client_for("Translators en")
    translation = english_translation_of_visit()
    segment = translation.source.stringsegment_set.order_by("order").first()
    url = reverse("wagtail_localize:edit_string_translation", args=[translation.pk, segment.pk])
    response = client.put(url, "value=A hematologist's visit", content_type="application/x-www-form-urlencoded")
    assert response.status_code in (200, 201)
    assert StringTranslation.objects.filter(locale=translation.target_locale, data="A hematologist's visit").exists()


# Editors and moderators ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_editor_may_add_pages_in_every_language(client_for, language):
    client = client_for("Editors")
    about = Page.objects.get(locale__language_code=language, slug="about")
    url = reverse("wagtailadmin_pages:add", args=["about", "aboutpage", about.pk])
    assert client.get(url).status_code == 200


def test_editor_cannot_publish_but_submits_news_for_review(client_for):
    client = client_for("Editors")
    news = NewsIndexPage.objects.get(locale__language_code="ru")
    data = nested_form_data(
        {
            "title": "Школа пациентов",
            "slug": "shkola-pacientov",
            "date": "2026-11-20 10:00",
            "summary": "Занятие для пациентов",
            "body": streamfield([("paragraph", rich_text("<p>Текст</p>"))]),
            "action-publish": "action-publish",
        }
    )
    client.post(reverse("wagtailadmin_pages:add", args=["news", "newsarticlepage", news.pk]), data)
    article = NewsArticlePage.objects.get(slug="shkola-pacientov")
    assert not article.live

    data = {**data, "action-submit": "action-submit"}
    data.pop("action-publish")
    response = client.post(reverse("wagtailadmin_pages:edit", args=[article.pk]), data)
    assert response.status_code == 302
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(article.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "Review and publish"
    assert not NewsArticlePage.objects.get(pk=article.pk).live


def test_moderator_approves_and_the_news_goes_live(client_for, user_in, client):
    news = NewsIndexPage.objects.get(locale__language_code="kk")
    article = NewsArticlePage(title="Пациенттер мектебі", slug="mektep", summary="Сабақ", live=False)
    news.add_child(instance=article)
    editor = user_in("Editors")
    article.save_revision(user=editor)
    article.get_workflow().start(article, editor)
    state = WorkflowState.objects.get(object_id=str(article.pk))
    task_state = state.current_task_state

    client.force_login(user_in("Moderators"))
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[article.pk, "approve", task_state.pk]), {"comment": ""}
    )
    assert response.status_code in (200, 302)
    assert NewsArticlePage.objects.get(pk=article.pk).live
    assert "Пациенттер мектебі" in client.get("/kk/news/mektep/").content.decode()


def test_editor_cannot_unpublish(client_for):
    page = branch("kk")
    response = client_for("Editors").post(reverse("wagtailadmin_pages:unpublish", args=[page.pk]))
    assert response.status_code == 403
    assert BranchPage.objects.get(pk=page.pk).live


def test_moderator_unpublishes_in_any_language(client_for):
    page = branch("en")
    response = client_for("Moderators").post(reverse("wagtailadmin_pages:unpublish", args=[page.pk]))
    assert response.status_code == 302
    assert not BranchPage.objects.get(pk=page.pk).live


def test_editor_may_not_use_the_moderators_approval(client_for):
    news = NewsIndexPage.objects.get(locale__language_code="kk")
    article = NewsArticlePage(title="Жоба", slug="zhoba", live=False)
    news.add_child(instance=article)
    article.save_revision()
    article.get_workflow().start(article, None)
    client = client_for("Editors")
    task_state = WorkflowState.objects.get(object_id=str(article.pk)).current_task_state
    response = client.post(reverse("wagtailadmin_pages:workflow_action", args=[article.pk, "approve", task_state.pk]))
    assert response.status_code == 403
    assert not NewsArticlePage.objects.get(pk=article.pk).live


def test_translation_sources_are_only_ever_read_by_translators(client_for):
    # Opening a source page in another language to translate from it changes nothing there.
    client = client_for("Translators kk")
    article = NewsArticlePage.objects.get(slug=MINISTER)
    before = TranslationSource.objects.count()
    client.get(reverse("wagtail_localize:submit_page_translation", args=[article.pk]))
    assert TranslationSource.objects.count() == before
