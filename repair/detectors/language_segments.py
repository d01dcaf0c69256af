"""Whole sentences in the wrong language: a paragraph of the source left untranslated, a quote, page chrome.

Two opinions must agree: the word-frequency table (repair.wordlists: the language whose words are commonest
on average) and langdetect, seeded so that every run gives the same answer. langdetect costs 0.6 s to load
and is only consulted for a sentence the table already finds foreign.

Below MIN_WORDS words no opinion is reported: measured on demetr_clean_dev (English) and the German MQM
segments cut to their first k words, langdetect is confidently wrong (p >= 0.9) on 38% of 1-word, 9% of
3-word, 1.2% of 6-word and 0% of 8-word segments ("Subscribe", "loader" get nonsense labels).
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache
from typing import Iterable

from repair.analysis import STOPS, Analysis
from repair.detectors.base import Context, Detector
from repair.document import Document
from repair.languages import Language, name_of, profile, running
from repair.model import Category, Example, Finding, RuleInfo, Severity
from repair.wordlists import Lexicon, lexicon

WRONG_LANGUAGE = RuleInfo(
    code="LNG001",
    name="wrong-language-segment",
    category=Category.UNTRANSLATED,
    severity=Severity.WARNING,
    summary="A whole sentence in another language than the text's: left untranslated or copied from the source.",
    why="Machine translation passes through sentences it fails on, and pipelines that translate paragraph by "
    "paragraph skip some; the reader gets a sentence they cannot read.",
    examples=(
        Example(
            bad="The talks ended on Monday. Die Verhandlungen werden nächste Woche in Genf fortgesetzt, sagte er.\n",
            good="The talks ended on Monday. The negotiations will continue in Geneva next week, he said.\n",
        ),
    ),
    fix=None,
    target_languages=running("foreign-sentences"),
)

MIN_WORDS = 8  # measured: see the module docstring
MIN_MARGIN = 1.0  # mean Zipf of the other language over the target's
MIN_PROBABILITY = 0.9
COMMON_TARGET = 45  # Zipf x10: 'said', 'city', 'from' (a quick first test; most sentences stop there)

_SENTENCE = re.compile(r"[^\n.!?]+(?:[.!?]+[\"'”’»)]*|$)", re.MULTILINE)
_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def foreign_sentences(doc: Document, target: Language, lexicon: Lexicon,
                      rows: dict | None = None) -> list[tuple[int, int, str, int]]:
    """(start, end, language, words) of sentences whose words the table finds commoner in another language.

    Computed once per document and target (UNT001 and LNG001 both ask); `rows` (word -> frequency row) serves
    texts that do not fold simply, where the first asker's rows decide, as they always did."""
    if target.code not in lexicon.index:
        return []
    return doc.analysis.memo(("foreign-sentences", target.code),
                             lambda: _foreign_sentences(doc.analysis, target.code, lexicon, rows))


def _candidates(lexicon: Lexicon) -> tuple[str, ...]:
    """The languages a sentence may be found in: the table's languages of the Latin script."""
    return _latin(lexicon.languages)


