"""Web-page leftovers that need code rather than a rule pack: words glued at element boundaries."""

from __future__ import annotations

import re
from typing import Iterable

from repair.quoting import quote
from repair.detectors.base import Context, Detector
from repair.document import Document
from repair.model import Applicability, Category, Example, Finding, Fix, RuleInfo, Severity

GLUED_WORDS = RuleInfo(
    code="WEB001",
    name="glued-words",
    category=Category.BOILERPLATE,
    severity=Severity.WARNING,
    summary="Two words glued where two page elements met ('mediabankSyrian', 'HandoutA general view').",
    why="Scrapers that join text nodes without a separator glue the last word of one element to the first of "
    "the next. A known word or name written in camel case (JavaScript, LinkedIn) is left alone.",
    examples=(Example(bad="Go to the mediabankSyrian army advances\n", good="Go to the mediabank\nSyrian army advances\n"),),
    fix=Applicability.UNSAFE,
)

# a lower-case run of four or more letters directly followed by a capitalised word
_GLUE = re.compile(r"(?<![\w#@-])(\w*?[a-z]{4,})([A-Z](?:[a-z]+|\b))")  # not in a hashtag or a handle
# every _GLUE match holds four lower-case letters then a capital: text without them has no candidate (3x faster);
# found from the capital (a rare letter the regex engine skips to), the four letters behind it checked second
# (the same seams as [a-z]{4}[A-Z], three times faster: no two such seams overlap)
_SEAM = re.compile(r"[A-Z](?<=[a-z]{4}[A-Z])")
_SEAM_LETTERS = 4  # lower-case letters before a seam's capital
_WORD_CHARACTER = re.compile(r"\w")


def _glue_matches(text: str) -> list[re.Match]:
    """What _GLUE.finditer(text) finds, from the seams: a match starts where a run of word characters does (the
    look-behind) and lies inside that run, so only a run holding a seam can hold one, and only at its start.
    Each such run is tried once there (a whole-text _GLUE search tries every position: 3.5 times slower)."""
    found = []
    tried = 0  # the runs starting before this were tried
    word = _WORD_CHARACTER.match
    for seam in _SEAM.finditer(text):
        start = seam.start() - _SEAM_LETTERS
        if start < tried:
            continue
        while start and word(text, start - 1):
            start -= 1
        if start < tried:
            continue  # another seam of a run already tried
        match = _GLUE.match(text, start)
        tried = seam.end()
        if match is not None:
            found.append(match)
            tried = max(tried, match.end())
    return found


class GluedWordsDetector(Detector):
    rules = (GLUED_WORDS,)
    check = "glued-words"

    def detect(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        candidates = _glue_matches(doc.text)
        if not candidates:
            return
        from repair import wordlists

        for match in candidates:
            left, right = match.group(1), match.group(2)
            whole = left + right
            if any(c.isupper() for c in left[1:]):
                continue  # a camel-case name such as McDonaldsHQ is not a scraping seam
            if left[:1].isupper() and len(right) > 1:
                # capitalised words on both sides: a name in camel case (MacroBot, PayPal); a seam glues the last
                # word of one element to the first of the next ('mediabankSyrian', 'HandoutA general view')
                continue
            if wordlists.zipf(whole.lower(), ctx.language) > 0 or (
                len(right) > 1 and wordlists.zipf(right.lower(), ctx.language) < 2.5
            ):
                continue
            position = match.start(2)
            yield self.finding(
                "WEB001", match.start(), match.end(),
                f"{quote(left)} and {quote(right)} look glued at a page-element boundary",
                fix=Fix.replace(position, position, "\n", Applicability.UNSAFE, "Split with a line break"),
            )
