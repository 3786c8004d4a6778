from django.urls import path
from wagtail import hooks

from . import views


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
            "localize/update/<int:translation_source_id>/",
            views.LocaleScopedUpdateTranslationsView.as_view(),
            name="editorial_update_translations",
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
