"""No javascript: link, event handler or script reaches a page, however the content was saved: rich text stored by a
script or an API (bypassing the editor), the Grav importer's markdown and raw HTML, the table, quote, heading, map
and video blocks, the branch map. A browser's-eye check: the page is parsed as a browser would, and every element,
attribute and address in it is inspected."""

import re
from html.parser import HTMLParser

import pytest
from django.utils import timezone
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.finders import get_finders
from wagtail.embeds.models import Embed

from about.models import AboutPage, BranchPage
from grav_import.convert import convert
from home.models import HomePage
from news.models import NewsIndexPage
from tests.factories import NewsArticlePageFactory
from tests.helpers import page_text

pytestmark = pytest.mark.django_db

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "background", "srcset"}
ALLOWED_FRAMES = re.compile(r"^https://(?:[\w-]+\.)*(?:yandex\.ru|google\.com|youtube\.com|youtube-nocookie\.com)/")

# Every way a stored rich text could try to run script.
RICH_TEXT_PAYLOADS = (
    '<p>Open <a href="javascript:alert(1)">one</a>, <a href="JaVaScRiPt:alert(2)">two</a>, '
    '<a href=" javascript:alert(3)">three</a>, <a href="java&#x09;script:alert(4)">four</a>, '
    '<a href="&#106;avascript:alert(5)">five</a>, <a href="javascript&colon;alert(6)">six</a>, '
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCg3KTwvc2NyaXB0Pg==">seven</a>, '
    '<a href="vbscript:msgbox(8)">eight</a>, <a href="https://example.kz/" onmouseover="alert(9)">nine</a>.</p>'
    '<p onclick="alert(10)"><b onclick="alert(11)">Bold</b> <img src="x" onerror="alert(12)"></p>'
    '<script>alert(13)</script><svg onload="alert(14)"></svg><iframe src="javascript:alert(15)"></iframe>'
    '<p><a href="/kk/about/">Internal</a> <a href="mailto:info@example.kz">Mail</a> '
    '<a href="tel:+77172000000">Call</a></p>'
)


class _Inspector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if (
            tag == "script"
            and attrs.get("type") != "application/ld+json"
            and not attrs.get("src", "").startswith("/static/")
        ):
            self.problems.append(f"<script {attrs}>")
        if tag in {"object", "embed", "applet", "base", "frame"}:
            self.problems.append(f"<{tag}>")
        if tag == "iframe" and not ALLOWED_FRAMES.match(attrs.get("src") or ""):
            self.problems.append(f"<iframe src={attrs.get('src')!r}>")
        for name, value in attrs.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            elif name in URL_ATTRIBUTES and value:
                address = re.sub(r"[\x00-\x20]", "", value).lower()
                if address.startswith(("javascript:", "vbscript:")) or (
                    address.startswith("data:") and not (tag == "img" and address.startswith("data:image/"))
                ):
                    self.problems.append(f"<{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag


def active_content(html: str) -> list[str]:
    """What in this HTML could run script in a visitor's browser (the site's own JSON-LD and site.js excepted)."""
    inspector = _Inspector()
    inspector.feed(html)
    inspector.close()
    return inspector.problems


def test_the_inspector_sees_what_a_browser_would_run():
    assert len(active_content(RICH_TEXT_PAYLOADS)) >= 14
    assert active_content('<a href="/kk/">x</a><script type="application/ld+json" nonce="n">{}</script>') == []


def article(body, **fields) -> str:
    """An article whose body was stored as raw StreamField data, the way a script or an API saves it: no editor."""
    news = NewsIndexPage.objects.get(locale__language_code="en")
    page = NewsArticlePageFactory(parent=news, slug="stored-directly", title="Stored directly", **fields)
    page.body = body
    page.save()
    return page.url


def article_html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return re.search(r"<article.*</article>", response.content.decode(), re.S).group(0)


# -- Rich text -------------------------------------------------------------------------------------------------------


def test_rich_text_stored_without_the_editor_is_shown_without_its_script(client):
    url = article([{"type": "paragraph", "value": RICH_TEXT_PAYLOADS}])
    response = client.get(url)
    html = response.content.decode()
    assert active_content(html) == []
    assert "alert(" not in html  # not even as the text of a script
    text = page_text(response)
    for word in ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "Bold"):
        assert word in text  # the words stay, only the links and handlers go
    # Links that are fine keep working.
    for link in (
        '<a href="https://example.kz/">nine</a>',
        '<a href="/kk/about/">Internal</a>',
        '<a href="mailto:info@example.kz">Mail</a>',
        '<a href="tel:+77172000000">Call</a>',
    ):
        assert link in html


