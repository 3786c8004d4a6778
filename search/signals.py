from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.documents import get_document_model
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
