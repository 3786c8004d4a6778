"""Converting one Grav page body (markdown) into StreamField blocks: no database, a fake resolver stands in for
the media and pages the importer finds."""

import itertools
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from core import blocks as core_blocks
from grav_import.convert import convert

NEWS = Path("/work/shared/grav-sample/user/pages/02.news")
UNICEF = NEWS / "52.dialogue-for-children-central-asia-unicef/item.en.md"
MINISTER = NEWS / "51.minister-of-health-visited-hematology-senter-in-astana/item.en.md"
HOME = Path("/work/shared/grav-sample/user/pages/01.home/default.kk.md")
RICH_TEXT_TAGS = {"p", "b", "i", "a", "ul", "ol", "li", "br"}


class FakeResolver:
    """Every image and document exists unless its name says "missing"; pages are looked up in a dict."""

    def __init__(self, pages: dict[str, int] | None = None):
        self.pages = pages or {}
        self.ids = itertools.count(1)
        self.known: dict[str, SimpleNamespace] = {}

    def _file(self, name: str):
        if "missing" in name:
            return None
        if name not in self.known:
            self.known[name] = SimpleNamespace(id=next(self.ids), name=name)
        return self.known[name]

    def image(self, src):
        return self._file(src)

    def document(self, href):
        return self._file(href)

    def page(self, href):
        return self.pages.get(href)


def run(markdown: str, **kwargs):
    resolver = kwargs.pop("resolver", None) or FakeResolver()
    return convert(markdown, resolver, **kwargs)


def names(result) -> list[str]:
    return [name for name, _value in result.blocks]


def values(result, name: str) -> list:
    return [value for block_name, value in result.blocks if block_name == name]


def rich_html(result) -> str:
    return "".join(value.source for value in values(result, "paragraph"))


def body(path: Path) -> str:
    """The page body without its front matter (the importer's reader strips it before converting)."""
    text = path.read_text(encoding="utf-8")
    return text.split("---\n", 2)[2] if text.startswith("---\n") else text


def minister_article() -> str:
    if not MINISTER.exists():
        pytest.skip("the Grav sample is not available")
    return body(MINISTER).encode("mac_roman").decode("utf-8")  # the file's known mojibake, repaired


# -- summary -----------------------------------------------------------------------------------------------------


def test_text_above_the_summary_separator_becomes_the_summary_and_is_not_repeated():
    result = run("First *paragraph*.\n\nSecond one.\n\n===\n\nThe body.")
    assert result.summary == "First paragraph.\n\nSecond one."
    assert rich_html(result) == "<p>The body.</p>"


def test_without_a_separator_the_first_paragraph_becomes_the_summary():
    result = run("The opening paragraph.\n\nThe rest of the article.")
    assert result.summary == "The opening paragraph."
    assert rich_html(result) == "<p>The rest of the article.</p>"


def test_a_picture_above_the_summary_separator_is_kept_in_the_body_and_reported():
    result = run("![Ward](ward.jpg)\n\nThe summary.\n\n===\n\nThe body.")
    assert result.summary == "The summary."
    assert names(result) == ["image", "paragraph"]
    assert result.warnings == ["the image block above the summary separator was moved into the body"]


def test_summary_is_empty_when_the_page_does_not_start_with_a_paragraph():
    result = run("## A heading\n\nText.")
    assert result.summary == ""
    assert names(result) == ["heading", "paragraph"]


# -- markdown -----------------------------------------------------------------------------------------------------


def test_h1_and_h2_become_section_headings_and_smaller_ones_subheadings():
    result = run("===\n\n# One\n\n## Two\n\n### Three\n\n###### Six {#six}")
    assert values(result, "heading") == [
        {"text": "One", "level": "h2"},
        {"text": "Two", "level": "h2"},
        {"text": "Three", "level": "h3"},
        {"text": "Six", "level": "h3"},
    ]


