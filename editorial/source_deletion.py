"""Deleting a page that translations were made from leaves the translations standing, as pages of their own.

What happens without this module: Wagtail's delete view deletes the page and its sub-pages in their own language
only (it would also delete translations if a `construct_translated_pages_to_cascade_actions` hook returned them;
only wagtail.contrib.simple_translation registers one, and it is not installed). wagtail-localize's post_delete
handler (`cleanup_translation_on_delete`, as WAGTAILLOCALIZE_DISABLE_ON_DELETE is off) then deletes the Translation
records whose source was the page and, as no translation of it is left, every segment, every translated string and
the TranslationSource. The Russian and English pages keep their text (in the page and its revisions) and stay live
at their URLs; they are edited as ordinary pages from then on. Nothing told the user, and nothing was logged.

Now: the confirmation says which translations stay, each standing translation's history records it (from
`pre_delete`, so for sub-pages and bulk deletes too), and whoever may also delete a translation is offered a button
for each, which leads to Wagtail's own delete view (its rights, its confirmation, its log entry).
"""

import uuid

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail.log_actions import LogFormatter, log

ACTION = "editorial.translation_source_deleted"


def language_name(locale) -> str:
    return dict(settings.LANGUAGES).get(locale.language_code, locale.language_code)


def standing_translations(page):
    """The pages in other languages that share the page's translation key, Kazakh → Russian → English order."""
    from wagtail.models import Page

    return (
        Page.objects.filter(translation_key=page.translation_key)
        .exclude(locale_id=page.locale_id)
        .select_related("locale")
        .order_by("locale_id")
    )


def listing(pages) -> str:
    return ", ".join(f"{language_name(page.locale)}: «{page.get_admin_display_title()}»" for page in pages)


def log_translations_left_standing(sender, instance, **kwargs):
    """pre_delete on Page: a translation source is going; record on each of its translations that it stays."""
    from wagtail_localize.models import TranslationSource

    if not TranslationSource.objects.filter(object_id=instance.translation_key, locale_id=instance.locale_id).exists():
        return
    source = {"id": instance.pk, "title": instance.title, "language": instance.locale.language_code}
    for page in standing_translations(instance).specific():
        # The user comes from Wagtail's log context (the admin view's user). Entries sharing the request's uuid and
        # action are shown once across all pages (PageLogEntry.latest_by_uuid_and_action): give each its own.
        log(instance=page, action=ACTION, data={"source": source}, uuid=uuid.uuid4())


class TranslationSourceDeletedFormatter(LogFormatter):
    label = gettext_lazy("Translation source deleted")

    def format_message(self, log_entry):
        source = log_entry.data.get("source", {})
        return _(
            "The source page «%(title)s» (%(language)s) was deleted; this translation stays on the site as a "
            "separate page."
        ) % {
            "title": source.get("title", ""),
            "language": dict(settings.LANGUAGES).get(source.get("language"), source.get("language", "")),
        }


def warn_before_deleting(request, page):
    """`before_delete_page`: the confirmation says which translations stay."""
    if request.method != "GET":
        return None
    translations = list(standing_translations(page))
    if translations:
        messages.warning(
            request,
            _(
                "The translations of this page are not deleted with it: %(translations)s. They stay on the site as "
                "separate pages."
            )
            % {"translations": listing(translations)},
        )
    return None


def report_after_deleting(request, page):
    """`after_delete_page`: say what stayed, and offer to delete each translation the user may delete."""
    translations = list(standing_translations(page).specific())
    if not translations:
        return None
    buttons = [
        messages.button(
            reverse("wagtailadmin_pages:delete", args=[translation.pk]),
            _("Delete «%(title)s» (%(language)s) too")
            % {"title": translation.get_admin_display_title(), "language": language_name(translation.locale)},
        )
        for translation in translations
        if translation.permissions_for_user(request.user).can_delete()
    ]
    messages.info(
        request,
        _("The translations of «%(title)s» stay on the site as separate pages: %(translations)s.")
        % {"title": page.get_admin_display_title(), "translations": listing(translations)},
        buttons=buttons,
    )
    return None
