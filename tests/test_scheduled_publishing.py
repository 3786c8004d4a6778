"""Scheduled publishing: a news item set to go live later appears when `manage.py publish_scheduled` runs (cron)
after its time, and one set to expire disappears."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from news.models import NewsArticlePage, NewsIndexPage
from tests.helpers import page_text

pytestmark = pytest.mark.django_db


def test_an_article_goes_live_at_its_time(client):
    news = NewsIndexPage.objects.get(locale__language_code="ru")
    article = NewsArticlePage(title="День донора", slug="den-donora", summary="Приглашаем доноров", live=False)
    news.add_child(instance=article)
    go_live = timezone.now() + timedelta(hours=1)
    article.go_live_at = go_live
    revision = article.save_revision(approved_go_live_at=go_live)
    revision.publish()  # scheduled, not live yet
    assert not NewsArticlePage.objects.get(pk=article.pk).live
    assert "День донора" not in page_text(client.get("/ru/news/"))

    call_command("publish_scheduled", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not NewsArticlePage.objects.get(pk=article.pk).live  # not yet time

    # An hour later (moved back in time rather than waiting):
    past = timezone.now() - timedelta(minutes=1)
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save()
    call_command("publish_scheduled", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert NewsArticlePage.objects.get(pk=article.pk).live
    assert "День донора" in page_text(client.get("/ru/news/"))


def test_an_article_expires(client):
    article = NewsArticlePage.objects.get(locale__language_code="ru")
    article.expire_at = timezone.now() - timedelta(minutes=1)
    article.save()
    call_command("publish_scheduled", stdout=open("/dev/null", "w"))  # noqa: SIM115
    article.refresh_from_db()
    assert not article.live and article.expired
    assert "Визит главного внештатного гематолога" not in page_text(client.get("/ru/news/"))
