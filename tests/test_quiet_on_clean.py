"""Issue 10: signals that keep repair quiet on clean text (LanguageTool's matches judged offline, no server)."""

from __future__ import annotations

import pytest

from repair.api import Checker
from repair.context import Context
from repair.detectors import languagetool as lt
from repair.detectors import languagetool_mapping as mapping
from repair.languagetool.client import RawMatch


def _speller(text: str, word: str, *suggestions: str) -> RawMatch:
    start = text.index(word)
    return RawMatch(start, start + len(word), "MORFOLOGIK_RULE_EN_US", "TYPOS", "misspelling", "m", suggestions)


@pytest.mark.parametrize("text, word, suggestions, misspelled", [
    ("The Goverment met.", "Goverment", ("Government",), True),
    ("Officials in Amercia met.", "Amercia", ("America",), True),
    ("Marinichev said so.", "Marinichev", ("Marinize",), False),  # no frequent word near: a name
    ("They met Klose there.", "Klose", ("Close", "Lose"), False),  # other languages know it: a name
    ("The goverment met.", "goverment", ("government",), True),
    ("a rakugo storyteller", "rakugo", ("Bakugo",), False),  # no known word near it
    ("germline cells", "germline", ("germlike", "germ line"), False),  # a compound
    ("in geohazard maps", "geohazard", (), False),  # no suggestion at all
    ("it is vetween them", "vetween", ("between", "vet ween"), True),  # a typo, whatever the split says
])
def test_speller_hits_names_and_rare_words(text, word, suggestions, misspelled):
    assert lt._misspelled(text, _speller(text, word, *suggestions), "en") is misspelled


@pytest.mark.parametrize("rule, category, issue, matched, replacements, advice", [
    ("HYPHEN_TO_EN", "PUNCTUATION", "typographical", "25-30", ("25–30",), True),
    ("COMMA_COMPOUND_SENTENCE", "PUNCTUATION", "uncategorized", " and", (", and",), True),
    ("COVID_19", "PROPER_NOUNS", "uncategorized", "Covid-19", ("COVID-19",), True),
    ("X_STYLE", "STYLE", "style", "all of the", ("all the",), True),
    ("COMMA_PERIOD", "PUNCTUATION", "uncategorized", ",.", (".",), False),
    ("EN_SPLIT_WORDS_HYPHEN", "TYPOS", "misspelling", "internet- radio", ("internet-radio",), False),
    ("I_LOWERCASE", "TYPOS", "misspelling", "i", ("I",), False),
    ("EN_A_VS_AN", "MISC", "misspelling", "a", ("an",), False),
    ("COMMA_PARENTHESIS_WHITESPACE", "TYPOGRAPHY", "whitespace", "( ", ("(",), False),
])
def test_the_default_level_leaves_out_advice(rule, category, issue, matched, replacements, advice):
    assert mapping.is_advice(rule, category, issue, matched, replacements) is advice


def test_quote_pairing_is_judged_on_the_document():
    doc = 'He said, “The cost is rising.\n\nPeople stay online. ”\n\nThe cost" rose.'
    first = doc.index("“")
    assert mapping.quote_pairs_elsewhere(doc, 0, doc[:doc.index("\n\n")], first)  # opens, runs past the paragraph
    stray = 'The team is" looking for a cause.'
    assert not mapping.quote_pairs_elsewhere(stray, 0, stray, stray.index('"'))  # a stray mark mid-sentence
    assert mapping.quote_pairs_elsewhere("Yu'e Bao", 0, "Yu'e Bao", 2)  # an apostrophe in a name


def test_the_spelling_variant_follows_the_document():
    if not lt._us_gb()[1]:
        pytest.skip("no LanguageTool jars installed")
    assert lt._document_variant("The programme of the centre favours travellers.", "en-US") == "en-GB"
    assert lt._document_variant("The program of the center favors travelers.", "en-US") == "en-US"
    assert lt._document_variant("Die Strasse heisst so, er weiss es.", "de-DE") == "de-CH"
    assert lt._document_variant("Er muss wissen, dass es so ist.", "de-DE") == "de-DE"


def test_the_level_is_checked():
    with pytest.raises(ValueError):
        lt.LanguageToolDetector(url="http://127.0.0.1:9", level="loud")
    detector = lt.LanguageToolDetector(url="http://127.0.0.1:9", level="picky")
    text = "They lost 25-30 years."
    match = RawMatch(10, 15, "HYPHEN_TO_EN", "PUNCTUATION", "typographical", "m", ("25–30",))
    assert [f.code for f in detector.to_findings([match], text, Context())] == ["LT300"]
    quiet = lt.LanguageToolDetector(url="http://127.0.0.1:9")
    assert quiet.to_findings([match], text, Context()) == []


def test_a_typo_of_an_english_word_is_not_untranslated():
    with Checker(languagetool=False, select=["UNT001"]) as checker:
        assert checker.check_text("The person said the persan left for wrok.\n") == []
        assert [f.code for f in checker.check_text("They will meet again next semana.\n")] == ["UNT001"]


def test_loan_phrases_of_english_are_not_untranslated():
    from repair.detectors.loans import english_loans

    if not english_loans():
        pytest.skip("no LanguageTool jars installed: no list of English loan phrases")
    text = ("It was her raison d'être. They met tête-à-tête. It became a cause célèbre; he was the enfant terrible "
            "and a coup d'état followed, a fait accompli.\n")
    with Checker(languagetool=False, select=["UNT001"]) as checker:
        assert checker.check_text(text) == []
        assert [f.code for f in checker.check_text("The government said the guerra would end soon.\n")] == ["UNT001"]
