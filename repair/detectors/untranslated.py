"""Words of the source language left in the target text, in the same (Latin) script.

Found from the target text alone, by combining cheap signals, each measured on bench/eval.py's sets:

- word frequencies: a word much commoner in a candidate source language than in the target (wordfreq's lists,
  through repair.wordlists: no download, one batched lookup per document);
- letters the target does not use (é, ß, ł, ř) in a word no list knows, once elisions (l', dell') and
  prefixes (pro-, anti-) are split off;
- capitalised words: mid-sentence they are usually names, so only a common noun of a language that writes
  its nouns or months in capitals as well (German above all) and that the target does not know is reported;
- source function words (la, der, y) next to a reported word join the span: "la bataille", "dos siguientes".

UNT002 reports, at a lower severity, names in a French transliteration (Sokhné, Kobanî), which English
writes without accents.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from itertools import filterfalse, islice, repeat
from operator import itemgetter
from typing import Iterable, NamedTuple

from repair.quoting import quote
from repair.analysis import STOPS
from repair.detectors.base import Context, Detector
from repair.detectors.language_segments import MIN_WORDS, foreign_sentences
from repair.document import Document
from repair.languages import Language, name_of, profile, running
from repair.model import Category, Example, Finding, RuleInfo, Severity
from repair.wordlists import INDEX, LANGUAGES, lexicon

UNTRANSLATED_WORD = RuleInfo(
    code="UNT001",
    name="untranslated-word",
    category=Category.UNTRANSLATED,
    severity=Severity.WARNING,
    summary="A word or phrase of another language left in the text by machine translation.",
    why="Machine translation copies words it cannot translate (rare words, compounds, words it mis-segments) "
    "from the source; they read as foreign to the target reader. Only the source tells the right translation, "
    "so there is no automatic fix.",
    examples=(
        Example(bad="They hiked to the highest Gipfel of the range.\n", good="They hiked to the highest peak of the range.\n"),
        Example(bad="They will meet again next semana.\n", good="They will meet again next week.\n"),
        Example(bad="The government said the guerra would end soon.\n", good="The government said the war would end soon.\n"),
    ),
    fix=None,
    source_languages=(),
    target_languages=running("untranslated"),
)

FRENCH_TRANSLITERATION = RuleInfo(
    code="UNT002",
    name="french-transliterated-name",
    category=Category.UNTRANSLATED,
    severity=Severity.INFO,
    summary="A name spelled the French way (Sokhné, Kobanî, Al-Alianiyé): English transliterates without accents.",
    why="French transliterations of Arabic, Kurdish or Persian names mark vowels with é, î or ô; English "
    "sources write Sukhnah, Kobani. The English form is not always known, so there is no automatic fix.",
    examples=(Example(bad="The jihadists left Al-Alianiyé for Sokhné.\n", good="The jihadists left Al-Aliyaniyah for Sukhnah.\n"),),
    fix=None,
    source_languages=("fr",),
    target_languages=("en",),
)

# candidate source languages for a Latin-script target: the word table's Latin-script languages but the target
_LATIN_SOURCES = tuple(lang for lang in LANGUAGES if profile(lang).script == "Latin")
# languages whose lists hold common nouns written with a capital mid-sentence (German nouns) rather than names
_NOUN_CAPITALISING = frozenset(lang for lang in LANGUAGES if profile(lang).capitalises_nouns)
# ... and at a sentence's start
_CAPITAL_NOUN_LANGUAGES = frozenset(lang for lang in LANGUAGES if profile(lang).initial_nouns)

_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# letters English writes only in loanwords; a word with one and no frequency is foreign
_NON_ENGLISH_LETTERS = re.compile(r"[àâäãåæçèéêëìíîïñòóôõöøœùúûüýÿßąćęłńśźżčďěňřšťůžăşţőű]")
_FRENCH_NAME_MARKS = re.compile(r"[éèêîïôûë]")
_ELISIONS = frozenset(
    "l d qu s n c j m t lorsqu puisqu jusqu dell all nell dall sull dev un quest quell"
    .split()
)
_PREFIXES = ("pro", "anti", "contre", "ultra", "néo", "pré", "post", "ex", "extra", "super")
_OPENERS = frozenset(" \t\"'“”‘’«»([-–—*•#>")
_ENDERS = frozenset(".!?…:;\n\r")

# thresholds (Zipf): measured with bench/eval.py on demetr_codemix_dev / demetr_clean_dev / clean MQM
MIN_SOURCE = 2.5  # the word must be reasonably common in the source language
MIN_MARGIN = 2.5  # ... and this much commoner there than in the target
MAX_TARGET = 4.5
COMMON_IN_TARGET = 3.5  # above this target Zipf, each step adds to the margin a source word needs  # a word this common in the target is a target word ("pour", "will")
FUNCTION_SOURCE = 7.0  # a top function word of the source (la, et, que, el) ...
FUNCTION_MARGIN = 2.5  # ... with this margin may be reported even when the target also lists it
MAX_TARGET_FUNCTION = 5.1
CAPITAL_SOURCE = 3.3  # capitalised mid-sentence: a common noun of a capitalising language, unknown to the target
CAPITAL_MAX_TARGET = 1.0
CAPITAL_MARGIN = 2.5  # ... or known to the target only as noise (Kritik, Wasser: names, quotes)
JOIN_MARGIN = 1.0
PARTICLE_SOURCE = 5.5  # a short word this common next to a capitalised word is a name particle (des, del, la)
INITIAL_SOURCE = 4.5  # a sentence's first word: names reach Zipf 4 in their own language's list  # a function word joins a reported neighbour when this much commoner in its language


def _row_value(row: bytes | None, lang: str) -> float:
    if row is None:
        return 0.0
    index = INDEX.get(lang)
    return row[index] / 10 if index is not None else 0.0


class UntranslatedWordDetector(Detector):
    rules = (UNTRANSLATED_WORD, FRENCH_TRANSLITERATION)
    check = "untranslated"

    def __init__(self) -> None:
        super().__init__()
        #: per context: the words settled so far in this process, the suspects among them, the allowed words
        #: case-folded and the words the packs replace
        self._settled: dict[tuple, tuple[set[str], set[str], set[str], frozenset[str]]] = {}
        self._plans: dict[tuple, _Plan | None] = {}  # (word, target, sources) -> _plan()

    def expect_many(self) -> None:
        MANY_DOCUMENTS[0] = True

    def detect(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        text = doc.text
        target = ctx.language
        if target not in INDEX:
            return
        sources = self._sources(ctx)
        if not sources:
            return
        unique = doc.analysis.distinct_words  # words of other scripts have no row: settled as plain below
        if not unique:
            return
        if not doc.analysis.folds_simply:
            # (rare: ß, İ) the sentences found from this detector's rows are LNG001's too, as they always were
            self._segments(doc, ctx.target, unique)
        suspects = unique & self._suspects(unique, ctx, target, sources)
        if not suspects:
            return  # (no word any context could make foreign)
        rows = _Rows(lexicon())
        # the suspects' places, in text order; all other words are plain: their verdict is None
        vocabulary = doc.analysis.vocabulary
        places = _places(text, doc.analysis.token_numbers, {vocabulary[w]: w for w in suspects})
        verdicts: dict[int, tuple[str, str, str]] = {}  # start -> (kind, language, signal) of the reported words
        segments = starts = None
        for start, word in places:
            verdict = self._judge(text, start, start + len(word), word, self._plan(word, rows, target, sources),
                                  target)
            if verdict is None:
                continue
            if segments is None:
                # whole foreign sentences are LNG001's: one finding, not one per word
                segments = self._segments(doc, ctx.target, unique)
                starts = [s for s, _, _, _ in segments]
            if segments:
                at = bisect.bisect_right(starts, start) - 1
                if at >= 0 and start < segments[at][1]:
                    continue
            verdicts[start] = verdict
        if verdicts and ctx.language == "en":
            from repair.detectors.loans import english_loans

            loans = english_loans()
            if loans:  # raison d'être, tête-à-tête, coup d'état: English, though borrowed
                verdicts = {s: v for s, v in verdicts.items() if not _inside_loan(text, s, loans)}
        if not verdicts:
            return
        if any(v[0] == "name" for v in verdicts.values()) and "fr" not in ctx.source_languages:
            # one accented name is as likely a French or Spanish person (Charmé, José); several mark a French source
            marked = {w for w in unique if w[:1].isupper() and _FRENCH_NAME_MARKS.search(w)
                      and _is_name_shape(w) and _row_value(rows.get(_key(w)), target) < 1.0}
            if len(marked) < 2:
                verdicts = {s: v for s, v in verdicts.items() if v[0] != "name"}
        yield from self._spans(text, verdicts, rows, ctx.target)

    @staticmethod
    def _segments(doc: Document, target: Language, unique: set[str]) -> list:
        # fewer than MIN_WORDS words (stops aside): no sentence to find
        vocabulary = doc.analysis.vocabulary
        stops = {vocabulary[stop] for stop in STOPS if stop in vocabulary}
        if next(islice(filterfalse(stops.__contains__, doc.analysis.token_numbers), MIN_WORDS - 1, None),
                None) is None:
            return []
        if doc.analysis.folds_simply:
            return foreign_sentences(doc, target, lexicon())  # the table alone gives the answer
        # (as ever, only the rows of the text's words and their parts count)
        return foreign_sentences(doc, target, lexicon(), _RowsOfWords(unique, lexicon()))

    def _suspects(self, unique: set[str], ctx: Context, target: str, sources: tuple[str, ...]) -> set[str]:
        """The words some context could make foreign, among all the words seen so far in this context.

        Most words are plain target words whatever surrounds them: each is settled once per process."""
        replaced = ctx.glossary.replaced_words
        state_key = (target, sources, ctx.source_languages, ctx.allow, replaced)
        state = self._settled.get(state_key)
        if state is None:
            if len(self._settled) > 16:
                self._settled.clear()
            state = self._settled[state_key] = (set(), set(), {w.casefold() for w in ctx.allow}, replaced)
        settled, suspects, allow, packed = state
        new = unique - settled
        if new:
            if len(settled) > 1_000_000:
                settled.clear()
                suspects.clear()
            table = lexicon()
            keyed = [(word, _key(word)) for word in new]
            rows = table.load(_with_parts({key for _, key in keyed}))
            # (a French-transliterated name stays UNT002's even when a pack respells it: a different problem)
            for w in _not_plainly_target(keyed, rows, target, sources):
                if self._plan(w, rows, target, sources) is None:
                    continue  # (no context can make it foreign)
                folded = w.casefold()
                if not (folded in allow or folded in packed and not (w[:1].isupper() and _FRENCH_NAME_MARKS.search(w))):
                    suspects.add(w)
            settled |= new
        return suspects

    @staticmethod
    def _sources(ctx: Context) -> tuple[str, ...]:
        return _sources_of(ctx.source_languages, ctx.language)

    def _plan(self, word, rows, target, sources):
        """What the word's own facts (its rows, its shape) leave open, whatever its place: the verdicts that its
        context can still give or withhold (_Plan), None when no context can make it foreign. Kept per process:
        the same words recur in document after document."""
        plan = self._plans.get((word, target, sources), _UNKNOWN)
        if plan is _UNKNOWN:
            if len(self._plans) > 100_000:
                self._plans.clear()
            plan = self._plans[(word, target, sources)] = _plan(word, rows, target, sources)
        return plan

    def _judge(self, text, start, end, word, plan, target):
        """The verdict on the word at `start` (its plan from _plan, not None): (kind, language, signal) or None."""
        if start and text[start - 1] in "./@_\\" or text.startswith(".", end) and text[end + 1:end + 2].isalnum():
            return None  # parts of addresses and file names: xinhuanet.com, gov.au
        if plan.capital:
            if plan.elided:
                return plan.elided
            initial = _starts_sentence(text, start)
            if not initial and plan.name:
                return ("name", "fr", "name")
            # capitals are names, unless a capitalising language knows the word as a common word (German nouns)
            noun = plan.initial_noun if initial else plan.noun
            if noun and not _name_follows(text, end):  # nouns, not 'El Pais' or 'Nie
                return noun
            if not initial:
                return None
            # a sentence's first word: only words far commoner than any name (Pokud, Actualmente, Bisher)
            if plan.initial and not _name_follows(text, end):
                return plan.initial
            return None
        if plan.frequent:
            if plan.particle and (_name_follows(text, end) or _name_precedes(text, start)
                                  or text.startswith(" al.", end)):
                return None  # name particles (Rue des Francs, Lana del Rey) and "et al."
            if plan.typo_source is not None and _typo_of_target_word(plan.key, plan.typo_source, target):
                return None  # 'trafic', 'persan', 'wrok': a slip of the keyboard in a target word, not a foreign one
            return plan.frequent
        return plan.otherwise

    @staticmethod
    def _parts(key, rows, target, sources, native, elisions_only=False):
        for part in _split_word(key, elisions_only):
            prow = rows.get(part)
            plang, psrc = _best(prow, sources)
            ptgt = _row_value(prow, target)
            if prow is not None and psrc >= MIN_SOURCE and psrc - ptgt >= MIN_MARGIN:
                return ("word", plang, "parts")
            if prow is None and len(part) >= 4 and _foreign_letters(part, native):
                return ("word", "", "parts")
        return None

    def _spans(self, text, verdicts, rows, target: Language):
        done = -1  # the end of the last phrase: its words are reported with it
        for start in sorted(verdicts):
            if start < done:
                continue
            kind, lang, signal = verdicts[start]
            match = _TOKEN.match(text, start)
            if kind == "name":
                word = match.group(0)
                yield self.finding(
                    "UNT002", match.start(), match.end(),
                    f"{quote(word)} is a French transliteration; English writes names without accents",
                )
                continue
            first = last = match
            # join following flagged words and function words of the same language ("dos siguientes")
            while True:
                nxt = _next_adjacent(text, last.end())
                if nxt is None:
                    break
                verdict = verdicts.get(nxt.start())
                if verdict is not None and verdict[0] == "word":
                    last = nxt
                    continue
                if _joins(nxt.group(0), lang, rows, target.code):
                    # a function word joins only when a reported word follows it, or it ends a phrase
                    last = nxt
                    continue
                break
            while True:
                before = _previous_adjacent(text, first.start())
                if before is None or before.start() in verdicts or not _joins(before.group(0), lang, rows, target.code):
                    break
                first = before
            start, end = first.start(), last.end()
            done = end
            phrase = text[start:end]
            where = f" ({name_of(lang)})" if lang else ""
            kind_word = "Phrase" if first.start() != last.start() else "Word"
            yield self.finding(
                "UNT001", start, end,
                f"{kind_word} {quote(phrase)} looks untranslated{where}: " + _REASONS[signal].format(
                    src=name_of(lang) if lang else "another language", tgt=target.name),
            )


_LETTER = re.compile(r"[^\W\d_]")  # what _TOKEN's words are made of, with apostrophes between letters
_APOSTROPHES = "'’"


class _Rows:
    """A document's view of the lexicon: .get(key) of any key, looked up when not yet in memory."""

    __slots__ = ("_lexicon", "_memo")

    def __init__(self, lexicon_):
        self._lexicon = lexicon_
        self._memo = lexicon_._memo

    def get(self, key):
        memo = self._memo
        if key in memo:
            return memo[key]
        return self._lexicon.load((key,)).get(key)


