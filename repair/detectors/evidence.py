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


def _has_letter_run(doc: "Document", runs: frozenset[str]) -> bool:
    """Whether one of `runs` is a maximal run of letters of the text: a word of it without an apostrophe, or a
    part of one with apostrophes between letters."""
    words = doc.analysis.distinct_words
    if not runs.isdisjoint(words):
        return True
    return not runs.isdisjoint(doc.analysis.memo("apostrophe-word-parts", lambda: frozenset(
        part for word in words if "'" in word or "’" in word for part in _APOSTROPHE.split(word))))


_MARKERS: dict[tuple[str, str], tuple[re.Pattern | None, frozenset[str], frozenset[str] | None]] = {}


def signs(doc: "Document", pack: RulePack, target: str) -> int:
    """How many distinct signs of the pack's source language the document shows (counted up to MIN_SIGNS)."""
    return doc.analysis.memo(("source-signs", pack.path, pack.name, target), lambda: _count(doc, pack, target))


def shows_source(doc: "Document", pack: RulePack, target: str) -> bool:
    """Signs enough, in this text or in the text it was fixed from: fixing a document removes its signs (OSDH
    becomes SOHR), and the next pass of the fixer must still see the pack's remaining findings."""
    key = (doc.path, pack.path, pack.name, target)
    words = doc.analysis.distinct_words
    if signs(doc, pack, target) >= MIN_SIGNS:
        _RECENT[key] = words
        while len(_RECENT) > _RECENT_SIZE:
            _RECENT.pop(next(iter(_RECENT)))
        return True
    before = _RECENT.get(key)
    if before is None or not words:
        return False
    return len(words & before) / len(words | before) >= SAME_TEXT


#: a text whose words are this much those of the last text of the same path that showed the source (Jaccard):
#: the same document, being fixed
SAME_TEXT = 0.6
_RECENT: dict[tuple, set[str]] = {}
_RECENT_SIZE = 256


def _count(doc: "Document", pack: RulePack, target: str) -> int:
    key = (pack.path, pack.name)
    if key not in _MARKERS:
        _MARKERS[key] = _markers(pack)
    found: set[str] = set()
    regex, double, firsts = _MARKERS[key]
    text = doc.text
    # a term found stands where a run of letters starts (no letter, digit, _ or - before it) and ends where the
    # run does: with no run of the text among the terms' first runs, none is found, without a search
    if regex is not None and (firsts is None or _has_letter_run(doc, firsts)):
        for match in _term_matches(regex, text):
            term = " ".join(match.group(0).split())
            found.add(term)
            if term in double:
                found.add(term + " (twice)")
            if len(found) >= MIN_SIGNS:
                return len(found)
    source = pack.source_language
    from repair.wordlists import INDEX, lexicon

    if source not in INDEX or target not in INDEX:
        return len(found)
    # the words _LOWER_WORD would find that are source words: among the document's distinct words (its tokens),
    # those the table makes source words, each confirmed standing alone somewhere in the text
    columns = (INDEX[source], INDEX[target])  # (the same for every pack of this source: found once per document)
    found_words = doc.analysis.memo(("source-words", *columns),
                                    lambda: _source_words(doc.analysis.distinct_words, lexicon(), *columns))
    for word in found_words:
        if _stands_alone(text, word):
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


def _source_words(words: set[str], table, s: int, t: int) -> set[str]:
    """The words of `words` that could be a _LOWER_WORD match (lowercase, four letters or more, no apostrophe)
    and are common in the source (column s) but hardly known to the target (column t). Each word is settled
    once per process."""
    store = table.memo(f"source-signs-{s}-{t}")
    settled: set[str] = store.setdefault("settled", set())
    signs: set[str] = store.setdefault("signs", set())
    new = words - settled
    if new:
        if len(settled) + len(new) > 500_000:
            settled.clear()
            signs.clear()
        shaped = [w for w in new if len(w) >= 4 and w == w.lower() and "'" not in w and "’" not in w]
        for word, row in table.rows(shaped).items():
            if row is not None and row[s] / 10 >= SOURCE_WORD and row[t] / 10 <= TARGET_WORD:
                signs.add(word)
        settled |= new
    return words & signs


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
