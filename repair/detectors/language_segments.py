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
from typing import Iterable

from repair.detectors.base import Context, Detector
from repair.document import Document
from repair.model import Category, Example, Finding, RuleInfo, Severity
from repair.wordlists import INDEX, LANGUAGES, lexicon

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
    target_languages=("en", "de", "fr"),
)

MIN_WORDS = 8  # measured: see the module docstring
MIN_MARGIN = 1.0  # mean Zipf of the other language over the target's
MIN_PROBABILITY = 0.9
COMMON_TARGET = 45  # Zipf x10: 'said', 'city', 'from' (a quick first test; most sentences stop there)

_SENTENCE = re.compile(r"[^\n.!?]+(?:[.!?]+[\"'”’»)]*|$)", re.MULTILINE)
_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_CANDIDATES = tuple(lang for lang in LANGUAGES if lang != "ru")


def foreign_sentences(text: str, target: str, rows: dict | None = None) -> list[tuple[int, int, str, int]]:
    """(start, end, language, words) of sentences whose words the table finds commoner in another language."""
    if target not in INDEX:
        return []
    cached = _LAST.get(target)
    if cached is not None and cached[0] is text:
        return cached[1]
    found = _foreign_sentences(text, target, rows)
    _LAST[target] = (text, found)
    return found


_LAST: dict[str, tuple[str, list]] = {}  # the last document's answer: UNT001 and LNG001 both ask for it


def folds_simply(text: str) -> bool:
    """Each character case-folds to one character, a letter to a letter (U+0345 alone folds to a letter)."""
    if _LAST_FOLDS[0] is not text:
        _LAST_FOLDS[0], _LAST_FOLDS[1] = text, len(text.casefold()) == len(text) and "\u0345" not in text
    return _LAST_FOLDS[1]


_LAST_FOLDS: list = [None, False]


_WORD_OR_STOP = re.compile(r"[^\W\d_]++(?:['’][^\W\d_]++)*+|[\n.!?]")  # _TOKEN, or a character that ends a sentence
_WORD_OR_STOP_ASCII = re.compile(r"[A-Za-z]++(?:'[A-Za-z]++)*+|[\n.!?]")  # the same on ASCII text, faster
_STOP = re.compile(r"[\n.!?]")
STOPS = frozenset("\n.!?")
_LAST_WORDS: list = [None, None, None]


def words_and_stops(text: str) -> list[str]:
    """_TOKEN.findall(text) with the characters that end _SENTENCE's sentences ('\n', '.', '!', '?') among them.

    One pass serves UNT001 and LNG001 (cached for the last text): the words between two stops are the words of
    one of _SENTENCE's sentences (its closing quotes hold none)."""
    if _LAST_WORDS[0] is text:
        return _LAST_WORDS[1]
    found = (_WORD_OR_STOP_ASCII if text.isascii() else _WORD_OR_STOP).findall(text)
    _LAST_WORDS[0], _LAST_WORDS[1], _LAST_WORDS[2] = text, found, None
    return found


def distinct_words(text: str) -> set[str]:
    """The set of words_and_stops(text), stops excluded (cached with it). Shared: not to be changed."""
    items = words_and_stops(text)
    unique = _LAST_WORDS[2]
    if unique is None:
        unique = _LAST_WORDS[2] = set(items)
        unique -= STOPS
    return unique


def _foreign_sentences(text: str, target: str, rows: dict | None) -> list[tuple[int, int, str, int]]:
    if folds_simply(text):
        # each character folds to one character, a letter to a letter: the words of the folded sentences are the
        # folded words of the text, all of them in `rows` when given: the table alone gives the same answer
        if not _any_foreign(text, target):
            return []
        return _foreign_sentences_folded(text, text.casefold().replace("’", "'"), target)
    return _foreign_sentences_slow(text, target, rows)


#: per target language: 1 for a word (as written) whose folded form is common there, 0 for another word, 2 for
#: a stop: every word sorted so far
_COMMON_AS_WRITTEN: dict[str, dict[str, int]] = {}


def _any_foreign(text: str, target: str) -> bool:
    """Whether a sentence would be reported, from the words alone (their places are found only then)."""
    items = words_and_stops(text)
    kinds = _COMMON_AS_WRITTEN.get(target)
    if kinds is None or len(kinds) > 1_000_000:
        kinds = _COMMON_AS_WRITTEN[target] = dict.fromkeys(STOPS, 2)
    new = distinct_words(text).difference(kinds)
    if new:
        folded = {w: w.casefold().replace("’", "'") for w in new}
        rows, is_common = _common_words(target, set(folded.values()))
        for w, f in folded.items():
            kinds[w] = 1 if is_common(f) else 0
    # per sentence (the words between two stops): how many words, how many of them common target words
    begin = 0
    for sentence in bytes(map(kinds.__getitem__, items)).split(b"\x02"):
        size = len(sentence)
        if size >= MIN_WORDS and sentence.count(1) * 2 < size:
            words = [w.casefold().replace("’", "'") for w in items[begin:begin + size]]
            if _sentence_language(words, lexicon().load(words), target):
                return True
        begin += size + 1
    return False


