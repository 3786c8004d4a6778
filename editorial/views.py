import polib
import requests
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin.views.pages.utils import get_valid_next_url_from_request
from wagtail_localize.models import Translation
from wagtail_localize.views import edit_translation as localize_views
from wagtail_localize.views.edit_translation import user_can_edit_instance
from wagtail_localize.views.submit_translations import SubmitPageTranslationView
from wagtail_localize.views.update_translations import UpdateTranslationsView

from .permissions import locales_user_can_translate_into


class LocaleScopedSubmitPageTranslationView(SubmitPageTranslationView):
    """wagtail-localize's "Translate this page", offering only the languages the user may translate into."""

    def dispatch(self, request, *args, **kwargs):
        self.allowed_locale_ids = locales_user_can_translate_into(request.user)
        if not self.allowed_locale_ids:
            raise PermissionDenied
        if request.method == "POST":
            requested = {int(pk) for pk in request.POST.getlist("locales") if str(pk).isdigit()}
            if requested - self.allowed_locale_ids:
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form(self):
        form = super().get_form()
        form.fields["locales"].queryset = form.fields["locales"].queryset.filter(pk__in=self.allowed_locale_ids)
        return form


class LocaleScopedUpdateTranslationsView(UpdateTranslationsView):
    """Syncing a source rewrites every language's translation, so it takes the right to edit all of them."""

    def dispatch(self, request, *args, **kwargs):
        allowed = locales_user_can_translate_into(request.user)
        source_id = kwargs["translation_source_id"]
        target_locales = set(
            Translation.objects.filter(source_id=source_id, enabled=True).values_list("target_locale_id", flat=True)
        )
        if target_locales - allowed:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


MAX_PO_UPLOAD_BYTES = 5 * 1024 * 1024


def _next_url(request) -> str:
    return get_valid_next_url_from_request(request) or reverse("wagtailadmin_home")


@require_POST
def upload_pofile(request, translation_id):
    """Check an uploaded PO file before wagtail-localize imports it: a wrong or damaged file gets a clear message
    (wagtail-localize fails with a server error on a PO file without its translation header) and changes nothing."""
    translation = get_object_or_404(Translation, id=translation_id)
    if not user_can_edit_instance(request.user, translation.get_target_instance()):
        raise PermissionDenied
    upload = request.FILES.get("file")
    problem = None
    if upload is None:
        problem = _("Choose a PO file to upload.")
    elif upload.size > MAX_PO_UPLOAD_BYTES:
        problem = _("This file is too large to be a translation file.")
    else:
        try:
            text = upload.read().decode("utf-8")
            # polib treats a short string as a file name: only parse what looks like PO content.
            po = polib.pofile(text) if "msgid" in text else None
        except (UnicodeDecodeError, OSError, ValueError):
            po = None
        if po is None:
            problem = _("This is not a valid PO file (a UTF-8 text file exported from this translation).")
        elif po.metadata.get("X-WagtailLocalize-TranslationID") != str(translation.uuid):
            problem = _(
                "This PO file was exported for another page or language; download the file of this translation."
            )
        else:
            upload.seek(0)
    if problem:
        messages.error(request, problem)
        return redirect(_next_url(request))
    return localize_views.upload_pofile(request, translation_id)


@require_POST
def machine_translate(request, translation_id):
    """wagtail-localize's machine translation, with a message instead of a server error when the service fails."""
    try:
        return localize_views.machine_translate(request, translation_id)
    except (requests.RequestException, ImportError, KeyError, ValueError) as error:
        messages.error(
            request,
            _("The machine translation service could not be used (%(error)s). Nothing was changed.")
            % {"error": error.__class__.__name__},
        )
        return redirect(_next_url(request))
