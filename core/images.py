"""The renditions the templates use, named once, so they can be made ahead of any visitor's request."""

from wagtail.images.models import Filter

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
