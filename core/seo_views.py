"""Sitemaps (one per language, with each page's translations as xhtml:link alternates, and an index) and
robots.txt."""

from collections import defaultdict

from django.conf import settings
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import cache_control
from wagtail.models import Locale, Page


@cache_control(public=True, max_age=3600)
def sitemap_index(request):
    sitemaps = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            sitemaps.append(request.build_absolute_uri(reverse("sitemap")))
    return TemplateResponse(request, "seo/sitemap_index.xml", {"sitemaps": sitemaps}, content_type="application/xml")


@cache_control(public=True, max_age=3600)
def sitemap(request):
    """The live, public pages of the active language, each with its live translations."""
    language = translation.get_language()
    locale = Locale.objects.filter(language_code=language).first()
    if locale is None:
        raise Http404
    pages = list(Page.objects.live().public().filter(depth__gt=1).select_related("locale").order_by("path"))
    by_key = defaultdict(list)
    for page in pages:
        by_key[page.translation_key].append(page)
    entries = []
    for page in pages:
        if page.locale_id != locale.pk:
            continue
        alternates = [
            (other.locale.language_code, request.build_absolute_uri(other.get_url(request)))
            for other in by_key[page.translation_key]
        ]
        entries.append(
            {
                "location": request.build_absolute_uri(page.get_url(request)),
                "lastmod": page.last_published_at,
                "alternates": alternates if len(alternates) > 1 else [],
            }
        )
    return TemplateResponse(request, "seo/sitemap.xml", {"entries": entries}, content_type="application/xml")


@cache_control(public=True, max_age=86400)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        "Disallow: /*/search/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
