"""Site-wide parts of every page: language switcher, main menu, footer branches, breadcrumbs."""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from wagtail.models import Locale, Page

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


def _locales_by_id() -> dict[int, Locale]:
    return {locale.pk: locale for locale in Locale.objects.all()}


def language_links_for_page(page: Page, request) -> list[LanguageLink]:
    locales = _locales_by_id()
    code_to_locale_id = {locale.language_code: pk for pk, locale in locales.items()}
    current = translation.get_language()

    targets: dict[int, tuple[Page, bool]] = {}
    for translated in Page.objects.live().public().filter(translation_key=page.translation_key):
        targets[translated.locale_id] = (translated, True)

    missing = [pk for pk in locales if pk not in targets]
    if missing:
        # Nearest ancestor first; one query finds the live translations of every ancestor.
        ancestors = list(page.get_ancestors().filter(depth__gt=1).order_by("-depth"))
        rank = {ancestor.translation_key: i for i, ancestor in enumerate(ancestors)}
        candidates = (
            Page.objects.live()
            .public()
            .filter(translation_key__in=rank.keys(), locale_id__in=missing)
            .order_by("depth")
        )
        for candidate in candidates:
            best = targets.get(candidate.locale_id)
            if best is None or rank[candidate.translation_key] < rank[best[0].translation_key]:
                targets[candidate.locale_id] = (candidate, False)

    links = []
    for code, name in settings.LANGUAGES:
        target = targets.get(code_to_locale_id.get(code))
        if target is None:
            continue
        target_page, is_exact = target
        links.append(
            LanguageLink(
                code=code,
                name=name,
                url=target_page.get_url(request),
                is_current=code == current,
                is_exact=is_exact,
            )
        )
    return links


def page_language_links(page: Page, request) -> list[LanguageLink]:
    """language_links_for_page, computed once per request (the switcher and the hreflang links both need it)."""
    cache = getattr(request, "_language_links", None)
    if cache is None:
        cache = request._language_links = {}
    if page.pk not in cache:
        cache[page.pk] = language_links_for_page(page, request)
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


def active_home_page():
    from home.models import HomePage

    return HomePage.objects.live().filter(locale__language_code=translation.get_language()).first()


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    home = active_home_page()
    items = home.get_children().live().public().in_menu() if home else []
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
    ancestors = page.get_ancestors().filter(depth__gt=1).live()
    return {"crumbs": list(ancestors), "page": page, "request": context.get("request")}


@register.filter
def startswith(value, prefix) -> bool:
    return bool(value) and bool(prefix) and str(value).startswith(str(prefix))