class _RowsOfWords:
    """.get(key): the row of a key of `words` (their lookup keys: folded, and their parts), None for another."""

    __slots__ = ("_words", "_lexicon", "_keys")

    def __init__(self, words: set[str], lexicon_):
        self._words, self._lexicon, self._keys = words, lexicon_, None

    def get(self, key):
        if self._keys is None:
            self._keys = _with_parts({_key(word) for word in self._words})
        if key not in self._keys:
            return None
        return self._lexicon.load((key,)).get(key)


_UNKNOWN = object()


class _Plan(NamedTuple):
    """What UNT001/UNT002 can say of a word wherever it stands (_judge reads its place for the rest)."""

    capital: bool
    key: str = ""
    # a capitalised word: the verdict of its elided stem (l'Humidité: whatever its place); a French name (not at
    # a sentence's start); a common noun of a capitalising language (inside a sentence, at its start); a word far
    # commoner than any name (at a sentence's start) -- each but the first unless a capitalised word follows
    elided: tuple | None = None
    name: bool = False
    noun: tuple | None = None
    initial_noun: tuple | None = None
    initial: tuple | None = None
    # a lowercase word: the verdict of its frequencies, unless it is a name particle next to a name or a typo of a
    # target word (the source's Zipf for the typo test, None when the word is no candidate); else this verdict
    frequent: tuple | None = None
    particle: bool = False
    typo_source: float | None = None
    otherwise: tuple | None = None


