"""Just enough of Grav's page format to build the demo site (the full importer is `import_grav`, a later issue)."""

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

GRAV_TIMEZONE = ZoneInfo("Asia/Almaty")
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
_SUMMARY_SEPARATOR = re.compile(r"\n\s*===\s*\n")
_CAROUSEL = re.compile(r"\[owl-carousel[^\]]*\](.*?)\[/owl-carousel\]", re.S)
_MARKDOWN_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
_LIST_ITEM = re.compile(r"^(?:[-*—–]\s+)(.*)$")

# Cyrillic letters that look like Latin ones; a Latin word with one of them inside was typed on a Russian layout.
_HOMOGLYPHS = str.maketrans("аеорсухАВЕКМНОРСТХ", "aeopcyxABEKMHOPCTX")
_WORD = re.compile(r"\w+")


@dataclass
class Block:
    kind: str  # "paragraph", "heading", "list" or "gallery"
    text: str = ""
    items: list[str] = field(default_factory=list)


@dataclass
class GravPage:
    title: str
    date: datetime | None
    published: bool
    summary: str
    blocks: list[Block]
    repaired_mojibake: bool = False


def repair_mojibake(text: str) -> str:
    """UTF-8 text once decoded as MacRoman and saved again ("‚Äî" for "—"): undo it exactly."""
    return text.encode("mac_roman").decode("utf-8")


def fix_homoglyphs(text: str) -> str:
    def fix(match: re.Match) -> str:
        word = match.group(0)
        latin = sum("a" <= ch.lower() <= "z" for ch in word)
        return word.translate(_HOMOGLYPHS) if latin > len(word) / 2 else word

    return _WORD.sub(fix, text)


def parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.strptime(str(value).strip(), "%d-%m-%Y %H:%M").replace(tzinfo=GRAV_TIMEZONE)


def _is_heading(line: str) -> bool:
    # A short line without closing punctuation, on its own, is a section title in the clinic's press texts.
    return len(line) < 80 and not line.endswith((".", ":", ";", "!", "?", ",", "…")) and not _LIST_ITEM.match(line)


def parse_blocks(markdown: str) -> list[Block]:
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", markdown.strip()):
        carousel = _CAROUSEL.search(chunk)
        if carousel:
            blocks.append(Block("gallery", items=[src for _alt, src in _MARKDOWN_IMAGE.findall(carousel.group(1))]))
            continue
        list_items: list[str] = []
        for raw in chunk.splitlines():
            line = raw.strip()
            if not line:
                continue
            item = _LIST_ITEM.match(line)
            if item:
                list_items.append(item.group(1))
                continue
            if list_items:
                blocks.append(Block("list", items=list_items))
                list_items = []
            blocks.append(Block("heading" if _is_heading(line) else "paragraph", text=line))
        if list_items:
            blocks.append(Block("list", items=list_items))
    return blocks


def read_page(path: Path, *, repair: bool = False) -> GravPage:
    text = path.read_text(encoding="utf-8")
    if repair:
        text = repair_mojibake(text)
    match = _FRONT_MATTER.match(text)
    header = yaml.safe_load(match.group(1)) if match else {}
    body = text[match.end() :] if match else text
    parts = _SUMMARY_SEPARATOR.split(body, maxsplit=1)
    summary_blocks = parse_blocks(parts[0]) if len(parts) == 2 else []
    blocks = parse_blocks(parts[-1])
    if not summary_blocks and blocks and blocks[0].kind == "paragraph":
        # No "===": Grav shows the opening paragraph as the summary.
        summary_blocks = [blocks.pop(0)]
    title = header.get("title") or path.parent.name.split(".", 1)[-1].replace("-", " ").capitalize()
    return GravPage(
        title=fix_homoglyphs(str(title).strip()),
        date=parse_date(header.get("date") or header.get("publish_date")),
        published=header.get("published", True) is not False,
        summary="\n\n".join(block.text for block in summary_blocks),
        blocks=blocks,
        repaired_mojibake=repair,
    )
