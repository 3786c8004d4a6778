"""No alias pages on this site.

An alias mirrors another page: publishing the Kazakh page would rewrite the Russian one, written by someone who may
not publish in Russian, and the Russian tree would show Kazakh text. So every translation is a page of its own, and
every way Wagtail and wagtail-localize have of making an alias is refused, for everyone (superusers included), with
a 403 that says why:

- wagtail-localize's "Convert to alias page" (its view; the menu item and the translation editor's button are hidden);
- Wagtail's "Copy page" with "Alias" ticked (`before_copy_page`);
- wagtail-localize's "Translate this page" when the page's parent is not translated into a chosen language (it would
  create the missing parents as aliases): translate the parent first;
- wagtail-localize's "Synchronise content from another locale" on a language (it fills the tree with aliases).

Aliases made before this rule were turned into ordinary pages by migration 0002_no_alias_pages.
"""

from django.conf import settings
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from .middleware import AdminViewGuard, is_plain_number

CONVERT_MENU_ITEM = "localize-convert-to-alias"
SUBMIT_VIEWS = {"submit_page_translation", "editorial_submit_page_translation"}
SYNC_ENABLED_FIELD = "component-wagtail_localize_localesynchronization-enabled"


def refusal(request, reason: str):
    return TemplateResponse(request, "editorial/no_aliases.html", {"reason": reason}, status=403)


def untranslated_parents(page, locale_ids) -> list:
    """(parent, locale) for each chosen language the page's parent is not translated into."""
    from wagtail.models import Locale, Page

    parent = page.get_parent()
    if parent is None or parent.is_root():
        return []
    translated = set(Page.objects.filter(translation_key=parent.translation_key).values_list("locale_id", flat=True))
    missing = Locale.objects.filter(pk__in=locale_ids).exclude(pk__in=translated).order_by("pk")
    return [(parent, locale) for locale in missing]


class NoAliasesMiddleware(AdminViewGuard):
    """Refuses, before the view runs, the wagtail-localize views that would make an alias page."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        view = self.view_of(request)
        if view is None:
            return None
        _user, namespace, url_name = view
        if namespace == "wagtail_localize" and url_name == "convert_to_alias":
            return refusal(request, _("A page cannot be turned into an alias of a page in another language."))
        if request.method != "POST":
            return None
        if url_name in SUBMIT_VIEWS and "page_id" in view_kwargs:
            return self.refuse_translation_under_untranslated_parent(request, view_kwargs["page_id"])
        if namespace == "wagtaillocales" and url_name in ("add", "edit") and request.POST.get(SYNC_ENABLED_FIELD):
            return refusal(
                request, _("A language cannot be synchronised from another: that would fill it with alias pages.")
            )
        return None

    def refuse_translation_under_untranslated_parent(self, request, page_id):
        from wagtail.models import Page

        page = Page.objects.filter(pk=page_id).first()
        locale_ids = {int(pk) for pk in request.POST.getlist("locales") if is_plain_number(pk)}
        if page is None or not locale_ids:
            return None
        missing = untranslated_parents(page, locale_ids)
        if not missing:
            return None
        names = dict(settings.LANGUAGES)
        parent = missing[0][0]
        return refusal(
            request,
            _(
                "Its parent page «%(parent)s» is not translated into %(languages)s, and wagtail-localize would create "
                "it as an alias. Translate «%(parent)s» first (with its sub-pages, if you like)."
            )
            % {
                "parent": parent.get_admin_display_title(),
                "languages": ", ".join(names.get(locale.language_code, locale.language_code) for _p, locale in missing),
            },
        )


def hide_convert_to_alias(menu_items, request, context):
    """`construct_page_action_menu`: wagtail-localize's "Convert to alias page" item goes."""
    menu_items[:] = [item for item in menu_items if getattr(item, "name", None) != CONVERT_MENU_ITEM]


def refuse_alias_copy(request, page):
    """`before_copy_page`: a copy may be made, not an alias."""
    if request.method == "POST" and request.POST.get("alias"):
        return refusal(request, _("A page cannot be copied as an alias: copy it without the “Alias” option."))
    return None
