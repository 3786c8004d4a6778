"""The Grav home page is one markdown file; the Wagtail home page has fields. This maps one onto the other:

# МИССИЯ / # MISSION        > quote        → mission
# КӨРІНІС / # VISION / # ВИДЕНИЕ > quote   → vision
paragraphs                                 → intro
<h4>heading</h4> … text cell in a table    → pillars (heading and text)
"""

import html
import re

MISSION_WORDS = {"миссия", "mission", "миссиясы", "біздің миссия"}
VISION_WORDS = {"көрініс", "vision", "видение", "пайымдау"}
_PILLAR = re.compile(r"<h4[^>]*>(.*?)</h4>.*?<td(?![^>]*width=\"?200)[^>]*>(.*?)</td>", re.S | re.I)
_TAGS = re.compile(r"<[^>]+>")
_TABLE = re.compile(r"<table\b.*</table>", re.S | re.I)


def _text(fragment: str) -> str:
    return " ".join(html.unescape(_TAGS.sub(" ", fragment)).split())


def pillars_from_html(markdown: str) -> list[dict]:
    return [
        {"heading": _text(heading), "text": _text(text), "image": None}
        for heading, text in _PILLAR.findall(markdown)
        if _text(heading) and _text(text)
    ]


def without_tables(markdown: str) -> str:
    return _TABLE.sub("", markdown)


def _source(value) -> str:
    return getattr(value, "source", value) if not isinstance(value, str) else value


def split_home(blocks: list[tuple[str, object]]) -> dict:
    """mission, vision and intro (rich text) from the converted blocks of the home page."""
    result = {"mission": "", "vision": "", "intro": []}
    pending = None
    for name, value in blocks:
        if name == "heading":
            word = value["text"].strip().lower()
            pending = "mission" if word in MISSION_WORDS else "vision" if word in VISION_WORDS else None
            if pending is None:
                result["intro"].append(f"<p><b>{html.escape(value['text'])}</b></p>")
            continue
        if pending and name in ("quote", "paragraph"):
            text = value["text"] if name == "quote" else _text(_source(value))
            result[pending] = text
            pending = None
            continue
        if name == "paragraph":
            result["intro"].append(_source(value))
    result["intro"] = "".join(result["intro"])
    return result