def _common_words(target: str, vocabulary: set[str]):
    rows = lexicon().load(vocabulary)
    index = INDEX[target]
    common, known = _COMMON.setdefault(target, (set(), set()))
    new = vocabulary - known
    if new:
        if len(known) > 1_000_000:
            common.clear()
            known.clear()
        for word in new:
            row = rows.get(word)
            if row is not None and row[index] >= COMMON_TARGET:
                common.add(word)
        known |= new
    return rows, common.__contains__


#: per target language: words whose Zipf there is COMMON_TARGET or more, and the words already sorted
_COMMON: dict[str, tuple[set[str], set[str]]] = {}


def _foreign_sentences_folded(text: str, folded: str, target: str) -> list[tuple[int, int, str, int]]:
    findall = _TOKEN.findall
    sentences = []
    vocabulary: set[str] = set()
    for match in _SENTENCE.finditer(text):
        words = findall(folded, *match.span())
        if len(words) >= MIN_WORDS:
            sentences.append((match, words))
            vocabulary.update(words)
    if not sentences:
        return []
    rows, is_common = _common_words(target, vocabulary)
    found = []
    for match, words in sentences:
        if sum(map(is_common, words)) * 2 >= len(words):
            continue  # half the words are common target words: a target sentence, whatever else it holds
        found.extend(_judge_sentence(match, words, rows, target))
    return found


def _judge_sentence(match, words, rows, target):
    best = _sentence_language(words, rows, target)
    if not best:
        return
    start, end = match.span()
    segment = match.group(0)
    start += len(segment) - len(segment.lstrip())
    end -= len(segment) - len(segment.rstrip())
    yield (start, end, best, len(words))


def _sentence_language(words, rows, target) -> str:
    """The language the table finds the words commoner in than the target by MIN_MARGIN, or ''."""
    totals = dict.fromkeys(_CANDIDATES, 0)
    for word in words:
        row = rows.get(word)
        if row is None:
            continue
        for lang in _CANDIDATES:
            totals[lang] += row[INDEX[lang]]
    best = max(_CANDIDATES, key=lambda lang: (totals[lang], lang == target))
    if best == target:
        return ""
    if (totals[best] - totals.get(target, 0)) / 10 / len(words) < MIN_MARGIN:
        return ""
    return best


def _foreign_sentences_slow(text: str, target: str, rows: dict | None) -> list[tuple[int, int, str, int]]:
    sentences = []
    findall = _TOKEN.findall
    for match in _SENTENCE.finditer(text):
        words = findall(match.group(0).casefold())
        if len(words) >= MIN_WORDS:
            sentences.append((match, [w.replace("’", "'") for w in words]))
    if not sentences:
        return []
    if rows is None:
        rows = lexicon().rows({w for _, words in sentences for w in words})
    found = []
    index = INDEX[target]
    common = {w for w, row in rows.items() if row is not None and row[index] >= COMMON_TARGET}
    for match, words in sentences:
        if sum(w in common for w in words) * 2 >= len(words):
            continue  # half the words are common target words: a target sentence, whatever else it holds
        best = _sentence_language(words, rows, target)
        if not best:
            continue
        start, end = match.span()
        segment = match.group(0)
        start += len(segment) - len(segment.lstrip())
        end -= len(segment) - len(segment.rstrip())
        found.append((start, end, best, len(words)))
    return found


_DETECTOR_READY = False


def langdetect_language(text: str) -> tuple[str, float]:
    """langdetect's best language and its probability, deterministic (seed 0)."""
    global _DETECTOR_READY
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    if not _DETECTOR_READY:
        DetectorFactory.seed = 0
        _DETECTOR_READY = True
    try:
        best = detect_langs(text)[0]
    except LangDetectException:
        return "", 0.0
    return best.lang, best.prob


class WrongLanguageDetector(Detector):
    rules = (WRONG_LANGUAGE,)
    target_languages = ("en", "de", "fr")

    def detect(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        target = ctx.language
        for start, end, lang, _ in foreign_sentences(doc.text, target):
            detected, probability = langdetect_language(doc.text[start:end])
            if detected == target or probability < MIN_PROBABILITY or not detected:
                continue
            name = _NAMES.get(detected, detected)
            yield self.finding(
                "LNG001", start, end,
                f"Sentence in {name}, not {_NAMES.get(target, target)}: left untranslated",
            )


_NAMES = {
    "en": "English", "fr": "French", "de": "German", "es": "Spanish", "it": "Italian", "pt": "Portuguese",
    "nl": "Dutch", "pl": "Polish", "cs": "Czech", "ro": "Romanian", "sv": "Swedish", "ru": "Russian",
}
