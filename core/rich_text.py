"""Rich text as visitors get it: only the markup the editor can produce, whatever reached the database.

Draftail (the editor) keeps only the features it is configured with, but a value saved any other way (an import, a
script, an API, a restored backup, a translation upload) is stored as is, and Wagtail's rewriter only expands its
own page/document links: an <a href="javascript:…">, an onclick or a <script> would reach the page untouched. So
every rich text is cleaned when it is rendered: templates/wagtailcore/shared/richtext.html, the template through
which Wagtail renders every rich text (the |richtext filter and RichTextBlock values), applies clean_rich_text.
"""

import nh3
from bs4 import BeautifulSoup
from django.utils.safestring import SafeString, mark_safe
from wagtail.admin.rich_text import DraftailRichTextArea

# Every element Wagtail's rich text features can produce (the site uses a subset: settings WAGTAILADMIN_RICH_TEXT_
# EDITORS), so that enabling one later does not silently lose content; no embeds (iframes) and no classes or styles.
TAGS = {
    *("p", "br", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "hr", "ul", "ol", "li"),
    *("a", "b", "strong", "i", "em", "u", "s", "sub", "sup", "code", "img"),
}
ATTRIBUTES = {"a": {"href"}, "img": {"src", "alt", "width", "height", "class"}}
# Relative addresses (the site's own pages and documents) are kept; javascript:, vbscript:, data: and any other
# scheme are dropped, however they are written (case, spaces, entities, control characters).
URL_SCHEMES = {"http", "https", "mailto", "tel"}

_cleaner = nh3.Cleaner(tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel=None)


def clean_rich_text(html: str) -> SafeString:
    """The rich text without scripts, event handlers, styles, frames or links to script (their text is kept)."""
    return mark_safe(_cleaner.clean(str(html or "")))  # noqa: S308 - nh3 has just sanitized it


# -- In the editor -------------------------------------------------------------------------------------------------

# Void elements as another tool writes them (<br>, <img src=…>) rather than as Wagtail does (<br/>): Wagtail's
# converter to the editor's format waits for their end tag and fails ("Unmatched tags"), so the page cannot be opened.
_IMAGES = ("img", "picture", "source")


def editable_rich_text(html: str) -> str:
    """Rich text the editor (Draftail) can open: raw pictures (<img>, which the editor has no feature for: pictures
    are image blocks) taken out, every void element closed as Wagtail writes it. The text around them is kept."""
    if "<" not in html:
        return html
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(_IMAGES):
        tag.decompose()
    return str(soup)


class RichTextEditor(DraftailRichTextArea):
    """Wagtail's Draftail editor (settings WAGTAILADMIN_RICH_TEXT_EDITORS), opening whatever is stored: a rich text
    saved by an import, a PO upload or a restore may hold markup the editor never writes. It is cleaned when the
    editor opens, and stored cleaned when the editor saves."""

    def format_value(self, value):
        return super().format_value(editable_rich_text(str(value or "")))
