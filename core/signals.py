from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.images import get_image_model

from .images import prerender


@receiver(post_save, sender=get_image_model())
def image_saved(sender, instance, created, raw=False, **kwargs):
    # Renditions are made when an image arrives (upload or import), never in a visitor's request.
    if created and not raw:
        prerender(instance)