def test_bold_and_italic_become_b_and_i():
    result = run("===\n\nSome **bold**, *italic* and ***both***.")
    assert rich_html(result) == "<p>Some <b>bold</b>, <i>italic</i> and <i><b>both</b></i>.</p>"


def test_text_that_looks_like_html_is_escaped_not_executed():
    result = run('===\n\nCode `<script>alert(1)</script>`, an escaped \\<script> and 5 < 6 & "7".')
    html = rich_html(result)
    assert "<script" not in html
    assert (
        html == '<p>Code &lt;script&gt;alert(1)&lt;/script&gt;, an escaped &lt;script&gt; and 5 &lt; 6 &amp; "7".</p>'
    )


def test_external_links_keep_their_address_escaped():
    result = run('===\n\n[Site](https://example.com/?a=1&b="2") [mail](mailto:info@example.kz) [call](tel:+77172)')
    assert rich_html(result) == (
        '<p><a href="https://example.com/?a=1&amp;b=&quot;2&quot;">Site</a> '
        '<a href="mailto:info@example.kz">mail</a> <a href="tel:+77172">call</a></p>'
    )


def test_bullet_and_numbered_lists_join_the_paragraphs_around_them_in_one_block():
    result = run("===\n\nBefore:\n\n- one\n- two **bold**\n  - nested\n\n1. first\n2. second\n\nAfter.")
    assert names(result) == ["paragraph"]
    assert rich_html(result) == (
        "<p>Before:</p><ul><li>one</li><li>two <b>bold</b><ul><li>nested</li></ul></li></ul>"
        "<ol><li>first</li><li>second</li></ol><p>After.</p>"
    )


def test_blockquote_becomes_a_quote_block_of_plain_text():
    result = run("===\n\n> The *mission* of\n> the clinic")
    assert values(result, "quote") == [{"text": "The mission of the clinic", "attribution": ""}]


def test_horizontal_rule_is_dropped():
    result = run("===\n\nAbove.\n\n---\n\nBelow.")
    assert rich_html(result) == "<p>Above.</p><p>Below.</p>"


# -- press texts pasted one paragraph per line ---------------------------------------------------------------------


def test_press_text_with_one_paragraph_per_line_is_split_into_paragraphs_and_headings():
    if not UNICEF.exists():
        pytest.skip("the Grav sample is not available")
    result = run(UNICEF.read_text(encoding="utf-8"))
    assert result.summary.startswith("At the high-level conference")
    assert [v["text"] for v in values(result, "heading")] == [
        "Focus on Pediatric Health and Cancer Treatment",
        "Expanding Bilateral Healthcare Ties",
    ]
    assert names(result) == ["paragraph", "heading", "paragraph", "heading", "paragraph"]
    assert values(result, "paragraph")[1].source.count("<p>") == 4


def test_a_hard_wrapped_paragraph_is_joined_not_split_into_headings():
    result = run("===\n\nThe first working group led by\nVadim Kemaykin visited the branch\nin Ust-Kamenogorsk.")
    assert names(result) == ["paragraph"]
    assert rich_html(result) == (
        "<p>The first working group led by Vadim Kemaykin visited the branch in Ust-Kamenogorsk.</p>"
    )


def test_minister_article_gives_its_gallery_of_six_images_in_order_before_the_text():
    result = run(minister_article())
    assert result.summary.startswith("Minister of Health of the Republic of Kazakhstan")
    assert names(result) == ["gallery", "paragraph"]
    gallery = values(result, "gallery")[0]
    assert [item["image"].name for item in gallery["images"]] == [f"{n}.jpg" for n in range(1, 7)]
    assert [item["alt_text"] for item in gallery["images"]] == ["1", "2", "3", "4", "5", "6"]
    assert rich_html(result).startswith("<p>Over the past 10 years")


