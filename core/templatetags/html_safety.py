"""Filters for what must never reach a page, whatever was saved: script in rich text, a map from anywhere."""

from django import template

from core.blocks import is_allowed_map_url, is_allowed_video_url
from core.rich_text import clean_rich_text

register = template.Library()
register.filter("clean_rich_text", clean_rich_text)


@register.filter
def allowed_map_url(url: str) -> str:
    """The map's embed address if it is an https map of a known service (core.blocks.MAP_HOSTS), else ""."""
    return url if is_allowed_map_url(url) else ""


@register.filter
def allowed_video_url(url: str) -> str:
    """The video's address if it is on YouTube or Vimeo (core.blocks.VIDEO_HOSTS), else ""."""
    return url if is_allowed_video_url(url) else ""
