"""Machine translation for the translation editor's "Machine translate" button.

Chosen from the environment by machine_translator_from_environment() in config/settings/base.py: DeepL when
DEEPL_AUTH_KEY is set, Google Cloud Translate when GOOGLE_CLOUD_TRANSLATE_PROJECT_ID is set, a LibreTranslate server
when LIBRETRANSLATE_URL is set (self-hosted: the texts stay in-house); otherwise this offline translator, so the
button works in the demo and the tests.
"""

from django.utils.translation import gettext_lazy as _
from wagtail_localize.machine_translators.base import BaseMachineTranslator
from wagtail_localize.strings import StringValue

# The mark the offline translator puts before the text it copies; a text still starting with it has not been
# translated (editorial/review.py refuses to publish it and the Translations report flags it).
STAND_IN_MARK = "[{language}] "


def stand_in_mark(language_code: str) -> str:
    return STAND_IN_MARK.format(language=language_code)


class OfflineTranslator(BaseMachineTranslator):
    """Pre-fills each text with the source text marked with the target language, e.g. "[kk] Minister of Health…".

    It does not translate: it spares the translator retyping names, numbers and links, and the mark shows at a
    glance which texts are still to be translated. Connect a real service for actual machine translation.
    """

    display_name = _("Offline copy (no translation service configured)")
    writes_stand_ins = True  # what it writes must be translated by a person before it is published

    def translate(self, source_locale, target_locale, strings):
        mark = stand_in_mark(target_locale.language_code)
        return {string: StringValue(mark + string.data) for string in strings}

    def can_translate(self, source_locale, target_locale):
        return source_locale.language_code != target_locale.language_code
