"""What the spellings of one name share: the key that groups Raqa with Raqqa and Deir Ezzor with Deir ez-Zor.

Used by the name-consistency check (CON001) and by the glossary, which keys the packs' preferred spellings so.
"""

from __future__ import annotations

import re
from functools import lru_cache

# the article written apart (al-Assad / Assad) is dropped; assimilated ones (ez-Zor / Ezzor) are kept as letters
_PARTICLE_PREFIX = re.compile(r"\b(?:al|el)-", re.IGNORECASE)
_DOUBLE = re.compile(r"(.)\1+")
_NOT_ASCII_LOWER = re.compile(r"[^a-z]")


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """Case, hyphens and spaces, doubled letters and a separate article ignored: Deir ez-Zor and Deir Ezzor ->
    'deirezor'."""
    key = _PARTICLE_PREFIX.sub("", name).casefold()
    key = _NOT_ASCII_LOWER.sub("", key)
    return _DOUBLE.sub(r"\1", key)