def _plan(word: str, rows, target: str, sources: tuple[str, ...]) -> _Plan | None:
    """The word's _Plan: the checks of the word alone, in the order UNT001 has always made them; None when every
    outcome is None."""
    if len(word) < 2 and word != "y":
        return None
    if _has_inner_capital(word):
        return None  # acronyms and CamelCase names: ACR rules and names
    key = _key(word)
    row = rows.get(key)
    tgt = _row_value(row, target)
    lang, src = _best(row, sources)
    native = profile(target).letters
    if word[:1].isupper():
        elided = None
        if "'" in key:
            elided = UntranslatedWordDetector._parts(key, rows, target, sources, native, elisions_only=True)
        name = bool(_FRENCH_NAME_MARKS.search(word)) and tgt < 1.0 and "fr" in sources and _is_name_shape(word)
        nouns = []
        # capitals are names, unless a capitalising language knows the word as a common word (German nouns);
        # mid-sentence, only German writes common nouns with a capital; elsewhere they are names (Donnes)
        for capitalising in (_CAPITAL_NOUN_LANGUAGES, _NOUN_CAPITALISING):  # at a sentence's start, inside one
            caps = [(l, _row_value(row, l)) for l in sources if l in capitalising]
            cap_lang, cap_src = max(caps, key=lambda p: p[1], default=("", 0.0))
            nouns.append(("word", cap_lang, "noun") if cap_src >= CAPITAL_SOURCE and (
                tgt <= CAPITAL_MAX_TARGET or cap_src - tgt >= _margin(tgt) - MIN_MARGIN + CAPITAL_MARGIN)
                and len(word) >= 4 else None)
        initial = ("word", lang, "frequency") if src >= INITIAL_SOURCE and src - tgt >= _margin(tgt) \
            and tgt <= MAX_TARGET else None
        if not (elided or name or nouns[0] or nouns[1] or initial):
            return None
        return _Plan(True, key, elided=elided or None, name=name, noun=nouns[1], initial_noun=nouns[0],
                     initial=initial)
    if row is not None and (
        src >= MIN_SOURCE and src - tgt >= _margin(tgt) and tgt <= MAX_TARGET
        or src >= FUNCTION_SOURCE and src - tgt >= FUNCTION_MARGIN and tgt <= MAX_TARGET_FUNCTION
    ):
        return _Plan(False, key, frequent=("word", lang, "frequency" if src - tgt >= _margin(tgt)
                                           and tgt <= MAX_TARGET else "function"),
                     particle=src >= PARTICLE_SOURCE and len(word) <= 3,
                     typo_source=src if len(key) >= 4 and key.isascii() else None)
    # elisions and prefixes: l'humidité, dell'autore, pouvaisn't, prorégime
    otherwise = UntranslatedWordDetector._parts(key, rows, target, sources, native)
    if not otherwise and tgt < 1.0 and src < MIN_SOURCE and len(key) >= 4 and _foreign_letters(word.lower(), native):
        otherwise = ("word", lang if src else "", "letters")
    return _Plan(False, key, otherwise=otherwise) if otherwise else None


