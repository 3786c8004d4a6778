from urllib.parse import urlencode

from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils import translation
from django.views.decorators.http import require_GET
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Page

from core.pagination import paginate

from . import query as site_search
from . import terms
from .models import SearchEntry

RESULTS_PER_PAGE = 10


@require_GET
def search(request):
    """Site search over the live, public pages of the visitor's language (and the documents), best first."""
    language = translation.get_language()
    search_query = site_search.clean_query(request.GET.get("q", ""))
    results = promotions = None
    if search_query:
        entries = site_search.search(search_query, language)
        query_record = terms.find_query(search_query)
        promotions = (
            list(
                SearchPromotion.objects.filter(
                    query=query_record,
                    page__locale__language_code=language,
                    page__live=True,
                )
                .select_related("page")
                .order_by("sort_order")
            )
            if query_record
            else []
        )
        promoted_ids = {promotion.page_id for promotion in promotions}
        entries = entries.without_pages(promoted_ids)
        results = paginate(request, entries, RESULTS_PER_PAGE)
        stems = site_search.query_stems(search_query, language)
        attach_links(results, request, stems, language)
        if results.number == 1 and (promotions or results.paginator.count):
            terms.count_search(search_query)  # for Reports → Search terms
    return TemplateResponse(
        request,
        "search/search.html",
        {
            "search_query": search_query,
            "search_results": results,
            "promotions": promotions,
            "result_count": (results.paginator.count if results else 0) + len(promotions or []),
            "pagination_query": urlencode({"q": search_query}),
        },
    )


def attach_links(results, request, stems, language) -> None:
    pages = Page.objects.in_bulk([entry.page_id for entry in results if entry.page_id])
    for entry in results:
        page = pages.get(entry.page_id)
        entry.url = page.get_url(request) if page else entry.document.url if entry.document_id else ""
        entry.snippet = site_search.highlight(entry.text, stems, language)
        entry.title_html = site_search.highlight(entry.title, stems, language, width=400)


@require_GET
def suggest(request):
    """Titles for the search box as the visitor types: {"results": [{"title", "url", "kind"}]}."""
    language = translation.get_language()
    entries = site_search.suggest(site_search.clean_query(request.GET.get("q", "")), language)
    pages = Page.objects.in_bulk([entry.page_id for entry in entries])
    kinds = dict(SearchEntry.Kind.choices)
    data = [
        {"title": entry.title, "url": pages[entry.page_id].get_url(request), "kind": str(kinds[entry.kind])}
        for entry in entries
        if entry.page_id in pages
    ]
    response = JsonResponse({"results": data})
    response["Cache-Control"] = "public, max-age=300"
    return response
