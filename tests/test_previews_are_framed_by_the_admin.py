"""The editor's live preview is a frame of the admin: preview responses may be framed by the admin's own origin
(frame-ancestors 'self', X-Frame-Options SAMEORIGIN), while the public pages stay unframeable."""

import re

import pytest
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield
from wagtail_localize.models import Translation

from about.models import AboutPage
from tests.helpers import page_text

pytestmark = pytest.mark.django_db


def frame_ancestors(response) -> str:
    return re.search(r"frame-ancestors ([^;]+)", response["Content-Security-Policy"]).group(1)


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin", "admin@example.com", "secret"))
    return client


def test_the_editors_preview_panel_may_frame_the_preview(admin_client):
    about = AboutPage.objects.get(locale__language_code="en", slug="about")
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[about.pk])
    form = nested_form_data(
        {
            "title": "About the center (unsaved draft)",
            "slug": about.slug,
            "intro": "Seen only in the preview panel.",
            "body": streamfield([]),
            "comments": inline_formset([]),
        }
    )
    assert admin_client.post(url, form).json() == {"is_valid": True, "is_available": True}

    preview = admin_client.get(f"{url}?in_preview_panel=true")

    assert "About the center (unsaved draft)" in page_text(preview)
    assert "Seen only in the preview panel." in page_text(preview)
    assert frame_ancestors(preview) == "'self'"
    assert preview["X-Frame-Options"] == "SAMEORIGIN"


def test_the_translation_editors_preview_may_be_framed_too(admin_client):
    translation = Translation.objects.filter(target_locale__language_code="ru").first()
    ru_page = translation.get_target_instance()

    preview = admin_client.get(reverse("wagtail_localize:preview_translation", args=[translation.pk]))

    assert ru_page.title in page_text(preview)
    assert frame_ancestors(preview) == "'self'"
    assert preview["X-Frame-Options"] == "SAMEORIGIN"


def test_a_public_page_still_refuses_every_frame(admin_client, client):
    about = Page.objects.get(locale__language_code="en", slug="about")
    for visitor in (admin_client, client):  # signed in or not, the public page itself is never framed
        response = visitor.get(about.url)
        assert "About" in page_text(response)
        assert frame_ancestors(response) == "'none'"
        assert response["X-Frame-Options"] == "DENY"
