"""The foreign sentences (LNG001, and the words UNT001 leaves to it) are found from the document's token list;
they must be those of the plain definition: each _SENTENCE match, its words read from the case-folded sentence,
judged on their rows. The reference below is that definition, written out."""

from __future__ import annotations

import pytest

from repair.analysis import Analysis
from repair.detectors import language_segments as segments
from repair.wordlists import lexicon

from conftest import CORPUS


def reference(text: str, target: str, rows: dict | None = None) -> list[tuple[int, int, str, int]]:
    table = lexicon()
    found = []
    for match in segments._SENTENCE.finditer(text):
        words = [w.replace("’", "'") for w in segments._TOKEN.findall(match.group(0).casefold())]
        if len(words) < segments.MIN_WORDS:
            continue
        looked_up = rows if rows is not None else table.rows(words)
        index = table.index[target]
        common = sum(1 for w in words if looked_up.get(w) is not None and looked_up[w][index] >= segments.COMMON_TARGET)
        if common * 2 >= len(words):
            continue
        best = segments._sentence_language(words, looked_up, target, table)
        if best:
            start, end = match.span()
            segment = match.group(0)
            found.append((start + len(segment) - len(segment.lstrip()), end - len(segment) + len(segment.rstrip()),
                          best, len(words)))
    return found


GERMAN = "Die Verhandlungen werden nächste Woche in Genf fortgesetzt, sagte der Sprecher am Montag"
FRENCH = "La bataille de la ville a commencé hier selon les médias de l'État et les habitants"
ENGLISH = "The talks ended on Monday and will continue next week in Geneva, the spokesman said"

TEXTS = [
    f"{ENGLISH}. {GERMAN}. {ENGLISH}.\n{FRENCH}!\n",
    # closing quotes after the stops belong to the sentence before; stops in a row; a line of stops
    f'He said: "{ENGLISH}." "{GERMAN}?!" {FRENCH}...\n...\n"{GERMAN}"',
    f'{ENGLISH}."."{GERMAN}.',
    # odd characters (ß folds to ss, İ to i and a dot that is no letter, U+0345 to a letter): in a foreign
    # sentence, in an English one, alone between stops
    f"{ENGLISH}. Die Straße wird nächste Woche in Genf gesperrt, sagte der Sprecher am Montag. {FRENCH}.",
    f"{ENGLISH} İstanbul. {GERMAN}. İ İ İ İ İ İ İ İ İ. {FRENCH}.",
    f"{GERMAN}. \u0345 \u0345 \u0345 \u0345 \u0345 \u0345 \u0345 \u0345 \u0345. {ENGLISH}.\n{FRENCH}",
    f"{GERMAN} Maß ﬁnden. {ENGLISH}. {FRENCH} ß",
    "",
    "...",
    GERMAN,
]


@pytest.mark.parametrize("text", TEXTS)
def test_the_sentences_of_the_plain_definition(text):
    assert segments._foreign_sentences(Analysis(text), "en", lexicon(), None) == reference(text, "en")


def test_rows_given_decide_for_sentences_with_odd_characters_only():
    text = TEXTS[3] + " " + TEXTS[4]
    rows = lexicon().rows({w.casefold().replace("’", "'") for w in Analysis(text).distinct_words})
    assert segments._foreign_sentences(Analysis(text), "en", lexicon(), rows) == reference(text, "en", rows)
    assert reference(text, "en")  # (the texts do hold foreign sentences)


def test_corpus_files_in_english_and_german():
    files = sorted(CORPUS.rglob("*.txt"))[:40]
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        for target in ("en", "de"):
            assert segments._foreign_sentences(Analysis(text), target, lexicon(), None) == reference(text, target), path


def test_long_texts_of_many_lines_and_of_one_line():
    """Sentences far apart, past the blocks the stops are counted in, on many lines and on one line (found again
    from the line break before each, or read on from the last one found)."""
    import random

    generator = random.Random(7)
    pieces = [ENGLISH, GERMAN, FRENCH, "Die Straße wird gesperrt, sagte der Sprecher am Montag in Genf heute",
              "ok", "İ İ İ İ İ İ İ İ İ", "Tak"]
    stops = [". ", '." ', "!\n", "...", '?" ', ".\n\n", "\n", "; ", ". «", "»."]
    for lines in (True, False):
        parts = []
        for _ in range(900):
            parts.append(generator.choice(pieces) + generator.choice(stops if lines else [". ", '." ', "...", '?" ', "; "]))
        text = "".join(parts)
        assert len(text) > 40_000 and ("\n" in text) == lines
        expected = reference(text, "en")
        assert len(expected) > 50
        assert segments._foreign_sentences(Analysis(text), "en", lexicon(), None) == expected


def test_the_tokens_bytes_from_numpy_are_those_of_the_map():
    """A large document's tokens get their bytes from numpy (and every document's once numpy is imported): the
    same bytes as the map over the tokens."""
    files = sorted(CORPUS.rglob("*.txt"))[:20]
    texts = [path.read_text(encoding="utf-8", errors="replace") for path in files] + [" ".join(TEXTS) * 40]
    for text in texts:
        analysis = Analysis(text)
        kinds = segments._kinds(analysis, "en", lexicon())
        numbers, token_numbers = analysis.token_numbers, analysis.vocabulary.values()
        mapped = bytes(map(dict(zip(token_numbers, kinds)).__getitem__, numbers))
        assert segments._marks_numpy(numbers, token_numbers, kinds) == mapped
        assert len(set(mapped)) == 3 or len(numbers) < 50
