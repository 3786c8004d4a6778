"""What must be true before a translation is published, whichever wagtail-localize or Wagtail path publishes it.

- The user may publish each page it would publish (Wagtail's page permissions, as in Wagtail's own editor: whoever
  may not publish a page, news under the review workflow included, saves it without publishing).
- No text is still a machine stand-in: the offline translator's copy of the original behind the language's mark
  ("[ru] …", machine_translation.STAND_IN_MARK).
- Texts still untranslated (the page would show them in the original language) are published only when the
  translator confirms by clicking Publish again, as wagtail-localize already asks for texts with errors.

Called from editorial.middleware (the "Sync translated pages" view) and editorial.wagtail_hooks (the translation
editor's and Wagtail's editor's Publish).
"""

from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, F, Q, Value
from django.db.models.functions import Concat
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override
from wagtail.models import DraftStateMixin, Page
from wagtail.snippets.permissions import get_permission_name
from wagtail_localize.machine_translators import get_machine_translator
from wagtail_localize.models import StringSegment, StringTranslation, Translation
from wagtail_localize.segments import StringSegmentValue
from wagtail_localize.segments.extract import extract_segments

from .machine_translation import STAND_IN_MARK, stand_in_mark

CONFIRMED_GAPS_SESSION_KEY = "editorial_confirmed_untranslated"


@dataclass(frozen=True)
class Gaps:
    stand_ins: int = 0
    untranslated: int = 0

    @property
    def needs_review(self) -> bool:
        return bool(self.stand_ins or self.untranslated)


class TranslationGaps:
    """Stand-ins and untranslated texts per (translation source, target locale), in two queries whatever the number
    of sources: the Translations report asks for every page at once."""

    def __init__(self, source_ids: Iterable[int] | None = None):
        segments = StringSegment.objects.all()
        # A translated text is one of the source's segments with a translation in the same context; one with an
        # error is not used when publishing (wagtail-localize's annotate_translation leaves it out), so it counts as
        # untranslated. The conditions on segments go in one filter() call: one join, one row per translated segment.
        conditions = {"has_error": False, "translation_of__segments__context_id": F("context_id")}
        if source_ids is not None:
            source_ids = list(source_ids)
            segments = segments.filter(source_id__in=source_ids)
            conditions["translation_of__segments__source_id__in"] = source_ids
        translations = StringTranslation.objects.filter(**conditions)
        before, after = STAND_IN_MARK.split("{language}")
        mark = Concat(Value(before), F("locale__language_code"), Value(after))
        self.totals = {
            row["source_id"]: row["count"] for row in segments.values("source_id").annotate(count=Count("pk"))
        }
        self.translated = {
            (row["source_id"], row["locale_id"]): (row["translated"], row["stand_ins"])
            for row in translations.values("locale_id", source_id=F("translation_of__segments__source_id")).annotate(
                translated=Count("pk"), stand_ins=Count("pk", filter=Q(data__startswith=mark))
            )
        }

    def get(self, source_id: int, locale_id: int) -> Gaps:
        translated, stand_ins = self.translated.get((source_id, locale_id), (0, 0))
        return Gaps(stand_ins=stand_ins, untranslated=max(self.totals.get(source_id, 0) - translated, 0))


def stand_ins_message(count: int, language_code: str) -> str:
    return ngettext(
        "Not published: %(count)s text is still a machine stand-in (it starts with “%(mark)s”). Translate it, then "
        "publish.",
        "Not published: %(count)s texts are still machine stand-ins (they start with “%(mark)s”). Translate them, "
        "then publish.",
        count,
    ) % {"count": count, "mark": stand_in_mark(language_code).strip()}


def _label(instance, locale) -> str:
    return f"{instance} ({locale.get_display_name()})"


def _may_publish(user, instance) -> bool:
    """Mirrors wagtail-localize's translation editor, which offers Publish on these terms."""
    if isinstance(instance, Page):
        return instance.permissions_for_user(user).can_publish()
    if isinstance(instance, DraftStateMixin):
        return user.is_superuser or user.has_perm(get_permission_name("publish", instance.__class__))
    return True  # saving a plain snippet's translation is editing it, which wagtail-localize checks


