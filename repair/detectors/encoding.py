"""Mojibake and other Unicode damage, found and fixed by ftfy."""

from __future__ import annotations

import bisect
import re
import unicodedata
from functools import lru_cache
from typing import Iterable

from repair.quoting import quote
from repair.detectors.base import Context, Detector
from repair.document import Document
from repair.model import Applicability, Category, Example, Finding, RuleInfo, Severity

MOJIBAKE = RuleInfo(
    code="ENC001",
    name="mojibake",
    category=Category.ENCODING,
    severity=Severity.ERROR,
    summary="Text decoded with the wrong encoding, or other Unicode damage that ftfy can undo.",
    why="Mojibake (Ã©, â€™) appears when UTF-8 is read as Windows-1252 somewhere on the way from source to page.",
    examples=(Example(bad="The cafÃ© opened in Palmyra.\n", good="The café opened in Palmyra.\n"),),
    fix=Applicability.SAFE,
)

# Lines of printable ASCII, typographic punctuation (‘’“”–—…) and no-break spaces cannot hold anything ftfy would
# change with the configuration below: those marks are alone never mojibake (in Windows-1252 they are UTF-8
# continuation bytes, which need a lead byte such as Ã or â), never controls, and stable under NFC; curly quotes
# are left as they are. So ftfy runs only on lines with some other character, and not on every line of
# typographically quoted text (may_need_ftfy clears the rest of them: _TYPOGRAPHIC).
_SUSPECT = re.compile(r"[^\x09\x0a\x0d\x20-\x7e\u00a0\u2018\u2019\u201c\u201d\u2013\u2014\u2026]")
#: (with the no-break space: in ftfy's mojibake test it is one of the 'common' characters, as are ’, –, — and …;
#: ‘ and “ open and ” closes a quotation there, and no pattern of that test matches these alone, whatever ASCII
#: stands around them)
_TYPOGRAPHIC = frozenset("\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u00a0")
_NON_ASCII_RUN = re.compile(r"[^\x09\x0a\x0d\x20-\x7e]+")
# ftfy's mojibake test (ftfy.badness.BADNESS_RE) needs two non-ASCII characters side by side, except for a C1
# control alone, and Ã, Â, Œ, œ before certain characters: these four are never plain letters below.
_NEVER_PLAIN = frozenset("\u00c3\u00c2\u0152\u0153")


#: what ftfy rewrites wherever it stands, besides controls and format characters (ftfy.chardata: its Latin
#: ligatures, the full-width forms and the ideographic space, U+FFFC among its control characters)
_REWRITTEN = re.compile("[\u0132\u0133\u0149\u01c4-\u01cc\u01f1-\u01f3\ufb00-\ufb06\u3000\uff01-\uffef\ufffc]")


@lru_cache(maxsize=None)
def _lone_and_plain(char: str) -> bool:
    """A character that ftfy leaves alone when no other non-ASCII character touches it (a letter, a symbol such
    as ©, € or °): its mojibake test needs two non-ASCII characters side by side but for the four of _NEVER_PLAIN
    and the C1 controls, and its other fixers rewrite only controls, format characters, surrogates and what
    _REWRITTEN holds (tests/test_detectors.py checks every character of the BMP against ftfy)."""
    return (char not in _NEVER_PLAIN and unicodedata.category(char) not in ("Cc", "Cf", "Cs")
            and _REWRITTEN.match(char) is None)


def may_need_ftfy(line: str) -> bool:
    """False when ftfy, configured as below, provably leaves `line` as it is: every stretch of non-ASCII characters
    is typographic punctuation and no-break spaces alone or one plain character between ASCII characters (café,
    España, © 2024, 20 °C), and the line is in NFC. Exact, so that plain text with a foreign letter or two never
    imports ftfy (40 ms), and ftfy reads only the lines it may change.

    >>> may_need_ftfy("People en Español"), may_need_ftfy("The cafÃ© opened"), may_need_ftfy("“Quoted”")
    (False, True, False)
    """
    for run in _NON_ASCII_RUN.findall(line):
        if len(run) == 1 and _lone_and_plain(run):
            continue
        if not _TYPOGRAPHIC.issuperset(run):
            return True
    return not unicodedata.is_normalized("NFC", line)


def _ftfy_config():
    import ftfy

    # Keep what other rules or the file itself own: line endings, HTML entities (the markup rules), quotes.
    return ftfy.TextFixerConfig(fix_line_breaks=False, unescape_html=False, uncurl_quotes=False, explain=True)


class EncodingDetector(Detector):
    rules = (MOJIBAKE,)

    def __init__(self) -> None:
        super().__init__()
        self._config = None

    def detect(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        suspects = [(start, line) for start, line in _suspect_lines(doc) if may_need_ftfy(line)]
        if not suspects:
            return
        import ftfy

        if self._config is None:
            self._config = _ftfy_config()
        for start, line in suspects:
            fixed, steps = ftfy.fix_and_explain(line, config=self._config)
            if fixed == line:
                continue
            explained = ", ".join(_step_name(step) for step in steps or [])
            for begin, end, good in _changes(line, fixed):
                bad = line[begin:end]
                yield self.finding(
                    "ENC001", start + begin, start + end,
                    f"Unicode damage {quote(bad)} should read {quote(good)} (ftfy: {explained})",
                    replacement=good,
                )


def _suspect_lines(doc: Document) -> Iterable[tuple[int, str]]:
    """(start, text) of each line (as Document.lines gives it) holding a _SUSPECT character, in order: the text is
    searched for the characters, not walked line by line (an 8 MB file has 43,000 lines, 1,200 of them suspect)."""
    text = doc.text
    match = _SUSPECT.search(text)
    if match is None:
        return
    starts = doc.line_starts
    while match is not None:
        number = bisect.bisect_right(starts, match.start()) - 1
        start = starts[number]
        end = starts[number + 1] - 1 if number + 1 < len(starts) else len(text)
        stop = end - 1 if end > start and text[end - 1] == "\r" else end  # (\r and \n are never suspect)
        yield start, text[start:stop]
        match = _SUSPECT.search(text, end)


#: changes closer than this many unchanged characters are one damage (one finding, one edit)
_JOIN = 3


def _changes(line: str, fixed: str) -> list[tuple[int, int, str]]:
    """(start, end, replacement) in `line` of each damaged stretch that ftfy changed: two mojibake words apart
    on a line are two findings (each fixed on its own, even when something between them may not be touched)."""
    changes: list[list] = []
    for tag, i1, i2, j1, j2 in _matcher()(None, line, fixed, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if changes and i1 - changes[-1][1] < _JOIN:
            last = changes[-1]
            last[2] += fixed[last[3]:j1] + fixed[j1:j2]  # the unchanged characters between, then this change
            last[1], last[3] = i2, j2
        else:
            changes.append([i1, i2, fixed[j1:j2], j2])
    return [(begin, end, good) for begin, end, good, _ in changes]


def _matcher():
    """difflib's SequenceMatcher, compiled (cydifflib: the same algorithm, the same opcodes, 17 times faster on
    the damaged lines of the corpus and the benchmark: difflib was 5-8% of a check of the 8 MB file); difflib
    itself where cydifflib is missing. tests/test_detectors.py compares the two."""
    try:
        from cydifflib import SequenceMatcher
    except ImportError:  # (a platform without its wheel)
        from difflib import SequenceMatcher
    return SequenceMatcher


def _step_name(step) -> str:
    action, argument = step
    return f"{action} {argument}" if argument else action
