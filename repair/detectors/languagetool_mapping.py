"""LanguageTool matches -> repair's categories, rule codes and fixes.

LanguageTool names a rule (EN_A_VS_AN), its category (MISC, TYPOS, TYPOGRAPHY ...)
and an issue type (misspelling, grammar, typographical, style ...). repair has four
rules for LanguageTool, one per repair category:

    LT100 spelling, LT200 grammar, LT300 punctuation, LT400 style

and keeps LanguageTool's rule id in the message: "[EN_A_VS_AN] Use “an” ...".

Fixes: a suggestion is shown, never applied, unless LanguageTool gives exactly one
replacement and the rule is on SAFE_RULES, a short list reviewed by hand: rules
whose single suggestion is mechanical (a/an, doubled whitespace, doubled word,
space inside brackets or before a comma). repair never "takes the first suggestion".
"""

from __future__ import annotations

import re

from repair.model import Applicability, Category

#: rule code per repair category
CODES = {
    Category.SPELLING: "LT100",
    Category.GRAMMAR: "LT200",
    Category.PUNCTUATION: "LT300",
    Category.STYLE: "LT400",
}

#: Reviewed rules whose one suggestion may be applied by `repair fix` (applicability safe).
SAFE_RULES = frozenset(
    {
        # a/an before a vowel or consonant sound
        "EN_A_VS_AN",
        # doubled whitespace
        "WHITESPACE_RULE",
        "CONSECUTIVE_SPACES",
        # a space after "(" or before ")" , "," or "."
        "COMMA_PARENTHESIS_WHITESPACE",
        # doubled word ("the the"); LanguageTool already excepts "had had", "that that" ...
        "ENGLISH_WORD_REPEAT_RULE",
        "FRENCH_WORD_REPEAT_RULE",
        "GERMAN_WORD_REPEAT_RULE",
        "WORD_REPEAT_RULE",
    }
)

_SPELLER = re.compile(r"MORFOLOGIK|HUNSPELL|SPELLER|SPELLING_RULE|_SPELLING$")

_SPELLING_CATEGORIES = frozenset({"TYPOS", "MULTITOKEN_SPELLING", "COMPOUNDING"})
_PUNCTUATION_CATEGORIES = frozenset({"PUNCTUATION", "TYPOGRAPHY"})
_STYLE_CATEGORIES = frozenset(
    {
        "STYLE",
        "REDUNDANCY",
        "PLAIN_ENGLISH",
        "REPETITIONS_STYLE",
        "CREATIVE_WRITING",
        "WIKIPEDIA",
        "TEXT_ANALYSIS",
        "GENDER_NEUTRALITY",
        "NONSTANDARD_PHRASES",
        "BRITISH_ENGLISH",
        "AMERICAN_ENGLISH",
        "COLLOQUIALISMS",
        "REGIONALISMS",
    }
)
_PUNCTUATION_RULES = frozenset(
    {"WHITESPACE_RULE", "CONSECUTIVE_SPACES", "COMMA_PARENTHESIS_WHITESPACE", "DOUBLE_PUNCTUATION",
     "UNPAIRED_BRACKETS", "PUNCTUATION_PARAGRAPH_END"}
)


def is_speller(rule_id: str) -> bool:
    """The dictionary look-up rules (MORFOLOGIK_RULE_EN_US and the like), as against grammar rules."""
    return bool(_SPELLER.search(rule_id))


def category_of(rule_id: str, category_id: str, issue_type: str) -> Category:
    """Which repair category a LanguageTool match belongs to."""
    if _SPELLER.search(rule_id):
        return Category.SPELLING
    if rule_id in _WORD_REPEAT_RULES:
        return Category.GRAMMAR  # a doubled word, even where LanguageTool files it under redundancy (German)
    if rule_id in _PUNCTUATION_RULES:
        return Category.PUNCTUATION
    if category_id in _SPELLING_CATEGORIES and issue_type == "misspelling":
        return Category.SPELLING
    if category_id == "CASING":  # capitalisation: MQM counts it as spelling
        return Category.SPELLING
    if category_id in _PUNCTUATION_CATEGORIES or issue_type in ("typographical", "whitespace"):
        return Category.PUNCTUATION
    if category_id in _STYLE_CATEGORIES or issue_type in ("style", "register", "locale-violation"):
        return Category.STYLE
    if category_id in _SPELLING_CATEGORIES:
        return Category.SPELLING
    return Category.GRAMMAR


