"""Convert the markdown body of one Grav page into StreamField data for the body blocks of core.blocks.

This is the pure part of the Grav import: no files, no database. Whatever lives elsewhere (images, documents, other
pages) is looked up through a Resolver the importer passes in. The converter never raises on bad input: what it
cannot convert well becomes plain text, with a warning or a needs_review note for the editor who checks the import.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import parse_qs, quote, unquote, urlsplit

import nh3
from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from wagtail.rich_text import RichText

from core.blocks import is_allowed_map_url

from .reader import DOCUMENT_EXTENSIONS

__all__ = ["Converted", "Resolver", "convert"]


@dataclass
class Converted:
    summary: str
    blocks: list[tuple[str, object]] = field(default_factory=list)
    needs_review: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unresolved_links: list[str] = field(default_factory=list)


class Resolver(Protocol):
    def image(self, src: str) -> Any:
        """The Wagtail image for a markdown image source, or None when the file is missing."""

    def document(self, href: str) -> Any:
        """The Wagtail document for a link to a PDF/Word/Excel/PowerPoint file, or None when it is missing."""

    def page(self, href: str) -> int | None:
        """The id of the Wagtail page a relative Grav link points to, or None if it is not imported (yet)."""


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    # Keep every link so that javascript: links can be reported (markdown-it would silently leave them as text),
    # and keep hrefs as written: the resolver needs "../Страница", not its percent-encoded form.
    md.validateLink = lambda url: True
    md.normalizeLink = lambda url: url
    return md


_MD = _markdown()

# Wagtail's rich text (Draftail with the project's features) keeps exactly these; anything else is lost on save.
RICH_TAGS = {"p", "b", "strong", "i", "em", "a", "ul", "ol", "li", "br", "h2", "h3", "h4"}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
DOCUMENT_SUFFIXES = tuple(DOCUMENT_EXTENSIONS)  # for str.endswith

# A Twig comment may not contain "{#": "## Title {#id}" (Markdown Extra) must not start a comment.
_TWIG = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#(?:(?!\{#).)*?#\}", re.S)
_SUMMARY_LINE = re.compile(r"^[ \t]*===[ \t]*$", re.M)
_CAROUSEL = re.compile(r"\[owl-carousel\b[^\]\n]*\](.*?)\[/owl-carousel\]", re.S | re.I)
_STRAY_CAROUSEL = re.compile(r"\[/?owl-carousel\b[^\]\n]*\]", re.I)
_PLUGIN = re.compile(r"\[plugin:([\w-]+)\]\(([^)\n]*)\)", re.I)
_PAIRED_SHORTCODE = re.compile(r"\[([a-z][\w-]*)((?:\s[^\]\n]*)?)\](.*?)\[/\1\]", re.S | re.I)
_SELF_CLOSING_SHORTCODE = re.compile(r"\[([a-z][\w-]*)(?:\s[^\]\n]*)?/\]", re.I)
# Stands for a block cut out before parsing (a gallery, a video); letters only, so markdown leaves it alone.
_MARKER = re.compile(r"ZZGRAVBLOCK(\d+)ZZ")
_WHITESPACE = re.compile(r"\s+")
_LIST_LINE = re.compile(r"^(?:—|–|-|•)\s+\S")
_LIST_MARKER_HTML = re.compile(r"^\s*(?:—|–|-|•)\s+")
_MARKDOWN_EXTRA_ATTRIBUTES = re.compile(r"\s*\{[#.][^{}]*\}\s*$")
_EDGE_BREAKS = re.compile(r"^(?:\s*<br/>)+|(?:<br/>\s*)+$")
_SPACES = re.compile(r"(?<=\S)  +(?=\S)")  # left where an inline image or a block marker was taken out
_SPACED_BREAK = re.compile(r"\s*<br/>\s*")  # the editor drops spaces around a line break anyway
_RICH = "rich"  # the name of rich-text parts among the items; never a block name
_MANY_BREAKS = re.compile(r"(?:<br/>\s*){3,}")
_TAGS = re.compile(r"<[^>]*>")

_SENTENCE_END = (".", "!", "?", ":", ";", "…")
_CLOSERS = "\"'”’»)]*_"
# A line ending in one of these words is a wrapped sentence, not a title (the site is in English, Russian, Kazakh).
_CONTINUATION_WORDS = frozenset(
    word
    for words in (
        "a an and as at by for from in of on or the to with",
        "а в во для до за и из или к ко на но о об от по при с со что как",
        "және мен пен бен не да де",
    )
    for word in words.split()
)
_HEADING_TAGS = {"h1": "h2", "h2": "h2", "h3": "h3", "h4": "h3", "h5": "h3", "h6": "h3"}
# Elements that become blocks of their own when they turn up in raw HTML.
_HTML_SPECIAL = {"iframe", "table", "img", "blockquote", "pre", "hr", *_HEADING_TAGS}
# Block-level wrappers: their content is converted, but text on either side must not run together.
_HTML_CONTAINERS = frozenset(
    name
    for names in (
        "div section article center header footer main aside nav figure figcaption address details summary",
        "form fieldset dl dt dd body html p ul ol li thead tbody tfoot tr td th caption",
    )
    for name in names.split()
)
# What cannot stay inside a rich-text <p>/<ul>/<li> from raw HTML (nh3 would glue the texts of two <div>s together).
_HTML_BLOCKS_INSIDE_RICH_TEXT = _HTML_SPECIAL | (_HTML_CONTAINERS - RICH_TAGS)
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "background", "poster"}
_DANGEROUS_EMBEDS = {"object", "embed", "applet", "video", "audio"}
_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtube-nocookie.com", "www.youtube-nocookie.com"}

HEADING_MAX_LENGTH = 200  # core.blocks.HeadingBlock.text
ALT_TEXT_MAX_LENGTH = 250
CAPTION_MAX_LENGTH = 300


class _ResolverFailed(Exception):
    """Carries an exception raised by the caller's resolver past the never-raise fallback: that is not bad input."""


