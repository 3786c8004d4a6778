"""Word stems for search, so that every form of a word finds the others.

Russian and English use the Snowball stemmers (the algorithms PostgreSQL's own `russian` and `english` text search
configurations use). Kazakh has none in PostgreSQL or Snowball; Kazakh is agglutinative — endings stack on the stem
in a fixed order (plural, possessive, case) — so a suffix-stripping stemmer that removes endings from the right,
while a stem of at least MIN_KK_STEM letters remains, makes "дәрігер", "дәрігерлер", "дәрігерге" and
"дәрігерлерге" one stem. The same stemming runs when a page is indexed and when a visitor searches.
"""

import re
from functools import lru_cache

import snowballstemmer

WORD = re.compile(r"[^\W_]+", re.UNICODE)
MIN_KK_STEM = 3

# Longest first within each layer; applied outermost layer (case) first, then possessive, then plural.
KK_CASE_ENDINGS = sorted(
    [
        "ның",
        "нің",
        "дың",
        "дің",
        "тың",
        "тің",
        "ға",
        "ге",
        "қа",
        "ке",
        "на",
        "не",
        "да",
        "де",
        "та",
        "те",
        "нда",
        "нде",
        "дан",
        "ден",
        "тан",
        "тен",
        "нан",
        "нен",
        "ны",
        "ні",
        "ды",
        "ді",
        "ты",
        "ті",
        "мен",
        "бен",
        "пен",
        "ша",
        "ше",
        "ғана",
        "ғой",
        "дай",
        "дей",
        "тай",
        "тей",
    ],
    key=len,
    reverse=True,
)
KK_POSSESSIVE_ENDINGS = sorted(
    [
        "ымыз",
        "іміз",
        "мыз",
        "міз",
        "ыңыз",
        "іңіз",
        "ңыз",
        "ңіз",
        "сы",
        "сі",
        "ым",
        "ім",
        "ың",
        "ің",
        "ы",
        "і",
        "м",
        "ң",
    ],
    key=len,
    reverse=True,
)
KK_PLURAL_ENDINGS = ["лар", "лер", "дар", "дер", "тар", "тер"]
KK_DEVOICE = {"ғ": "қ", "г": "к", "б": "п"}
KK_DERIVATION_ENDINGS = sorted(["лық", "лік", "дық", "дік", "тық", "тік", "шы", "ші"], key=len, reverse=True)


def _strip(word: str, endings: list[str]) -> str:
    for ending in endings:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_KK_STEM:
            return word[: -len(ending)]
    return word


@lru_cache(maxsize=50_000)
def stem_kazakh(word: str) -> str:
    word = _strip(word, KK_CASE_ENDINGS)
    # A case ending may follow the "n" of a possessive (-ында, -інен): drop it before the possessive.
    if word.endswith("н") and len(word) - 1 >= MIN_KK_STEM:
        shorter = word[:-1]
        if _strip(shorter, KK_POSSESSIVE_ENDINGS) != shorter:
            word = shorter
    word = _strip(word, KK_POSSESSIVE_ENDINGS)
    word = _strip(_devoice(_strip(word, KK_PLURAL_ENDINGS)), KK_DERIVATION_ENDINGS)
    return _devoice(word)


def _devoice(word: str) -> str:
    # A final voiceless consonant turns voiced before a vowel ending (орталық → орталығы, мектеп → мектебі):
    # the stem is written with the voiceless one, whichever form it came from.
    return word[:-1] + KK_DEVOICE[word[-1]] if word and word[-1] in KK_DEVOICE else word


_SNOWBALL = {"ru": snowballstemmer.stemmer("russian"), "en": snowballstemmer.stemmer("english")}


def words(text: str) -> list[str]:
    return WORD.findall((text or "").lower().replace("ё", "е"))


def stem(word: str, language: str) -> str:
    word = word.lower().replace("ё", "е")
    if language == "kk":
        return stem_kazakh(word)
    stemmer = _SNOWBALL.get(language)
    return stemmer.stemWord(word) if stemmer else word


def stems(text: str, language: str) -> list[str]:
    return [stem(word, language) for word in words(text)]
