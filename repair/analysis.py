"""Shared analysis of one document: computed once, on first use, and read by every detector that needs it.

`Document.analysis` holds it. The tokenisation is the one UNT001 and LNG001 share: words (letters, with
apostrophes between letters) and the characters that end a sentence ('\\n', '.', '!', '?'), in text order.
Results that belong to one detector family but are asked for by several (the foreign sentences, the names of a
document) are kept with `memo`, under a key that names what they are.
"""

from __future__ import annotations

import re
from array import array
from functools import lru_cache
from itertools import count
from typing import Any, Callable, Hashable, TypeVar

T = TypeVar("T")

_WORD_OR_STOP = re.compile(r"[^\W\d_]++(?:['’][^\W\d_]++)*+|[\n.!?]")  # a word, or a character ending a sentence
_WORD_OR_STOP_ASCII = re.compile(r"[A-Za-z]++(?:'[A-Za-z]++)*+|[\n.!?]")  # the same on ASCII text, faster
#: code points past ASCII where a class listing the letters finds what [^\W\d_] finds, faster (no character's
#: Unicode category is looked up): Latin-1 Supplement, Latin Extended-A and B, General Punctuation
_LATIN = ((0x80, 0x250), (0x2000, 0x2070))
_PAST_LATIN = re.compile(r"[^\x00-\u024f\u2000-\u206f]")  # a character outside ASCII and those ranges
STOPS = frozenset("\n.!?")
#: the text is tokenised a block at a time, each block ended after a space or line break (no word spans one)
_BLOCK = 1 << 16
_BLOCK_END = re.compile(r"[\n ]")


class Analysis:
    __slots__ = ("text", "_token_numbers", "_vocabulary", "_distinct_words", "_folds_simply", "_memo")

    def __init__(self, text: str) -> None:
        self.text = text
        self._token_numbers: array | None = None
        self._vocabulary: dict[str, int] | None = None
        self._distinct_words: set[str] | None = None
        self._folds_simply: bool | None = None
        self._memo: dict[Hashable, Any] = {}

    @property
    def token_numbers(self) -> array:
        """Every word, with the characters that end a sentence among them, as the number of that distinct token
        (its number in `vocabulary`): the words between two stops are the words of one sentence. Shared: not to be
        changed.

        Four bytes a token (a 64 MB text holds some 12 million tokens: a list of strings, even of one string
        object per distinct token, costs a pointer, 8 bytes, a token)."""
        if self._token_numbers is None:
            self._token_numbers, self._vocabulary = _tokens(self.text)
        return self._token_numbers

    @property
    def words_and_stops(self) -> list[str]:
        """The tokens as strings, each distinct token one string object (a new list on each call: detectors
        read `token_numbers`)."""
        word_of = {number: word for word, number in self.vocabulary.items()}
        return list(map(word_of.__getitem__, self.token_numbers))

    @property
    def vocabulary(self) -> dict[str, int]:
        """Each distinct word and stop, with its number, in the order of first use. Shared: not to be changed."""
        if self._vocabulary is None:
            self._token_numbers, self._vocabulary = _tokens(self.text)
        return self._vocabulary

    @property
    def distinct_words(self) -> set[str]:
        """The distinct words, as written. Shared: not to be changed."""
        if self._distinct_words is None:
            # inserted in the text's order, as from the token list: the same set, iterated in the same order
            unique = set(iter(self.vocabulary))
            unique -= STOPS
            self._distinct_words = unique
        return self._distinct_words

    @property
    def folds_simply(self) -> bool:
        """Each character case-folds to one character, a letter to a letter (ß and İ do not; U+0345 folds to a
        letter): then the words of the case-folded text are the case-folded words of the text."""
        if self._folds_simply is None:
            text = self.text
            # (a block at a time: case folding maps each character on its own, never to nothing)
            self._folds_simply = "\u0345" not in text and (text.isascii() or all(
                len(text[at:at + _BLOCK].casefold()) == len(text[at:at + _BLOCK])
                for at in range(0, len(text), _BLOCK)))
        return self._folds_simply

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """compute(), once per document and key."""
        try:
            return self._memo[key]
        except KeyError:
            value = self._memo[key] = compute()
            return value


def _tokens(text: str) -> tuple[array, dict[str, int]]:
    """The token numbers of a text and its distinct tokens with their numbers (a token's number: its place in the
    text among all the tokens, at its first use; numbers are unique, not consecutive). Found a block at a time
    (each block ends after a space or a line break, which no word holds): the pattern's matches in a block are
    the ones it finds there in the whole text, and only one block's strings are ever alive twice."""
    ascii = text.isascii()
    vocabulary: dict[str, int] = {}
    number = vocabulary.setdefault
    places = count()
    numbers = array("I")
    length = len(text)
    start = 0
    while start < length:
        cut = _BLOCK_END.search(text, start + _BLOCK) if start + _BLOCK < length else None
        end = cut.end() if cut else length
        if ascii:
            pattern = _WORD_OR_STOP_ASCII
        else:  # (a block of Latin text, accents and typographic quotes included: its letters listed)
            pattern = _WORD_OR_STOP if _PAST_LATIN.search(text, start, end) else _word_or_stop_latin()
        numbers.extend(map(number, pattern.findall(text, start, end), places))
        start = end
    return numbers, vocabulary


@lru_cache(maxsize=1)
def _word_or_stop_latin() -> re.Pattern:
    """_WORD_OR_STOP for text of ASCII and the _LATIN ranges: the same matches there, its letters a listed class
    (built on first use: 1.5 ms)."""
    letter = re.compile(r"[^\W\d_]")
    letters = "A-Za-z" + "".join(c for first, after in _LATIN for c in map(chr, range(first, after)) if letter.match(c))
    return re.compile(rf"[{letters}]++(?:['’][{letters}]++)*+|[\n.!?]")
