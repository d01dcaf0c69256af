"""Mojibake and other Unicode damage, found and fixed by ftfy."""

from __future__ import annotations

import re
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

# Lines of printable ASCII and typographic punctuation (‘’“”–—…) cannot hold anything ftfy would change with the
# configuration below: those marks are alone never mojibake (in Windows-1252 they are UTF-8 continuation bytes,
# which need a lead byte such as Ã or â), never controls, and stable under NFC; curly quotes are left as they are.
# So ftfy runs only on lines with some other character, and not on every line of typographically quoted text.
_SUSPECT = re.compile(r"[^\x09\x0a\x0d\x20-\x7e\u2018\u2019\u201c\u201d\u2013\u2014\u2026]")


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
        text = doc.text
        if not _SUSPECT.search(text):
            return
        import ftfy

        if self._config is None:
            self._config = _ftfy_config()
        for start, end, line in doc.lines():
            if not _SUSPECT.search(line):
                continue
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


#: changes closer than this many unchanged characters are one damage (one finding, one edit)
_JOIN = 3


def _changes(line: str, fixed: str) -> list[tuple[int, int, str]]:
    """(start, end, replacement) in `line` of each damaged stretch that ftfy changed: two mojibake words apart
    on a line are two findings (each fixed on its own, even when something between them may not be touched)."""
    from difflib import SequenceMatcher

    changes: list[list] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, line, fixed, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if changes and i1 - changes[-1][1] < _JOIN:
            last = changes[-1]
            last[2] += fixed[last[3]:j1] + fixed[j1:j2]  # the unchanged characters between, then this change
            last[1], last[3] = i2, j2
        else:
            changes.append([i1, i2, fixed[j1:j2], j2])
    return [(begin, end, good) for begin, end, good, _ in changes]


def _step_name(step) -> str:
    action, argument = step
    return f"{action} {argument}" if argument else action
