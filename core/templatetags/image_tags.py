"""Wagtail's {% picture %} and {% image %} tags, same syntax, that survive a missing original file.

Wagtail's own tags render a "not-found" rendition when an image's original cannot be read: an <img> with an empty
URL in src and srcset. These show the renditions that already exist, else a placeholder box that keeps the alt
text (core.images), and log a warning. Load them instead of wagtailimages_tags: {% load image_tags %}.
"""

from django import template
from wagtail.images.models import Picture
from wagtail.images.templatetags import wagtailimages_tags as wagtail_tags

from core.images import placeholder, renditions_or_existing

register = template.Library()


class ImageNode(wagtail_tags.ImageNode):
    def render(self, context):
        image = self.validate_image(context)
        if not image:
            return ""
        image_filter = self.get_filter()
        rendition = renditions_or_existing(image, [image_filter]).get(image_filter.spec)
        if self.output_var_name:
            context[self.output_var_name] = rendition  # None when there is none: test it with {% if %}
            return ""
        attrs = {name: value.resolve(context) for name, value in self.attrs.items()}
        return rendition.img_tag(attrs) if rendition else placeholder(image, image_filter, attrs)


class PictureNode(wagtail_tags.PictureNode):
    def render(self, context):
        image = self.validate_image(context)
        if not image:
            return ""
        filters = self.get_filters()
        renditions = renditions_or_existing(image, filters)
        if self.output_var_name:
            context[self.output_var_name] = Picture(renditions) if renditions else None
            return ""
        attrs = {name: value.resolve(context) for name, value in self.attrs.items()}
        return Picture(renditions, attrs).__html__() if renditions else placeholder(image, filters[0], attrs)


@register.tag("image")
@register.tag("picture")
def image_tag(parser, token):
    # Wagtail's parser checks the syntax; its node's parts go into ours.
    node = wagtail_tags.image(parser, token)
    node_class = PictureNode if isinstance(node, wagtail_tags.PictureNode) else ImageNode
    return node_class(node.image_expr, node.filter_specs, output_var_name=node.output_var_name, attrs=node.attrs)
