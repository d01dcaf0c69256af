"""What keeps memory flat on a large file gives the answers the whole-text way gives: tokens found a block at a
time, whether a text folds simply decided a block at a time. (Foreign sentences found without a folded copy of the
text: tests/test_foreign_sentences.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from repair import analysis
from repair.analysis import STOPS, Analysis

ROOT = Path(__file__).resolve().parent.parent
GERMAN = ("Die Verhandlungen werden nächste Woche in Genf fortgesetzt, sagte er am Montag in der Hauptstadt.\n"
          "Es ist kein Tod, wenn sie schmelzen; es ist kein Ende, sondern eine Fortsetzung ihres Weges.\n")


def corpus_text() -> str:
    """The real articles of corpus/, a foreign paragraph among them, and a line of other scripts."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(ROOT.glob("corpus/*.txt"))]
    return "\n".join(texts[:2] + [GERMAN, "Αθήνα and Москва, l’homme and rock’n’roll 😀.\n"] + texts[2:])


@pytest.mark.parametrize("block", [5, 64, 1000])
def test_tokens_found_a_block_at_a_time_are_those_of_the_whole_text(monkeypatch, block):
    text = corpus_text()
    whole = analysis._WORD_OR_STOP.findall(text)
    monkeypatch.setattr(analysis, "_BLOCK", block)
    found = Analysis(text)
    assert found.words_and_stops == whole
    # the same set, iterated in the same order (detectors iterate it)
    assert list(found.distinct_words) == list(set(whole) - STOPS)
    # each distinct token is one string, and the document keeps a number of 4 bytes per token, not a list
    assert len({id(token) for token in found.words_and_stops}) == len(set(whole))
    assert found.token_numbers.itemsize == 4 and len(found.token_numbers) == len(whole)
    assert sorted(found.vocabulary, key=found.vocabulary.__getitem__) == list(dict.fromkeys(whole))


def test_ascii_text_is_tokenised_alike_by_blocks(monkeypatch):
    text = "The talks ended on Monday. It's over!\nWhy? " * 50
    monkeypatch.setattr(analysis, "_BLOCK", 7)
    assert Analysis(text).words_and_stops == analysis._WORD_OR_STOP_ASCII.findall(text)


@pytest.mark.parametrize("tail, simple", [("plain end", True), ("Straße", False), ("İstanbul", False)])
def test_whether_a_text_folds_simply_is_decided_a_block_at_a_time(monkeypatch, tail, simple):
    monkeypatch.setattr(analysis, "_BLOCK", 16)
    text = corpus_text() + tail
    assert Analysis(text).folds_simply is simple
    assert (len(text.casefold()) == len(text)) is simple


def test_latin_text_is_tokenised_by_its_listed_letters_as_by_the_unicode_class():
    """A block of ASCII and the _LATIN ranges (accents, typographic quotes and dashes) is tokenised with a pattern
    listing its letters: it matches each of those characters as _WORD_OR_STOP does, and finds the same tokens in
    texts made at random of them, of digits, apostrophes, stops and spaces."""
    import random

    latin = analysis._word_or_stop_latin()
    characters = [chr(c) for first, after in [(0, 0x80), *analysis._LATIN] for c in range(first, after)]
    assert all(bool(latin.fullmatch(c)) == bool(analysis._WORD_OR_STOP.fullmatch(c)) for c in characters)
    assert sum(bool(latin.fullmatch(c)) for c in characters) > 400
    generator = random.Random(2)
    pool = characters + list("aeiou éèçàñß  '’'’.!?\n-_1") * 20
    for _ in range(300):
        text = "".join(generator.choice(pool) for _ in range(generator.randrange(0, 300)))
        assert analysis._PAST_LATIN.search(text) is None
        assert Analysis(text).words_and_stops == analysis._WORD_OR_STOP.findall(text)
    text = analysis._PAST_LATIN.sub("", corpus_text().replace("Αθήνα and Москва", "Athènes and Moscou"))
    assert not text.isascii() and analysis._PAST_LATIN.search(text) is None
    assert Analysis(text).words_and_stops == analysis._WORD_OR_STOP.findall(text)
