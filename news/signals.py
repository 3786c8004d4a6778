from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from .feeds import forget_feeds
from .models import NewsArticlePage, NewsIndexPage


@receiver(page_published)
@receiver(page_unpublished)
def refresh_feeds(sender, instance, **kwargs):
    """A news item published, changed or withdrawn: its language's feeds are rebuilt on the next request."""
    page = instance.specific
    if isinstance(page, NewsIndexPage):
        forget_feeds(page.pk)
    elif isinstance(page, NewsArticlePage):
        parent = page.get_parent()
        if parent is not None:
            forget_feeds(parent.pk)
