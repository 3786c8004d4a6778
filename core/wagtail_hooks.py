from django.http import Http404
from wagtail import hooks

from .models import active_locale_id


@hooks.register("before_serve_page")
def serve_pages_only_in_their_own_language(page, request, serve_args, serve_kwargs):
    """/ru/… shows Russian pages only. Wagtail routes a language whose home page is not published through the
    default language's tree (Page.localized falls back to the source), which would show Kazakh text under /ru/;
    a 404 in the visitor's language is the honest answer. (The locale id against the cached locale table: no query.)"""
    if page.locale_id != active_locale_id():
        raise Http404