def _places(text: str, numbers: Iterable[int], suspects: dict[int, str]) -> list[tuple[int, str]]:
    """(start, word) of every suspect word, in text order, from the document's token numbers (of the words _TOKEN
    yields, in order; `suspects`: the suspect words by number): each is the next whole-word occurrence of that
    word after the previous one's end, so the text is searched once from start to end, never once per word."""
    places = []
    cursor = 0
    length = len(text)
    find = text.find
    letter = _LETTER.match
    for number in _suspect_numbers(numbers, suspects):
        word = suspects[number]
        index = find(word, cursor)
        end = index + len(word)
        # an occurrence inside a longer word (or joined to one by an apostrophe) is not this token: search on
        while index >= 0 and (
            index and (letter(text, index - 1) or text[index - 1] in _APOSTROPHES and index >= 2
                       and letter(text, index - 2))
            or end < length and (letter(text, end) or text[end] in _APOSTROPHES and letter(text, end + 1))
        ):
            index = find(word, index + 1)
            end = index + len(word)
        if index < 0:
            break  # (cannot happen: the token stands in the text)
        places.append((index, word))
        cursor = end
    return places


#: tokens from which the suspects' places are found with numpy (LNG001 imports it for such a text anyway)
NUMPY_TOKENS = 1_000_000


