from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.forms import CheckboxInput
from django.http import HttpResponseBadRequest
from django.utils import translation
from django.utils.translation import gettext as _

from .permissions import locales_user_can_translate_into


def is_plain_number(value: str) -> bool:
    # str.isdigit() accepts "²" (int() then fails) and int() accepts "١" (Arabic-Indic one): neither is a locale id
    # a form of ours sends.
    return value.isascii() and value.isdecimal()


class AdminViewGuard:
    """A middleware that looks at which admin view a signed-in user is about to run (process_view), before it runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    @staticmethod
    def view_of(request):
        """(user, namespace, url name) of the view about to run for a signed-in user; None otherwise."""
        match = request.resolver_match
        user = getattr(request, "user", None)
        if match is None or user is None or not user.is_authenticated:
            return None
        return user, match.namespace.rsplit(":", 1)[-1], match.url_name or ""


class AdminLanguageMiddleware:
    """Wagtail's admin has no Kazakh translation. An editor who has not chosen an admin language and whose browser
    asks for Kazakh (or anything the admin does not speak) gets the admin in ADMIN_DEFAULT_LANGUAGE (Russian)
    rather than a mix of English and Kazakh. Editors change it under Account → Preferences."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/admin/"
        self.permitted = {code for code, _name in settings.WAGTAILADMIN_PERMITTED_LANGUAGES}

    def __call__(self, request):
        if request.path.startswith(self.admin_prefix) and translation.get_language() not in self.permitted:
            translation.activate(settings.ADMIN_DEFAULT_LANGUAGE)
            request.LANGUAGE_CODE = settings.ADMIN_DEFAULT_LANGUAGE
        return self.get_response(request)


class LocaleGuardMiddleware(AdminViewGuard):
    """Refuse (403) any admin action on a page, or on a translation, in a language the user may not work in.

    Wagtail's tree-based permissions already stop a translator there, but its admin answers with a redirect to the
    dashboard; wagtail-localize checks "submit translation" and "sync" only globally. This guard gives one clear
    rule and one clear answer for every page and translation view, before the view runs.
    """

    PAGE_ARGUMENTS = ("page_id", "parent_page_id", "page_to_move_id", "destination_id")
    GUARDED_NAMESPACES = ("wagtailadmin_pages", "wagtail_localize")
    # Our replacements of wagtail-localize views (editorial/wagtail_hooks.py) have no namespace.
    GUARDED_PREFIX = "editorial_"
    SUBMIT_VIEWS = {"submit_page_translation", "editorial_submit_page_translation"}

    def process_view(self, request, view_func, view_args, view_kwargs):
        view = self.view_of(request)
        if view is None:
            return None
        user, namespace, url_name = view
        if user.is_superuser:
            return self.hold_back_publishing(request, namespace, url_name, view_kwargs)
        if namespace not in self.GUARDED_NAMESPACES and not url_name.startswith(self.GUARDED_PREFIX):
            return None
        if url_name in self.SUBMIT_VIEWS:
            # The source page may be in any language: what counts is the languages asked for.
            posted = request.POST.getlist("locales") if request.method == "POST" else []
            if not all(is_plain_number(pk) for pk in posted):
                return HttpResponseBadRequest(
                    _("Choose the languages from the list."), content_type="text/plain; charset=utf-8"
                )
            locale_ids = {int(pk) for pk in posted}
        else:
            locale_ids = self.locales_touched(namespace, url_name, view_kwargs)
        if locale_ids and not locale_ids <= locales_user_can_translate_into(user):
            raise PermissionDenied
        return self.hold_back_publishing(request, namespace, url_name, view_kwargs)

    def hold_back_publishing(self, request, namespace, url_name, view_kwargs) -> None:
        """wagtail-localize's sync with "Publish immediately" publishes every translation of the page and checks no
        publish right: it syncs without publishing when one may not be published (editorial/review.py)."""
        from .review import hold_back_sync_publishing

        is_sync = namespace == "wagtail_localize" and url_name == "update_translations"
        if (
            is_sync
            and request.method == "POST"
            and CheckboxInput().value_from_datadict(request.POST, {}, "publish_translations")
        ):
            hold_back_sync_publishing(request, view_kwargs["translation_source_id"])
        return None

    def locales_touched(self, namespace, url_name, kwargs) -> set[int]:
        from wagtail.models import Page
        from wagtail_localize.models import Translation

        page_ids = [kwargs[name] for name in self.PAGE_ARGUMENTS if name in kwargs]
        if namespace == "wagtailadmin_pages" and url_name == "revisions_compare":
            page_ids.append(kwargs["pk"])
        locale_ids = set(Page.objects.filter(pk__in=page_ids).values_list("locale_id", flat=True))
        if "translation_id" in kwargs:
            locale_ids |= set(
                Translation.objects.filter(pk=kwargs["translation_id"]).values_list("target_locale_id", flat=True)
            )
        if "translation_source_id" in kwargs:
            # Syncing a source rewrites every language's translation of it.
            locale_ids |= set(
                Translation.objects.filter(source_id=kwargs["translation_source_id"], enabled=True).values_list(
                    "target_locale_id", flat=True
                )
            )
        return locale_ids
