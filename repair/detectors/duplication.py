"""Lines that repeat: a headline printed twice, captions repeated with and without a site suffix."""

from __future__ import annotations

import re
from typing import Iterable

from repair.quoting import quote
from repair.detectors.base import Context, Detector
from repair.document import Document, line_removal
from repair.model import Applicability, Category, Example, Finding, Fix, RuleInfo, Severity

DUPLICATE_LINE = RuleInfo(
    code="DUP001",
    name="duplicated-line",
    category=Category.DUPLICATION,
    severity=Severity.ERROR,
    summary="A line repeated within a few lines of itself (a headline or caption scraped twice).",
    why="Page templates print a headline in the title and the body, and a caption in the image's alt text and "
    "below it; a scraper that keeps both repeats the line.",
    examples=(
        Example(
            bad="The Syrian regime retook the city of Palmyra\n\nThe Syrian regime retook the city of Palmyra\n\nText.\n",
            good="The Syrian regime retook the city of Palmyra\n\nText.\n",
        ),
        Example(
            bad="Syrian army and militias fight for Palmyra - Sputnik International\n"
            "Syrian army and militias fight for Palmyra\n",
            good="Syrian army and militias fight for Palmyra - Sputnik International\n",
        ),
    ),
    fix=Applicability.SAFE,
)
REPEATED_LINE = RuleInfo(
    code="DUP002",
    name="repeated-line",
    category=Category.DUPLICATION,
    severity=Severity.WARNING,
    summary="A long line that already appeared further up in the document (in a marked-up file: written alike, markup included).",
    why="A caption or paragraph printed again far from its first copy is usually a scraping artefact, but it "
    "can be deliberate, so the fix is unsafe.",
    examples=(
        Example(
            bad="Syrian army and militias fight for Palmyra\nOne.\nTwo.\nThree.\nFour.\n"
            "Syrian army and militias fight for Palmyra\n",
            good="Syrian army and militias fight for Palmyra\nOne.\nTwo.\nThree.\nFour.\n",
        ),
    ),
    fix=Applicability.UNSAFE,
)

NEARBY_LINES = 3
_MIN_CHARS = 25
_MIN_WORDS = 4
# a repeat far from its first copy: only a line long enough to be a headline, caption or paragraph (measured:
# every duplicated headline and caption of the seed articles has 7 words or more; the repeated lines of the
# clean human-written docs in corpus/clean are lead-ins such as "For example, the following:")
_MIN_WORDS_FAR = 7
# " - Sputnik International", " | Reuters": a short run of capitalised words after a dash or bar at the end
SITE_SUFFIX = re.compile(r"\s+[-–—|]\s+(?:[A-Z][\w.&']*)(?:\s+[A-Z][\w.&']*){0,3}\s*$")


#: what every SITE_SUFFIX match holds in a key (white space collapsed: re's \s is str.isspace, one space each)
_SUFFIX_DASHES = (" - ", " \u2013 ", " \u2014 ", " | ")


def _keys(line: str) -> tuple[str, str]:
    """A line's key (its words, white space collapsed to one space) and the key without a site suffix: both hold
    their words one space apart, and so as many words as spaces and one."""
    key = line.strip()
    if not key.isprintable() or "  " in key:  # (white space but the space is never printable)
        key = " ".join(key.split())
    # (most lines: the words stand one space apart already, and need not be split)
    if " - " not in key and " | " not in key and " \u2013 " not in key and " \u2014 " not in key:
        return key, key  # (most lines: no search of a long paragraph for a suffix it cannot end with)
    return key, SITE_SUFFIX.sub("", key)


def _repeats(bare: str, key: str, other_bare: str) -> bool:
    """The same line, or the end of a line it was glued to (a photo credit run into the caption)."""
    if bare in (key, other_bare):
        return True
    for candidate in (key, other_bare):
        if len(candidate) > len(bare) and candidate.endswith(bare) and not candidate[-len(bare) - 1].isspace():
            return True
    return False


def _holds(layout, start: int, end: int, kinds: tuple[str, ...]) -> bool:
    """Whether markup of these kinds (code, math, table) lies in start..end."""
    position = start
    while position < end:
        region = layout.overlapping(position, end)
        if region is None:
            return False
        if region.kind in kinds:
            return True
        position = max(region.end, position + 1)
    return False


def _authors_repeat(text: str, source: str, layout, start: int, end: int) -> bool:
    """In a marked-up file, a repeated line the author wrote, not a copy a scraper made: a line of wrapped prose
    that a sentence runs through (it ends open and the next line goes on in lowercase, or it goes on in lowercase
    from an open line above: 'This describes one of the major object states which'), a lead-in to an example
    ('The above results in the following output:' above a code block), a table row the parser did not take
    for one ('| Executable | Schemes |'). A scraper copies whole elements: captions, headlines, credits."""
    line = text[start:end].strip()
    written = source[start:end].strip()
    if written.startswith("|") and written.endswith("|") and written.count("|") >= 3:
        return True
    after = text.find("\n", end + 1)
    following = text[end + 1:after if after >= 0 else len(text)].strip()
    before = text.rfind("\n", 0, max(start - 1, 0))
    previous = text[before + 1:max(start - 1, 0)].strip() if start > 0 else ""
    if line[-1:] not in _CLOSING and following[:1].islower():
        return True
    if line[:1].islower() and previous and previous[-1:] not in _CLOSING:
        return True
    if line.endswith(":"):
        position = end
        while position < len(source) and source[position].isspace():
            position += 1
        region = layout.hidden(position, position + 1) if position < len(source) else None
        return region is not None and region.kind == "code"
    return False


#: what ends a sentence or a lead-in, closing quote marks and brackets included
_CLOSING = frozenset(".!?:;…\"”’)]»")


