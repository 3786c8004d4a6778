from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.documents import get_document_model
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished

from . import indexing


@receiver(page_published)
def page_was_published(sender, instance, **kwargs):
    indexing.index_page(instance)


@receiver(page_unpublished)
def page_was_unpublished(sender, instance, **kwargs):
    indexing.remove_page(instance)


@receiver(post_save, sender=get_document_model())
def document_was_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        indexing.index_document(instance)


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def privacy_changed(sender, instance, raw=False, **kwargs):
    # A page made private (or public again) leaves (or rejoins) the search, and so do the pages below it.
    if not raw:
        for page in Page.objects.descendant_of(instance.page, inclusive=True).live().specific():
            indexing.index_page(page)
