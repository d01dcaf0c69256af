"""The one table of languages: a new target language is one entry there (plus a pack for its own terms)."""

from __future__ import annotations

from pathlib import Path

import pytest

from repair import languages
from repair.api import Checker
from repair.languages import Language, profile, running
from repair.wordlists import LANGUAGES

TOY_PACK = """pack: toyish-news
description: terms of the toy language's newsroom
source_language: any
target_language: xx
rules:
  - code: XX001
    name: toy-term
    kind: substitution
    category: terminology
    severity: warning
    message: "{match!r} is written {replacement!r} in Toyish"
    terms:
      zorb: blat
    examples:
      - bad: "Моя zorb."
        good: "Моя blat."
"""


@pytest.fixture
def toyish(monkeypatch, tmp_path) -> Path:
    """A toy target language written in Cyrillic, added through the table alone, and a pack for it."""
    monkeypatch.setitem(languages.TABLE, "xx", Language("xx", "Toyish", "Cyrillic"))
    folder = tmp_path / "packs"
    folder.mkdir()
    (folder / "toyish.yaml").write_text(TOY_PACK, encoding="utf-8")
    return folder


def test_a_language_added_to_the_table_is_picked_up_by_the_detectors(toyish):
    checker = Checker(language="xx", rules=(str(toyish),), languagetool=False)
    text = "Новости дня: zorb снова здесь. Читайте также the latest update from our partners.\n"
    found = {(f.code, text[f.start:f.end]) for f in checker.check_text(text)}
    # the pack for the toy language applies to it
    assert ("XX001", "zorb") in found
    # its script comes from the table: a run of Latin words in Cyrillic text is foreign script
    assert ("SCR001", "the latest update from our partners") in found
    # and its safe fix is applied; the foreign-script text has no automatic fix
    assert checker.fix_text(text).text == text.replace("zorb", "blat")


def test_a_language_outside_the_table_gets_no_language_checks():
    checker = Checker(language="qq", languagetool=False)
    # no script known: no foreign-script finding; no word checks: the French word is not judged
    text = "Моя prorégime bataille.\n"
    assert [f.code for f in checker.check_text(text)] == []


def test_checks_run_where_the_table_says():
    assert running("untranslated") == running("foreign-sentences") == running("acronyms") == ("en", "fr", "de")
    assert set(running("glued-words")) == {"en", "fr", "de", "es", "it", "pt", "nl"}
    assert Checker(language="pl", languagetool=False).check_text("Armia zajęła miasto.\n") == []


def test_the_word_table_columns_follow_the_table():
    assert LANGUAGES == tuple(code for code, language in languages.TABLE.items() if language.word_table)
    assert LANGUAGES[:3] == ("en", "fr", "de") and LANGUAGES[-1] == "ru"
    assert profile("de").capitalises_nouns and not profile("en").capitalises_nouns
    assert profile("ru").script == "Cyrillic" and profile("fr").letters.count("é") == 1


def test_every_language_names_itself_and_a_known_script():
    from repair.detectors.script import SCRIPT_RANGES

    for code, language in languages.TABLE.items():
        assert language.code == code and language.name and language.name != code
        assert language.script in SCRIPT_RANGES, code
        assert language.checks <= set(languages.CHECKS), code
