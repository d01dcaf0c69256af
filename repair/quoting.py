"""Quoting the text a message is about, for people: as text, with invisible characters named, cut at a word.

Python's repr shows '\\xa0' and cuts nowhere; an editor reads a message, not a string literal.

>>> quote("Go to the mediabank")
"'Go to the mediabank'"
>>> quote("\\xa0")
'no-break space (U+00A0)'
>>> quote("Voskresenskiy\\xa0/\\xa0Go")
"'Voskresenskiy / Go'"
>>> quote("Â\\xa0")
"'Â⟨no-break space U+00A0⟩'"
>>> quote("A general view shows part of a palace complex, which has been damaged", 60)
"'A general view shows part of a palace complex, which has…'"
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["quote", "shorten", "character_name"]

_CONTROL_NAMES = {"\t": "tab", "\n": "line break", "\r": "carriage return", "\x0b": "vertical tab",
                  "\x0c": "form feed", "\x1b": "escape", "\x00": "null character"}
_RUN = re.compile(r"(.)\1*", re.DOTALL)


def character_name(char: str) -> str:
    """'no-break space (U+00A0)': how a message names a character one cannot see."""
    name = _CONTROL_NAMES.get(char) or unicodedata.name(char, "").lower() or "control character"
    return f"{name} (U+{ord(char):04X})"


def _invisible(char: str) -> bool:
    """A character that shows as nothing or as a plain space, or that a terminal acts on."""
    return char != " " and unicodedata.category(char)[0] in "ZC"


def shorten(text: str, limit: int) -> str:
    """The text cut at the last word boundary within `limit` characters, with an ellipsis; never mid-word."""
    if len(text) <= limit:
        return text
    head = text[:limit + 1]
    cut = max(head.rfind(" "), head.rfind("\xa0"), head.rfind("\t"))
    if cut <= 0:  # one long word: cut at the limit rather than show it all
        cut = limit
    return text[:cut].rstrip(" ,;:\xa0") + "…"


def _shown(text: str) -> str:
    if text.isprintable():  # (str.isprintable: no character of categories Z and C but the space, none _invisible)
        return text
    parts = []
    for match in _RUN.finditer(text):
        run, char = match.group(0), match.group(1)
        if not _invisible(char):
            parts.append(run)
            continue
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        between_words = before and after and not before.isspace() and not after.isspace()
        if unicodedata.category(char) == "Zs" and len(run) == 1 and between_words:
            parts.append(" ")  # a no-break or thin space between words reads as the space it is
            continue
        name = character_name(char).replace(" (", " ").rstrip(")")
        parts.append(f"⟨{name}{f' ×{len(run)}' if len(run) > 1 else ''}⟩")
    return "".join(parts)


def quote(text: str, limit: int | None = None) -> str:
    """The text in single quotes as a person reads it; only invisible characters: their names, unquoted."""
    if text and all(_invisible(c) for c in text) and len(set(text)) == 1:
        name = character_name(text[0])
        return name if len(text) == 1 else f"{len(text)} × {name}"
    if limit is not None:
        text = shorten(text, limit)
    return f"'{_shown(text)}'"
