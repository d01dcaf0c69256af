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
    return tuple(code for code in lexicon.languages if profile(code).script == "Latin")


def _foreign_sentences(analysis: Analysis, target: str, lexicon: Lexicon,
                       rows: dict | None) -> list[tuple[int, int, str, int]]:
    text = analysis.text
    if analysis.folds_simply:
        # each character folds to one character, a letter to a letter: the words of the folded sentences are the
        # folded words of the text, all of them in `rows` when given: the table alone gives the same answer
        if not _any_foreign(analysis, target, lexicon):
            return []
        return _foreign_sentences_folded(text, target, lexicon)
    return _foreign_sentences_slow(text, target, lexicon, rows)


def _any_foreign(analysis: Analysis, target: str, lexicon: Lexicon) -> bool:
    """Whether a sentence would be reported, from the words alone (their places are found only then)."""
    items = analysis.words_and_stops
    # per target language: 1 for a word (as written) whose folded form is common there, 0 for another word, 2
    # for a stop: every word sorted so far in this process
    memo = lexicon.memo("common-as-written")
    kinds = memo.get(target)
    if kinds is None or len(kinds) > 1_000_000:
        kinds = memo[target] = dict.fromkeys(STOPS, 2)
    new = analysis.distinct_words.difference(kinds)
    if new:
        folded = {w: w.casefold().replace("’", "'") for w in new}
        rows, is_common = _common_words(target, set(folded.values()), lexicon)
        for w, f in folded.items():
            kinds[w] = 1 if is_common(f) else 0
    # per sentence (the words between two stops): how many words, how many of them common target words
    begin = 0
    for sentence in bytes(map(kinds.__getitem__, items)).split(b"\x02"):
        size = len(sentence)
        if size >= MIN_WORDS and sentence.count(1) * 2 < size:
            words = [w.casefold().replace("’", "'") for w in items[begin:begin + size]]
            if _sentence_language(words, lexicon.load(words), target, lexicon):
                return True
        begin += size + 1
    return False


def _common_words(target: str, vocabulary: set[str], lexicon: Lexicon):
    rows = lexicon.load(vocabulary)
    index = lexicon.index[target]
    # per target language: words whose Zipf there is COMMON_TARGET or more, and the words already sorted
    common, known = lexicon.memo("common").setdefault(target, (set(), set()))
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


_SENTENCES_AT_ONCE = 4096  # sentences whose words are held at once (memory stays flat on a long text)


def _foreign_sentences_folded(text: str, target: str, lexicon: Lexicon) -> list[tuple[int, int, str, int]]:
    found = []
    for sentences, vocabulary in _sentence_batches(text, _simply_folded_words):
        # (each word's verdict depends on its own row alone: batches give the answer the whole text gives)
        rows, is_common = _common_words(target, vocabulary, lexicon)
        for match, words in sentences:
            if sum(map(is_common, words)) * 2 >= len(words):
                continue  # half the words are common target words: a target sentence, whatever else it holds
            found.extend(_judge_sentence(match, words, rows, target, lexicon))
    return found


def _sentence_batches(text: str, words_of):
    """(sentences, their vocabulary) for batches of up to _SENTENCES_AT_ONCE sentences of MIN_WORDS words or
    more, each sentence as (its match, its folded words: `words_of` its text). Each sentence is folded on its own:
    no folded copy of the whole text (where the text folds simply, the words of the folded text's span)."""
    sentences = []
    vocabulary: set[str] = set()
    for match in _SENTENCE.finditer(text):
        words = words_of(match.group(0))
        if len(words) >= MIN_WORDS:
            sentences.append((match, words))
            vocabulary.update(words)
            if len(sentences) >= _SENTENCES_AT_ONCE:
                yield sentences, vocabulary
                sentences, vocabulary = [], set()
    if sentences:
        yield sentences, vocabulary


def _judge_sentence(match, words, rows, target, lexicon):
    best = _sentence_language(words, rows, target, lexicon)
    if not best:
        return
    start, end = match.span()
    segment = match.group(0)
    start += len(segment) - len(segment.lstrip())
    end -= len(segment) - len(segment.rstrip())
    yield (start, end, best, len(words))


def _sentence_language(words, rows, target, lexicon: Lexicon) -> str:
    """The language the table finds the words commoner in than the target by MIN_MARGIN, or ''."""
    candidates = _candidates(lexicon)
    index = lexicon.index
    totals = dict.fromkeys(candidates, 0)
    for word in words:
        row = rows.get(word)
        if row is None:
            continue
        for lang in candidates:
            totals[lang] += row[index[lang]]
    best = max(candidates, key=lambda lang: (totals[lang], lang == target))
    if best == target:
        return ""
    if (totals[best] - totals.get(target, 0)) / 10 / len(words) < MIN_MARGIN:
        return ""
    return best


def _foreign_sentences_slow(text: str, target: str, lexicon: Lexicon,
                            rows: dict | None) -> list[tuple[int, int, str, int]]:
    index = lexicon.index[target]

    def common_of(rows: dict) -> set[str]:
        return {w for w, row in rows.items() if row is not None and row[index] >= COMMON_TARGET}

    common = common_of(rows) if rows is not None else None
    found = []
    # (a batch of sentences at a time; without given rows, the batch's own: each word's row is its own)
    for sentences, vocabulary in _sentence_batches(text, _folded_words):
        batch_rows = rows if rows is not None else lexicon.rows(vocabulary)
        batch_common = common if common is not None else common_of(batch_rows)
        for match, words in sentences:
            if sum(w in batch_common for w in words) * 2 >= len(words):
                continue  # half the words are common target words: a target sentence, whatever else it holds
            found.extend(_judge_sentence(match, words, batch_rows, target, lexicon))
    return found


def _simply_folded_words(sentence: str) -> list[str]:
    """The words of a sentence of a text that folds simply: those of the folded text's span."""
    return _TOKEN.findall(sentence.casefold().replace("’", "'"))


def _folded_words(sentence: str) -> list[str]:
    """The words of a sentence of a text that does not fold simply: of the case-folded sentence."""
    return [w.replace("’", "'") for w in _TOKEN.findall(sentence.casefold())]


@lru_cache(maxsize=4096)
def langdetect_language(text: str) -> tuple[str, float]:
    """langdetect's best language and its probability, deterministic (seed 0: each call re-seeds its own
    generator, so the answer depends on the text alone and is kept for texts that recur, such as a scraped
    site's foreign-language boilerplate in file after file)."""
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    from repair.detectors.langdetect_profiles import install

    install()  # its profiles from repair's home, built once (0.5 s a run otherwise)
    DetectorFactory.seed = 0
    try:
        best = detect_langs(text)[0]
    except LangDetectException:
        return "", 0.0
    return best.lang, best.prob


class WrongLanguageDetector(Detector):
    rules = (WRONG_LANGUAGE,)
    check = "foreign-sentences"

    def detect(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        target = ctx.language
        for start, end, lang, _ in foreign_sentences(doc, ctx.target, lexicon()):
            detected, probability = langdetect_language(doc.text[start:end])
            if detected == target or probability < MIN_PROBABILITY or not detected:
                continue
            yield self.finding(
                "LNG001", start, end,
                f"Sentence in {name_of(detected)}, not {ctx.target.name}: left untranslated",
            )