def test_minister_article_dash_lines_become_one_list_of_five_items_and_no_headings():
    result = run(minister_article())
    html = rich_html(result)
    assert values(result, "heading") == []
    assert html.count("<ul>") == 1
    items = re.findall(r"<li>(.*?)</li>", html)
    assert len(items) == 5
    assert items[0].startswith("transition to a technology-oriented tariff system")
    assert "<p>Among them:</p><ul>" in html
    assert "<p>The network includes branches in Astana, Karaganda, and the East Kazakhstan region.</p>" in html


# -- shortcodes and Twig ------------------------------------------------------------------------------------------


def test_a_missing_carousel_image_is_reported_and_the_other_five_kept():
    text = minister_article().replace("(3.jpg", "(missing-3.jpg")
    result = run(text)
    gallery = values(result, "gallery")[0]
    assert [item["image"].name for item in gallery["images"]] == ["1.jpg", "2.jpg", "4.jpg", "5.jpg", "6.jpg"]
    assert "missing image missing-3.jpg" in result.warnings


def test_a_carousel_takes_captions_from_image_titles():
    result = run('===\n\n[owl-carousel items=1]\n![Ward](ward.jpg "The new ward")\n[/owl-carousel]')
    assert values(result, "gallery")[0]["images"][0]["caption"] == "The new ward"
    assert values(result, "gallery")[0]["images"][0]["alt_text"] == "Ward"


def test_a_carousel_whose_images_are_all_missing_leaves_no_block():
    result = run("===\n\n[owl-carousel]\n![a](missing.jpg)\n[/owl-carousel]\n\nText.")
    assert names(result) == ["paragraph"]
    assert "missing image missing.jpg" in result.warnings


def test_youtube_plugin_becomes_a_video_block_in_place():
    result = run("===\n\nBefore.\n\n[plugin:youtube](https://www.youtube.com/watch?v=abc123)\n\nAfter.")
    assert names(result) == ["paragraph", "video", "paragraph"]
    assert values(result, "video") == [{"video": "https://www.youtube.com/watch?v=abc123", "caption": ""}]


def test_unknown_shortcode_is_removed_its_text_kept_and_reported():
    result = run('===\n\n[notice type="info"]Open on *Saturday*.[/notice]')
    assert rich_html(result) == "<p>Open on <i>Saturday</i>.</p>"
    assert any("[notice]" in warning for warning in result.warnings)


def test_unknown_plugin_shortcode_is_removed_and_reported():
    result = run("===\n\nSee [plugin:gist](https://gist.github.com/1).")
    assert "plugin:" not in rich_html(result)
    assert any("[plugin:gist]" in warning for warning in result.warnings)


def test_twig_code_is_removed_and_flagged_for_review():
    result = run("===\n\n{% if page.header.show %}Shown {{ page.title|e }}{% endif %}{# a\nmulti-line note #}")
    assert rich_html(result) == "<p>Shown</p>"
    assert result.needs_review == ["Twig template code removed"]


# -- raw HTML -----------------------------------------------------------------------------------------------------


def test_script_is_removed_and_flagged_but_the_text_around_it_is_kept():
    result = run("===\n\nHello <script>alert('x')</script> world.\n\n<script>\ndocument.write('x')\n</script>")
    assert rich_html(result) == "<p>Hello world.</p>"
    assert "script removed" in result.needs_review


def test_onclick_handler_is_removed_and_flagged_but_the_text_is_kept():
    result = run('===\n\n<p onclick="steal()">Visit <b>us</b></p>')
    assert rich_html(result) == "<p>Visit <b>us</b></p>"
    assert "inline event handler removed" in result.needs_review


def test_javascript_link_is_dropped_and_flagged():
    result = run('===\n\n[Click](javascript:alert(1)) and <a href=" javascript:alert(2)">this</a>')
    assert rich_html(result) == "<p>Click and this</p>"
    assert "javascript: URL removed" in result.needs_review