def _suspect_numbers(numbers, suspects: dict[int, str]) -> Iterable[int]:
    """The token numbers of `numbers` that are keys of `suspects`, in order: for a large text (a million tokens,
    when LNG001 imports numpy anyway) one numpy look-up in place of a Python test per token."""
    if len(numbers) < NUMPY_TOKENS:
        return filter(suspects.__contains__, numbers)
    import numpy

    wanted = numpy.zeros(len(numbers), dtype=bool)  # (a token's number is less than the count of tokens)
    wanted[numpy.fromiter(suspects, dtype=numpy.int64, count=len(suspects))] = True
    tokens = numpy.frombuffer(numbers, dtype=f"u{numbers.itemsize}")
    return tokens[wanted[tokens]].tolist()


def _next_adjacent(text: str, end: int):
    """The word after the one ending at `end` when a single space separates them."""
    if text[end:end + 1] == " " and _LETTER.match(text, end + 1):
        return _TOKEN.match(text, end + 1)
    return None


def _previous_adjacent(text: str, start: int):
    """The word before the one starting at `start` when a single space separates them."""
    if start < 2 or text[start - 1] != " " or not _LETTER.match(text, start - 2):
        return None
    # after a space no word is under way: tokenising from there finds the words _TOKEN.finditer(text) finds
    begin = text.rfind(" ", 0, start - 1) + 1
    last = None
    for last in _TOKEN.finditer(text, begin, start - 1):
        pass
    return last


#: why a word was reported, per signal; bench/eval.py counts findings per signal by these openings
_REASONS = {
    "frequency": "far commoner in {src} than in {tgt}",
    "function": "a function word of {src}",
    "noun": "a common noun in {src}, unknown to {tgt}",
    "parts": "its stem (after an elision or a prefix) is not {tgt}",
    "letters": "letters {tgt} does not use, in a word no word list knows",
}
SIGNAL_OPENINGS = {signal: reason.split("{")[0] for signal, reason in _REASONS.items()}

@lru_cache(maxsize=64)
def _sources_of(source_languages: tuple[str, ...], language: str) -> tuple[str, ...]:
    """The candidate source languages: the given ones of the Latin script, else all the table's, but the target."""
    if source_languages:
        return tuple(lang for lang in source_languages if lang in _LATIN_SOURCES and lang != language)
    return tuple(lang for lang in _LATIN_SOURCES if lang != language)


