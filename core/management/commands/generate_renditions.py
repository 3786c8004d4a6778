from django.core.management.base import BaseCommand
from wagtail.images import get_image_model

from core.images import prerender


class Command(BaseCommand):
    help = "Make the renditions the site shows (AVIF, WebP, JPEG in each size) of every image, ahead of visitors."

    def handle(self, *args, **options):
        images = get_image_model().objects.all()
        for image in images.iterator():
            prerender(image)
        self.stdout.write(f"Renditions ready for {images.count()} images.")