def test_yandex_map_iframe_becomes_a_map_block():
    src = "https://yandex.ru/map-widget/v1/?um=constructor%3Aabc&amp;source=constructor"
    result = run(f'===\n\n<iframe src="{src}" width="100%" height="400" title="Astana branch"></iframe>')
    assert values(result, "map") == [
        {"url": "https://yandex.ru/map-widget/v1/?um=constructor%3Aabc&source=constructor", "title": "Astana branch"}
    ]
    assert result.needs_review == []


def test_yandex_constructor_script_becomes_a_map_block_to_review():
    src = "https://api-maps.yandex.ru/services/constructor/1.0/js/?um=constructor%3Aabc&amp;width=100%25"
    result = run(f'===\n\n<script type="text/javascript" async src="{src}"></script>')
    assert values(result, "map")[0]["url"] == "https://yandex.ru/map-widget/v1/?um=constructor%3Aabc&source=constructor"
    assert result.needs_review == ["Yandex map script replaced by a map block"]


@pytest.mark.parametrize(
    ("src", "watch_url"),
    [
        ("https://www.youtube.com/embed/dQw4w9WgXcQ?si=x", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
        ("//www.youtube-nocookie.com/embed/dQw4w9WgXcQ", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
        ("https://player.vimeo.com/video/76979871", "https://vimeo.com/76979871"),
    ],
)
def test_youtube_and_vimeo_iframes_become_videos_with_the_watch_address(src, watch_url):
    result = run(f'===\n\n<iframe src="{src}" frameborder="0" allowfullscreen></iframe>')
    assert values(result, "video") == [{"video": watch_url, "caption": ""}]


def test_iframe_from_another_site_is_removed_and_flagged():
    result = run('===\n\nText.\n\n<iframe src="https://widgets.example.com/form"></iframe>')
    assert names(result) == ["paragraph"]
    assert result.needs_review == ["iframe from widgets.example.com removed"]


def test_other_html_is_sanitised_into_rich_text_and_headings():
    result = run(
        '===\n\n<div class="x"><h3>Prices</h3><p style="color:red">Call <strong>us</strong> or '
        "<em>write</em></p><div>one</div><div>two</div><font>three</font></div>"
    )
    assert names(result) == ["heading", "paragraph"]
    assert values(result, "heading") == [{"text": "Prices", "level": "h3"}]
    assert rich_html(result) == "<p>Call <b>us</b> or <i>write</i></p><p>one</p><p>two</p><p>three</p>"


# -- tables -------------------------------------------------------------------------------------------------------


def test_html_table_becomes_a_table_block_with_a_header_row():
    result = run(
        "===\n\n<table>\n<tr><th>Test</th><th>Days</th></tr>\n<tr><td>FISH</td><td>3\n  <b>days</b></td></tr>\n</table>"
    )
    assert values(result, "table") == [
        {
            "data": [["Test", "Days"], ["FISH", "3 days"]],
            "first_row_is_table_header": True,
            "first_col_is_header": False,
            "table_header_choice": "row",
            "table_caption": "",
        }
    ]


def test_markdown_table_becomes_a_table_block_with_a_header_row():
    result = run("===\n\n| Test | Days |\n|------|------|\n| **FISH** | 3 |\n| Cytogenetics |")
    table = values(result, "table")[0]
    assert table["data"] == [["Test", "Days"], ["FISH", "3"], ["Cytogenetics", ""]]
    assert table["first_row_is_table_header"] is True
    assert table["table_header_choice"] == "row"


def test_tables_become_text_where_tables_are_not_allowed():
    result = run("===\n\n| Test | Days |\n|---|---|\n| FISH | 3 |", allow_tables=False)
    assert names(result) == ["paragraph"]
    assert rich_html(result) == "<p>Test | Days</p><p>FISH | 3</p>"
    assert result.warnings


def test_a_nested_layout_table_is_flattened_into_the_outer_cells():
    result = run(
        "===\n\n<table><tr><td><h4>Standards</h4><table><tr><td>Inner text</td>"
        '<td><img src="/user/images/bg.png"></td></tr></table></td><td>Second</td></tr></table>'
    )
    assert values(result, "table")[0]["data"] == [["Standards Inner text", "Second"]]
    assert "an image inside a table was removed: /user/images/bg.png" in result.warnings


def test_the_home_page_layout_table_does_not_crash_and_keeps_its_text():
    if not HOME.exists():
        pytest.skip("the Grav sample is not available")
    result = run(body(HOME))
    table = values(result, "table")[0]
    assert len(table["data"]) == 2
    assert table["data"][0][0].startswith("Стандарттар Орталық жұмысының")


# -- documents, pages, images ----------------------------------------------------------------------------------------


def test_link_to_a_pdf_becomes_a_document_link():
    resolver = FakeResolver()
    result = run("===\n\nRead [the price list](files/Prices.PDF) first.", resolver=resolver)
    document_id = resolver.known["files/Prices.PDF"].id
    assert rich_html(result) == f'<p>Read <a linktype="document" id="{document_id}">the price list</a> first.</p>'


def test_a_paragraph_of_only_document_links_becomes_a_documents_block():
    resolver = FakeResolver()
    result = run("===\n\n[Licence](licence.pdf), [Charter](charter.docx)\n[Prices](prices.xlsx)", resolver=resolver)
    assert names(result) == ["documents"]
    documents = values(result, "documents")[0]
    assert documents["heading"] == ""
    assert [d.name for d in documents["documents"]] == ["licence.pdf", "charter.docx", "prices.xlsx"]


def test_a_list_of_only_document_links_becomes_a_documents_block():
    result = run("===\n\n- [Licence](licence.pdf)\n- [Charter](charter.docx)")
    assert names(result) == ["documents"]
    assert len(values(result, "documents")[0]["documents"]) == 2


def test_a_missing_document_keeps_its_text_and_is_reported():
    result = run("===\n\nSee [the licence](missing-licence.pdf).")
    assert rich_html(result) == "<p>See the licence.</p>"
    assert "missing document missing-licence.pdf" in result.warnings


def test_a_relative_page_link_that_resolves_becomes_a_page_link():
    resolver = FakeResolver(pages={"../../drug-formulary": 42})
    result = run("===\n\nSee the [formulary](../../drug-formulary).", resolver=resolver)
    assert rich_html(result) == '<p>See the <a linktype="page" id="42">formulary</a>.</p>'
    assert result.unresolved_links == []


def test_an_unresolved_page_link_keeps_its_text_and_is_listed():
    result = run("===\n\nSee [about us](/kk/about) and [the formulary](../../drug-formulary).")
    assert rich_html(result) == "<p>See about us and the formulary.</p>"
    assert result.unresolved_links == ["/kk/about", "../../drug-formulary"]
    assert "link to a page that does not exist: ../../drug-formulary" in result.warnings


def test_an_anchor_link_becomes_plain_text():
    result = run("===\n\nJump to [the contacts](#contacts).")
    assert rich_html(result) == "<p>Jump to the contacts.</p>"
    assert result.warnings == []


def test_a_standalone_image_becomes_an_image_block_with_its_alt_text_and_caption():
    result = run('===\n\nBefore.\n\n![The new ward](ward.jpg "Opened in 2024")\n\nAfter.')
    assert names(result) == ["paragraph", "image", "paragraph"]
    image = values(result, "image")[0]
    assert image["image"].name == "ward.jpg"
    assert (image["alt_text"], image["caption"]) == ("The new ward", "Opened in 2024")


def test_a_missing_standalone_image_is_reported_and_dropped():
    result = run("===\n\n![Ward](missing-ward.jpg)")
    assert result.blocks == []
    assert result.warnings == ["missing image missing-ward.jpg"]


def test_an_image_inside_text_is_removed_with_a_warning():
    result = run("===\n\nOur ![ward](ward.jpg) ward.")
    assert rich_html(result) == "<p>Our ward.</p>"
    assert result.warnings == ["an image inside text was removed: ward.jpg"]


def test_an_error_in_the_resolver_is_raised_not_hidden():
    class BrokenResolver(FakeResolver):
        def page(self, href):
            raise RuntimeError("database is down")

    with pytest.raises(RuntimeError, match="database is down"):
        run("===\n\n[About](../about)", resolver=BrokenResolver())


# -- robustness and validity ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("markdown", ["", "   \n\n \t\n"])
def test_empty_or_blank_input_gives_no_blocks_and_no_summary(markdown):
    result = run(markdown)
    assert (result.summary, result.blocks, result.warnings, result.needs_review) == ("", [], [], [])


@pytest.mark.parametrize(
    "markdown",
    [
        "<<<>>>[[[",
        "<table><tr><td>x",
        "<table><tr><td><table><tr><td>",
        "[owl-carousel]\n![a](a.jpg)",
        "{% if x %} {{ unclosed",
        "| a |\n|---|\n| b | c | d |",
        "<div>" * 500 + "deep",
        "[plugin:youtube]()",
        "<iframe src='http://[::1'></iframe> [x](http://[::1)",
        "\x00\ufeff<p>\r\n===\r\n",
        "ZZGRAVBLOCK99ZZ",
        "<![m](m.jpg) <![if !supportLists]>·<![endif]>",
        "<iframe><iframe src='https://evil.example.com'></iframe></iframe><object><embed src=x></object>",
    ],
)
def test_garbage_input_does_not_raise(markdown):
    result = run(markdown)
    assert isinstance(result.summary, str)
    assert all(isinstance(name, str) for name, _value in result.blocks)


def test_rich_text_holds_only_tags_wagtail_keeps_and_no_empty_paragraphs():
    result = run(
        "===\n\nIntro <span>x</span> <u>under</u> <code>c</code>\n\n<div><p></p><p> </p><h5></h5>text</div>\n\n"
        "- <em>item</em>\n- [link](https://example.com)\n\n```\ncode\n```"
    )
    html = rich_html(result)
    assert set(re.findall(r"<(\w+)", html)) <= RICH_TEXT_TAGS
    assert "<p></p>" not in html
    assert not re.search(r"<p>\s*(<br/>\s*)*</p>", html)


SAMPLE_FOR_VALIDATION = """Summary.

===

# Section

Text with **bold**, *italic*, [a link](https://example.com) and a list:

- one
- two

> A quote

| Test | Days |
|---|---|
| FISH | 3 |

<iframe src="https://yandex.ru/map-widget/v1/?ll=71.43%2C51.13&z=12" title="Astana"></iframe>
"""


def stream_block():
    return core_blocks.BodyBlock()


def test_produced_blocks_are_valid_for_the_streamfield_and_render():
    result = run(SAMPLE_FOR_VALIDATION)
    assert names(result) == ["heading", "paragraph", "quote", "table", "map"]
    block = stream_block()
    value = block.clean(block.normalize(result.blocks))
    html = block.render(value)
    assert "<h2>Section</h2>" in html
    assert '<a href="https://example.com">a link</a>' in html
    assert "<td>FISH</td>" in html
    assert 'title="Astana"' in html


def test_paragraph_html_survives_the_draftail_editor_round_trip():
    from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

    converter = ContentstateConverter(["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"])
    texts = [SAMPLE_FOR_VALIDATION]
    if UNICEF.exists() and MINISTER.exists():
        texts += [UNICEF.read_text(encoding="utf-8"), minister_article()]
    for text in texts:
        for paragraph in values(run(text), "paragraph"):
            round_trip = converter.to_database_format(converter.from_database_format(paragraph.source))
            assert re.sub(r' data-block-key="[^"]*"', "", round_trip) == paragraph.source
