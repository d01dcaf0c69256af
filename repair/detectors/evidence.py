"""Evidence, in a document itself, that it was translated from a given source language.

A source-language rule pack (fr-en-news: French acronyms, pronouns for organisations, "there is one month") is
about the damage that translation from that language leaves; on English that was never French its rules are
false alarms ("The coalition picked her to lead the talks", "there are three days to go"). With
`--source-language auto` (the default) such a pack runs on a document only when the document shows that
source: two or more distinct signs of it, among

- the pack's own sure terms (rules of severity error: source acronyms such as OSDH, untranslated words such as
  prorégime), matched as the pack writes them (case included: a lowercase French word, not a capitalised name);
- words of the source language that the target hardly knows (wordfreq: Zipf >= 3 in the source, <= 1.5 in the
  target), written in lowercase inside a sentence, four letters or more.

Computed once per document and pack (memoised on the document's analysis).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from repair.model import Category, Severity
from repair.rulesets import RulePack, SubstitutionSpec

if TYPE_CHECKING:
    from repair.document import Document

#: signs needed before a source pack runs in auto mode
MIN_SIGNS = 2
SOURCE_WORD = 3.0  # Zipf in the source language
TARGET_WORD = 1.5  # at most this in the target

_LOWER_WORD = re.compile(r"(?<![\w'’-])[^\W\d_A-Z]{4,}(?![\w'’-])")


def _markers(pack: RulePack) -> re.Pattern | None:
    terms = sorted({term for spec in pack.rules if isinstance(spec, SubstitutionSpec)
                    and spec.info.severity is Severity.ERROR
                    and spec.info.category in (Category.UNTRANSLATED, Category.TERMINOLOGY)
                    for term in spec.terms}, key=len, reverse=True)
    if not terms:
        return None
    alternation = "|".join(r"\s+".join(map(re.escape, t.split())) for t in terms)
    return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])")


_MARKERS: dict[tuple[str, str], re.Pattern | None] = {}


def signs(doc: "Document", pack: RulePack, target: str) -> int:
    """How many distinct signs of the pack's source language the document shows (counted up to MIN_SIGNS)."""
    return doc.analysis.memo(("source-signs", pack.path, pack.name, target), lambda: _count(doc, pack, target))


def shows_source(doc: "Document", pack: RulePack, target: str) -> bool:
    return signs(doc, pack, target) >= MIN_SIGNS


def _count(doc: "Document", pack: RulePack, target: str) -> int:
    key = (pack.path, pack.name)
    if key not in _MARKERS:
        _MARKERS[key] = _markers(pack)
    found: set[str] = set()
    regex = _MARKERS[key]
    text = doc.text
    if regex is not None:
        for match in regex.finditer(text):
            found.add(" ".join(match.group(0).split()))
            if len(found) >= MIN_SIGNS:
                return len(found)
    source = pack.source_language
    from repair.wordlists import INDEX, lexicon

    if source not in INDEX or target not in INDEX:
        return len(found)
    words = {m.group(0) for m in _LOWER_WORD.finditer(text)}
    words = {w for w in words if w == w.lower()}
    if not words:
        return len(found)
    rows = lexicon().rows({w.replace("’", "'") for w in words})
    s, t = INDEX[source], INDEX[target]
    for word, row in rows.items():
        if row is not None and row[s] / 10 >= SOURCE_WORD and row[t] / 10 <= TARGET_WORD:
            found.add(word)
            if len(found) >= MIN_SIGNS:
                break
    return len(found)
