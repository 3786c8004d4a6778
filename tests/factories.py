from datetime import timedelta

import factory
import wagtail_factories
from django.utils import timezone

from news.models import NewsArticlePage


class NewsArticlePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Мақала {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    summary = "Қысқаша мазмұны"
    date = factory.Sequence(lambda n: timezone.now() - timedelta(days=n))

    class Meta:
        model = NewsArticlePage
