import csv
from urllib.parse import urlencode

import polib
import requests
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.defaults import permission_denied as django_permission_denied
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.pages.utils import get_valid_next_url_from_request
from wagtail_localize.models import Translation
from wagtail_localize.views import edit_translation as localize_views
from wagtail_localize.views.edit_translation import user_can_edit_instance
from wagtail_localize.views.submit_translations import SubmitPageTranslationView

from . import report
from .permissions import locales_user_can_translate_into

LANGUAGE_NAMES = dict(settings.LANGUAGES)


class LocaleScopedSubmitPageTranslationView(SubmitPageTranslationView):
    """wagtail-localize's "Translate this page", offering only the languages the user may translate into."""

    # A POST asking for another language is refused with a 403 by editorial.middleware.LocaleGuardMiddleware.

    def dispatch(self, request, *args, **kwargs):
        self.allowed_locale_ids = locales_user_can_translate_into(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_form(self):
        form = super().get_form()
        form.fields["locales"].queryset = form.fields["locales"].queryset.filter(pk__in=self.allowed_locale_ids)
        if len(form.fields["locales"].queryset) < 2:
            form.fields["select_all"].widget = forms.HiddenInput()
        return form


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
        elif "X-WagtailLocalize-TranslationID" not in po.metadata:
            problem = _(
                "This PO file was not exported from this site's translation editor: download the file of this "
                "translation, translate it and upload it again."
            )
        elif po.metadata["X-WagtailLocalize-TranslationID"] != str(translation.uuid):
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


class TranslationsReportView(WagtailAdminTemplateMixin, TemplateView):
    """Reports → Translations: coverage per language, the pages to translate or update, and a CSV export."""

    template_name = "editorial/translations_report.html"
    page_title = gettext_lazy("Translations")
    header_icon = "globe"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get(self, request, *args, **kwargs):
        rows = report.translation_rows()
        self.summary = report.summary(rows)
        self.language = request.GET.get("language", "")
        self.status = request.GET.get("status", "")
        if self.language in LANGUAGE_NAMES:
            rows = [row for row in rows if row.language == self.language]
        if self.status in report.STATUS_LABELS:
            rows = [row for row in rows if row.status == self.status]
        self.rows = rows
        if request.GET.get("export") == "csv":
            return self.csv_response()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = {key: value for key, value in (("language", self.language), ("status", self.status)) if value}
        context.update(
            rows=self.rows,
            summary=[{**item, "name": LANGUAGE_NAMES.get(item["language"], item["language"])} for item in self.summary],
            languages=list(LANGUAGE_NAMES.items()),
            statuses=[(key, str(label)) for key, label in report.STATUS_LABELS.items()],
            selected_language=self.language,
            selected_status=self.status,
            language_names=LANGUAGE_NAMES,
            csv_query=urlencode({**query, "export": "csv"}),
        )
        return context

    def csv_response(self):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="translations.csv"'
        response.write("\ufeff")  # lets Excel open the UTF-8 Kazakh and Russian text correctly
        writer = csv.writer(response)
        writer.writerow([_("Language"), _("Status"), _("Page"), _("Page type"), _("Source language"), _("Link")])
        base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        for row in self.rows:
            writer.writerow(
                [row.language, row.status, row.title, row.page_type, row.source_language, base + row.fix_url]
            )
        return response


def admin_permission_denied(request):
    if request.headers.get("x-requested-with") == "XMLHttpRequest":
        raise PermissionDenied
    return django_permission_denied(request, PermissionDenied())