#: the characters a site suffix's dash or bar may be (SITE_SUFFIX), each a word of its own there
_SUFFIX_MARKS = frozenset("-\u2013\u2014|")
#: words at the end of a line read to tell its last three words with and without a site suffix (the suffix: a
#: dash and at most four words)
_LAST_WORDS = 8


def _lines_that_may_repeat(text: str) -> set[int]:
    """The numbers (from 0, as text.split("\\n") counts them) of the lines that may repeat another line or be
    repeated by one; the others take part in no finding.

    Every finding is a line whose key without a site suffix (`bare`, four words or more, one space apart) ends
    a key of an earlier line, with or without its suffix (equal to it, for DUP002). Then the two end in the
    same three words: the last three of the line's words (str.split's, as the keys'), or, when a site suffix
    may end the line (a dash or bar standing as a word among its last five), the three before that dash. So
    only lines ending in three words another line ends in can take part (most texts have none), and only the
    last words of each line are read (str.rsplit from the end), not the whole of a long paragraph."""
    first: dict[tuple[str, ...], int] = {}  # three last words -> the first line ending in them
    ends: list[tuple[int, list[tuple[str, ...]]]] = []
    shared: set[tuple[str, ...]] = set()
    marks = _SUFFIX_MARKS
    for number, line in enumerate(text.split("\n")):
        words = line.rsplit(None, 3)  # (the first item: what is left of a longer line)
        if len(words) < 4:
            continue  # fewer than four words: no key of it has four
        tails = [tuple(words[-3:])]
        if "-" in line or "|" in line or "\u2013" in line or "\u2014" in line:
            words = line.rsplit(None, _LAST_WORDS)
            for dash in range(2, min(6, len(words) - 2)):  # the suffix's dash or bar, then one to four words
                if words[-dash] in marks:
                    tails.append(tuple(words[-dash - 3:-dash]))
        for tail in tails:
            if first.setdefault(tail, number) != number:
                shared.add(tail)
        ends.append((number, tails))
    if not shared:
        return set()
    return {number for number, tails in ends if not shared.isdisjoint(tails)}


class DuplicationDetector(Detector):
    rules = (DUPLICATE_LINE, REPEATED_LINE)

    def detect(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        text = doc.text
        candidates = _lines_that_may_repeat(text)
        if not candidates:
            return
        recent: list[tuple[int, str, str]] = []  # (non-blank line index, key, key without site suffix)
        first_seen: dict[str, int] = {}  # key -> the offset of its first line
        first_source: dict[str, str] = {}  # in a marked-up file: the first copy's line as the file writes it
        index = 0
        layout = doc.layout
        # a repeat far from its first copy, in a marked-up file, counts only when the file writes both copies
        # alike, markup included (a caption paragraph pasted twice); a table of contents' link above its heading,
        # a page's <title> and its <h1>, are the same words in different markup: the author's, not a scraper's
        source = layout.source if layout is not None and layout.masks and layout.source else None
        for number, (start, end, line) in enumerate(doc.lines()):
            if number in candidates:
                key, bare = _keys(line)
            elif not line or line.isspace():
                key = bare = ""
            else:
                # a line that repeats none and that none repeats: it counts as a line, and compares with none
                recent.append((index, "", ""))
                del recent[:-NEARBY_LINES]
                index += 1
                continue
            if not key:
                if layout is not None and layout.overlapping(start, max(end, start + 1)) is not None:
                    # a line of code or markup (blank in the prose view) stands between: the lines around it
                    # are not "just above" each other
                    recent.append((index, "", ""))
                    index += 1
                continue
            if layout is not None and _holds(layout, start, end, ("code", "math")):
                # the prose view blanks code and math: two lines that differ only there ('version is `0`' and
                # 'version is `1`') read the same, and are not a repeat; such a line is compared with none
                recent.append((index, "", ""))
                del recent[:-NEARBY_LINES]
                index += 1
                continue
            if len(bare) >= _MIN_CHARS:
                words = bare.count(" ") + 1
                if words >= _MIN_WORDS:
                    nearby = None
                    for i, k, b in reversed(recent):  # (a repeat ends either key: most lines end neither)
                        if index - i <= NEARBY_LINES and (k.endswith(bare) or b.endswith(bare)) and \
                                _repeats(bare, k, b):
                            nearby = k
                            break
                    if nearby is not None:
                        remove = line_removal(text, start, end)
                        how = "" if nearby == key else " (the same but for a site suffix or a glued prefix)"
                        yield self.finding(
                            "DUP001", start, end, f"Line repeats the line just above{how}: {quote(bare, 60)}",
                            fix=Fix.replace(remove[0], remove[1], "", Applicability.SAFE, "Remove the repeated line"),
                        )
                    elif bare in first_seen and words >= _MIN_WORDS_FAR and (
                            source is None or first_source.get(bare) == " ".join(source[start:end].split())
                            and not _holds(layout, start, end, ("table",))  # a table's header row, repeated
                            and not _authors_repeat(text, source, layout, start, end)):
                        remove = line_removal(text, start, end)
                        yield self.finding(
                            "DUP002", start, end,
                            f"Line already appeared at line {doc.line_of(first_seen[bare])}: {quote(bare, 60)}",
                            fix=Fix.replace(remove[0], remove[1], "", Applicability.UNSAFE, "Remove the repeated line"),
                        )
                    if bare not in first_seen or key not in first_seen:
                        # (where the line was first seen: its line number only for a message that names it)
                        first_seen.setdefault(bare, start)
                        first_seen.setdefault(key, start)
                        if source is not None:
                            first_source.setdefault(bare, " ".join(source[start:end].split()))
            recent.append((index, key, bare))
            if len(recent) > NEARBY_LINES:
                recent.pop(0)
            index += 1
