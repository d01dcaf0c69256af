"""What LanguageTool could not judge in a marked-up file: it reads the prose view, where code, links and inline tags
are blanks, and the file's own vocabulary looks misspelled to it.

Two general signals, applied to secondary (LanguageTool) findings only, before formats.guard:

- grammar, punctuation and style advice whose span, with the white space around it, touches inline markup it
  could not see: 'an `int` value' reads as 'an       value' (a/an advice), '`x`, then' as a sentence opening
  with a comma. The advice is about text LanguageTool never saw: dropped. Spelling is judged on the word alone and
  is kept; block boundaries (an HTML <p>) are line breaks in the view, not blanks, and do not count.
- spelling findings on a word the file itself uses as a term: one that appears in its code or links (masked
  regions), or at least TERM_USES times in the file, or a hyphenated name that starts with such a word
  (fastify-auth, pino-socket). A word written the same way again and again is the file's vocabulary ('lexer', 'yacc'), not a
  slip of the keyboard; a misspelling is rarely repeated.
- spelling findings on a word that stands alone in its block: a table cell, a list item, a `<summary>` holding one
  word is a label or an identifier (a column of user names, `<li>posix</li>`), not a sentence LanguageTool can
  judge. Blocks are what the markup breaks (cell pipes, block-level tags); a line of plain text is not one.

>>> from repair import formats
>>> text = "Pass an `int` value to the lexer. The lexer reads it. Our lexer is fast.\\n"
>>> layout = formats.parse(text, "markdown")
>>> by_markup(text, layout, 5, 7, spelling=False), by_markup(text, layout, 27, 32, spelling=False)
(True, False)
>>> own_term(text, layout, "lexer"), own_term(text, layout, "lexr")
(True, False)
>>> table = "| user | package |\\n| --- | --- |\\n| barbieri | fastify |\\n| two words | x |\\n"
>>> layout = formats.parse(table, "markdown")
>>> alone_in_block(table, layout, 35, 43), alone_in_block(table, layout, 62, 67)
(True, False)
"""

from __future__ import annotations

import re
from typing import Iterable

from repair.formats import Layout
from repair.model import Category, Finding

__all__ = ["drop_blind", "by_markup", "own_term", "alone_in_block", "in_code_or_links", "TERM_USES"]

#: uses of a word in one file that make it the file's own term, not a misspelling
TERM_USES = 3
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)


def drop_blind(findings: Iterable[Finding], text: str, layout: Layout) -> list[Finding]:
    """The secondary findings LanguageTool could judge (text: the file's own; layout: its masks)."""
    if not layout.masks:
        kept = list(findings)
        return [f for f in kept if f.category != Category.SPELLING or not own_term(text, layout, text[f.start:f.end])]
    return [f for f in findings
            if not by_markup(text, layout, f.start, f.end, spelling=f.category == Category.SPELLING)
            and not (f.category == Category.SPELLING and (own_term(text, layout, text[f.start:f.end])
                                                          or alone_in_block(text, layout, f.start, f.end)))]


def by_markup(text: str, layout: Layout, start: int, end: int, *, spelling: bool) -> bool:
    """Whether advice on start..end (not spelling) touches inline markup through the white space around it."""
    if spelling or not layout.masks:
        return False
    left, right = start, end
    while left > 0 and text[left - 1] in " \t":
        left -= 1
    while right < len(text) and text[right] in " \t":
        right += 1
    left, right = max(0, left - 1), min(len(text), right + 1)
    region = layout.hidden(left, right)
    while region is not None and region.start < right:
        if not region.breaks:
            return True
        region = layout.hidden(region.end, right) if region.end < right else None
    return False


def alone_in_block(text: str, layout: Layout, start: int, end: int) -> bool:
    """Whether text[start:end] is all a block holds: white space, then markup that breaks the prose (a cell
    pipe, a block-level tag) or the file's edge, on both sides."""
    if not layout.masks or start >= end or any(c.isspace() for c in text[start:end]):
        return False
    return all(region is not None and region.breaks
               for region in (layout.beside(text, start, -1), layout.beside(text, end, +1)))


def own_term(text: str, layout: Layout, word: str) -> bool:
    """Whether the file uses `word` as one of its own terms; a hyphenated name counts when its first part does
    (fastify-auth, pino-socket: a family of names after the file's own term)."""
    word = word.strip()
    if _is_term(text, layout, word):
        return True
    parts = [p for p in re.split(r"[-‐]", word) if p]
    return len(parts) > 1 and _is_term(text, layout, parts[0])


def in_code_or_links(text: str, layout: Layout, word: str) -> bool:
    """Whether the file writes `word` (as a whole word, any case) inside its code or links: a package, an option,
    an identifier of its own ('avvio' in github.com/mcollina/avvio, 'proto' in `__proto__`... as a word)."""
    if not layout.masks or not _WORD.fullmatch(word):
        return False
    pattern = re.compile(r"(?<![^\W_])" + re.escape(word) + r"(?![^\W_])", re.IGNORECASE)
    return any(layout.hidden(m.start(), m.end()) is not None for m in pattern.finditer(text))


def _is_term(text: str, layout: Layout, word: str) -> bool:
    if not _WORD.fullmatch(word):
        return False
    pattern = re.compile(r"(?<![^\W_])" + re.escape(word) + r"(?![^\W_])", re.IGNORECASE)
    uses = 0
    for match in pattern.finditer(text):
        if layout.masks and layout.hidden(match.start(), match.end()) is not None:
            return True  # in the file's code or links
        uses += 1
        if uses >= TERM_USES:
            return True
    return False
