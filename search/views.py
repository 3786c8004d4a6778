from urllib.parse import urlencode

from django.template.response import TemplateResponse
from wagtail.models import Locale, Page

from core.pagination import paginate

MAX_QUERY_LENGTH = 200
RESULTS_PER_PAGE = 10


def search(request):
    """Site search over the live, public pages of the visitor's language only."""
    raw = "".join(ch if ch.isprintable() else " " for ch in request.GET.get("q", ""))
    query = " ".join(raw.split())[:MAX_QUERY_LENGTH]
    results = None
    if query:
        pages = Page.objects.live().public().filter(locale=Locale.get_active()).specific()
        results = paginate(request, pages.search(query), RESULTS_PER_PAGE)
    return TemplateResponse(
        request,
        "search/search.html",
        {"search_query": query, "search_results": results, "pagination_query": urlencode({"q": query})},
    )
