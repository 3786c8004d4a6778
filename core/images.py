"""The renditions the templates use, named once, so they can be made ahead of any visitor's request."""

import logging
from urllib.parse import quote

from django.db.models import prefetch_related_objects
from django.forms.utils import flatatt
from django.utils.safestring import SafeString, mark_safe
from wagtail.images.models import Filter

logger = logging.getLogger(__name__)

# {% picture %} specs of the templates (blocks/image_block.html, blocks/gallery_block.html, the article cover,
# includes/article_card.html) and the social preview (seo_tags).
RESPONSIVE = "format-{avif,webp,jpeg} width-{480,960,1440}"
CARD = "format-{avif,webp,jpeg} fill-{480x300,960x600}"
SOCIAL = "fill-1200x630|format-jpeg"


def rendition_specs() -> list[str]:
    return [*Filter.expand_spec(RESPONSIVE), *Filter.expand_spec(CARD), SOCIAL]


def prerender(image) -> None:
    """Make every rendition the site shows of this image (AVIF encoding takes a second or two per image)."""
    image.get_renditions(*rendition_specs())


def images_of(page) -> list:
    """The images a page shows: its cover image and the pictures of its image and gallery blocks."""
    images = [getattr(page, "cover_image", None)]
    for block in getattr(page, "body", None) or []:
        if block.block_type == "image":
            images.append(block.value.get("image"))
        elif block.block_type == "gallery":
            images.extend(item.get("image") for item in block.value["images"])
    return [image for image in images if image is not None]


def prefetch_renditions_of(page) -> None:
    """One query for the renditions of all the page's images, rather than one or two per image and picture tag
    (when Wagtail's rendition cache does not have them): a gallery of any size costs the same."""
    images = images_of(page)
    if images:
        prefetch_related_objects(images, "renditions")


# -- A missing original ------------------------------------------------------------------------------------------
# An image whose original file is gone (deleted, media disk not mounted, database restored without the media) must
# not take its pages down: the renditions already made are still shown, and where there is none, a placeholder.


def renditions_or_existing(image, specs) -> dict:
    """The renditions of image for specs (strings or Filters), keyed by spec. When the original file cannot be read,
    only those already made (possibly none), and a warning in the log."""
    try:
        return image.get_renditions(*specs)
    except OSError as error:  # Wagtail's SourceImageIOError; Pillow's UnidentifiedImageError for a damaged file
        logger.warning("Image %s: its original file %s cannot be read (%s)", image.pk, image.file.name, error)
    filters = [spec if isinstance(spec, Filter) else Filter(spec=spec) for spec in specs]
    existing = image.find_existing_renditions(*filters)
    return {f.spec: existing[f] for f in filters if f in existing}


def rendition_or_none(image, spec: str):
    """One rendition (e.g. the social preview), or None when it does not exist and cannot be made."""
    return renditions_or_existing(image, [spec]).get(spec)


def placeholder(image, spec: str | Filter, attrs: dict) -> SafeString:
    """A neutral box of the rendition's size in place of the picture: an <img> of an empty SVG (class
    image-placeholder, styled in site.css) that keeps the alt text, the classes and the layout, with no srcset."""
    image_filter = spec if isinstance(spec, Filter) else Filter(spec=spec)
    try:
        width, height = (max(1, round(n)) for n in image_filter.get_transform(image).size)
    except Exception:  # noqa: BLE001 - no usable size recorded: any box will do
        width, height = 4, 3
    svg = f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}'/>"
    kept = {name: value for name, value in attrs.items() if name not in {"src", "srcset", "sizes", "fetchpriority"}}
    kept["class"] = f"image-placeholder {kept.get('class', '')}".strip()
    kept.setdefault("alt", "")
    return mark_safe(  # noqa: S308 - flatatt escapes every attribute
        f'<img src="data:image/svg+xml,{quote(svg)}" width="{width}" height="{height}"{flatatt(kept)}>'
    )
