"""Site-wide parts of every page: language switcher, main menu, footer branches, breadcrumbs."""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from wagtail.models import Page

from core.cache import remember
from core.models import ancestors_of, locale_ids, private_q

register = template.Library()


@dataclass
class LanguageLink:
    code: str
    name: str
    url: str
    is_current: bool
    # False when this page has no live translation in that language and the link leads to the nearest
    # ancestor that has one (the news index, the home page): the switcher marks such links.
    is_exact: bool


def language_links_for_page(page: Page, request) -> list[LanguageLink]:
    """One query: the live, public translations of the page and of its ancestors. A language without the page gets
    its nearest translated ancestor."""
    locale_id_of = locale_ids()
    current = translation.get_language()
    # 0 for the page itself, then 1 for its parent, 2 for the grandparent... (nearest first).
    ancestors = ancestors_of(page)
    rank = {ancestor.translation_key: len(ancestors) - i for i, ancestor in enumerate(ancestors)}
    rank[page.translation_key] = 0

    targets: dict[int, Page] = {}
    for candidate in Page.objects.live().exclude(private_q()).filter(translation_key__in=rank.keys()):
        best = targets.get(candidate.locale_id)
        if best is None or rank[candidate.translation_key] < rank[best.translation_key]:
            targets[candidate.locale_id] = candidate

    links = []
    for code, name in settings.LANGUAGES:
        target = targets.get(locale_id_of.get(code))
        if target is None:
            continue
        links.append(
            LanguageLink(
                code=code,
                name=name,
                url=target.get_url(request),
                is_current=code == current,
                is_exact=target.translation_key == page.translation_key,
            )
        )
    return links


def page_language_links(page: Page, request) -> list[LanguageLink]:
    """language_links_for_page, computed once per request (the switcher and the hreflang links both need it)."""
    cache = getattr(request, "_language_links", None)
    if cache is None:
        cache = request._language_links = {}
    if page.pk not in cache:
        if getattr(request, "is_preview", False):
            cache[page.pk] = language_links_for_page(page, request)
        else:
            # The same for every visitor of this page in this language until the content changes (core.cache).
            key = f"language-links:{translation.get_language()}:{request.get_host()}:{page.pk}"
            cache[page.pk] = remember(key, lambda: language_links_for_page(page, request))
    return cache[page.pk]


def language_links_for_path(request) -> list[LanguageLink]:
    """For views that are not pages (search): the same URL under each language prefix, query kept."""
    current = translation.get_language()
    query = request.GET.urlencode()
    links = []
    for code, name in settings.LANGUAGES:
        url = translate_url(request.path, code)
        if query:
            url = f"{url}?{query}"
        links.append(LanguageLink(code=code, name=name, url=url, is_current=code == current, is_exact=True))
    return links


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    request = context.get("request")
    page = context.get("page")
    if isinstance(page, Page) and page.pk:
        links = page_language_links(page, request)
    elif request is not None:
        links = language_links_for_path(request)
    else:
        links = []
    return {"links": links}


def menu_pages(language: str) -> tuple[Page | None, list[Page]]:
    """The home page of a language and its live, public pages shown in menus, cached until the content changes."""
    from home.models import HomePage

    def build():
        home = HomePage.objects.live().filter(locale_id=locale_ids().get(language)).defer_streamfields().first()
        items = list(home.get_children().live().exclude(private_q()).in_menu()) if home else []
        return home, items

    return remember(f"main-menu:{language}", build)


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    home, items = menu_pages(translation.get_language())
    page = context.get("page")
    return {
        "home": home,
        "items": items,
        "current_path": getattr(page, "path", ""),
        "request": context.get("request"),
    }


@register.inclusion_tag("includes/footer_branches.html", takes_context=True)
def footer_branches(context):
    from about.models import BranchPage

    request = context.get("request")
    return {"branches": BranchPage.for_request(request), "request": request}


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    page = context.get("page")
    if not isinstance(page, Page) or page.depth <= 2:
        return {"crumbs": []}
    crumbs = [ancestor for ancestor in ancestors_of(page) if ancestor.live]
    return {"crumbs": crumbs, "page": page, "request": context.get("request")}


@register.filter
def startswith(value, prefix) -> bool:
    return bool(value) and bool(prefix) and str(value).startswith(str(prefix))