def test_links_to_pages_and_documents_are_still_expanded(client):
    about_page = AboutPage.objects.filter(locale__language_code="en").first()
    url = article([{"type": "paragraph", "value": f'<p>See <a linktype="page" id="{about_page.pk}">about us</a>.</p>'}])
    html = article_html(client, url)
    assert f'<a href="{about_page.url}">about us</a>' in html


@pytest.mark.parametrize(
    ("model", "field", "url"),
    [(NewsIndexPage, "intro", "/en/news/"), (HomePage, "intro", "/en/"), (BranchPage, "services", None)],
)
def test_rich_text_fields_are_cleaned_too(client, model, field, url):
    page = model.objects.filter(locale__language_code="en").first()
    setattr(page, field, RICH_TEXT_PAYLOADS)
    page.save()
    response = client.get(url or page.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert active_content(html) == [] and "alert(" not in page_text(response)
    assert "Bold" in page_text(response)


# -- Plain-text blocks: shown as text, never as markup ------------------------------------------------------------

MARKUP = '<img src=x onerror="alert(1)"><script>alert(2)</script><a href="javascript:alert(3)">x</a>'


def test_table_quote_and_heading_show_markup_as_text(client):
    url = article(
        [
            {"type": "heading", "value": {"text": MARKUP, "level": "h2"}},
            {"type": "quote", "value": {"text": MARKUP, "attribution": MARKUP}},
            {
                "type": "table",
                "value": {
                    "first_row_is_table_header": True,
                    "first_col_is_header": True,
                    "table_header_choice": "both",
                    "table_caption": MARKUP,
                    "data": [[MARKUP, "b"], [MARKUP, MARKUP]],
                },
            },
        ]
    )
    html = article_html(client, url)
    assert active_content(html) == []
    assert html.count("&lt;script&gt;alert(2)&lt;/script&gt;") == 7  # heading, quote ×2, caption, three cells


# -- Maps and videos: known services only -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "javascript:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "https://evil.example\\@yandex.ru/map-widget/v1/",  # a browser opens evil.example
        "https://yandex.ru@evil.example/",
        "http://yandex.ru/map-widget/v1/",
    ],
)
def test_a_map_from_anywhere_else_is_not_shown(client, address):
    html = article_html(client, article([{"type": "map", "value": {"url": address, "title": "Astana"}}]))
    assert "<iframe" not in html and active_content(html) == []


def test_a_map_of_a_known_service_is_shown(client):
    address = "https://yandex.ru/map-widget/v1/?ll=71.43%2C51.13&amp;z=12"
    html = article_html(client, article([{"type": "map", "value": {"url": address, "title": "Astana"}}]))
    assert '<iframe src="https://yandex.ru/map-widget/v1/' in html


@pytest.mark.parametrize("address", ["javascript:alert(1)", "https://evil.example/map"])
def test_a_branch_map_from_anywhere_else_is_not_shown(client, address):
    branch = BranchPage.objects.filter(locale__language_code="en").first()
    # Written straight to the database (the importer takes it from a Grav page's front matter unchecked).
    BranchPage.objects.filter(pk=branch.pk).update(map_embed_url=address)
    html = client.get(branch.url).content.decode()
    assert 'class="branch__map"' not in html and active_content(html) == []


def cached_embed(url: str, html: str) -> None:
    """What Wagtail would have stored after asking the provider (no network in tests)."""
    Embed.objects.create(url=url, hash=get_embed_hash(url), type="video", html=html, width=640, height=360)


