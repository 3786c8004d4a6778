"""The StreamField blocks every page type shares.

Each block names its template, icon, description and a preview value, so the admin's block picker shows a real
preview. Texts a visitor reads are CharBlock/TextBlock/RichTextBlock, which wagtail-localize offers to translators;
images are synchronised across translations unless a translator overrides them.
"""

from copy import deepcopy

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock as WagtailTableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail_localize.segments import StringSegmentValue


def first_image():
    """A preview needs a real image; use whichever the library holds (None on an empty site)."""
    from wagtail.images import get_image_model

    return get_image_model().objects.order_by("pk").first()


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Section heading")), ("h3", _("Subheading"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        label = _("Heading")
        description = _("A heading that starts a new section of the text.")
        preview_value = {"text": "Диагностика", "level": "h2"}


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        max_length=250,
        help_text=_("What the picture shows, for visitors who cannot see it. Leave empty only for decoration."),
        required=False,
    )
    caption = blocks.CharBlock(label=_("Caption"), max_length=300, required=False)

    class Meta:
        icon = "image"
        template = "blocks/image_block.html"
        label = _("Image")
        description = _("One picture with its description and an optional caption.")

    def get_preview_value(self):
        return self.to_python({"image": getattr(first_image(), "pk", None), "alt_text": "", "caption": ""})


class GalleryImageBlock(ImageBlock):
    class Meta:
        icon = "image"
        label = _("Gallery image")
        template = "blocks/image_block.html"


class GalleryBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Gallery title"), required=False, max_length=200)
    images = blocks.ListBlock(GalleryImageBlock(), label=_("Images"), min_num=1)

    class Meta:
        icon = "image"
        template = "blocks/gallery_block.html"
        label = _("Gallery")
        description = _(
            "A photo carousel: visitors step through the pictures in order. Each picture needs its description."
        )

    def get_preview_value(self):
        image = first_image()
        item = {"image": getattr(image, "pk", None), "alt_text": "", "caption": ""}
        return self.to_python({"title": "", "images": [item, item, item]})


