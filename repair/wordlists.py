"""Word frequencies from the wordfreq package (its data ships in the wheel: nothing is downloaded).

Loaded on first use only, so that runs that need no word list start fast.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=200_000)
def zipf(word: str, language: str) -> float:
    """Zipf frequency of a word (0 when unknown, 3 = once per million words... roughly, 7 = 'the')."""
    from wordfreq import zipf_frequency

    try:
        return zipf_frequency(word, language)
    except LookupError:
        return 0.0
