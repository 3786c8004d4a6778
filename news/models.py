from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from core.blocks import BodyBlock
from core.cache import remember
from core.models import ListedPageQuerySet, ViewRestrictionsMixin, locale_ids
from core.pagination import paginate


class NewsIndexPage(ViewRestrictionsMixin, RoutablePageMixin, Page):
    """The news section of one language (/kk/news/, /ru/news/, /en/news/), with its feeds (feed/, atom/)."""

    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("A sentence or two shown above the list of news."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("seo_title"),
        TranslatableField("search_description"),
        SynchronizedField("slug"),
        TranslatableField("intro"),
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["news.NewsArticlePage"]
    max_count_per_parent = 1

    per_page = 10

    class Meta:
        verbose_name = _("news index")
        verbose_name_plural = _("news indexes")

    @classmethod
    def of_language(cls, language: str) -> "NewsIndexPage | None":
        """The live news index of a language (the feed links of every page, the home page's "All news"), cached
        until the content changes."""
        return remember(
            f"news-index:{language}", lambda: cls.objects.live().filter(locale_id=locale_ids().get(language)).first()
        )

    def articles(self):
        return NewsArticlePage.objects.listed_in(self.locale_id).child_of(self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles = self.articles()
        # The number of articles changes only when one is published, unpublished, moved or deleted (core.cache).
        count = None if getattr(request, "is_preview", False) else remember(f"news-count:{self.pk}", articles.count)
        context["articles"] = paginate(request, articles, self.per_page, count)
        return context

    @path("")
    def index(self, request):
        return self.render(request)

    @path("feed/", name="rss")
    def rss_feed(self, request):
        from .feeds import feed_response

        return feed_response(self, request, "rss")

    @path("atom/", name="atom")
    def atom_feed(self, request):
        from .feeds import feed_response

        return feed_response(self, request, "atom")


class NewsArticleQuerySet(ListedPageQuerySet):
    def listed_in(self, locale):
        """Newest first, each with its cover image and the image's renditions: two queries for any number."""
        return (
            super()
            .listed_in(locale)
            .order_by("-date", "-pk")
            .select_related("cover_image")
            .prefetch_related("cover_image__renditions")
        )


class NewsArticlePage(ViewRestrictionsMixin, Page):
    """A news item. Its body holds text, pictures, galleries, quotes, videos, documents and figures."""

    date = models.DateTimeField(
        _("date"),
        default=timezone.now,
        help_text=_("When the event happened or the news was announced (Astana time). Orders the news list."),
    )
    summary = models.TextField(
        _("summary"),
        blank=True,
        help_text=_("Two or three sentences shown in the news list and at the top of the article."),
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown in the news list and at the top of the article. Optional."),
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    objects = PageManager.from_queryset(NewsArticleQuerySet)()

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("date"), FieldPanel("summary"), FieldPanel("cover_image")],
            heading=_("In the news list"),
        ),
        FieldPanel("body"),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]

    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("seo_title"),
        TranslatableField("search_description"),
        SynchronizedField("slug"),
        SynchronizedField("date"),
        TranslatableField("summary"),
        SynchronizedField("cover_image", overridable=True),
        TranslatableField("body"),
    ]

    parent_page_types = ["news.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("news article")
        verbose_name_plural = _("news articles")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if getattr(request, "is_preview", False):
            context["newer"], context["older"] = self.neighbours()
        else:
            # Two queries per article otherwise; they change only when an article is published, unpublished, moved
            # or deleted, which retires the cached pair (core.cache).
            key = f"news-neighbours:{translation.get_language()}:{self.pk}"
            context["newer"], context["older"] = remember(key, self.neighbours)
        return context

    def neighbours(self) -> tuple["NewsArticlePage | None", "NewsArticlePage | None"]:
        """(newer, older): the articles next to this one in its news list, shown as links."""
        siblings = (
            NewsArticlePage.objects.live()
            .public()
            .filter(locale_id=self.locale_id)
            .sibling_of(self, inclusive=False)
            .defer_streamfields()
        )
        newer = (
            siblings.filter(models.Q(date__gt=self.date) | models.Q(date=self.date, pk__gt=self.pk))
            .order_by("date", "pk")
            .first()
        )
        older = (
            siblings.filter(models.Q(date__lt=self.date) | models.Q(date=self.date, pk__lt=self.pk))
            .order_by("-date", "-pk")
            .first()
        )
        return newer, older
