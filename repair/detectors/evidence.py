"""Evidence, in a document itself, that it was translated from a given source language.

A source-language rule pack (fr-en-news: French acronyms, pronouns for organisations, "there is one month") is
about the damage that translation from that language leaves; on English that was never French its rules are
false alarms ("The coalition picked her to lead the talks", "there are three days to go"). With
`--source-language auto` (the default) such a pack runs on a document only when the document shows that
source: two or more distinct signs of it, among

- the pack's own terms of its untranslated and terminology rules with a safe fix (source acronyms such as
  OSDH, place spellings such as Raqa), matched as the pack writes them (case included: a lowercase French word, not a capitalised name);
  a source word (prorégime, djihadistes) or a term with letters English does not write (Lattaquié) counts twice;
- words of the source language that the target hardly knows (wordfreq: Zipf >= 3 in the source, <= 1.5 in the
  target), written in lowercase inside a sentence, four letters or more.

Computed once per document and pack (memoised on the document's analysis).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from repair.model import Applicability, Category, Severity
from repair.rulesets import RulePack, SubstitutionSpec

if TYPE_CHECKING:
    from repair.document import Document

#: signs needed before a source pack runs in auto mode
MIN_SIGNS = 2
SOURCE_WORD = 3.0  # Zipf in the source language
TARGET_WORD = 1.5  # at most this in the target

_LOWER_WORD = re.compile(r"(?<![\w'’-])[^\W\d_A-Z]{4,}(?![\w'’-])")


def _markers(pack: RulePack) -> tuple[re.Pattern | None, frozenset[str], frozenset[str] | None]:
    """The pattern of the pack's sign terms, those of them that count twice, and the letters each term starts
    with (its leading run of letters; None when a term starts with something else)."""
    weights: dict[str, int] = {}
    for spec in pack.rules:
        if not isinstance(spec, SubstitutionSpec) or spec.info.category not in (Category.UNTRANSLATED,
                                                                                 Category.TERMINOLOGY):
            continue
        if spec.info.fix is not Applicability.SAFE:
            continue  # terms the pack itself is not sure of (IE, IU for IS; fiefs) are no sign
        for term in spec.terms:
            strong = spec.info.category is Category.UNTRANSLATED and spec.info.severity is Severity.ERROR \
                or not term.isascii()
            weights[term] = max(weights.get(term, 1), 2 if strong else 1)
    if not weights:
        return None, frozenset(), None
    alternation = "|".join(r"\s+".join(map(re.escape, t.split())) for t in sorted(weights, key=len, reverse=True))
    double = frozenset(" ".join(t.split()) for t, w in weights.items() if w == 2)
    # (?<![\w-]) before the terms is tested by hand (_term_matches): a pattern that starts with the terms lets re
    # skip to their first letters instead of trying every position of the text
    leads = [_LEADING_LETTERS.match(t) for t in weights]
    firsts = frozenset(m.group(0) for m in leads if m) if all(leads) else None
    return re.compile(rf"(?:{alternation})(?![\w-])"), double, firsts


_LEADING_LETTERS = re.compile(r"[^\W\d_]+")
_APOSTROPHE = re.compile("['’]")


def _present_runs(runs: frozenset[str], words: set[str], parts: frozenset[str]) -> frozenset[str]:
    """Those of `runs` that are a maximal run of letters of the text: a word of it without an apostrophe, or a
    part of one with apostrophes between letters (`parts`: the parts of the text's words with apostrophes)."""
    return (runs & words) | (runs & parts)


_MARKERS: dict[tuple[str, str], tuple[re.Pattern | None, frozenset[str], frozenset[str] | None]] = {}


def signs(doc: "Document", pack: RulePack, target: str) -> int:
    """How many distinct signs of the pack's source language the document shows (counted up to MIN_SIGNS)."""
    return doc.analysis.memo(("source-signs", pack.path, pack.name, target), lambda: _count(doc, pack, target))


def shows_source(doc: "Document", pack: RulePack, target: str) -> bool:
    """Signs enough, in this text or in the text it was fixed from: fixing a document removes its signs (OSDH
    becomes SOHR), and the next pass of the fixer must still see the pack's remaining findings. What a pass saw
    is kept in the document's lineage (its fix passes and prose views share it), never for another document,
    even one of the same path (records of a dataset, texts given to the API: a clean text after its damaged
    version would otherwise inherit its signs)."""
    key = ("source-shown", pack.path, pack.name, target)
    words = doc.analysis.distinct_words
    if signs(doc, pack, target) >= MIN_SIGNS:
        doc.lineage[key] = words
        return True
    before = doc.lineage.get(key)
    if before is None or not words:
        return False
    return len(words & before) / len(words | before) >= SAME_TEXT


#: a text whose words are this much those of the last text of its lineage that showed the source (Jaccard): the
#: same document, being fixed (not a passage the fix left without its signs' words)
SAME_TEXT = 0.6


def _count(doc: "Document", pack: RulePack, target: str) -> int:
    key = (pack.path, pack.name)
    if key not in _MARKERS:
        _MARKERS[key] = _markers(pack)
    found: set[str] = set()
    regex, double, firsts = _MARKERS[key]
    text = doc.text
    from repair.wordlists import INDEX, lexicon

    source = pack.source_language
    column = INDEX.get(target)
    # (the same for every pack: found once per document)
    parts, candidates = doc.analysis.memo(("evidence-words", column),
                                          lambda: _words_of(doc.analysis.distinct_words, text, lexicon(), column))
    # a term found stands where a run of letters starts (no letter, digit, _ or - before it) and ends where the
    # run does: it is found where one of the runs the terms start with stands in the text, and only there
    if regex is not None:
        if firsts is None:
            matches = _term_matches(regex, text)
        else:
            present = _present_runs(firsts, doc.analysis.distinct_words, parts)
            matches = _term_matches_at(regex, text, present) if present else ()
        for match in matches:
            term = " ".join(match.group(0).split())
            found.add(term)
            if term in double:
                found.add(term + " (twice)")
            if len(found) >= MIN_SIGNS:
                return len(found)
    if source not in INDEX or column is None:
        return len(found)
    # the words _LOWER_WORD would find that are source words: among the document's distinct words (its tokens),
    # those the table makes source words, each confirmed standing alone somewhere in the text
    s = INDEX[source]
    for word, row in candidates.items():
        if row[s] / 10 >= SOURCE_WORD and _stands_alone(text, word):
            found.add(word)
            if len(found) >= MIN_SIGNS:
                break
    return len(found)


def _term_matches(regex: re.Pattern, text: str):
    """regex's matches with (?<![\\w-]) in front, as finditer would give them (after a rejected start, the search
    goes on at the next position)."""
    search = regex.search
    position = 0
    while (match := search(text, position)) is not None:
        start = match.start()
        if start and (text[start - 1].isalnum() or text[start - 1] in "_-"):  # what (?<![\w-]) rejects
            position = start + 1
            continue
        yield match
        position = max(match.end(), start + 1)


def _term_matches_at(regex: re.Pattern, text: str, runs: frozenset[str]):
    """_term_matches(regex, text), when every match the hand-made test accepts starts with one of `runs` (the
    terms' first runs of letters that stand in the text), as a whole run of letters: the text is searched for
    those runs only, and regex tried where one stands after no letter, digit, _ or -, in text order; after a
    match, from its end on."""
    starts = set()
    for run in runs:
        starts.update(found.start() for found in _run_pattern(run).finditer(text))
    match_at = regex.match
    position = 0
    for start in sorted(starts):
        if start < position:
            continue
        match = match_at(text, start)
        if match is not None:
            yield match
            position = max(match.end(), start + 1)


def _run_pattern(run: str) -> re.Pattern:
    """Where `run` stands as a whole run of letters after no letter, digit, _ or -: where a term that starts with
    it can match, its next character being none of the letters (a space, a hyphen, a digit, the term's end)."""
    pattern = _RUN_PATTERNS.get(run)
    if pattern is None:
        escaped = re.escape(run)  # (the literal first: re finds it quickly; the character before it tested after)
        pattern = _RUN_PATTERNS[run] = re.compile(rf"{escaped}(?<![\w-]{escaped})(?![^\W\d_])")
    return pattern


_RUN_PATTERNS: dict[str, re.Pattern] = {}


def _words_of(words: set[str], text: str, table, column: int | None) -> tuple[frozenset[str], dict[str, bytes]]:
    """What the pack evidence needs of a document's distinct words: the parts of those with apostrophes (split
    at them), and the words that could be a source word of some language (a _LOWER_WORD match: lowercase, four
    letters or more, no apostrophe; common in some language, Zipf SOURCE_WORD, but hardly known to the target,
    column `column`: TARGET_WORD), with their rows. Each word is settled once per process."""
    store = table.memo("evidence-words")
    state = store.get(column)
    if state is None:
        state = store[column] = (set(), set(), {})
    settled, apostrophes, candidates = state
    new = words - settled
    if new:
        if len(settled) + len(new) > 500_000:
            settled.clear()
            apostrophes.clear()
            candidates.clear()
        shaped = []
        for word in new:
            if "'" in word or "’" in word:
                apostrophes.add(word)
            elif len(word) >= 4 and word == word.lower():
                shaped.append(word)
        if column is not None:
            for word, row in table.rows(shaped).items():
                if row is not None and row[column] / 10 <= TARGET_WORD and max(row) / 10 >= SOURCE_WORD:
                    candidates[word] = row
        settled |= new
    with_apostrophes = words & apostrophes
    parts = frozenset(part for word in with_apostrophes for part in _APOSTROPHE.split(word))
    return parts, {word: candidates[word] for word in words & candidates.keys()}


_NEXT_TO_WORD = re.compile(r"[\w'’-]")  # what may not touch a _LOWER_WORD match


def _stands_alone(text: str, word: str) -> bool:
    """`word` occurs in the text as a _LOWER_WORD match: neither side touches a word character, an apostrophe
    or a hyphen."""
    size = len(word)
    touches = _NEXT_TO_WORD.match
    index = text.find(word)
    while index >= 0:
        if not (index and touches(text, index - 1)) and not touches(text, index + size):
            return True
        index = text.find(word, index + 1)
    return False
