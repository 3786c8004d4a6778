"""Rich text holding markup the editor cannot produce (a raw <img>, an unclosed <br> or <hr>), as an import, a PO
upload or a restored backup can leave it, opens in the editor, cleaned, instead of a 500 (core.rich_text)."""

import json
import re
from html import unescape

import pytest
from django.urls import reverse
from wagtail.rich_text import RichText

from about.models import AboutPage, BranchPage
from home.models import HomePage
from news.models import NewsArticlePage, NewsIndexPage
from tests.helpers import MINISTER

pytestmark = pytest.mark.django_db

RAW_IMAGE = '<p>a<img src="x.png">b</p>'


@pytest.fixture
def editor(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("editor", "editor@example.com", "secret"))
    return client


def saved_with(page, field: str, html: str):
    """The page with `html` in a rich text, saved and published as a script or an import writes it (no editor)."""
    page = page.specific
    if field == "body":
        page.body = [("paragraph", RichText(html))]
    else:
        setattr(page, field, html)
    page.save_revision().publish()
    return page


def editor_texts(response) -> list[str]:
    """The (plain) texts of the blocks every Draftail editor on the page starts from: its contentstate, in a
    field's value or, JSON in JSON, in a StreamField's data."""
    html = unescape(response.content.decode()).replace('\\"', '"')
    return re.findall(r'"text": "([^"\\]*)"', html)


def contentstate_texts(html: str) -> list[str]:
    widget = AboutPage.body.field.stream_block.child_blocks["paragraph"].field.widget
    return [block["text"] for block in json.loads(widget.format_value(html))["blocks"]]


def source_page(model):
    """A page of that type written in its own language (a translation opens in wagtail-localize's editor)."""
    if model is NewsArticlePage:
        return NewsArticlePage.objects.get(slug=MINISTER, locale__language_code="en")  # written in English only
    return model.objects.filter(locale__language_code="kk").first()


@pytest.mark.parametrize(
    ("model", "field"),
    [
        (AboutPage, "body"),
        (NewsArticlePage, "body"),
        (BranchPage, "services"),
        (NewsIndexPage, "intro"),
        (HomePage, "intro"),
    ],
    ids=["about-body", "news-article-body", "branch-services", "news-index-intro", "home-intro"],
)
def test_a_raw_image_in_rich_text_opens_in_the_editor_without_it(editor, model, field):
    page = saved_with(source_page(model), field, RAW_IMAGE)
    response = editor.get(reverse("wagtailadmin_pages:edit", args=[page.pk]), headers={"accept-language": "en"})
    assert response.status_code == 200
    assert page.title in response.content.decode()
    assert "ab" in editor_texts(response)  # the text around the picture, in the editor's data
    assert 'src="x.png"' not in unescape(response.content.decode())


def test_unclosed_line_breaks_and_rules_open_in_the_editor(editor):
    page = saved_with(AboutPage.objects.get(slug="about", locale__language_code="kk"), "body", "<p>a<br>b<hr>c</p>")
    response = editor.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200 and page.title in response.content.decode()
    assert contentstate_texts("<p>a<br>b<hr>c</p>") == ["a\nbc"]


def test_saving_from_the_editor_stores_the_cleaned_text(editor):
    page = saved_with(source_page(NewsArticlePage), "body", RAW_IMAGE)
    widget = NewsArticlePage.body.field.stream_block.child_blocks["paragraph"].field.widget
    state = widget.format_value(RAW_IMAGE)
    assert re.fullmatch(r'<p data-block-key="\w+">ab</p>', widget.value_from_datadict({"text": state}, {}, "text"))
    assert page.body[0].value.source == RAW_IMAGE  # nothing is rewritten until an editor saves