def test_a_video_from_anywhere_else_is_not_shown(client):
    tweet = "https://twitter.com/someone/status/1"
    cached_embed(tweet, '<blockquote>t</blockquote><script src="https://platform.twitter.com/widgets.js"></script>')
    body = [
        {"type": "video", "value": {"video": "javascript:alert(1)", "caption": "One"}},
        {"type": "video", "value": {"video": tweet, "caption": "Two"}},
    ]
    html = article_html(client, article(body))
    assert 'class="video"' not in html and active_content(html) == []
    # Nor would Wagtail ask any provider but YouTube and Vimeo.
    assert not any(finder.accept(tweet) for finder in get_finders())
    assert all(
        any(finder.accept(url) for finder in get_finders())
        for url in ("https://youtu.be/abc", "https://www.youtube.com/watch?v=abc", "https://vimeo.com/1")
    )


def test_a_youtube_video_is_shown(client):
    video = "https://www.youtube.com/watch?v=abc"
    cached_embed(video, '<iframe src="https://www.youtube.com/embed/abc" title="Video"></iframe>')
    html = article_html(client, article([{"type": "video", "value": {"video": video, "caption": "Our clinic"}}]))
    assert '<iframe src="https://www.youtube.com/embed/abc"' in html and active_content(html) == []


# -- The Grav importer -----------------------------------------------------------------------------------------------

GRAV_PAGE = r"""
===

[one](javascript:alert(1)) [two](JaVaScRiPt:alert(2)) [three](<%20javascript:alert(3)>)
[four](data:text/html;base64,PHNjcmlwdD4=)
<javascript:alert(5)> [six](java&#x09;script:alert(6)) [seven](&#106;avascript:alert(7)) [eight](vbscript:msgbox(8))
[fine](https://example.kz/)

<a href="javascript:alert(10)" onclick="alert(11)">ten</a> <img src="x.jpg" onerror="alert(12)">
<b onmouseover="alert(13)">bold</b> <a href="java&#x09;script:alert(14)">fourteen</a>
<a href="javascript&colon;alert(15)">x</a>

<script>alert(16)</script>

<div onclick="alert(17)"><p>In a div <a href="vbscript:msgbox(18)">y</a>
<a href="data:text/html,<script>alert(19)</script>">z</a></p></div>

| a | b |
|---|---|
| <img src=x onerror=alert(20)> | [x](javascript:alert(21)) <a href="javascript:alert(22)">t</a> |

> quote <script>alert(23)</script> [q](javascript:alert(24)) <span onclick="alert(25)">s</span>

## Heading <img src=x onerror=alert(26)> [h](javascript:alert(27))

- item [li](javascript:alert(28)) <a href=" javascript:alert(29)" onfocus="alert(30)">li2</a>

<iframe src="javascript:alert(31)"></iframe>
<iframe src="https://evil.example\@yandex.ru/map-widget/v1/" title="Map"></iframe>
<svg onload="alert(32)"><a xlink:href="javascript:alert(33)">svg</a></svg>
<object data="javascript:alert(34)"></object><embed src="javascript:alert(35)">
<table><tr><td onclick="alert(36)"><a href="javascript:alert(37)">cell</a></td></tr></table>
<blockquote onclick="alert(38)">bq <a href="javascript:alert(39)">x</a></blockquote>
<h3 onclick="alert(40)">H <a href="javascript:alert(41)">x</a></h3>
"""


class NothingFound:
    def image(self, src):
        return None

    def document(self, href):
        return None

    def page(self, href):
        return None


def test_the_grav_importer_keeps_no_script_from_markdown_or_raw_html(client):
    converted = convert(GRAV_PAGE, NothingFound())
    stored = []
    for name, value in converted.blocks:
        assert name in {"paragraph", "heading", "quote", "table"}, name  # no map, video, image from the payloads
        stored.append(getattr(value, "source", None) or str(value))
    # The stored rich text carries no link, handler or element that runs script.
    assert active_content("".join(stored)) == []
    assert "<a " in "".join(stored) and 'href="https://example.kz/"' in "".join(stored)
    assert "javascript: URL removed" in converted.needs_review and "script removed" in converted.needs_review
    # And the page made from it shows none either.
    html = article_html(client, article(converted.blocks, date=timezone.now()))
    # (An autolink "<javascript:alert(5)>" leaves its address as plain text, not as a link.)
    assert active_content(html) == [] and "alert(" not in html.replace("javascript:alert(5)", "")
