"""What search engines and link previews read: canonical and hreflang links, Open Graph, JSON-LD."""

import json

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from wagtail.models import Page

from core.cache import remember
from core.images import SOCIAL, rendition_or_none
from core.models import ancestors_of, language_code_of

from .site_tags import page_language_links

register = template.Library()

OG_LOCALES = {"kk": "kk_KZ", "ru": "ru_RU", "en": "en_US"}


def absolute(request, url: str) -> str:
    return request.build_absolute_uri(url) if url else ""


def description_of(page) -> str:
    for name in ("search_description", "summary", "intro", "mission"):
        value = getattr(page, name, "")
        if value:
            return " ".join(strip_tags(str(value)).split())[:300]
    return ""


def image_of(page):
    image = getattr(page, "cover_image", None)
    if image is None and hasattr(page, "body"):
        for block in page.body:
            if block.block_type == "image" and block.value.get("image"):
                return block.value["image"]
            if block.block_type == "gallery" and block.value["images"]:
                return block.value["images"][0]["image"]
    return image


def social_image(page, request) -> dict | None:
    """The link preview's picture ({url, width, height}), found once per page until the content changes: finding it
    may read the whole body."""

    def build():
        image = image_of(page)
        rendition = rendition_or_none(image, SOCIAL) if image else None
        return {"url": rendition.url, "width": rendition.width, "height": rendition.height} if rendition else None

    if getattr(request, "is_preview", False):
        return build()
    return remember(f"social-image:{page.pk}", build)


@register.inclusion_tag("includes/seo_head.html", takes_context=True)
def seo_head(context):
    request = context.get("request")
    page = context.get("page")
    language = translation.get_language()
    data = {"request": request, "og_locale": OG_LOCALES.get(language, language), "site_name": _("Hematology Center")}
    if request is None:
        return data
    if isinstance(page, Page) and page.pk:
        links = [link for link in page_language_links(page, request) if link.is_exact]
        canonical = absolute(request, page.get_url(request))
        data.update(
            canonical=canonical,
            alternates=[(link.code, absolute(request, link.url)) for link in links],
            x_default=next(
                (absolute(request, link.url) for link in links if link.code == settings.LANGUAGE_CODE),
                absolute(request, links[0].url) if links else canonical,
            ),  # fmt: skip
            og_alternates=[OG_LOCALES.get(link.code, link.code) for link in links if link.code != language],
            title=page.seo_title or page.title,
            description=description_of(page),
            og_type="article" if hasattr(page, "date") and hasattr(page, "summary") else "website",
            # None when the image's file is missing and the preview was never made: no og:image then.
            image=social_image(page, request),
        )
    else:
        data.update(canonical=absolute(request, request.path))
    return data


def organization(request) -> dict:
    from about.models import BranchPage

    names = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names[code] = _("Hematology Center")
    logo = request.build_absolute_uri(settings.STATIC_URL + "img/favicon.svg")
    branches = []
    for branch in BranchPage.for_request(request):
        place = {
            "@type": "MedicalClinic",
            "name": branch.title,
            "url": absolute(request, branch.get_url(request)),
            "address": {
                "@type": "PostalAddress",
                "streetAddress": branch.address,
                "addressLocality": branch.city,
                "addressCountry": "KZ",
            },
        }
        if branch.phone_list:
            place["telephone"] = branch.phone_list[0]
        if branch.hours_lines:
            place["openingHours"] = branch.hours_lines
        branches.append(place)
    return {
        "@type": "MedicalOrganization",
        "name": names[translation.get_language()] if translation.get_language() in names else names["kk"],
        "alternateName": list(names.values()),
        "url": request.build_absolute_uri(f"/{translation.get_language()}/"),
        "logo": logo,
        "medicalSpecialty": "Hematologic",
        "subOrganization": branches,
    }


@register.simple_tag(takes_context=True)
def json_ld(context):
    request = context.get("request")
    page = context.get("page")
    if request is None:
        return ""
    graph = [organization(request)]
    if isinstance(page, Page) and page.pk:
        crumbs = [ancestor for ancestor in ancestors_of(page) if ancestor.live] + [page]
        graph.append(
            {
                "@type": "BreadcrumbList",
                "itemListElement": [
                    {
                        "@type": "ListItem",
                        "position": i,
                        "name": crumb.title,
                        "item": absolute(request, crumb.get_url(request)),
                    }
                    for i, crumb in enumerate(crumbs, start=1)
                ],
            }
        )
        if hasattr(page, "date") and hasattr(page, "summary"):
            article = {
                "@type": "NewsArticle",
                "headline": page.title[:110],
                "datePublished": page.date.isoformat(),
                "dateModified": (page.last_published_at or page.date).isoformat(),
                "inLanguage": language_code_of(page),
                "mainEntityOfPage": absolute(request, page.get_url(request)),
                "description": description_of(page),
                "author": {"@type": "Organization", "name": graph[0]["name"]},
                "publisher": {
                    "@type": "Organization",
                    "name": graph[0]["name"],
                    "logo": {"@type": "ImageObject", "url": graph[0]["logo"]},
                },
            }
            preview = social_image(page, request)
            if preview:
                article["image"] = absolute(request, preview["url"])
            graph.append(article)
    payload = json.dumps({"@context": "https://schema.org", "@graph": graph}, ensure_ascii=False)
    # No page text can end the script element or open a comment in it: "<", ">" and "&" as JSON escapes.
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    nonce = getattr(request, "csp_nonce", "")
    return mark_safe(f'<script type="application/ld+json" nonce="{nonce}">{payload}</script>')  # noqa: S308


@register.inclusion_tag("includes/feed_links.html", takes_context=True)
def news_feed_links(context):
    from news.models import NewsIndexPage

    index = NewsIndexPage.of_language(translation.get_language())
    request = context.get("request")
    if index is None or request is None:
        return {}
    url = index.get_url(request)
    return {"title": index.title, "rss": f"{url}feed/", "atom": f"{url}atom/"}
