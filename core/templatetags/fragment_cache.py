"""{% fragment "name" value … %}…{% endfragment %}: a part of a page rendered once per content generation.

The body of an article (its pictures in three formats and widths, its gallery, its rich text) is the costliest part
of a page and the same for every visitor: it is kept in the cache (core.cache.remember, so in this process first)
under its name, the values given (a page's id, a page number), the language and the host, until the content
changes. Previews are always rendered afresh (they show a draft under the live page's id).
"""

from django import template
from django.utils import translation
from django.utils.safestring import mark_safe

from core.cache import remember

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, values):
        self.nodelist, self.name, self.values = nodelist, name, values

    def render(self, context):
        request = context.get("request")
        if request is None or getattr(request, "is_preview", False):
            return self.nodelist.render(context)
        parts = [str(self.name.resolve(context)), translation.get_language(), request.get_host()]
        parts += [str(value.resolve(context)) for value in self.values]
        html = remember("fragment:" + ":".join(parts), lambda: str(self.nodelist.render(context)))
        return mark_safe(html)  # noqa: S308 - the template's own output, escaped when it was rendered


@register.tag("fragment")
def fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError('{% fragment %} needs a name: {% fragment "article" page.pk %}')
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(bit) for bit in bits[2:]])


@register.simple_tag
def prefetch_renditions(page) -> str:
    """Inside a fragment: one query for the renditions of all the page's pictures, only when it is rendered."""
    from core.images import prefetch_renditions_of

    prefetch_renditions_of(page)
    return ""
