"""The allow list (`allow = [...]` in the configuration): words and terms no rule reports.

Honoured in one place, after every detector has run: a finding that covers an allowed word or term (its text, less
the punctuation around it, stands within one occurrence of an allowed entry, whole words, any case) is dropped,
whichever rule made it — a pack's substitution (FR003 prorégime), the untranslated-word detector, LanguageTool's
speller, an acronym check. Detectors may also read the list (`Context.allow`) to avoid work, never to decide alone.

>>> allowed = AllowList(["prorégime", "Deir Ezzor"])
>>> allowed.covers("188 members prorégime perished.", 12, 21)
True
>>> allowed.covers("near Deir Ezzor today", 10, 15)
True
>>> allowed.covers("near Deir today", 5, 9)
False
"""

from __future__ import annotations

import bisect
import re
from typing import Iterable

from repair.model import Finding

__all__ = ["AllowList"]

_EDGE = ".,;:!?\"'“”‘’«»()[]{}*_ \t\n\xa0"


class AllowList:
    """The configuration's allowed words and terms, matched as whole words in any case."""

    def __init__(self, entries: Iterable[str]):
        words = sorted({entry.strip() for entry in entries if entry.strip()}, key=len, reverse=True)
        self.entries = tuple(words)
        self._pattern = (re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE)
                         if words else None)

    def __bool__(self) -> bool:
        return self._pattern is not None

    def occurrences(self, text: str) -> list[tuple[int, int]]:
        """Where allowed entries stand in the text, in order."""
        if self._pattern is None:
            return []
        return [match.span() for match in self._pattern.finditer(text)]

    def covers(self, text: str, start: int, end: int, spans: list[tuple[int, int]] | None = None) -> bool:
        """True when text[start:end], less the punctuation around it, lies within an allowed entry."""
        spans = self.occurrences(text) if spans is None else spans
        while start < end and text[start] in _EDGE:
            start += 1
        while end > start and text[end - 1] in _EDGE:
            end -= 1
        if start == end:
            return False
        index = bisect.bisect_right(spans, (start, len(text) + 1)) - 1
        # spans do not overlap (finditer), so the last one starting at or before `start` is the only candidate
        return index >= 0 and spans[index][0] <= start and end <= spans[index][1]

    def drop_allowed(self, findings: list[Finding], text: str) -> list[Finding]:
        """The findings but those that cover an allowed word or term."""
        if self._pattern is None or not findings:
            return findings
        spans = self.occurrences(text)
        if not spans:
            return findings
        return [f for f in findings if not self.covers(text, f.start, f.end, spans)]
