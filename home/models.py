from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail_localize.fields import SynchronizedField, TranslatableField

from core.blocks import KeyFigureBlock

from .blocks import PillarBlock


class HomePage(Page):
    """The mission page: the root of each language's tree (/kk/, /ru/, /en/)."""

    mission = models.TextField(_("mission"), blank=True, help_text=_("One or two sentences: why the clinic exists."))
    vision = models.TextField(
        _("vision"), blank=True, help_text=_("One or two sentences: what the clinic wants to become.")
    )
    intro = RichTextField(
        _("about the clinic"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text=_("A few paragraphs introducing the clinic to a first-time visitor."),
    )
    pillars = StreamField(
        [("pillar", PillarBlock())],
        blank=True,
        verbose_name=_("pillars"),
        help_text=_("The principles the clinic is built on, shown as cards (today four)."),
    )
    key_figures = StreamField(
        [("figure", KeyFigureBlock())],
        blank=True,
        verbose_name=_("key figures"),
        help_text=_("Large numbers shown on the home page, e.g. “53 000+ consultations”."),
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([FieldPanel("mission"), FieldPanel("vision")], heading=_("Mission and vision")),
        FieldPanel("intro"),
        FieldPanel("pillars"),
        FieldPanel("key_figures"),
    ]

    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("seo_title"),
        TranslatableField("search_description"),
        SynchronizedField("slug"),
        TranslatableField("mission"),
        TranslatableField("vision"),
        TranslatableField("intro"),
        TranslatableField("pillars"),
        TranslatableField("key_figures"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["news.NewsIndexPage", "about.AboutPage", "about.BranchPage"]
    # One home page per language.
    max_count = len(settings.WAGTAIL_CONTENT_LANGUAGES)

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def get_context(self, request, *args, **kwargs):
        from about.models import BranchPage
        from news.models import NewsArticlePage

        context = super().get_context(request, *args, **kwargs)
        context["latest_articles"] = NewsArticlePage.objects.listed_in(self.locale)[:3]
        context["branches"] = BranchPage.for_request(request)
        return context