def code_of(rule_id: str, category_id: str, issue_type: str) -> str:
    return CODES[category_of(rule_id, category_id, issue_type)]


def applicability_of(rule_id: str, replacements: tuple[str, ...] | list[str], matched: str = "") -> Applicability | None:
    """SAFE for a reviewed rule with exactly one suggestion, DISPLAY_ONLY for any other
    suggestion, None when LanguageTool suggests nothing. `matched`: the text the match covers; a doubled word
    is only doubled when it is the same word, case included ("IS is" is not: IS, then the verb)."""
    if not replacements:
        return None
    if rule_id in SAFE_RULES and len(replacements) == 1:
        if rule_id in _WORD_REPEAT_RULES and matched and len(set(matched.split())) != 1:
            return Applicability.DISPLAY_ONLY
        if rule_id in _WORD_REPEAT_RULES and replacements[0].casefold() in _PARTICLES:
            return Applicability.UNSAFE  # "was taken in in the church": a phrasal verb, then a preposition
        return Applicability.SAFE
    return Applicability.DISPLAY_ONLY


_WORD_REPEAT_RULES = frozenset({"ENGLISH_WORD_REPEAT_RULE", "FRENCH_WORD_REPEAT_RULE", "GERMAN_WORD_REPEAT_RULE",
                                "WORD_REPEAT_RULE"})
#: words that may rightly stand twice in a row (found on human reference translations: "taken in in the church")
_PARTICLES = frozenset("in on up out off over down by to about through around along back".split())


def message_of(rule_id: str, message: str, replacements: tuple[str, ...] | list[str]) -> str:
    text = " ".join(message.split())
    out = f"[{rule_id}] {text}"
    if len(replacements) > 1:
        shown = ", ".join(f"“{r}”" for r in replacements[:5])
        more = f" (+{len(replacements) - 5})" if len(replacements) > 5 else ""
        out += f" Suggestions: {shown}{more}."
    return out


# --- levels -------------------------------------------------------------------------------------------------------
#: repair's LanguageTool levels, after LanguageTool's own "default" and "picky":
#: - "default": errors only. Left out: style advice (LT400), optional punctuation (a comma LanguageTool would add
#:   or drop next to words: commas before "and", after introductory phrases), typographic preferences (a
#:   suggestion that changes only the shape of a dash or quote mark: 25-30 -> 25–30, " -> ”), and spelling
#:   variants (a suggestion that changes only case, accents, or joins or splits a compound: Covid-19 -> COVID-19,
#:   El Pais -> El País, stained glass -> stained-glass);
#: - "picky": everything LanguageTool reports.
LEVELS = ("default", "picky")

_DASHES = str.maketrans({"–": "-", "—": "-", "‒": "-", "―": "-", "−": "-", "“": '"', "”": '"', "„": '"', "«": '"',
                         "»": '"', "‘": "'", "’": "'", "‚": "'", "‹": "'", "›": "'"})


