from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import frontend_cache
from .cache import bump_generation
from .images import prerender


@receiver(post_save, sender=get_image_model())
def image_saved(sender, instance, created, raw=False, **kwargs):
    # Renditions are made when an image arrives (upload or import), never in a visitor's request.
    if created and not raw:
        prerender(instance)


# Content changes retire every cached page and fragment at once (core.cache explains why one counter).
def _content_changed(**kwargs):
    bump_generation()


for _signal in (page_published, page_unpublished, post_page_move):
    _signal.connect(_content_changed, dispatch_uid=f"content-changed-{_signal!r}")
for _model in (Page, Locale, Site, PageViewRestriction, get_image_model()):
    post_delete.connect(_content_changed, sender=_model, dispatch_uid=f"content-deleted-{_model.__name__}")
for _model in (Locale, Site, PageViewRestriction, get_image_model()):
    # An image's alt text or focal point, a new language, a new site or a password on a page change what pages show.
    post_save.connect(_content_changed, sender=_model, dispatch_uid=f"content-saved-{_model.__name__}")


# The CDN or caching proxy in front of the site, when there is one (core.frontend_cache).
page_published.connect(frontend_cache.page_changed, dispatch_uid="frontend-cache-published")
page_unpublished.connect(frontend_cache.page_changed, dispatch_uid="frontend-cache-unpublished")
post_page_move.connect(frontend_cache.page_moved, dispatch_uid="frontend-cache-moved")
pre_delete.connect(frontend_cache.page_deleted, sender=Page, dispatch_uid="frontend-cache-deleted")
