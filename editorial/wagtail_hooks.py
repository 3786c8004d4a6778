from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from . import aliases, report, review, source_deletion, views


@hooks.register("register_admin_urls")
def locale_scoped_translation_urls():
    # Same paths as wagtail-localize's own views, registered first (this app is listed before wagtail_localize), so
    # they take their place; reverse("wagtail_localize:…") keeps working and leads here.
    return [
        path(
            "localize/submit/page/<int:page_id>/",
            views.LocaleScopedSubmitPageTranslationView.as_view(),
            name="editorial_submit_page_translation",
        ),
        path(
            "localize/translate/<int:translation_id>/pofile/upload/",
            views.upload_pofile,
            name="editorial_upload_pofile",
        ),
        path(
            "localize/translate/<int:translation_id>/machine_translate/",
            views.machine_translate,
            name="editorial_machine_translate",
        ),
    ]


@hooks.register("register_admin_urls")
def translations_report_url():
    return [path("reports/translations/", views.TranslationsReportView.as_view(), name="editorial_translations_report")]


class TranslationsReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("wagtailadmin.access_admin")


@hooks.register("register_reports_menu_item")
def register_translations_report_menu_item():
    return TranslationsReportMenuItem(
        _("Translations"), reverse("editorial_translations_report"), icon_name="globe", order=100
    )


@hooks.register("construct_reports_menu")
def hide_wagtail_localize_report(request, menu_items):
    # wagtail-localize's own "Translations" report lists translation jobs; ours supersedes it (coverage per
    # language, outdated pages, missing pages), and two menu entries with one name would confuse editors.
    localize_url = reverse("wagtail_localize:translations_report")
    menu_items[:] = [item for item in menu_items if item.url != localize_url]


class TranslationProgressPanel(Component):
    name = "translation_progress"
    template_name = "editorial/translation_progress_panel.html"
    order = 50

    def get_context_data(self, parent_context):
        summary = report.summary(report.translation_rows())
        return {
            "summary": [
                {**item, "name": views.LANGUAGE_NAMES.get(item["language"], item["language"])} for item in summary
            ],
            "report_url": reverse("editorial_translations_report"),
        }


@hooks.register("construct_homepage_panels")
def add_translation_progress_panel(request, panels):
    panels.append(TranslationProgressPanel())


@hooks.register("before_edit_page", order=-1)  # before wagtail-localize's, which runs the translation editor
def check_translation_before_publishing(request, page):
    if request.method == "POST" and request.POST.get("action") == "publish":
        return review.refuse_translation_editor_publish(request, page)
    return None


@hooks.register("before_publish_page")
def refuse_publishing_machine_stand_ins(request, page):
    return review.refuse_page_with_stand_ins(request, page)


# No alias pages on this site (editorial/aliases.py) ------------------------------------------------------------


@hooks.register("construct_page_action_menu")
def hide_convert_to_alias(menu_items, request, context):
    aliases.hide_convert_to_alias(menu_items, request, context)


@hooks.register("before_copy_page")
def refuse_alias_copy(request, page):
    return aliases.refuse_alias_copy(request, page)


@hooks.register("insert_global_admin_css")
def hide_convert_to_alias_buttons():
    return format_html('<link rel="stylesheet" href="{}">', static("editorial/admin/no_aliases.css"))


# Deleting a translation source leaves its translations standing (editorial/source_deletion.py) ---------------


@hooks.register("before_delete_page")
def say_which_translations_stay(request, page):
    return source_deletion.warn_before_deleting(request, page)


@hooks.register("after_delete_page")
def report_translations_left_standing(request, page):
    return source_deletion.report_after_deleting(request, page)


@hooks.register("register_log_actions")
def register_translation_source_deleted_action(actions):
    actions.register_action(source_deletion.ACTION)(source_deletion.TranslationSourceDeletedFormatter)
