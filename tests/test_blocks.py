"""The shared StreamField blocks: admin previews, and every visible text offered to translators."""

import pytest
from wagtail import blocks as wagtail_blocks
from wagtail_localize.segments import StringSegmentValue

from core.blocks import BodyBlock, TableBlock
from home.blocks import PillarBlock

pytestmark = pytest.mark.django_db


def all_blocks():
    seen = {}
    for name, block in BodyBlock().child_blocks.items():
        seen[name] = block
    seen["pillar"] = PillarBlock()
    return seen


@pytest.mark.parametrize("name", sorted(all_blocks()))
def test_every_block_has_template_icon_description_and_preview(name):
    block = all_blocks()[name]
    assert block.meta.template, name
    assert block.meta.icon and block.meta.icon != "placeholder", name
    assert str(block.get_description()), name
    assert block.is_previewable, name


@pytest.mark.parametrize("name", sorted(all_blocks()))
def test_every_block_preview_renders(name):
    block = all_blocks()[name]
    if name == "video":
        pytest.skip("A video preview needs an oEmbed provider on the internet.")
    html = block.render(block.get_preview_value())
    assert html.strip() or name in {"image"}


def test_quote_text_is_a_plain_text_block_wagtail_localize_can_write_back():
    # BlockQuoteBlock is extracted by wagtail-localize but cannot be restored; TextBlock can.
    quote = BodyBlock().child_blocks["quote"]
    assert isinstance(quote.child_blocks["text"], wagtail_blocks.TextBlock)


def test_table_cells_and_caption_are_offered_to_translators_and_written_back():
    table = TableBlock()
    value = {
        "table_caption": "Бағалар",
        "first_row_is_table_header": True,
        "data": [["Зерттеу", "Мерзімі"], ["FISH", None], ["Цитогенетика", "7 күн"]],
    }
    segments = table.get_translatable_segments(value)
    assert [s.string.data for s in segments] == [
        "Бағалар",
        "Зерттеу",
        "Мерзімі",
        "FISH",
        "Цитогенетика",
        "7 күн",
    ]
    translated = [
        StringSegmentValue(
            s.path,
            {"Бағалар": "Цены", "Мерзімі": "Срок", "7 күн": "7 дней"}.get(s.string.data, s.string.data),
        )
        for s in segments
    ]
    result = table.restore_translated_segments(value, translated)
    assert result["table_caption"] == "Цены"
    assert result["data"] == [["Зерттеу", "Срок"], ["FISH", None], ["Цитогенетика", "7 дней"]]
    assert value["table_caption"] == "Бағалар"  # the source is untouched
