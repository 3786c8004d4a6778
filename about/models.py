from django.db import models
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from core.blocks import BodyBlock
from core.cache import remember
from core.models import ListedPageManager, ViewRestrictionsMixin, active_locale_id, private_q


class AboutPage(ViewRestrictionsMixin, Page):
    """A general page: about the center, science, patient school, contracts, drug formulary…"""

    intro = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("A short paragraph shown at the top of the page and in lists."),
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))
    show_child_pages = models.BooleanField(
        _("list the pages below this one"),
        default=False,
        help_text=_("Show links to this page's sub-pages (e.g. the branches, or the patient school lessons)."),
    )

    objects = ListedPageManager()

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("show_child_pages"),
    ]

    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("seo_title"),
        TranslatableField("search_description"),
        SynchronizedField("slug"),
        TranslatableField("intro"),
        TranslatableField("body"),
        SynchronizedField("show_child_pages"),
    ]

    parent_page_types = ["home.HomePage", "about.AboutPage"]
    subpage_types = ["about.AboutPage", "about.BranchPage"]

    class Meta:
        verbose_name = _("content page")
        verbose_name_plural = _("content pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if self.show_child_pages:
            context["child_pages"] = (
                Page.objects.child_of(self).live().exclude(private_q()).filter(locale_id=self.locale_id).specific()
            )
        return context


class BranchPage(ViewRestrictionsMixin, Page):
    """One of the clinic's branches (Astana, Karaganda, Ust-Kamenogorsk)."""

    city = models.CharField(_("city"), max_length=100, help_text=_("As visitors say it, e.g. Астана."))
    mis_city_id = models.CharField(
        _("city id in the MIS"),
        max_length=16,
        blank=True,
        help_text=_(
            "The number the clinic's information system gives this city: Ust-Kamenogorsk 1, Karaganda 2, Astana 3. "
            "Tells a patient who books online which branch to come to, and picks the price list shown on the page."
        ),
    )
    address = models.TextField(_("address"), blank=True, help_text=_("Street, building, floor or office."))
    phones = models.TextField(
        _("phone numbers"),
        blank=True,
        help_text=_("One number per line, with the country code, e.g. +7 7172 00 00 00."),
    )
    whatsapp = models.CharField(
        _("WhatsApp number"),
        max_length=30,
        blank=True,
        help_text=_("The number that answers on WhatsApp, with the country code, e.g. +7 701 000 00 00."),
    )
    opening_hours = models.TextField(
        _("opening hours"),
        blank=True,
        help_text=_("One line per day or group of days, e.g. Mon–Fri 08:00–18:00."),
    )
    map_embed_url = models.URLField(
        _("map address"),
        blank=True,
        help_text=_("The embed link of the branch on Yandex or Google Maps (the src of the map's iframe)."),
    )
    services = RichTextField(
        _("services"),
        blank=True,
        features=["bold", "ul", "ol", "link"],
        help_text=_("What the branch offers, as a short list."),
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    objects = ListedPageManager()

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("city"),
                FieldPanel("mis_city_id"),
                FieldPanel("address"),
                FieldPanel("phones"),
                FieldPanel("whatsapp"),
                FieldPanel("opening_hours"),
                FieldPanel("map_embed_url"),
            ],
            heading=_("Contacts"),
        ),
        FieldPanel("services"),
        FieldPanel("body"),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("city"),
        index.SearchField("address"),
        index.SearchField("services"),
        index.SearchField("body"),
    ]

    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("seo_title"),
        TranslatableField("search_description"),
        SynchronizedField("slug"),
        TranslatableField("city"),
        SynchronizedField("mis_city_id"),
        TranslatableField("address"),
        SynchronizedField("phones"),
        SynchronizedField("whatsapp"),
        TranslatableField("opening_hours"),
        SynchronizedField("map_embed_url"),
        TranslatableField("services"),
        TranslatableField("body"),
    ]

    parent_page_types = ["home.HomePage", "about.AboutPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("branch")
        verbose_name_plural = _("branches")

    @classmethod
    def for_request(cls, request) -> list["BranchPage"]:
        """The branches of the request's language (home, footer and JSON-LD all show them): kept in the cache until
        the content changes, and on the request. Without their bodies, which none of those shows."""
        cached = getattr(request, "_branches", None)
        if cached is None:
            language = translation.get_language()
            cached = request._branches = remember(
                f"branches:{language}", lambda: list(cls.objects.listed_in(active_locale_id()).defer_streamfields())
            )
        return cached

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["price_list"] = self.price_list()
        return context

    def price_list(self) -> "PriceList | None":
        """The stored copy of this branch's price list in the page's language (never asked of the MIS here)."""
        if not self.mis_city_id:
            return None
        return PriceList.objects.filter(city_id=self.mis_city_id, language=self.locale.language_code).first()

    @property
    def phone_list(self) -> list[str]:
        return [line.strip() for line in self.phones.splitlines() if line.strip()]

    @property
    def hours_lines(self) -> list[str]:
        return [line.strip() for line in self.opening_hours.splitlines() if line.strip()]

    @property
    def whatsapp_link(self) -> str:
        digits = "".join(ch for ch in self.whatsapp if ch.isdigit())
        return f"https://wa.me/{digits}" if digits else ""


class PriceList(models.Model):
    """A branch city's price list as the MIS last gave it, sanitised (about.price_lists.sync_price_lists, hourly on
    the booking queue). Kept apart from BranchPage: a new price is not an edit of the page, and the last good copy
    stays while the MIS is down. The branch page shows the copy of its `mis_city_id` in its own language."""

    city_id = models.CharField(_("city id in the MIS"), max_length=16)
    language = models.CharField(_("language"), max_length=8)
    html = models.TextField(_("price list"))
    fetched_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("price list")
        verbose_name_plural = _("price lists")
        constraints = [models.UniqueConstraint(fields=["city_id", "language"], name="one_price_list_per_city_language")]

    def __str__(self) -> str:
        return f"{self.city_id} ({self.language})"

    def safe_html(self) -> SafeString:
        """The table as shown: cleaned again, since a row may also come from a restore or a script."""
        from .price_lists import clean_price_list

        return mark_safe(clean_price_list(self.html))  # noqa: S308 - nh3 has just sanitised it
