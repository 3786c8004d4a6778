"""Bind the roles and the review workflow to pages as they are created (a new install has none at first)."""

from django.apps import apps
from django.db.models.signals import post_save
from django.dispatch import receiver

from home.models import HomePage
from news.models import NewsIndexPage

from . import roles


@receiver(post_save, sender=HomePage)
def home_page_created(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        roles.bind_translators_to_home(apps, instance)


@receiver(post_save, sender=NewsIndexPage)
def news_index_created(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        roles.bind_review_workflow(apps, instance)
