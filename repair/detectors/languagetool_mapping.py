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
