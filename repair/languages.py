"""The one table of languages: what repair knows about each language, as a target or a source.

Every detector reads what it needs from a language's profile (handed to it in the run context), never from a
table of its own. Adding a target language is one entry here (plus, for its own terms, a rule pack):

- `script`: the script its letters belong to (SCR001 reports letters of other scripts);
- `letters`: the letters beyond a-z it writes natively (é in French is not a sign of a foreign word);
- `capitalises_nouns`: common nouns are written with a capital mid-sentence (German);
- `initial_nouns`: its word list knows common nouns written with a capital at a sentence's start;
- `word_table`: it has a column in the word-frequency table (built from wordfreq's list for it);
- `languagetool`: the LanguageTool language code checked for it (a variant where the bare code has no speller);
- `checks`: the checks measured on text in this language, and so run on it (see CHECKS).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

#: checks that run only on the target languages whose profile lists them (each measured on text in that language)
CHECKS = {
    "untranslated": "source-language words left in the text (UNT001, UNT002)",
    "foreign-sentences": "whole sentences in another language (LNG001)",
    "acronyms": "acronyms that do not fit their definition, garbled acronym variants (ACR001, ACR002)",
    "glued-words": "words glued at page-element boundaries (WEB001)",
}


@dataclass(frozen=True)
class Language:
    """What repair knows about a language: its code, name, script, letters, noun capitals, tables and the checks it
    runs."""
    code: str
    name: str
    script: str | None = None
    letters: str = ""
    capitalises_nouns: bool = False
    initial_nouns: bool = False
    word_table: bool = False
    languagetool: str | None = None
    checks: frozenset[str] = field(default_factory=frozenset)

    def runs(self, check: str) -> bool:
        return check in self.checks


_MT = frozenset({"untranslated", "foreign-sentences", "acronyms", "glued-words"})
_GLUED = frozenset({"glued-words"})


def _latin(code: str, name: str, **profile) -> Language:
    return Language(code, name, "Latin", **profile)


#: in the order of the word table's columns first (the table's layout depends on it), then the rest
TABLE: dict[str, Language] = {language.code: language for language in (
    _latin("en", "English", word_table=True, languagetool="en-US", checks=_MT),
    _latin("fr", "French", letters="àâæçéèêëîïôœùûüÿ", initial_nouns=True, word_table=True, languagetool="fr",
           checks=_MT),
    _latin("de", "German", letters="äöüß", capitalises_nouns=True, initial_nouns=True, word_table=True,
           languagetool="de-DE", checks=_MT),
    _latin("es", "Spanish", initial_nouns=True, word_table=True, checks=_GLUED),
    _latin("it", "Italian", initial_nouns=True, word_table=True, checks=_GLUED),
    _latin("pt", "Portuguese", initial_nouns=True, word_table=True, checks=_GLUED),
    _latin("nl", "Dutch", initial_nouns=True, word_table=True, checks=_GLUED),
    _latin("pl", "Polish", word_table=True),
    _latin("cs", "Czech", word_table=True),
    _latin("ro", "Romanian", initial_nouns=True, word_table=True),
    _latin("sv", "Swedish", initial_nouns=True, word_table=True),
    Language("ru", "Russian", "Cyrillic", word_table=True, languagetool="ru-RU"),
    *(_latin(code, name) for code, name in (
        ("sk", "Slovak"), ("da", "Danish"), ("no", "Norwegian"), ("fi", "Finnish"), ("hu", "Hungarian"),
        ("tr", "Turkish"), ("ca", "Catalan"), ("hr", "Croatian"), ("sl", "Slovenian"), ("et", "Estonian"),
        ("lv", "Latvian"), ("lt", "Lithuanian"), ("id", "Indonesian"), ("ms", "Malay"), ("vi", "Vietnamese"),
    )),
    *(Language(code, name, "Cyrillic") for code, name in (
        ("uk", "Ukrainian"), ("bg", "Bulgarian"), ("be", "Belarusian"), ("sr", "Serbian"), ("mk", "Macedonian"),
        ("kk", "Kazakh"),
    )),
    Language("el", "Greek", "Greek"),
    Language("ar", "Arabic", "Arabic"),
    Language("he", "Hebrew", "Hebrew"),
    Language("hi", "Hindi", "Devanagari"),
)}


def profile(code: str) -> Language:
    """The profile of a language code; a code the table does not know gets an empty profile (no checks).

    A regional variant of a language LanguageTool checks (en-GB, de-CH, pt_BR) is checked by LanguageTool in that
    variant; repair's own language checks are measured on the table's languages only."""
    found = TABLE.get(code)
    if found is not None or not code:
        return found or Language(code, code)
    base = TABLE.get(code.replace("_", "-").split("-")[0].lower())
    if base is not None and base.languagetool and code[:len(base.code)].lower() == base.code:
        return Language(code, base.name, languagetool=code)
    return Language(code, code)


class UnknownLanguage(ValueError):
    """A target language repair does not know; the message names the known ones."""


def target_code(code: str) -> str:
    """The canonical code of a target language, or UnknownLanguage (a usage error: an unknown target would turn
    every detector off and report nothing). A code of the table in any case ("EN": "en"), or a regional variant
    of a language LanguageTool checks, in any spelling ("en_GB", "en-gb": "en-GB")."""
    cleaned = code.strip().replace("_", "-")
    base, _, region = cleaned.partition("-")
    base = base.lower()
    if not region and base in TABLE:
        return base
    language = TABLE.get(base)
    if region and language is not None and language.languagetool and (
            len(region) == 2 and region.isalpha() or len(region) == 3 and region.isdigit()):
        return f"{base}-{region.upper()}"
    known = ", ".join(TABLE)
    raise UnknownLanguage(f"unknown target language {code!r}: use one of {known}, or a regional variant of "
                          f"{', '.join(c for c, l in TABLE.items() if l.languagetool)} such as en-GB")


def word_table_languages() -> tuple[str, ...]:
    """The languages with a column in the word-frequency table, in column order."""
    return tuple(code for code, language in TABLE.items() if language.word_table)


def running(check: str) -> tuple[str, ...]:
    """The target languages a check runs on."""
    return tuple(code for code, language in TABLE.items() if language.runs(check))


def name_of(code: str) -> str:
    return profile(code).name


def stop_word_languages() -> tuple[str, ...]:
    """The languages a page's stop words are counted in to tell its language: those with a word-table column."""
    return word_table_languages()


def stop_words(code: str) -> frozenset[str]:
    """A language's stop words, lower case, from the stopwordsiso package (its data ships in the wheel; loaded on
    first use, about 0.05 s of CPU); a language it does not know has none."""
    return _stop_words(code.split("-")[0].lower())


@lru_cache(maxsize=None)
def _stop_words(code: str) -> frozenset[str]:
    import stopwordsiso

    return frozenset(w.lower() for w in stopwordsiso.stopwords(code)) if stopwordsiso.has_lang(code) else frozenset()
