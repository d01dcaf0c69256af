"""Shared analysis of one document: computed once, on first use, and read by every detector that needs it.

`Document.analysis` holds it. The tokenisation is the one UNT001 and LNG001 share: words (letters, with
apostrophes between letters) and the characters that end a sentence ('\\n', '.', '!', '?'), in text order.
Results that belong to one detector family but are asked for by several (the foreign sentences, the names of a
document) are kept with `memo`, under a key that names what they are.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Hashable, TypeVar

T = TypeVar("T")

_WORD_OR_STOP = re.compile(r"[^\W\d_]++(?:['’][^\W\d_]++)*+|[\n.!?]")  # a word, or a character ending a sentence
_WORD_OR_STOP_ASCII = re.compile(r"[A-Za-z]++(?:'[A-Za-z]++)*+|[\n.!?]")  # the same on ASCII text, faster
STOPS = frozenset("\n.!?")


class Analysis:
    __slots__ = ("text", "_words_and_stops", "_distinct_words", "_folds_simply", "_memo")

    def __init__(self, text: str) -> None:
        self.text = text
        self._words_and_stops: list[str] | None = None
        self._distinct_words: set[str] | None = None
        self._folds_simply: bool | None = None
        self._memo: dict[Hashable, Any] = {}

    @property
    def words_and_stops(self) -> list[str]:
        """Every word, with the characters that end a sentence among them: the words between two stops are the
        words of one sentence. Shared: not to be changed."""
        if self._words_and_stops is None:
            pattern = _WORD_OR_STOP_ASCII if self.text.isascii() else _WORD_OR_STOP
            self._words_and_stops = pattern.findall(self.text)
        return self._words_and_stops

    @property
    def distinct_words(self) -> set[str]:
        """The distinct words, as written. Shared: not to be changed."""
        if self._distinct_words is None:
            unique = set(self.words_and_stops)
            unique -= STOPS
            self._distinct_words = unique
        return self._distinct_words

    @property
    def folds_simply(self) -> bool:
        """Each character case-folds to one character, a letter to a letter (ß and İ do not; U+0345 folds to a
        letter): then the words of the case-folded text are the case-folded words of the text."""
        if self._folds_simply is None:
            text = self.text
            self._folds_simply = len(text.casefold()) == len(text) and "\u0345" not in text
        return self._folds_simply

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """compute(), once per document and key."""
        try:
            return self._memo[key]
        except KeyError:
            value = self._memo[key] = compute()
            return value