def convert(markdown: str, resolver: Resolver, *, allow_tables: bool = True) -> Converted:
    """Convert one Grav page body (markdown, no front matter) into a summary and StreamField blocks."""
    return _Converter(resolver, allow_tables).run(markdown)


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def _attr(text: str) -> str:
    return html.escape(text, quote=True)


def _collapse(text: str) -> str:
    return _WHITESPACE.sub(" ", text or "").strip()


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _p(inner: str) -> str:
    """A rich-text paragraph, or "" when nothing visible is left (Wagtail must not get an empty <p>)."""
    inner = _SPACED_BREAK.sub("<br/>", _SPACES.sub(" ", inner))
    inner = _MANY_BREAKS.sub("<br/><br/>", _EDGE_BREAKS.sub("", inner.strip()).strip())
    if not html.unescape(_TAGS.sub("", inner)).strip():
        return ""
    return f"<p>{inner}</p>"


def _wrap(tag: str, inner: str) -> str:
    """<b>/<i> around inner HTML, with its outer spaces moved outside (as the editor would), or none if blank."""
    core = inner.strip()
    if not core:
        return inner
    return f"{inner[: len(inner) - len(inner.lstrip())]}<{tag}>{core}</{tag}>{inner[len(inner.rstrip()) :]}"


def _rich_to_text(part: str) -> str:
    """Plain text of generated rich text: list items and <br/> on lines of their own."""
    soup = BeautifulSoup(part, "html.parser")
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for li in soup.find_all("li"):
        li.insert_before("\n")
    lines = (_collapse(line) for line in soup.get_text().split("\n"))
    return "\n".join(line for line in lines if line)


def _is_unsafe_url(url: str) -> bool:
    # Browsers ignore whitespace and control characters inside the scheme ("java\tscript:").
    compact = re.sub(r"[\x00-\x20]", "", url or "").lower()
    return compact.startswith(("javascript:", "vbscript:"))


def _trailing_stripped(line: str) -> str:
    """The line without closing quotes/brackets and trailing emoji, which sit after a sentence's full stop."""
    end = len(line)
    while end and (
        line[end - 1].isspace()
        or line[end - 1] in _CLOSERS
        or unicodedata.category(line[end - 1]) in {"So", "Sk", "Cf", "Mn", "Me"}
    ):
        end -= 1
    return line[:end]


def _ends_sentence(line: str) -> bool:
    return _trailing_stripped(line).endswith(_SENTENCE_END)


def _starts_upper(line: str) -> bool:
    for ch in line:
        if ch.isalnum():
            return ch.isupper() or ch.isdigit()
    return False


def _is_title(line: str, next_line: str | None) -> bool:
    # A short line without closing punctuation, followed by the start of a new sentence: a section title in the
    # clinic's press texts (they were pasted one paragraph per line). A wrapped sentence fails one of the checks.
    if next_line is None or not 0 < len(line) < 80 or _ends_sentence(line) or _LIST_LINE.match(line):
        return False
    if line.rstrip()[-1] in ",-–—(/&+" or not _starts_upper(line) or not _starts_upper(next_line):
        return False
    words = re.findall(r"\w+", line)
    return bool(words) and words[-1] not in _CONTINUATION_WORDS


def _video_url(src: str) -> str | None:
    """The canonical watch address of a YouTube or Vimeo embed address, or None."""
    try:
        parsed = urlsplit(src)
    except ValueError:
        return None
    host = (parsed.hostname or "").lower()
    if host in _YOUTUBE_HOSTS:
        match = re.match(r"^/embed/([\w-]+)", parsed.path)
        if not match:
            return None
        video_id = match.group(1)
        if video_id == "videoseries":
            playlist = parse_qs(parsed.query).get("list", [""])[0]
            return f"https://www.youtube.com/playlist?list={playlist}" if playlist else None
        return f"https://www.youtube.com/watch?v={video_id}"
    if host == "player.vimeo.com":
        match = re.match(r"^/video/(\d+)", parsed.path)
        if not match:
            return None
        private_hash = parse_qs(parsed.query).get("h", [""])[0]
        return f"https://vimeo.com/{match.group(1)}" + (f"/{private_hash}" if private_hash else "")
    return None


def _yandex_constructor_map(src: str) -> str | None:
    """Yandex's map constructor offers a <script> embed; its map-widget iframe address shows the same map."""
    try:
        parsed = urlsplit(src.strip())
    except ValueError:
        return None
    if (parsed.hostname or "").lower() != "api-maps.yandex.ru" or "/services/constructor/" not in parsed.path:
        return None
    um = parse_qs(parsed.query).get("um", [""])[0]
    return f"https://yandex.ru/map-widget/v1/?um={quote(um, safe='')}&source=constructor" if um else None