def _best(row: bytes | None, sources: tuple[str, ...]) -> tuple[str, float]:
    """The source language the row makes the word commonest in (the first of them, in `sources`' order) and its
    Zipf; ("", 0.0) when no source knows the word."""
    if row is None:
        return "", 0.0
    values = _source_bytes(sources)(row)
    best = max(values)
    if not best:
        return "", 0.0
    return sources[values.index(best)], best / 10


def _margin(target_zipf: float) -> float:
    """The lead a source word needs, larger for words the target uses often itself ('pour', 'die')."""
    return MIN_MARGIN + max(0.0, target_zipf - COMMON_IN_TARGET)


def _not_plainly_target(keyed: list[tuple[str, str]], rows: dict, target: str,
                        sources: tuple[str, ...]) -> list[str]:
    """The words, of (word, _key(word)) pairs, that some rule could report in some context; the others are plainly
    target words: a cheap test that settles most words (`rows`: the rows of their keys)."""
    t = INDEX[target]
    source_bytes = _source_bytes(sources)
    get = rows.get
    search = _NON_ENGLISH_LETTERS.search
    least = min(MIN_MARGIN, FUNCTION_MARGIN)
    open_words = []
    for word, key in keyed:
        if len(word) < 2 and word != "y" or not word.islower() and _has_inner_capital(word):
            continue
        if "'" in key or not key.isascii() and search(key):
            open_words.append(word)
            continue
        row = get(key)
        if row is None:
            continue  # unknown everywhere and plain letters: a name or a typo, not this detector's
        if row[t] > MAX_TARGET_FUNCTION_BYTE:
            continue
        tgt = row[t] / 10
        src = max(source_bytes(row)) / 10
        if src - tgt < least and not (word[:1].isupper() and tgt <= CAPITAL_MAX_TARGET):
            if key.startswith(_PREFIXES):
                open_words.append(word)
            continue
        open_words.append(word)
    return open_words


#: a target byte above this (Zipf x10) is a target word: tgt > MAX_TARGET_FUNCTION (51 / 10 == 5.1 exactly)
MAX_TARGET_FUNCTION_BYTE = round(MAX_TARGET_FUNCTION * 10)
assert MAX_TARGET_FUNCTION_BYTE / 10 == MAX_TARGET_FUNCTION


@lru_cache(maxsize=64)
def _source_bytes(sources: tuple[str, ...]):
    """row -> the sequence of the sources' bytes in it (a C-level getter: for max())."""
    indices = [INDEX[lang] for lang in sources]
    if len(indices) == 1:
        only = indices[0]
        return lambda row: (row[only],)
    return itemgetter(*indices)


TYPO_TARGET = 4.0  # a target word one edit away this common ...
TYPO_MARGIN = 0.7  # ... and this much commoner than the word is in its source language


def _typo_of_target_word(key: str, source_zipf: float, target: str) -> bool:
    """A target word one edit away (a letter dropped, added, changed or two swapped) that is common, and at
    least as common in the target as this word is in its source: the word is that word mistyped."""
    table = lexicon()
    known = table.memo("commonest-neighbour-" + target)  # the same suspects recur in document after document
    best = known.get(key)
    if best is None:
        if len(known) > 100_000:
            known.clear()
        best = known[key] = _commonest_neighbour(table, key, target)
    return best >= TYPO_TARGET and best >= source_zipf + TYPO_MARGIN


def _commonest_neighbour(table, key: str, target: str) -> float:
    """The target Zipf of the commonest word one edit away from `key` (~50 x its length candidates), when it is
    TYPO_TARGET or more (below, 0 or the Zipf: the typo test fails either way)."""
    common = table.at_least(target, round(TYPO_TARGET * 10))  # the few thousand words that can decide
    if common is not None:
        by_deletion = _deletion_index(table, target, common)
        if by_deletion is not None:
            return _commonest_indexed(key, common, by_deletion) / 10
        return max(map(common.get, _one_edit(key), repeat(0)), default=0) / 10
    rows = table.peek(set(_one_edit(key)))
    index = INDEX[target]
    return max((row[index] for row in rows.values() if row is not None), default=0) / 10


_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_LETTER_SET = frozenset(_LETTERS)
#: typo tests of a process (distinct words) after which the common words are indexed by deletion: the index
#: costs ~20 ms, about 100 words' candidates
INDEX_AFTER = 100
#: whether this process checks many documents (UntranslatedWordDetector.expect_many): only then is the index built.
#: It holds ~4.8 MB and saves ~80 us per word tested (~0.08 s of a 5,000-file run or of an 8 MB file, ~1,000 words
#: each): a run of many documents spends the memory; a run of one large file keeps its peak low (issue 12's memory
#: target: 3 times the file + 150 MB)
MANY_DOCUMENTS = [False]