@lru_cache(maxsize=8)
def _latin(languages: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(code for code in languages if profile(code).script == "Latin")


def _foreign_sentences(analysis: Analysis, target: str, lexicon: Lexicon,
                       rows: dict | None) -> list[tuple[int, int, str, int]]:
    """The sentences are the matches of _SENTENCE; each holds the words between two sentence stops (a run of
    characters other than stops, then its stops and closing quotes): the words of the document's token list
    between two stops (Analysis.token_numbers). Each character but a few folds to one character, a letter to a
    letter: a sentence without those few ('odd' characters: ß, İ, U+0345) has the folded words of those tokens,
    whose rows are the table's (and those of `rows`, which hold them). So the verdicts come from the token list,
    without tokenising the text again; the text is searched for the places of the sentences found (and of those
    with an odd character, whose words are read from the folded sentence, with `rows` when given, as always)."""
    numbers = analysis.token_numbers
    text = analysis.text
    found: dict[int, tuple[str, int]] = {}  # group (the words after that many stops) -> (language, words)
    vocabulary = analysis.vocabulary
    # a byte per word (1: common in the target, 0: not), 2 per stop
    marks = _marks(numbers, vocabulary.values(), _kinds(analysis, target, lexicon))
    word_of = None
    group = counted = 0
    for run in _LONG_GROUP.finditer(marks):  # the groups of MIN_WORDS words or more
        begin, end = run.span()
        size = end - begin
        # fewer than half the words common target words: then the table's verdict (else a target sentence)
        if marks.count(1, begin, end) * 2 < size:
            if word_of is None:
                word_of = dict(zip(vocabulary.values(), vocabulary))
            words = [word_of[n].casefold().replace("’", "'") for n in numbers[begin:end]]
            best = _sentence_language(words, lexicon.load(words), target, lexicon)
            if best:
                group += marks.count(2, counted, begin)  # the stops before it
                counted = begin
                found[group] = (best, size)
    odd = [] if analysis.folds_simply else _odd_places(text)
    if not found and not odd:
        return []
    ends, odd_groups = _ends_of_groups(text, set(found), odd)
    sentences = []
    for match in _sentence_runs_ending(text, sorted(ends)):
        group = ends[match.end(1)]  # the sentence whose run of words ends there
        if group in odd_groups:
            verdict = _odd_sentence(match.group(0), target, lexicon, rows)
            if verdict is None:
                continue
        else:
            verdict = found[group]
        sentences.append(_trimmed(match, *verdict))
    return sentences


def _marks(numbers, token_numbers, kinds: bytes) -> bytes:
    """The byte of each token of `numbers`, from each distinct token's number and byte: with numpy for a large
    document, or once numpy is imported anyway (LNG001's scoring imports it), else a map over the tokens."""
    if len(numbers) >= _NUMPY_TOKENS or len(numbers) >= 256 and "numpy" in sys.modules:
        return _marks_numpy(numbers, token_numbers, kinds)
    mark_of = dict(zip(token_numbers, kinds))
    return bytes(map(mark_of.__getitem__, numbers))


#: tokens from which numpy's import (0.11-0.16 CPU s) pays for itself, or nearly (the map costs 0.07-0.08 s a
#: million tokens, numpy's look-up a few ms; a document that large holds sentences LNG001 scores with numpy)
_NUMPY_TOKENS = 1_000_000


def _marks_numpy(numbers, token_numbers, kinds: bytes) -> bytes:
    import numpy

    table = numpy.zeros(len(numbers), dtype=numpy.uint8)  # (a token's number is less than the count of tokens)
    table[numpy.fromiter(token_numbers, dtype=numpy.int64, count=len(kinds))] = numpy.frombuffer(kinds, numpy.uint8)
    return table[numpy.frombuffer(numbers, dtype=f"u{numbers.itemsize}")].tobytes()


def _sentence_runs_ending(text: str, places: list[int]):
    """The matches of _SENTENCE_RUN.finditer(text) whose run of words ends at one of `places` (ascending), without
    reading the text between them: no match holds a line break, so the matches from a line break on are those of
    a search from there (the search starts again at the line of each place, unless the last one read is there)."""
    matches = None
    scanned = 0  # where the matches read so far end
    pending = None  # a match read, not yet given
    for place in places:
        line = max(text.rfind("\n", 0, place), 0)
        if matches is None or scanned < line:
            matches, pending = _SENTENCE_RUN.finditer(text, line), None
        while pending is None or pending.end(1) < place:
            pending = next(matches, None)
            if pending is None:
                break
            scanned = pending.end()
        if pending is not None and pending.end(1) == place:
            yield pending
            pending = None


_LONG_GROUP = re.compile(rb"[\x00\x01]{%d,}" % MIN_WORDS)
# _SENTENCE, with its run of characters before the stops as a group: the same matches
_SENTENCE_RUN = re.compile(r"([^\n.!?]+)(?:[.!?]+[\"'”’»)]*|$)", re.MULTILINE)
_STOP = re.compile(r"[\n.!?]")


def _odd_places(text: str) -> list[int]:
    """Where the characters are that do not fold to one character, or to a letter when they are none (U+0345):
    the words of a sentence holding one are not its folded tokens."""
    odd = [c for c in set(_PAST_ASCII.findall(text)) if len(c.casefold()) != 1 or c == "\u0345"]
    places = []
    for character in odd:
        at = text.find(character)
        while at >= 0:
            places.append(at)
            at = text.find(character, at + 1)
    return sorted(places)


_PAST_ASCII = re.compile(r"[^\x00-\x7f]")


def _ends_of_groups(text: str, groups: set[int], odd: list[int]) -> tuple[dict[int, int], set[int]]:
    """Where the runs of `groups` and of the groups holding an odd place end (at the stop after them: the i-th
    stop of the token list is the i-th of the text), and the latter groups: the stops counted a block at a time."""
    stops = _Stops(text)
    odd_groups = {stops.before(place) for place in odd}  # (an odd character is no stop: the stops before it)
    stops = _Stops(text)
    ends = {stops.place(group): group for group in sorted(groups | odd_groups)}
    return ends, odd_groups


class _Stops:
    """The sentence stops of a text ('\\n', '.', '!', '?'), counted a block at a time with str.count, for places
    and numbers asked in increasing order."""

    __slots__ = ("text", "at", "counted")

    def __init__(self, text: str):
        self.text = text
        self.at = 0
        self.counted = 0  # the stops of text[:at]

    def _count(self, start: int, end: int) -> int:
        count = self.text.count
        return count("\n", start, end) + count(".", start, end) + count("!", start, end) + count("?", start, end)

    def before(self, place: int) -> int:
        """How many stops stand before `place`."""
        self.counted += self._count(self.at, place)
        self.at = place
        return self.counted

    def place(self, number: int) -> int:
        """Where stop `number` (from 0) stands; the end of the text when there are only `number` stops."""
        length = len(self.text)
        while True:
            end = min(self.at + _STOPS_BLOCK, length)
            inside = self._count(self.at, end)
            if self.counted + inside > number:
                break
            self.counted += inside
            self.at = end
            if end == length:
                return length
        for stop in _STOP.finditer(self.text, self.at, end):
            if self.counted == number:
                self.at = stop.start()
                return self.at
            self.counted += 1
        raise AssertionError("a stop counted is not found")  # pragma: no cover


_STOPS_BLOCK = 4096


def _odd_sentence(sentence: str, target: str, lexicon: Lexicon, rows: dict | None) -> tuple[str, int] | None:
    """The verdict on a sentence with an odd character, from the words of the folded sentence (their rows from
    `rows` when given: the first asker's, as always)."""
    words = [w.replace("’", "'") for w in _TOKEN.findall(sentence.casefold())]
    if len(words) < MIN_WORDS:
        return None
    if rows is None:
        rows = lexicon.load(words)
    index = lexicon.index[target]
    common = 0
    for word in words:
        row = rows.get(word)
        common += row is not None and row[index] >= COMMON_TARGET
    if common * 2 >= len(words):
        return None
    best = _sentence_language(words, rows, target, lexicon)
    return (best, len(words)) if best else None


def _trimmed(match: re.Match, language: str, words: int) -> tuple[int, int, str, int]:
    start, end = match.span()
    segment = match.group(0)
    start += len(segment) - len(segment.lstrip())
    end -= len(segment) - len(segment.rstrip())
    return (start, end, language, words)


def _kinds(analysis: Analysis, target: str, lexicon: Lexicon) -> bytes:
    """The byte of each token of the vocabulary, in its order: 1 when the word's folded form is common in the
    target (Zipf x10 COMMON_TARGET or more), 0 when not; 2 for a stop. Kept per target language for every word
    sorted so far in this process."""
    memo = lexicon.memo("common-as-written")
    kinds = memo.get(target)
    if kinds is None or len(kinds) > 1_000_000:
        kinds = memo[target] = dict.fromkeys(STOPS, 2)
    vocabulary = analysis.vocabulary
    try:
        return bytes(map(kinds.__getitem__, vocabulary))  # (most documents: every word sorted before)
    except KeyError:
        pass
    new = [word for word in vocabulary if word not in kinds]
    folded = {word: word.casefold().replace("’", "'") for word in new}
    rows = lexicon.load(set(folded.values()))
    index = lexicon.index[target]
    for w, f in folded.items():
        row = rows.get(f)
        kinds[w] = 1 if row is not None and row[index] >= COMMON_TARGET else 0
    return bytes(map(kinds.__getitem__, vocabulary))


def _sentence_language(words, rows, target, lexicon: Lexicon) -> str:
    """The language the table finds the words commoner in than the target by MIN_MARGIN, or ''."""
    candidates = _candidates(lexicon)
    index = lexicon.index
    known = [row for row in map(rows.get, words) if row is not None]
    sums = list(map(sum, zip(*known))) if known else [0] * len(lexicon.languages)  # per language, in row order
    totals = {lang: sums[index[lang]] for lang in candidates}
    best = max(candidates, key=lambda lang: (totals[lang], lang == target))
    if best == target:
        return ""
    if (totals[best] - totals.get(target, 0)) / 10 / len(words) < MIN_MARGIN:
        return ""
    return best


@lru_cache(maxsize=4096)
def langdetect_language(text: str) -> tuple[str, float]:
    """langdetect's best language and its probability, deterministic (seed 0: each call re-seeds its own
    generator, so the answer depends on the text alone and is kept for texts that recur, such as a scraped
    site's foreign-language boilerplate in file after file)."""
    from langdetect import DetectorFactory
    from langdetect.lang_detect_exception import LangDetectException

    from repair.detectors.langdetect_profiles import install
    from repair.detectors.langdetect_vectorised import probabilities

    install()  # its profiles from repair's home, built once (0.5 s a run otherwise)
    DetectorFactory.seed = 0
    try:
        return probabilities(text)[0]  # langdetect's detect_langs(text)[0], its numbers exactly, 3 times faster
    except LangDetectException:
        return "", 0.0


def langdetect_languages(texts: list[str]) -> list[tuple[str, float]]:
    """langdetect_language of each text: a document's many sentences (BATCH or more) scored together, as one
    (repair.detectors.langdetect_vectorised.probabilities_many: the same answers, numpy's cost per step paid once
    for all of them), fewer one at a time (and kept for texts that recur)."""
    if len(texts) < BATCH:
        return [langdetect_language(text) for text in texts]
    from langdetect import DetectorFactory

    from repair.detectors.langdetect_profiles import install
    from repair.detectors.langdetect_vectorised import probabilities_many

    install()
    DetectorFactory.seed = 0
    distinct = list(dict.fromkeys(texts))
    found = dict(zip(distinct, probabilities_many(distinct)))
    return [found[text][0] if found[text] else ("", 0.0) for text in texts]


#: sentences of a document from which scoring them together costs less than one at a time (measured on LNG001's
#: sentences of the small-files benchmark, in groups: about even at 8-10, 1.5 times cheaper at 32, 3 at 480)
BATCH = 10


class WrongLanguageDetector(Detector):
    rules = (WRONG_LANGUAGE,)
    check = "foreign-sentences"

    def expect_many(self) -> None:
        from repair.detectors.langdetect_vectorised import expect_many_documents

        expect_many_documents()

    def detect(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        target = ctx.language
        sentences = foreign_sentences(doc, ctx.target, lexicon())
        if len(sentences) > 1:
            from repair.detectors.langdetect_vectorised import expect

            expect(len(sentences))
        text = doc.text
        answers = langdetect_languages([text[start:end] for start, end, _, _ in sentences])
        for (start, end, lang, _), (detected, probability) in zip(sentences, answers):
            if detected == target or probability < MIN_PROBABILITY or not detected:
                continue
            yield self.finding(
                "LNG001", start, end,
                f"Sentence in {name_of(detected)}, not {ctx.target.name}: left untranslated",
            )

