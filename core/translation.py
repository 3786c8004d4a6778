"""Link a page written in another language to its source through wagtail-localize, as a translator would.

Content that already exists in two languages (the clinic's Grav site has many such pairs) must not become two
unrelated pages: the target page is created by wagtail-localize from the source, and its texts are entered as
translations of the source's segments (through a PO file, the same path as a translator's PO upload). The result is
an ordinary wagtail-localize translation: it opens in the translation editor and is marked outdated when the source
changes.
"""

import re

import polib
from django.db import transaction
from django.utils import timezone
from wagtail.fields import StreamField
from wagtail.models import Locale, Page
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource
from wagtail_localize.segments import StringSegmentValue
from wagtail_localize.segments.extract import extract_segments

# StreamField block ids differ between two independently built pages; the rest of a segment path must match.
_BLOCK_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class StructureMismatch(ValueError):
    """The two language versions do not have the same blocks and paragraphs, so they cannot be paired."""


def _strings(instance) -> list[StringSegmentValue]:
    for model_field in instance._meta.get_fields():
        if isinstance(model_field, StreamField):
            # Blocks of an unsaved page have no ids yet; preparing the value for the database assigns them.
            model_field.get_prep_value(model_field.value_from_object(instance))
    return [segment for segment in extract_segments(instance) if isinstance(segment, StringSegmentValue)]


def pair_strings(source: Page, translated: Page) -> dict[tuple[str, str], str]:
    """Map (segment path, source string) of `source` to the matching string of `translated`, an unsaved page of the
    same type holding the other language's content in the same structure."""
    source_strings, target_strings = _strings(source), _strings(translated)
    shape = [_BLOCK_ID.sub("*", s.path) for s in source_strings]
    if shape != [_BLOCK_ID.sub("*", s.path) for s in target_strings]:
        raise StructureMismatch(
            f"“{source.title}” and its translation “{translated.title}” are not built the same way "
            f"({len(source_strings)} texts against {len(target_strings)}); they cannot be linked automatically."
        )
    return {
        (src.path, src.string.data): tgt.string.data
        for src, tgt in zip(source_strings, target_strings, strict=True)
        if tgt.string.data
    }


@transaction.atomic
def create_translation(
    source: Page, locale: Locale, translated: Page, *, publish: bool = True, user=None, translation_source=None
) -> Page:
    """Create (or update) the `locale` translation of `source` whose texts are those of `translated`.
    Pass `translation_source` (already synced with `source`) when translating one source into several languages."""
    source = source.specific
    strings = pair_strings(source, translated)

    def lookup(path, text):
        return strings.get((path, text))

    if source.get_translation_or_none(locale) is not None:
        return translate_strings(
            source, locale, lookup, publish=publish, user=user, translation_source=translation_source
        )
    # A new translation: `translated` already is the page wagtail-localize would build from the source and these
    # texts, so it is saved as it is (one save instead of four), and wagtail-localize records the same texts.
    translation_source = translation_source or TranslationSource.update_or_create_from_instance(source)[0]
    Translation.objects.get_or_create(source=translation_source, target_locale=locale, defaults={"enabled": True})
    store_strings(translation_source, locale, lookup, user)
    parent = source.get_parent().specific.get_translation(locale)
    translated.translation_key, translated.locale, translated.live = source.translation_key, locale, False
    parent.add_child(instance=translated)
    revision = translated.save_revision(user=user)
    if publish:
        revision.publish(user=user)
        translated.refresh_from_db()
    return translated


@transaction.atomic
def apply_po_file(source: Page, locale: Locale, po: polib.POFile, *, publish: bool = True, user=None) -> Page:
    """Translate `source` into `locale` from a PO file keyed by the source texts (its msgctxt is ignored: block
    ids differ from one import to the next)."""
    by_text = {entry.msgid: entry.msgstr for entry in po if entry.msgstr and not entry.obsolete}
    return translate_strings(source, locale, lambda path, text: by_text.get(text), publish=publish, user=user)


def translate_strings(source: Page, locale: Locale, lookup, *, publish: bool, user=None, translation_source=None):
    """Enter a translation for each of the source's texts, as the translation editor or a PO upload would (the
    same StringTranslation records, written in bulk), then let wagtail-localize build the translated page."""
    source = source.specific
    if translation_source is None:
        translation_source, _created = TranslationSource.update_or_create_from_instance(source)
    translation, _created = Translation.objects.get_or_create(
        source=translation_source, target_locale=locale, defaults={"enabled": True}
    )
    store_strings(translation_source, locale, lookup, user)
    # wagtail-localize publishes through transaction.on_commit with the page object it had in hand; inside a larger
    # transaction (a whole import, a test) that stale copy would overwrite the tree data of pages added meanwhile.
    # Save a draft, then publish the fresh page's revision here and now.
    translation.save_target(user=user, publish=False)
    target = source.get_translation(locale).specific
    if publish:
        target.get_latest_revision().publish(user=user)
        target.refresh_from_db()
    return target


def store_strings(translation_source, locale: Locale, lookup, user=None) -> None:
    """The translation of each source text, as StringTranslation records (what the translation editor shows)."""
    existing = {
        (item.translation_of_id, item.context_id): item
        for item in StringTranslation.objects.filter(locale=locale, context__object_id=translation_source.object_id)
    }
    new, changed = {}, []
    now = timezone.now()
    segments = StringSegment.objects.filter(source=translation_source).select_related("string", "context")
    for segment in segments:
        text = lookup(segment.context.path, segment.string.data)
        key = (segment.string_id, segment.context_id)  # a text repeated in one field is one translation
        if not text or key in new:
            continue
        current = existing.get(key)
        if current is None:
            new[key] = StringTranslation(
                translation_of_id=segment.string_id,
                locale=locale,
                context_id=segment.context_id,
                data=text,
                translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL,
                tool_name="import",
                last_translated_by=user,
            )
        elif current.data != text:
            current.data, current.updated_at, current.has_error = text, now, False
            changed.append(current)
    StringTranslation.objects.bulk_create(new.values())
    StringTranslation.objects.bulk_update(changed, ["data", "updated_at", "has_error"])
