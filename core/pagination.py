from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator


def paginate(request, items, per_page: int, count: int | None = None) -> Page:
    """The page of `items` that ?page= asks for; never an error: not a number gives the first page, and a number
    out of range (0, -1, 9999) the last, the nearest the visitor can get. `count`, when known, spares the COUNT."""
    paginator = Paginator(items, per_page)
    if count is not None:
        paginator.count = count  # a cached_property: set, it is not computed
    try:
        return paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)
