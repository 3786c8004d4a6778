from django.conf import settings
from django.db import models
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail_localize.fields import SynchronizedField, TranslatableField

from core.blocks import KeyFigureBlock
from core.models import ViewRestrictionsMixin

from .blocks import PillarBlock


def takes_over(page, remaining: list[str]) -> bool:
    """Whether `page` routes `remaining` (the rest of the path) itself, as Wagtail would let it: a RoutablePageMixin
    page (the news index: feed/, atom/) when one of its routes matches, any other page with a route of its own."""
    model = page.specific_class
    if model is None or model.route is Page.route:
        return False
    if not issubclass(model, RoutablePageMixin):
        return True
    if not page.live:
        return False
    try:
        model.get_resolver().resolve("/" + "".join(f"{part}/" for part in remaining))
    except Http404:  # Resolver404
        return False
    return True


class HomePage(ViewRestrictionsMixin, Page):
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
    subpage_types = ["news.NewsIndexPage", "about.AboutPage", "about.BranchPage", "booking.BookingPage"]
    # One home page per language.
    max_count = len(settings.WAGTAIL_CONTENT_LANGUAGES)

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def route(self, request, path_components):
        """Every URL of a language starts here. Wagtail walks the path one level at a time, two queries a level (the
        child by its slug, then its specific object); here the whole path is read in one query by url_path and only
        the page found is made specific. A page on the way with routes of its own (the news index's feed/ and
        atom/) takes over the rest of the path as in Wagtail. The pages on the way are kept on the page found
        (core.models.ancestors_of)."""
        if not path_components:
            self._ancestors = []
            return super().route(request, path_components)
        url_paths = [
            self.url_path + "".join(f"{part}/" for part in path_components[:n])
            for n in range(1, len(path_components) + 1)
        ]
        # By slug first: Wagtail indexes slug and path, not url_path (a scan of every page otherwise).
        found = list(
            Page.objects.filter(slug__in=set(path_components), path__startswith=self.path, url_path__in=url_paths)
        )
        parent, ancestors = self, []
        for level, url_path in enumerate(url_paths):
            remaining = path_components[level:]
            if parent is not self and takes_over(parent, remaining):
                page = parent.specific
                page._ancestors = ancestors
                return page.route(request, remaining)
            # The child must also be under its parent in the tree (Wagtail keeps url_path in step with the tree).
            child = next(
                (
                    found_page
                    for found_page in found
                    if found_page.url_path == url_path and found_page.is_child_of(parent)
                ),
                None,
            )
            if child is None:
                raise Http404
            child._cached_parent_obj = parent
            ancestors.append(parent)
            parent = child
        page = parent.specific
        page._cached_parent_obj = ancestors[-1]
        page._ancestors = ancestors
        return page.route(request, [])

    def get_context(self, request, *args, **kwargs):
        from about.models import BranchPage
        from news.models import NewsArticlePage, NewsIndexPage

        context = super().get_context(request, *args, **kwargs)
        context["latest_articles"] = NewsArticlePage.objects.listed_in(self.locale_id)[:3]
        context["news_index"] = NewsIndexPage.of_language(translation.get_language())
        context["branches"] = BranchPage.for_request(request)
        return context
