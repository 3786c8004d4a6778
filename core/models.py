"""What every page type shares: the listing queryset, and the site-wide facts each request needs (the languages'
locales, the restricted sections) kept in the cache until the content changes (core.cache, core.signals)."""

from django.db import models
from django.db.models import Q
from django.utils import translation
from wagtail.models import Locale, PageManager, PageViewRestriction
from wagtail.query import PageQuerySet

from .cache import remember


def locale_ids() -> dict[str, int]:
    """{language code: Locale id}. Lets a page's language be read from its locale_id, without fetching its Locale."""
    return remember("locale-ids", lambda: dict(Locale.objects.values_list("language_code", "pk")))


def active_locale_id() -> int | None:
    return locale_ids().get(translation.get_language())


def language_code_of(page) -> str:
    return next((code for code, pk in locale_ids().items() if pk == page.locale_id), "")


def site_for_request(request):
    """Wagtail's Site.find_for_request, from the cache: Wagtail reads the sites table on every request (its slowest
    query), then the site's root page and its specific object while routing. The site is kept by host and port
    with its root page already specific; a Site or page change retires it (core.signals)."""
    from wagtail.models import Site

    def build():
        site = Site._find_for_request(request)
        if site is not None:
            site.root_page = site.root_page.specific
        return site

    try:
        host, port = request.get_host().lower(), request.get_port()
    except Exception:  # noqa: BLE001 - DisallowedHost: Wagtail's own lookup answers (and Django refuses the host)
        return Site.find_for_request(request)
    return remember(f"site:{host}:{port}", build)


def restricted_pages() -> dict[int, str]:
    """{page id: tree path} of the pages with a view restriction (password, sign-in, groups). Wagtail reads the
    restrictions table each time .public() or a page's restriction check runs, five or more times a page; a
    PageViewRestriction saved or deleted, or a page moved, changes the content generation and so retires this."""
    return remember("restricted-pages", lambda: dict(PageViewRestriction.objects.values_list("page_id", "page__path")))


def private_q() -> Q:
    """The pages of the restricted sections (a restricted page and everything below it), as Wagtail's private_q."""
    q = Q()
    for path in set(restricted_pages().values()):
        q |= Q(path__startswith=path)
    return q if q else Q(pk__in=[])


def ancestors_of(page) -> list:
    """The page's ancestors below the root, top first, as generic Page objects. HomePage.route finds them while
    routing; otherwise they are read once and kept on the page. Breadcrumbs, JSON-LD, the language switcher and the
    view-restriction check all use them."""
    ancestors = getattr(page, "_ancestors", None)
    if ancestors is None:
        ancestors = page._ancestors = list(page.get_ancestors().filter(depth__gt=1))
    return ancestors


class ViewRestrictionsMixin:
    """Wagtail checks the view restrictions of a page and of its ancestors before serving it, with two queries (the
    ancestors, then their restrictions). When the ancestors are already known (found by the routing), the cached
    list of restricted pages answers for the common case, nothing restricted; otherwise Wagtail's own check runs."""

    def get_view_restrictions(self):
        ancestors = getattr(self, "_ancestors", None)
        if ancestors is None:
            return super().get_view_restrictions()
        restricted = restricted_pages()
        # As Wagtail: an alias is restricted by its original page's restrictions, not by its own.
        checked = {page.alias_of_id or page.pk for page in [self, *ancestors]}
        root_path = self.path[: self.steplen]
        if checked.isdisjoint(restricted) and root_path not in restricted.values():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


class ListedPageQuerySet(PageQuerySet):
    def public(self):
        """Wagtail's public(), from the cached list of restricted sections."""
        return self.exclude(private_q())

    def listed_in(self, locale):
        """The pages a visitor of this language may see: live, public, and in that language's tree only.
        `locale` is a Locale or its id."""
        return self.live().public().filter(locale=locale)


ListedPageManager = PageManager.from_queryset(ListedPageQuerySet)


class ContentVersion(models.Model):
    """One row: the content generation (core.cache). Every publish, unpublish, move or delete raises it in the
    database it changes, so neither a Redis outage at that moment nor a Redis restored from an older snapshot can
    make an older copy of a page look current."""

    version = models.BigIntegerField()

    class Meta:
        verbose_name = "content version"

    def __str__(self) -> str:
        return str(self.version)
