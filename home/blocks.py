from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock


class PillarBlock(blocks.StructBlock):
    """One of the principles the clinic is built on (today: standards, equipment, diagnostics, safety)."""

    heading = blocks.CharBlock(label=_("Heading"), max_length=120)
    text = blocks.TextBlock(label=_("Text"))
    image = ImageChooserBlock(label=_("Image"), required=False)

    class Meta:
        icon = "tick-inverse"
        label = _("Pillar")
        template = "blocks/pillar_block.html"
        description = _("A principle of the clinic's work: a heading, a short text and an optional picture.")
        preview_value = {
            "heading": "Стандарттар",
            "text": "Халықаралық деңгейде мойындалған біртұтас хаттамаларды енгізу.",
        }