class QuoteBlock(blocks.StructBlock):
    # A TextBlock rather than BlockQuoteBlock: wagtail-localize can extract a BlockQuoteBlock but not write one back.
    text = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(label=_("Who said it"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"
        label = _("Quote")
        description = _("A statement set apart from the text, with who said it.")
        preview_value = {
            "text": "Қан ауруларымен ауыратын пациенттерге халықаралық стандарттарға сәйкес медициналық көмек көрсету",
            "attribution": "",
        }


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(label=_("Video address"), help_text=_("A YouTube or Vimeo link, e.g. https://youtu.be/…"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=300)

    class Meta:
        icon = "media"
        template = "blocks/video_block.html"
        label = _("Video")
        description = _("A YouTube or Vimeo video shown in the page.")
        preview_value = {"video": None, "caption": "Video"}


# Map services whose embeddable maps the site shows; anything else is refused (it would load a stranger's page).
MAP_HOSTS = ("yandex.ru", "yandex.kz", "yandex.com", "google.com", "google.kz", "openstreetmap.org", "2gis.kz")
# Video services (settings.WAGTAILEMBEDS_FINDERS asks only these): their embed code is an iframe, not a script.
VIDEO_HOSTS = ("youtube.com", "youtu.be", "youtube-nocookie.com", "vimeo.com")
DEFAULT_PORTS = {"https": 443, "http": 80}


def frame_sources() -> list[str]:
    """The Content-Security-Policy's frame-src (core.middleware) for the same hosts, matched the same way as
    _is_url_of: each host and its subdomains, https only, default port only. One list, so that every address an
    editor may save is one the browser frames."""
    return [f"https://{pattern}" for host in MAP_HOSTS + VIDEO_HOSTS for pattern in (host, f"*.{host}")]


def _is_url_of(url: str, hosts: tuple[str, ...], schemes: tuple[str, ...]) -> bool:
    from urllib.parse import urlparse

    url = url or ""
    # A backslash, a space or a control character, or a user name before "@", would let a browser read another
    # host than Python does ("https://evil.example\\@yandex.ru/" opens evil.example).
    if "\\" in url or any(ord(ch) <= 0x20 for ch in url):
        return False
    parsed = urlparse(url)
    host = (parsed.hostname or "").lower()
    if parsed.username is not None or parsed.password is not None:
        return False
    try:
        port = parsed.port
    except ValueError:  # not a number, or out of range
        return False
    if port is not None and port != DEFAULT_PORTS.get(parsed.scheme):
        return False  # the policy's sources allow the default port only: the browser would refuse the frame
    return parsed.scheme in schemes and any(host == h or host.endswith("." + h) for h in hosts)


def is_allowed_map_url(url: str) -> bool:
    return _is_url_of(url, MAP_HOSTS, ("https",))


def is_allowed_video_url(url: str) -> bool:
    return _is_url_of(url, VIDEO_HOSTS, ("https", "http"))


class MapURLBlock(blocks.URLBlock):
    def clean(self, value):
        value = super().clean(value)
        if value and not is_allowed_map_url(value):
            from django.core.exceptions import ValidationError

            raise ValidationError(_("Use the embed link of a Yandex, Google, 2GIS or OpenStreetMap map (https)."))
        return value


class MapBlock(blocks.StructBlock):
    url = MapURLBlock(
        label=_("Map address"),
        help_text=_("The embed link of the map (the src of the map's iframe) from Yandex, Google or 2GIS Maps."),
    )
    title = blocks.CharBlock(label=_("What the map shows"), max_length=200, help_text=_("E.g. The Astana branch"))

    class Meta:
        icon = "site"
        template = "blocks/map_block.html"
        label = _("Map")
        description = _("An interactive map, e.g. how to find a branch.")
        preview_value = {"url": "https://yandex.ru/map-widget/v1/?ll=71.43%2C51.13&z=12", "title": "Астана"}


class DocumentsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=200)
    documents = blocks.ListBlock(DocumentChooserBlock(label=_("Document")), label=_("Documents"), min_num=1)

    class Meta:
        icon = "doc-full"
        template = "blocks/documents_block.html"
        label = _("Documents")
        description = _("A list of files to download (PDF, Word, Excel), with their type and size.")
        preview_value = {"heading": "Құжаттар", "documents": []}


class KeyFigureBlock(blocks.StructBlock):
    number = blocks.CharBlock(label=_("Number"), max_length=20, help_text=_("For example: 53 000+"))
    label = blocks.CharBlock(label=_("What it counts"), max_length=120, help_text=_("For example: consultations"))

    class Meta:
        icon = "order"
        label = _("Key figure")
        template = "blocks/key_figure_block.html"
        preview_value = {"number": "53 000+", "label": "консультация"}


class KeyFiguresBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=200)
    figures = blocks.ListBlock(KeyFigureBlock(), label=_("Figures"), min_num=1)

    class Meta:
        icon = "order"
        template = "blocks/key_figures_block.html"
        label = _("Key figures")
        description = _("Large numbers with a short label, e.g. “53 000+ consultations”.")
        preview_value = {
            "heading": "",
            "figures": [
                {"number": "53 000+", "label": "консультация"},
                {"number": "51", "label": "тәулік бойғы стационар төсегі"},
            ],
        }


class TableBlock(WagtailTableBlock):
    """Wagtail's table, with its caption and cells offered to translators (wagtail-localize skips tables)."""

    class Meta:
        icon = "table"
        template = "blocks/table_block.html"
        label = _("Table")
        description = _("A table of rows and columns, e.g. prices or a timetable.")
        preview_value = {
            "first_row_is_table_header": True,
            "first_col_is_header": False,
            "table_header_choice": "row",
            "table_caption": "",
            "data": [["Зерттеу", "Мерзімі"], ["Иммунофенотиптеу", "3 күн"]],
        }

    def get_translatable_segments(self, value):
        if not value:
            return []
        segments = []
        if value.get("table_caption"):
            segments.append(StringSegmentValue("caption", value["table_caption"]))
        for r, row in enumerate(value.get("data") or []):
            for c, cell in enumerate(row):
                if cell and str(cell).strip():
                    segments.append(StringSegmentValue(f"cell-{r}-{c}", str(cell)))
        return segments

    def restore_translated_segments(self, value, segments):
        value = deepcopy(value)
        for segment in segments:
            if segment.path == "caption":
                value["table_caption"] = segment.render_text()
            elif segment.path.startswith("cell-"):
                _prefix, r, c = segment.path.split("-")
                value["data"][int(r)][int(c)] = segment.render_text()
        return value


class BodyBlock(blocks.StreamBlock):
    """The body of every page type: news articles, about and branch pages."""

    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"),
        icon="pilcrow",
        template="blocks/paragraph_block.html",
        description=_("Text with bold, italic, lists and links."),
        preview_value="<p>Гематология орталығы – қан ауруларымен ауыратын пациенттерге көмек көрсететін клиника.</p>",
    )
    heading = HeadingBlock()
    image = ImageBlock()
    gallery = GalleryBlock()
    quote = QuoteBlock()
    video = VideoBlock()
    documents = DocumentsBlock()
    key_figures = KeyFiguresBlock()
    map = MapBlock()
    table = TableBlock()

    class Meta:
        block_counts = {}
