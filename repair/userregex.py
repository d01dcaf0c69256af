"""Regular expressions from users' rule packs, guarded against catastrophic backtracking.

A pattern such as `(a|aa)+$` takes exponential time on some lines with Python's `re`, which has no time limit:
one such rule in a user's pack hung the whole run without a word. Users' patterns are run with the `regex`
module instead (in its re-compatible mode, VERSION0), which backtracks far less on patterns like `(a+)+$` and
takes a time limit per search; a search that runs over it raises PatternTooSlow, and the rule's detector stops
that rule with a notice naming it (repair.detectors.rulepack). repair's own packs keep `re` (reviewed patterns,
and their findings stay the same).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    import regex

#: seconds one search of a user's pattern may take, plus SECONDS_PER_MB for each megabyte it may scan
SECONDS = 1.0
SECONDS_PER_MB = 0.5


class PatternTooSlow(Exception):
    """A user's pattern ran over its time limit; `str()` says how long it was given."""


class UserPattern:
    """A user's pattern with the methods the rule detectors use (finditer, fullmatch), each search time-limited."""

    def __init__(self, pattern: str, flags: int = 0):
        import regex  # only when a user's pack has a pattern: it costs start-up time

        converted = regex.VERSION0
        if flags & re.MULTILINE:
            converted |= regex.MULTILINE
        if flags & re.IGNORECASE:
            converted |= regex.IGNORECASE
        if flags & re.DOTALL:
            converted |= regex.DOTALL
        self.pattern = pattern
        self.compiled = regex.compile(pattern, converted)

    @property
    def groupindex(self):
        return self.compiled.groupindex

    @staticmethod
    def budget(length: int) -> float:
        return SECONDS + SECONDS_PER_MB * length / 1_000_000

    def finditer(self, text: str) -> Iterator["regex.Match[str]"]:
        """The matches re.finditer would give (an empty match moves the search on by one), one search at a time."""
        position, end = 0, len(text)
        search = self.compiled.search
        while position <= end:
            limit = self.budget(end - position)
            try:
                match = search(text, position, timeout=limit)
            except TimeoutError:
                raise PatternTooSlow(f"took more than {limit:.1f} s") from None
            if match is None:
                return
            yield match
            position = match.end() if match.end() > match.start() else match.end() + 1

    def fullmatch(self, text: str) -> "regex.Match[str] | None":
        limit = self.budget(len(text))
        try:
            return self.compiled.fullmatch(text, timeout=limit)
        except TimeoutError:
            raise PatternTooSlow(f"took more than {limit:.1f} s") from None