def _deletion_index(table, target: str, common: dict[str, int]) -> dict[str, str | tuple[str, ...]] | None:
    """The common words by each of their one-letter deletions, once INDEX_AFTER words were tested (None before)."""
    store = table.memo("deletion-index")
    entry = store.get(target)
    if entry is None or entry[1] is not common:
        entry = store[target] = [0, common, None]
    if entry[2] is None:
        entry[0] += 1
        if entry[0] > INDEX_AFTER and MANY_DOCUMENTS[0]:
            entry[2] = _by_deletion(common)
    return entry[2]


def _by_deletion(words) -> dict[str, str | tuple[str, ...]]:
    """Each word with one letter deleted -> the word that gives it, or the words (a tuple) when several do (a
    string a word: ~5 MB for the ~7,800 common English words, where lists of (word, place) took 12)."""
    index: dict[str, str | tuple[str, ...]] = {}
    for word in words:
        for j in range(len(word)):
            deleted = word[:j] + word[j + 1:]
            known = index.get(deleted)
            if known is None:
                index[deleted] = word
            elif isinstance(known, str):
                if known != word:  # (a run of one letter in a word gives one deletion several times)
                    index[deleted] = (known, word)
            elif word not in known:
                index[deleted] = known + (word,)
    return index


def _commonest_indexed(key: str, common: dict[str, int], by_deletion: dict[str, str | tuple[str, ...]]) -> int:
    """max(common.get(w, 0) for w in _one_edit(key)), default 0, without making the ~54 x len(key) candidates: a
    word one letter shorter is a deletion of the key; one as long is a word with the key's deletion at some place
    that differs from the key only there, by an a-z letter, or the key with two letters swapped; one letter
    longer is a word whose deletion is the key, the letter it adds (its first letter unlike the key's) a-z."""
    get = common.get
    best = 0
    size = len(key)
    for i in range(size):
        head, tail = key[:i], key[i + 1:]
        shorter = head + tail
        byte = get(shorter, 0)  # a letter dropped
        if byte > best:
            best = byte
        found = by_deletion.get(shorter)
        for word in (found,) if isinstance(found, str) else found or ():
            # a letter changed: a word as long as the key, the same but at i
            if len(word) == size and word[i] != key[i] and word[i] in _LETTER_SET and word.startswith(head) \
                    and word.endswith(tail) and common[word] > best:
                best = common[word]
        if i + 1 < size and key[i] != key[i + 1]:
            byte = get(head + key[i + 1] + key[i] + key[i + 2:], 0)  # two letters swapped
            if byte > best:
                best = byte
    found = by_deletion.get(key)
    for word in (found,) if isinstance(found, str) else found or ():  # a letter added
        if len(word) != size + 1:
            continue
        at = next((j for j in range(size) if word[j] != key[j]), size)
        if word[at] in _LETTER_SET and common[word] > best:
            best = common[word]
    return best


def _one_edit(key: str) -> list[str]:
    """The words one edit from `key` (some more than once, never the key): a letter dropped, two next to each
    other swapped, a letter a-z put in place of one or added."""
    splits = [(key[:i], key[i:]) for i in range(len(key) + 1)]
    words = [a + b[1:] for a, b in splits if b]
    words += [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1 and b[0] != b[1]]
    words += [a + c + b[1:] for a, b in splits if b for c in _LETTERS if c != b[0]]
    words += [a + c + b for a, b in splits for c in _LETTERS]
    return words


def _inside_loan(text: str, start: int, loans: frozenset[str]) -> bool:
    """The word at `start` belongs to a loan phrase of English (1 to MAX_WORDS words joined by spaces or
    hyphens, accents and case aside)."""
    from repair.detectors.loans import MAX_WORDS

    begin, end = max(0, start - 80), min(len(text), start + 80)
    word = _TOKEN.match(text, start, end)  # the window's word at `start`, when the window has one there
    if word is not None and _in_no_loan(word.group(0), loans):
        return False  # (the quick answer for nearly every word)
    tokens = [m for m in _TOKEN.finditer(text, begin, end)]
    at = next((i for i, m in enumerate(tokens) if m.start() == start), None)
    if at is None:
        return False
    low, high = max(0, at - MAX_WORDS + 1), min(len(tokens), at + MAX_WORDS)
    # a phrase of tokens joined by single spaces or hyphens normalises to their normalised forms joined by spaces
    # (normalise maps character by character, and a space or a hyphen becomes a space), when none of them
    # normalises to nothing
    forms = [_normal_word(tokens[k].group(0)) for k in range(low, high)]
    if not all(forms):
        return _inside_loan_spans(text, tokens, at, loans)
    joined = [text[tokens[k].end():tokens[k + 1].start()] in (" ", "-") for k in range(low, high - 1)]
    for first in range(low, at + 1):
        for last in range(at, min(len(tokens), first + MAX_WORDS)):
            if not all(joined[first - low:last - low]):
                break
            if " ".join(forms[first - low:last - low + 1]) in loans:
                return True
    return False