def reasons_not_to_publish_sync(request, source_id: int) -> list[str]:
    """Why "Sync translated pages" with "Publish immediately" must sync without publishing; empty if it may publish.

    The view publishes every translation of the source or none, so one reason holds back all of them."""
    user = request.user
    translations = list(
        Translation.objects.filter(source_id=source_id, enabled=True).select_related("source", "target_locale")
    )
    gaps = TranslationGaps([source_id])
    refused, with_stand_ins = [], []
    for translation in translations:
        try:
            target = translation.source.get_translated_instance(translation.target_locale)
        except ObjectDoesNotExist:
            target = None
        source_instance = target or translation.source.get_source_instance()
        # A missing page would be created and published: only someone who may publish anywhere does that.
        if not (user.is_superuser if target is None else _may_publish(user, target)):
            refused.append(_label(source_instance, translation.target_locale))
        stand_ins = gaps.get(source_id, translation.target_locale_id).stand_ins
        if stand_ins:
            with_stand_ins.append(f"{_label(source_instance, translation.target_locale)}: {stand_ins}")

    reasons = []
    if refused:
        reasons.append(
            _(
                "You may not publish %(pages)s: a moderator, or the translator of that language, publishes them from "
                "the translation editor."
            )
            % {"pages": ", ".join(refused)}
        )
    if with_stand_ins:
        reasons.append(
            _("Some texts are still machine stand-ins (%(pages)s): translate them, then publish.")
            % {"pages": ", ".join(with_stand_ins)}
        )
    machine_translator = get_machine_translator()
    if request.POST.get("use_machine_translation") and getattr(machine_translator, "writes_stand_ins", False):
        reasons.append(
            _(
                "The offline machine translation only copies the original text behind a mark such as “%(mark)s”: "
                "translate the marked texts, then publish."
            )
            % {"mark": stand_in_mark(translations[0].target_locale.language_code).strip() if translations else "[]"}
        )
    return reasons


def _admin_language(user):
    """The user's admin language, as Wagtail's admin views activate it (this runs before the view does)."""
    profile = getattr(user, "wagtail_userprofile", None)
    language = profile.get_preferred_language() if profile else None
    return override(language) if language else nullcontext()


def hold_back_sync_publishing(request, source_id: int) -> None:
    """Let the sync happen without publishing when a translation may not be published, and say why."""
    with _admin_language(request.user):
        reasons = reasons_not_to_publish_sync(request, source_id)
        if reasons:
            reasons.insert(0, _("The translations were updated but not published."))
    if reasons:
        post = request.POST.copy()
        post.pop("publish_translations", None)
        request.POST = post
        messages.warning(request, " ".join(reasons))


def refuse_translation_editor_publish(request, page):
    """The translation editor's Publish: refuse stand-ins; publish untranslated texts only at the second click."""
    translation = (
        Translation.objects.filter(
            source__object_id=page.translation_key, target_locale_id=page.locale_id, enabled=True
        )
        .select_related("target_locale")
        .first()
    )
    if translation is None or not page.permissions_for_user(request.user).can_publish():
        return None  # not a translation, or wagtail-localize refuses it (403)
    gaps = TranslationGaps([translation.source_id]).get(translation.source_id, page.locale_id)
    confirmed = request.session.get(CONFIRMED_GAPS_SESSION_KEY, {})
    key = str(translation.pk)
    if gaps.stand_ins:
        messages.error(request, stand_ins_message(gaps.stand_ins, translation.target_locale.language_code))
        return redirect(request.path)
    if gaps.untranslated and confirmed.get(key) != gaps.untranslated:
        # Confirmed by a second Publish while the same number of texts is missing.
        request.session[CONFIRMED_GAPS_SESSION_KEY] = {**confirmed, key: gaps.untranslated}
        messages.warning(
            request,
            ngettext(
                "Not published yet: %(count)s text is not translated, so the page would show it in the original "
                "language. Translate it, or click Publish again to publish the page as it is.",
                "Not published yet: %(count)s texts are not translated, so the page would show them in the original "
                "language. Translate them, or click Publish again to publish the page as it is.",
                gaps.untranslated,
            )
            % {"count": gaps.untranslated},
        )
        return redirect(request.path)
    if key in confirmed:
        request.session[CONFIRMED_GAPS_SESSION_KEY] = {k: v for k, v in confirmed.items() if k != key}
    return None


def refuse_page_with_stand_ins(request, page):
    """Wagtail's own editor (a page no longer synced with its source, or written by hand): the draft is saved, but a
    text starting with the page language's stand-in mark is not published."""
    mark = stand_in_mark(page.locale.language_code)
    count = sum(
        1
        for segment in extract_segments(page)
        if isinstance(segment, StringSegmentValue) and segment.string.data.startswith(mark)
    )
    if not count:
        return None
    messages.error(request, stand_ins_message(count, page.locale.language_code))
    return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))
