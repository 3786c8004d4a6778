"""Bind the roles and the review workflow to pages as they are created (a new install has none at first)."""

from django.apps import apps
from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver
from wagtail.models import Page

from home.models import HomePage
from news.models import NewsIndexPage

from . import roles, source_deletion


@receiver(post_save, sender=HomePage)
def home_page_created(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        roles.bind_translators_to_home(apps, instance)


@receiver(post_save, sender=NewsIndexPage)
def news_index_created(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        roles.bind_review_workflow(apps, instance)


# Deleting a translation source leaves its translations standing; their history says so (editorial/source_deletion.py).
pre_delete.connect(
    source_deletion.log_translations_left_standing, sender=Page, dispatch_uid="editorial-translation-source-deleted"
)