def _inside_loan_spans(text: str, tokens: list, at: int, loans: frozenset[str]) -> bool:
    """_inside_loan from each phrase's text normalised (the plain definition)."""
    from repair.detectors.loans import MAX_WORDS, normalise

    for first in range(max(0, at - MAX_WORDS + 1), at + 1):
        for last in range(at, min(len(tokens), first + MAX_WORDS)):
            if any(text[tokens[k].end():tokens[k + 1].start()] not in (" ", "-") for k in range(first, last)):
                break
            if normalise(text[tokens[first].start():tokens[last].end()]) in loans:
                return True
    return False


@lru_cache(maxsize=65536)
def _normal_word(word: str) -> str:
    from repair.detectors.loans import normalise

    return normalise(word)


@lru_cache(maxsize=65536)
def _in_no_loan(word: str, loans: frozenset[str]) -> bool:
    """The word, normalised, is one word that no loan phrase holds (a phrase's normalised form is its words'
    normalised forms joined by spaces): it is in none of them."""
    from repair.detectors.loans import normalise, words_of

    alone = normalise(word)
    return bool(alone) and " " not in alone and alone not in words_of(loans)


def _has_inner_capital(word: str) -> bool:
    """A capital after the first letter: acronyms, CamelCase (a lowercase rest has none: the quick answer)."""
    rest = word[1:]
    return not rest.islower() and any(c.isupper() for c in rest)


def _starts_sentence(text: str, start: int) -> bool:
    """True when only spaces, quotes or bullets separate the word from a sentence end or the start of the text."""
    index = start - 1
    while index >= 0 and text[index] in _OPENERS:
        index -= 1
    return index < 0 or text[index] in _ENDERS


def _is_name_shape(word: str) -> bool:
    """Sokhné, Kobanî, Al-Alianiyé: a capitalised word whose accent is a transliteration mark."""
    return bool(re.search(r"(?:é|î|ï|û|ô)(?:s|\b)|î|ï|û", word))


def _key(word: str) -> str:
    """The form wordfreq's lists use: case-folded (ß -> ss), typographic apostrophe made straight."""
    return word.casefold().replace("’", "'")


def _foreign_letters(word: str, native: str) -> bool:
    return any(c not in native for c in _NON_ENGLISH_LETTERS.findall(word))


def _name_follows(text: str, end: int) -> bool:
    """The next word starts with a capital: 'El Pais', 'des Francs'."""
    return end + 1 < len(text) and text[end] == " " and text[end + 1].isupper()


def _name_precedes(text: str, start: int) -> bool:
    return start >= 2 and text[start - 1] == " " and text[start - 2].isalpha() and _word_before(text, start)[:1].isupper()


def _word_before(text: str, start: int) -> str:
    index = start - 1
    while index > 0 and text[index - 1].isalpha():
        index -= 1
    return text[index:start - 1] if text[start - 1] == " " else ""


def _split_word(lower: str, elisions_only: bool = False) -> list[str]:
    parts: list[str] = []
    if "'" in lower:
        head, _, tail = lower.partition("'")
        if head in _ELISIONS and tail:
            parts.append(tail)
        elif tail in ("t",) and head.endswith("n"):
            parts.append(head[:-1])  # pouvaisn't
    if elisions_only:
        return parts
    for prefix in _PREFIXES if lower.startswith(_PREFIXES) else ():
        if lower.startswith(prefix) and len(lower) - len(prefix) >= 4 and _NON_ENGLISH_LETTERS.search(lower[len(prefix):]):
            parts.append(lower[len(prefix):].lstrip("-"))
            break
    return parts


def _with_parts(keys: set[str]) -> set[str]:
    """The keys (the lookup keys of words, _key) with their parts (_split_word: only a key with an apostrophe or a
    prefix has any), in one set: every key the rules may look up for those words (the set is updated)."""
    parts = [part for key in keys if "'" in key or key.startswith(_PREFIXES) for part in _split_word(key)]
    keys.update(parts)
    return keys


def _joins(word: str, lang: str, rows, target: str) -> bool:
    """A short function word of the phrase's language: la, le, el, der, dos, se, un, en."""
    if not lang or not word.islower() or len(word) > 4:
        return False
    row = rows.get(_key(word))
    src = _row_value(row, lang)
    return src >= 5.5 and src - _row_value(row, target) >= JOIN_MARGIN
