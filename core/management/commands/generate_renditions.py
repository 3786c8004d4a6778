from django.core.management.base import BaseCommand
from wagtail.images import get_image_model

from core.images import prerender


class Command(BaseCommand):
    help = "Make the renditions the site shows (AVIF, WebP, JPEG in each size) of every image, ahead of visitors."

    def handle(self, *args, **options):
        ready, unreadable = 0, 0
        for image in get_image_model().objects.order_by("pk").iterator():
            try:
                prerender(image)
            except OSError as error:
                # The original is missing or damaged (deleted, media not mounted, restored without media): say which
                # and go on; its pages show the renditions already made, or a placeholder (core.images).
                unreadable += 1
                self.stderr.write(
                    f"Image {image.pk} “{image.title}”: its file {image.file.name} cannot be read ({error})"
                )
            else:
                ready += 1
        self.stdout.write(f"Renditions ready for {ready} images.")
        if unreadable:
            self.stdout.write(f"{unreadable} image(s) skipped: their original file cannot be read (listed above).")