class _Converter:
    def __init__(self, resolver: Resolver, allow_tables: bool) -> None:
        self.resolver = resolver
        self.allow_tables = allow_tables
        self.needs_review: list[str] = []
        self.warnings: list[str] = []
        self.unresolved: list[str] = []
        # Rich-text parts ("text": a paragraph or list; "other": code, a table as text...) and finished blocks,
        # in document order; neighbouring rich-text parts become one paragraph block at the end.
        self.items: list[tuple[str, Any]] = []
        self.pending: list[int] = []  # markers met inside text: their blocks follow the current block
        self.marker_blocks: list[tuple[str, Any] | None] = []
        self.run_parts: list[str] = []  # raw HTML collected between block-level HTML elements
        self.cache: dict[tuple[str, str], Any] = {}

    # -- bookkeeping ----------------------------------------------------------------------------------------------

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def review(self, message: str) -> None:
        if message not in self.needs_review:
            self.needs_review.append(message)

    def _resolve(self, kind: str, key: str) -> Any:
        if (kind, key) not in self.cache:
            try:
                self.cache[kind, key] = getattr(self.resolver, kind)(key)
            except Exception as exc:
                raise _ResolverFailed from exc
        return self.cache[kind, key]

    def emit(self, name: str, value: Any) -> None:
        self.items.append((name, value))

    def emit_rich(self, part: str, kind: str = "text") -> None:
        if part:
            self.items.append((_RICH, (kind, part)))

    def text(self, value: str) -> str:
        """Text on its way into the output: block markers inside it are taken out and their blocks queued."""

        def take(match: re.Match) -> str:
            self.pending.append(int(match.group(1)))
            return ""

        return _MARKER.sub(take, value)

    def flush_pending(self) -> None:
        while self.pending:
            index = self.pending.pop(0)
            block = self.marker_blocks[index] if index < len(self.marker_blocks) else None
            if block:
                self.emit(*block)
                self.marker_blocks[index] = None  # a marker cannot be emitted twice

    # -- the whole page -------------------------------------------------------------------------------------------

    def run(self, markdown: str) -> Converted:
        if isinstance(markdown, bytes):
            markdown = markdown.decode("utf-8", errors="replace")
        text = markdown if isinstance(markdown, str) else ""
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
        try:
            return self._run(text)
        except _ResolverFailed as failure:
            raise failure.__cause__ from None
        except Exception as exc:  # rule: bad input must never stop an import
            return self._fallback(text, exc)

    def _run(self, text: str) -> Converted:
        text = self._remove_twig(text)
        text = self._extract_shortcodes(text)
        match = _SUMMARY_LINE.search(text)
        summary = ""
        if match:
            head = self._convert_part(text[: match.start()])
            # Grav drops every summary delimiter from the page; only the first one splits.
            body = self._convert_part(_SUMMARY_LINE.sub("", text[match.end() :]))
            texts, moved = [], []
            for name, value in head:
                if name == _RICH:
                    texts.append(_rich_to_text(value[1]))
                elif name == "heading":
                    texts.append(value["text"])
                else:
                    moved.append((name, value))
                    self.warn(f"the {name} block above the summary separator was moved into the body")
            summary = "\n\n".join(t for t in texts if t)
            items = moved + body
        else:
            items = self._convert_part(text)
            # Grav shows the opening paragraph as the summary when there is no "===".
            if items and items[0][0] == _RICH and items[0][1][0] == "text" and items[0][1][1].startswith("<p>"):
                summary = _rich_to_text(items.pop(0)[1][1])
        return Converted(
            summary=summary,
            blocks=self._finish(items),
            needs_review=self.needs_review,
            warnings=self.warnings,
            unresolved_links=self.unresolved,
        )

    def _fallback(self, text: str, exc: Exception) -> Converted:
        parts = (_p(_esc(_collapse(chunk))) for chunk in re.split(r"\n\s*\n", text))
        html_text = "".join(part for part in parts if part)
        self.warn(f"the page body could not be converted ({type(exc).__name__}: {exc}); it was kept as plain text")
        return Converted(
            summary="",
            blocks=[("paragraph", RichText(html_text))] if html_text else [],
            needs_review=self.needs_review,
            warnings=self.warnings,
            unresolved_links=self.unresolved,
        )

    def _finish(self, items: list[tuple[str, Any]]) -> list[tuple[str, object]]:
        """Merge neighbouring rich-text parts into one paragraph block, and neighbouring document lists."""
        blocks: list[tuple[str, object]] = []
        rich: list[str] = []
        for name, value in items:
            if name == _RICH:
                rich.append(value[1])
                continue
            if rich:
                blocks.append(("paragraph", RichText("".join(rich))))
                rich = []
            if name == "documents" and blocks and blocks[-1][0] == "documents" and not blocks[-1][1]["heading"]:
                blocks[-1][1]["documents"].extend(value["documents"])
            else:
                blocks.append((name, value))
        if rich:
            blocks.append(("paragraph", RichText("".join(rich))))
        return blocks

    # -- before parsing: Twig and shortcodes ----------------------------------------------------------------------

    def _remove_twig(self, text: str) -> str:
        cleaned, count = _TWIG.subn("", text)
        if count:
            self.review("Twig template code removed")
        return cleaned

    def _marker(self, block: tuple[str, Any] | None, text: str, start: int) -> str:
        self.marker_blocks.append(block)
        marker = f"ZZGRAVBLOCK{len(self.marker_blocks) - 1}ZZ"
        # A shortcode on lines of its own becomes a paragraph of its own, so its block lands exactly there; one
        # inside a line (a table row, a list item) must not break that structure: its block follows it instead.
        at_line_start = not text[:start].strip(" \t") or text[:start].rstrip(" \t").endswith("\n")
        return f"\n\n{marker}\n\n" if at_line_start else marker

    def _extract_shortcodes(self, text: str) -> str:
        text = _CAROUSEL.sub(lambda m: self._marker(self._gallery(m.group(1)), m.string, m.start()), text)
        if _STRAY_CAROUSEL.search(text):
            self.warn("an [owl-carousel] shortcode without its closing tag was removed")
            text = _STRAY_CAROUSEL.sub("", text)
        text = _PLUGIN.sub(self._plugin, text)
        for _ in range(20):  # nested shortcodes: the outer one goes first
            text, count = _PAIRED_SHORTCODE.subn(self._unknown_shortcode, text)
            if not count:
                break

        def self_closing(match: re.Match) -> str:
            self.warn(f"shortcode [{match.group(1)}] removed")
            return ""

        return _SELF_CLOSING_SHORTCODE.sub(self_closing, text)

    def _plugin(self, match: re.Match) -> str:
        name, target = match.group(1), match.group(2).strip()
        if name.lower() == "youtube" and target:
            return self._marker(("video", {"video": target, "caption": ""}), match.string, match.start())
        self.warn(f"Grav plugin shortcode [plugin:{name}] removed (its address was kept as text)")
        return f"<{target}>" if re.match(r"https?://\S+$", target) else target

    def _unknown_shortcode(self, match: re.Match) -> str:
        self.warn(f"shortcode [{match.group(1)}] removed (its text was kept)")
        return match.group(3)

    def _gallery(self, inner: str) -> tuple[str, Any] | None:
        images = []
        for node in self._walk_inline(SyntaxTreeNode(_MD.parse(inner))):
            if node.type == "image":
                item = self._image_item(node.attrs.get("src", ""), self._plain(node.children), node.attrs.get("title"))
                if item:
                    images.append(item)
        if not images:
            self.warn("an owl-carousel gallery without any image found was removed")
            return None
        return ("gallery", {"title": "", "images": images})

    def _walk_inline(self, node: SyntaxTreeNode):
        for child in node.children:
            yield child
            yield from self._walk_inline(child)

    def _image_item(self, src: str, alt: str, title: str | None) -> dict | None:
        src = (src or "").strip()
        image = self._resolve("image", src) if src else None
        if image is None:
            self.warn(f"missing image {src}" if src else "an image without a source was removed")
            return None
        return {
            "image": image,
            "alt_text": _truncate(_collapse(self.text(alt or "")), ALT_TEXT_MAX_LENGTH),
            "caption": _truncate(_collapse(self.text(title or "")), CAPTION_MAX_LENGTH),
        }

    # -- markdown -------------------------------------------------------------------------------------------------

    def _convert_part(self, text: str) -> list[tuple[str, Any]]:
        self.items = []
        if text.strip():
            self._blocks(SyntaxTreeNode(_MD.parse(text)).children)
        self.flush_pending()
        return self.items

    def _blocks(self, nodes: list[SyntaxTreeNode]) -> None:
        index = 0
        while index < len(nodes):
            node = nodes[index]
            index += 1
            kind = node.type
            if kind == "html_block":
                # One HTML element may be cut into several tokens by blank lines (and indented lines after a
                # blank line count as code): put them back together.
                fragment = [node.content]
                while index < len(nodes) and (
                    nodes[index].type == "html_block"
                    or (nodes[index].type == "code_block" and nodes[index].content.lstrip().startswith("<"))
                ):
                    fragment.append(nodes[index].content)
                    index += 1
                self._html_blocks("\n".join(fragment))
            elif kind == "heading":
                level = "h2" if node.tag in ("h1", "h2") else "h3"
                self._heading(self._inline_text(node.children[0] if node.children else None), level)
            elif kind == "paragraph":
                self._paragraph(node.children[0] if node.children else None)
            elif kind in ("bullet_list", "ordered_list"):
                self._list(node)
            elif kind == "blockquote":
                self._quote(self._block_text(node.children))
            elif kind == "table":
                self._markdown_table(node)
            elif kind in ("fence", "code_block"):
                self._preformatted(node.content)
            # hr and anything unknown: nothing to keep
            self.flush_pending()

    def _heading(self, text: str, level: str) -> None:
        text = _MARKDOWN_EXTRA_ATTRIBUTES.sub("", _collapse(self.text(text)))
        if not text:
            return
        if len(text) > HEADING_MAX_LENGTH:
            self.warn(f"a heading longer than {HEADING_MAX_LENGTH} characters became a bold paragraph")
            self.emit_rich(_p(f"<b>{_esc(text)}</b>"), "other")
            return
        self.emit("heading", {"text": text, "level": level})

    def _quote(self, text: str) -> None:
        text = text.strip()
        if text:
            self.emit("quote", {"text": text, "attribution": ""})

    def _preformatted(self, content: str) -> None:
        lines = [_esc(_collapse(self.text(line))) for line in content.strip("\n").split("\n")]
        self.emit_rich(_p("<br/>".join(lines)), "other")

    def _plain(self, nodes: list[SyntaxTreeNode], soft: str = " ") -> str:
        parts = []
        for node in nodes:
            if node.type in ("text", "code_inline"):
                parts.append(node.content)
            elif node.type == "softbreak":
                parts.append(soft)
            elif node.type == "hardbreak":
                parts.append("\n")
            elif node.type not in ("image", "html_inline"):
                parts.append(self._plain(node.children, soft))
        return "".join(parts)

    def _inline_text(self, inline: SyntaxTreeNode | None) -> str:
        """Plain text of inline content; raw HTML in it goes through the sanitiser (a <script> must not leak)."""
        if inline is None:
            return ""
        if any(node.type == "html_inline" for node in self._walk_inline(inline)):
            return self._html_text(_MD.renderer.renderInline(inline.token.children or [], _MD.options, {}))
        return self._plain(inline.children)

    def _block_text(self, nodes: list[SyntaxTreeNode]) -> str:
        """Plain text of block content (a quote): one line per paragraph or list item."""
        lines = []
        for node in nodes:
            if node.type == "inline":
                lines.append(_collapse(self.text(self._inline_text(node))))
            elif node.type in ("fence", "code_block", "html_block"):
                source = node.content if node.type != "html_block" else self._html_text(node.content)
                lines.append(_collapse(self.text(source)))
            elif node.type == "list_item":
                lines.append("– " + self._block_text(node.children).replace("\n", " "))
            else:
                lines.append(self._block_text(node.children))
        return "\n".join(line for line in lines if line)

    def _paragraph(self, inline: SyntaxTreeNode | None) -> None:
        if inline is None:
            return
        if any(node.type == "html_inline" for node in self._walk_inline(inline)):
            self._html_blocks(_MD.renderer.renderInline(inline.token.children or [], _MD.options, {}))
            return
        if self._documents_paragraph([inline]):
            return
        lines: list[list[SyntaxTreeNode]] = [[]]
        for node in inline.children:  # only top-level breaks: one inside a link or bold text does not split
            if node.type == "softbreak":
                lines.append([])
            else:
                lines[-1].append(node)
        group: list[list[SyntaxTreeNode]] = []
        for line in lines:
            images = self._only_images(line)
            if images is None:
                group.append(line)
                continue
            self._text_lines(group)
            group = []
            for image in images:
                item = self._image_item(
                    image.attrs.get("src", ""), self._plain(image.children), image.attrs.get("title")
                )
                if item:
                    self.emit("image", item)
        self._text_lines(group)

    def _only_images(self, nodes: list[SyntaxTreeNode]) -> list[SyntaxTreeNode] | None:
        """The images of a line made only of images (a linked image counts), or None."""
        images = []
        for node in nodes:
            if node.type == "image":
                images.append(node)
            elif node.type == "link":
                inner = self._only_images(node.children)
                if not inner:
                    return None
                images.extend(inner)
            elif node.type in ("softbreak", "hardbreak") or (node.type == "text" and not node.content.strip()):
                continue
            else:
                return None
        return images or None

    def _text_lines(self, lines: list[list[SyntaxTreeNode]]) -> None:
        lines = [line for line in lines if _MARKER.sub("", self._plain(line)).strip() or self._has_marker(line)]
        if not lines:
            return
        kinds = self._press_text_kinds(lines) if len(lines) > 1 else None
        if kinds is None:
            self.emit_rich(_p(" ".join(self._inline_html(line) for line in lines)))
            return
        list_items: list[str] = []
        for line, kind in zip(lines, kinds, strict=True):
            if kind == "item":
                list_items.append(_LIST_MARKER_HTML.sub("", self._inline_html(line), count=1))
                continue
            if list_items:
                self.emit_rich(self._list_html("ul", list_items))
                list_items = []
            if kind == "title":
                self._heading(self._plain(line), "h2")
            else:
                self.emit_rich(_p(self._inline_html(line)))
        if list_items:
            self.emit_rich(self._list_html("ul", list_items))

    def _has_marker(self, line: list[SyntaxTreeNode]) -> bool:
        return bool(_MARKER.search(self._plain(line)))

    def _press_text_kinds(self, lines: list[list[SyntaxTreeNode]]) -> list[str] | None:
        """Rule for texts pasted one paragraph per line: "p", "title" or "item" per line, or None to join them."""
        texts = [_collapse(_MARKER.sub("", self._plain(line))) for line in lines]
        kinds: list[str] = []
        for index, line in enumerate(texts):
            if not line:
                kinds.append("p")  # a line that only held a block marker
                continue
            previous = texts[index - 1] if index else ""
            following = texts[index + 1] if index + 1 < len(texts) else None
            if _LIST_LINE.match(line):
                # "Among them:" then "— item" lines: the items need no full stop of their own.
                if not (_ends_sentence(line) or (kinds and kinds[-1] == "item") or previous.endswith(":")):
                    return None
                kinds.append("item")
            elif _ends_sentence(line):
                kinds.append("p")
            elif _is_title(line, following) and not any(n.type == "link" for n in self._walk_all(lines[index])):
                kinds.append("title")
            else:
                return None
        return kinds

    def _walk_all(self, nodes: list[SyntaxTreeNode]):
        for node in nodes:
            yield node
            yield from self._walk_inline(node)

    def _inline_html(self, nodes: list[SyntaxTreeNode]) -> str:
        out = []
        for node in nodes:
            kind = node.type
            if kind in ("text", "code_inline"):  # code is shown as plain text: rich text has no code style
                out.append(_esc(_WHITESPACE.sub(" ", self.text(node.content))))
            elif kind == "softbreak":
                out.append(" ")
            elif kind == "hardbreak":
                out.append("<br/>")
            elif kind in ("strong", "em"):
                out.append(_wrap("b" if kind == "strong" else "i", self._inline_html(node.children)))
            elif kind == "link":
                out.append(self._link(str(node.attrs.get("href", "")), self._inline_html(node.children)))
            elif kind == "image":
                self.warn(f"an image inside text was removed: {node.attrs.get('src', '')}")
            elif kind == "html_inline":
                continue  # paragraphs with raw HTML take the HTML path; this is only reached in odd nestings
            else:
                out.append(self._inline_html(node.children) if node.children else _esc(self.text(node.content)))
        return "".join(out)

    def _list(self, node: SyntaxTreeNode) -> None:
        if self._documents_paragraph(self._list_inlines(node)):
            return
        self.emit_rich(self._markdown_list_html(node))

    def _list_inlines(self, node: SyntaxTreeNode) -> list[SyntaxTreeNode] | None:
        """The inline content of a flat list whose items are single paragraphs, or None."""
        inlines = []
        for item in node.children:
            if len(item.children) != 1 or item.children[0].type != "paragraph" or not item.children[0].children:
                return None
            inlines.append(item.children[0].children[0])
        return inlines

    def _markdown_list_html(self, node: SyntaxTreeNode) -> str:
        items = []
        for item in node.children:
            texts, nested = [], []
            for child in item.children:
                if child.type == "paragraph" and child.children:
                    inline = child.children[0]
                    if any(n.type == "html_inline" for n in self._walk_inline(inline)):
                        html_text = _MD.renderer.renderInline(inline.token.children or [], _MD.options, {})
                        texts.append(self._html_inline(html_text))
                    else:
                        texts.append(self._inline_html(inline.children))
                elif child.type in ("bullet_list", "ordered_list"):
                    nested.append(self._markdown_list_html(child))
                elif child.type == "html_block":
                    texts.append(self._html_inline(child.content))
                else:
                    texts.append(_esc(self._block_text([child]) or _collapse(self.text(child.content))))
            body = _EDGE_BREAKS.sub("", "<br/>".join(t.strip() for t in texts if t.strip()))
            if body or any(nested):
                items.append(body + "".join(nested))
        return self._list_html("ol" if node.type == "ordered_list" else "ul", items)

    @staticmethod
    def _list_html(tag: str, items: list[str]) -> str:
        items = [_SPACED_BREAK.sub("<br/>", _SPACES.sub(" ", item)).strip() for item in items if item.strip()]
        return f"<{tag}>" + "".join(f"<li>{item}</li>" for item in items) + f"</{tag}>" if items else ""

    def _markdown_table(self, node: SyntaxTreeNode) -> None:
        rows, header = [], False
        for section in node.children:
            for row in section.children:
                cells = [
                    _collapse(self.text(self._inline_text(cell.children[0] if cell.children else None)))
                    for cell in row.children
                ]
                if section.type == "thead":
                    header = True
                rows.append(cells)
        self._table(rows, header, "")

    def _table(self, rows: list[list[str]], header: bool, caption: str) -> None:
        if header and rows and not any(rows[0]):
            rows, header = rows[1:], False
        header = header and bool(rows)
        # Empty rows are layout leftovers; an empty header row was dropped above.
        rows = (rows[:1] + [row for row in rows[1:] if any(row)]) if header else [row for row in rows if any(row)]
        if not any(any(row) for row in rows):
            return
        width = max(len(row) for row in rows)
        rows = [row + [""] * (width - len(row)) for row in rows]
        if not self.allow_tables:
            self.warn("a table was turned into text (tables are not available on this page type)")
            for row in rows:
                self.emit_rich(_p(_esc(" | ".join(cell for cell in row))), "other")
            return
        self.emit(
            "table",
            {
                "data": rows,
                "first_row_is_table_header": header,
                "first_col_is_header": False,
                "table_header_choice": "row" if header else "neither",
                "table_caption": caption,
            },
        )

    # -- links and documents ---------------------------------------------------------------------------------------

    def _link(self, href: str, inner: str) -> str:
        if not inner.strip():
            return inner
        href = href.strip()
        if not href or href.startswith("#"):
            return inner  # an anchor inside the old page means nothing in the new one
        if _is_unsafe_url(href):
            self.review("javascript: URL removed")
            return inner
        try:
            parsed = urlsplit(href)
        except ValueError:
            self.warn(f"a malformed link was removed: {href}")
            return inner
        scheme = parsed.scheme.lower()
        if href.startswith("//"):
            href, scheme = "https:" + href, "https"
        elif not scheme and href.lower().startswith("www."):
            href, scheme = "https://" + href, "https"  # written without its scheme, but clearly another site
        is_document = unquote(parsed.path).lower().endswith(DOCUMENT_SUFFIXES)
        if is_document and scheme in ("", "http", "https"):
            document = self._resolve("document", href)
            if document is not None:
                return f'<a linktype="document" id="{_attr(str(document.id))}">{inner}</a>'
            if not scheme:
                self.warn(f"missing document {href}")
                return inner
        if scheme in URL_SCHEMES:
            return f'<a href="{_attr(href)}">{inner}</a>'
        if scheme:
            self.warn(f"a link with an unsupported address was removed: {href}")
            return inner
        page_id = self._resolve("page", href)
        if page_id is not None:
            return f'<a linktype="page" id="{_attr(str(page_id))}">{inner}</a>'
        if href not in self.unresolved:
            self.unresolved.append(href)
        self.warn(f"link to a page that does not exist: {href}")
        return inner

    def _documents_paragraph(self, inlines: list[SyntaxTreeNode] | None) -> bool:
        """A paragraph (or list) of nothing but document links becomes a documents block; True if it did."""
        if not inlines:
            return False
        hrefs = []
        for inline in inlines:
            found = self._document_links(inline.children)
            if found is None:
                return False
            hrefs.extend(found)
        if not hrefs:
            return False
        documents, missing = [], []
        for href in hrefs:
            document = self._resolve("document", href)
            if document is not None:
                documents.append(document)
            elif urlsplit(href).scheme:
                return False  # an outside file: keep it as an ordinary link in the text
            else:
                missing.append(href)
        if not documents:
            return False  # the text path keeps the link texts and warns
        for href in missing:
            self.warn(f"missing document {href}")
        self.emit("documents", {"heading": "", "documents": documents})
        return True

    def _document_links(self, nodes: list[SyntaxTreeNode]) -> list[str] | None:
        hrefs = []
        for node in nodes:
            if node.type == "link":
                href = str(node.attrs.get("href", "")).strip()
                try:
                    parsed = urlsplit(href)
                except ValueError:
                    return None
                if parsed.scheme not in ("", "http", "https") or not unquote(parsed.path).lower().endswith(
                    DOCUMENT_SUFFIXES
                ):
                    return None
                hrefs.append(href)
            elif node.type not in ("softbreak", "hardbreak") and not (
                node.type == "text" and re.fullmatch(r"[\s,;|·•/–—-]*", node.content)
            ):
                return None
        return hrefs

    # -- raw HTML -------------------------------------------------------------------------------------------------

    def _soup(self, fragment: str) -> BeautifulSoup:
        """Parse raw HTML and take out what must never reach the site, noting it for review."""
        try:
            soup = BeautifulSoup(fragment, "html.parser")
        except Exception:  # Python's parser rejects some "<![...": read those as text
            self.warn("some raw HTML could not be read and was kept as text")
            soup = BeautifulSoup(_esc(fragment), "html.parser")
        for script in soup.find_all(["script", "style"]):
            if script.decomposed:
                continue
            map_url = _yandex_constructor_map(str(script.get("src") or "")) if script.name == "script" else None
            if map_url:
                self.review("Yandex map script replaced by a map block")
                iframe = soup.new_tag("iframe", src=map_url)
                script.replace_with(iframe)
            else:
                self.review(f"{script.name} removed")
                script.decompose()
        for embed in soup.find_all(list(_DANGEROUS_EMBEDS)):
            if not embed.decomposed:
                self.review(f"<{embed.name}> removed")
                embed.decompose()
        for tag in soup.find_all(True):
            for name in list(tag.attrs):
                lowered = name.lower()
                if lowered.startswith("on"):
                    self.review("inline event handler removed")
                    del tag.attrs[name]
                elif lowered in _URL_ATTRIBUTES and _is_unsafe_url(str(tag.attrs[name])):
                    self.review("javascript: URL removed")
                    del tag.attrs[name]
        return soup

    def _html_text(self, fragment: str) -> str:
        """Plain text of raw HTML; maps and videos in it follow the current block."""
        soup = self._soup(fragment)
        self._queue_iframes(soup)
        return _collapse(soup.get_text(" "))

    def _queue_iframes(self, soup: Tag) -> None:
        # Where only text fits (a table cell, a heading, a list item), an embedded map or video follows the block.
        for iframe in soup.find_all("iframe"):
            if iframe.decomposed:
                continue  # it sat inside an iframe removed just before
            block = self._iframe(iframe)
            if block:
                self.marker_blocks.append(block)
                self.pending.append(len(self.marker_blocks) - 1)
            iframe.decompose()

    def _html_blocks(self, fragment: str) -> None:
        self.run_parts = []
        self._html_walk(self._soup(fragment))
        self._flush_run()

    def _html_walk(self, node: Tag) -> None:
        for child in list(node.children):
            if isinstance(child, Comment) or (
                isinstance(child, NavigableString) and type(child) is not NavigableString
            ):
                continue  # comments, doctypes, CDATA, processing instructions
            if isinstance(child, NavigableString):
                self.run_parts.append(_esc(str(child)))
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name.lower()
            if name in _HTML_SPECIAL:
                self._flush_run()
                self._html_special(name, child)
                self.flush_pending()
                continue
            blocks_inside = child.find(list(_HTML_BLOCKS_INSIDE_RICH_TEXT)) is not None
            if name in _HTML_CONTAINERS and (name not in RICH_TAGS or blocks_inside):
                self._flush_run()
                self._html_walk(child)
                self._flush_run()
            elif blocks_inside:
                self._html_walk(child)  # an inline wrapper around blocks: its own formatting is lost
            else:
                self.run_parts.append(str(child))

    def _html_special(self, name: str, tag: Tag) -> None:
        if name in _HEADING_TAGS:
            self._heading(tag.get_text(" "), _HEADING_TAGS[name])
        elif name == "iframe":
            block = self._iframe(tag)
            if block:
                self.emit(*block)
        elif name == "img":
            src = str(tag.get("src") or tag.get("data-src") or "")
            item = self._image_item(src, str(tag.get("alt") or ""), str(tag.get("title") or ""))
            if item:
                self.emit("image", item)
        elif name == "table":
            self._html_table(tag)
        elif name == "blockquote":
            for br in tag.find_all("br"):
                br.replace_with("\n")
            for element in tag.find_all(["p", "div", "li", *_HEADING_TAGS]):
                element.append("\n")  # one line per paragraph, but words of one line stay together
            lines = (_collapse(self.text(line)) for line in tag.get_text().split("\n"))
            self._quote("\n".join(line for line in lines if line))
        elif name == "pre":
            self._preformatted(tag.get_text())
        # hr: nothing

    def _iframe(self, tag: Tag) -> tuple[str, Any] | None:
        src = str(tag.get("src") or tag.get("data-src") or "").strip()
        if src.startswith("//"):
            src = "https:" + src
        if src.startswith("http://") and is_allowed_map_url("https://" + src[len("http://") :]):
            src = "https://" + src[len("http://") :]
        if is_allowed_map_url(src):
            title = _truncate(_collapse(str(tag.get("title") or "")), HEADING_MAX_LENGTH)
            if not title:
                self.warn("a map has no title: add what it shows")
            return ("map", {"url": src, "title": title})
        video = _video_url(src)
        if video:
            return ("video", {"video": video, "caption": ""})
        try:
            host = urlsplit(src).hostname or src
        except ValueError:
            host = src
        self.review(f"iframe from {host} removed" if host else "iframe without an address removed")
        return None

    def _html_table(self, table: Tag) -> None:
        rows, header = [], False
        for tr in table.find_all("tr"):
            if tr.find_parent("table") is not table:
                continue  # a row of a nested (layout) table: its text is part of the outer cell
            cells = [cell for cell in tr.find_all(["td", "th"]) if cell.find_parent("tr") is tr]
            if not rows:
                header = any(cell.name == "th" for cell in cells) or tr.find_parent("thead") is not None
            texts = []
            for cell in cells:
                texts.append(_collapse(self.text(cell.get_text(" "))))
                try:
                    span = int(str(cell.get("colspan") or 1))
                except ValueError:
                    span = 1
                texts.extend([""] * (min(max(span, 1), 20) - 1))  # keep the columns under their headers
            rows.append(texts)
        for image in table.find_all("img"):
            self.warn(f"an image inside a table was removed: {image.get('src') or ''}")
        self._queue_iframes(table)
        caption = table.find("caption")
        caption_text = _collapse(caption.get_text(" ")) if caption and caption.find_parent("table") is table else ""
        self._table(rows, header, caption_text)

    def _flush_run(self) -> None:
        fragment, self.run_parts = "".join(self.run_parts), []
        if not fragment.strip():
            return
        cleaned = nh3.clean(
            fragment,
            tags=RICH_TAGS,
            attributes={"a": {"href"}},
            url_schemes=URL_SCHEMES,
            link_rel=None,
        )
        soup = BeautifulSoup(cleaned, "html.parser")
        inline: list[str] = []

        def flush_inline() -> None:
            self.emit_rich(_p("".join(inline)))
            inline.clear()

        for child in soup.children:
            name = child.name if isinstance(child, Tag) else None
            if name == "p":
                flush_inline()
                self.emit_rich(_p(self._soup_inline(child)))
            elif name in ("ul", "ol"):
                flush_inline()
                self.emit_rich(self._soup_list(child))
            elif name == "li":
                flush_inline()
                self.emit_rich(self._list_html("ul", [self._soup_inline(child).strip()]))
            elif name in ("h2", "h3", "h4"):
                flush_inline()
                self._heading(child.get_text(" "), "h2" if name == "h2" else "h3")
            elif isinstance(child, Tag):
                inline.append(self._soup_inline_node(child))
            elif isinstance(child, NavigableString) and not isinstance(child, Comment):
                inline.append(_esc(self.text(_WHITESPACE.sub(" ", str(child)))))
        flush_inline()
        self.flush_pending()

    def _html_inline(self, fragment: str) -> str:
        """Raw HTML inside a list item: rich inline text only; embedded blocks follow the list."""
        soup = self._soup(fragment)
        self._queue_iframes(soup)
        for image in soup.find_all("img"):
            self.warn(f"an image inside text was removed: {image.get('src') or ''}")
            image.decompose()
        cleaned = nh3.clean(
            str(soup), tags=RICH_TAGS, attributes={"a": {"href"}}, url_schemes=URL_SCHEMES, link_rel=None
        )
        return _EDGE_BREAKS.sub("", self._soup_inline(BeautifulSoup(cleaned, "html.parser")).strip())

    def _soup_list(self, tag: Tag) -> str:
        items = []
        for child in tag.children:
            if isinstance(child, Tag) and child.name == "li":
                item = _EDGE_BREAKS.sub("", self._soup_inline(child, lists=True).strip())
                items.append(re.sub(r"(?:<br/>\s*){2,}", "<br/>", item))
            elif isinstance(child, Tag) or (isinstance(child, NavigableString) and str(child).strip()):
                items.append(_EDGE_BREAKS.sub("", self._soup_inline_node(child).strip()))
        return self._list_html("ol" if tag.name == "ol" else "ul", items)

    def _soup_inline(self, tag: Tag, lists: bool = False) -> str:
        return "".join(self._soup_inline_node(child, lists) for child in tag.children)

    def _soup_inline_node(self, node: Any, lists: bool = False) -> str:
        if isinstance(node, Comment):
            return ""
        if isinstance(node, NavigableString):
            return _esc(self.text(_WHITESPACE.sub(" ", str(node))))
        if not isinstance(node, Tag):
            return ""
        name = node.name
        if name == "br":
            return "<br/>"
        if name in ("ul", "ol") and lists:
            return self._soup_list(node)  # a nested list inside a list item
        inner = self._soup_inline(node)
        if name in ("b", "strong", "i", "em"):
            return _wrap("b" if name in ("b", "strong") else "i", inner)
        if name == "a":
            return self._link(str(node.get("href") or ""), inner)
        if name in ("p", "li", "ul", "ol", "h2", "h3", "h4"):
            return f"<br/>{inner}<br/>" if inner.strip() else ""  # a block inside inline text: keep it on its own line
        return inner