def _bare(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def is_advice(rule_id: str, category_id: str, issue_type: str, matched: str, replacements) -> bool:
    """True for what the "default" level leaves out (see LEVELS)."""
    category = category_of(rule_id, category_id, issue_type)
    if category is Category.STYLE:
        return True
    if category_id == "PUNCTUATION" and issue_type == "uncategorized" and any(c.isalnum() for c in matched):
        return True  # a comma to add or drop next to words: style guides differ
    if rule_id in _WORD_REPEAT_RULES and matched.split()[-1:] and matched.split()[-1].casefold() in _PARTICLES:
        return True  # "was taken in in the church": a phrasal verb, then a preposition
    if rule_id in _PUNCTUATION_RULES and matched.strip() and all(c in _DOUBLE + _SINGLE for c in matched.strip()):
        return True  # spaces around a straight quote mark: which side it belongs to is a typographic call
    if not replacements:
        return False
    if replacements[0].replace(",", "") == matched.replace(",", "") and \
            replacements[0].count(",") > matched.count(","):
        return True  # only a comma added: optional punctuation (a comma too many is reported)
    if all(r.translate(_DASHES) == matched.translate(_DASHES) for r in replacements[:1]) and \
            replacements[0] != matched:
        return True  # only the shape of a dash or quote mark
    first = replacements[0]
    if is_speller(rule_id) or len(matched) <= 1:
        return False  # a misspelling, and "i" -> "I", are errors
    if "- " in matched or " -" in matched:
        return False  # a dangling hyphen ('internet- radio') is damage, not a variant
    if sum(c.isalpha() for c in matched) < 2 or not any(c.isalpha() for c in first):
        return False  # spacing and punctuation fixes are not spelling variants
    same = _bare(first) == _bare(matched)
    joined = _bare(first).replace(" ", "").replace("-", "") == _bare(matched).replace(" ", "").replace("-", "")
    return same or joined


# --- unpaired quotes, judged on the whole document -----------------------------------------------------------------
_QUOTE_RULES = re.compile(r"UNPAIRED|QUOTES")
_DOUBLE = '"“”„«»'
_SINGLE = "‘’‚‹›'"


def is_quote_pairing(rule_id: str, matched: str) -> bool:
    return bool(_QUOTE_RULES.search(rule_id)) and bool(matched) and all(c in _DOUBLE + _SINGLE for c in matched.strip())


def _quotes(text: str, family: str) -> int:
    if family == _DOUBLE:
        return sum(text.count(c) for c in _DOUBLE)
    count = 0
    for i, c in enumerate(text):
        if c in family and not (c in "'’" and 0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha()):
            count += 1  # an apostrophe between letters (don't, l'État) is not a quote mark
    return count


def quote_pairs_elsewhere(doc: str, para_start: int, para: str, position: int) -> bool:
    """An unpaired quote mark in a paragraph that the document pairs: a quotation that opens a paragraph (it
    may go on past it: English opens each paragraph of a long quotation again, and texts cut into segments cut
    quotations), one that closes a paragraph, or one whose partner is in the paragraph before or after."""
    mark = para[position]
    family = _DOUBLE if mark in _DOUBLE else _SINGLE
    if not para[:position].strip() or not para[position + 1:].strip(" \t\n.,;:!?)]"):
        return True
    if mark in "'’" and 0 < position < len(para) - 1 and para[position - 1].isalpha() and para[position + 1].isalnum():
        return True  # an apostrophe inside a word or name (Yu'e, Kukiz'15), not a quote mark
    if _quotes(para, family) % 2 == 0:
        return True  # the paragraph pairs its own marks: a nesting LanguageTool misreads
    opening = (position == 0 or para[position - 1].isspace() or para[position - 1] in ",:;(—–") and \
        para[position + 1:position + 2].isalnum()
    if opening and not any(c in family for c in para[position + 1:]):
        return True  # a quotation that opens and runs on past the paragraph
    before = doc[:para_start].rstrip()
    after = doc[para_start + len(para):].lstrip()
    previous = before[before.rfind("\n\n") + 2:] if "\n\n" in before else before
    following = after[:after.find("\n\n")] if "\n\n" in after else after
    return _quotes(previous, family) % 2 == 1 or _quotes(following, family) % 2 == 1


# --- what LanguageTool reads wrong in technical writing ------------------------------------------------------------
_QUOTE_PAIRS = {"'": "'", '"': '"', "‘": "’", "“": "”", "`": "`"}


def is_quoted_character(para: str, start: int, end: int) -> bool:
    """A single mark between quote marks ("the first matching '}' character"): the text names the character,
    it does not use it; an unpaired bracket or a space before it is no error there."""
    if end - start != 1 or start == 0 or end >= len(para) or para[start].isalnum():
        return False
    return _QUOTE_PAIRS.get(para[start - 1]) == para[end]


def is_repeat_across_blocks(rule_id: str, matched: str) -> bool:
    """A word repeated across a line break where the second copy is capitalised and the first is not ('### Enable
    logging' then 'Logging is disabled'): a heading or list item, then the block that follows it, not a slip."""
    if rule_id not in _WORD_REPEAT_RULES or "\n" not in matched:
        return False
    words = matched.split()
    return len(words) == 2 and words[0][:1].islower() and words[1][:1].isupper()
