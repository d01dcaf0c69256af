"""Acronym drift: an acronym that does not fit its own definition, and one entity under several acronyms.

- ACR001: "Syrian Observatory for Human Rights (OSDH)": the letters of the acronym cannot be read from the
  words before it (the Schwartz-Hearst test: each letter in order, the first at a word start). Machine
  translation translated the name but kept the source acronym. The fix is the target acronym when a rule
  pack's acronym map knows the source one (OSDH -> SOHR) and it fits the definition.
- ACR002: "EI", "IE", "IU" in one text for IS: a rare acronym that is an anagram of an acronym the text uses
  more, or one letter away from such an anagram. The fix is the commoner acronym's target form.

Acronyms that an applicable rule pack already replaces (FR001 EI -> IS) are left to it.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Iterable

from repair.quoting import quote
from repair.detectors.base import Context, Detector
from repair.document import Document
from repair.languages import running
from repair.model import Applicability, Category, Example, Finding, RuleInfo, Severity

ACRONYM_MISMATCH = RuleInfo(
    code="ACR001",
    name="acronym-definition-mismatch",
    category=Category.TERMINOLOGY,
    severity=Severity.WARNING,
    summary="An acronym that does not match the name it abbreviates: the source language's acronym kept.",
    why="Machine translation translates 'Observatoire syrien des droits de l'homme' but keeps 'OSDH'; the English "
    "reader cannot connect the two, and searches for 'SOHR' miss the text.",
    examples=(
        Example(
            bad="according to the Syrian Observatory for Human Rights (ODHS).\n",
            good="according to the Syrian Observatory for Human Rights (SOHR).\n",
        ),
        Example(bad="the Islamic State group (XQ) claimed it.\n", good="the Islamic State group (IS) claimed it.\n"),
    ),
    fix=None,  # an unsafe fix when a pack that does not apply to this run knows the acronym
    target_languages=running("acronyms"),
)

ACRONYM_VARIANTS = RuleInfo(
    code="ACR002",
    name="acronym-variants",
    category=Category.TERMINOLOGY,
    severity=Severity.WARNING,
    summary="Several acronyms for one entity in one text (EI, IE, IU): garbled copies of the main one.",
    why="Machine translation permutes the letters of an acronym it does not know; each form looks like a "
    "different organisation.",
    examples=(
        Example(
            bad="The QX took the city. The QX retreated. Forces will remove XQ from the town.\n",
            good="The QX took the city. The QX retreated. Forces will remove QX from the town.\n",
        ),
    ),
    fix=Applicability.UNSAFE,
    target_languages=running("acronyms"),
)

# 2 to 6 capitals, no word character or hyphen on either side: the matches of (?<![\w-])[A-Z]{2,6}(?![\w-]), 3
# times faster (a pattern that opens with a letter class lets the regex engine skip to capitals; the look-behind,
# of the character before the first capital, comes second)
_ACRONYM = re.compile(r"[A-Z](?<![\w-].)[A-Z]{1,5}(?![\w-])")
_DEFINED = re.compile(r"\(\s*([A-Z]{2,6})\s*\)")
_WORD = re.compile(r"[^\W\d_]+")
# codes in parentheses that abbreviate nothing before them: currencies, states and provinces
_CODES = frozenset(
    "USD EUR GBP JPY CNY RMB CHF CAD AUD NZD HKD INR RUB BRL KRW SEK NOK DKK PLN CZK HUF TRY ZAR MXN SGD THB "
    "NSW ACT QLD WA SA NT VIC TAS NY CA TX FL DC BC ON QC AB".split()
)
# acronyms common in English text that one letter or an anagram must never turn into a "variant"
_COMMON = frozenset(
    "US UK UN EU IS IT TV AI ID PR CEO CFO GDP USA USSR NATO WHO IMF AP AFP BBC CNN FBI CIA NSA MP MPs PM "
    "NGO UAE DC LA NY NYC GOP SUV DNA RNA HIV AIDS COVID SARS PhD BC AD AM FM PC OK".split()
)


def fits(acronym: str, words: list[str]) -> bool:
    """Can the acronym's letters be read, in order, from these words (the first letter at a word start)?"""
    letters = acronym.lower()
    text = " ".join(w.lower() for w in words)
    position = len(text) - 1
    for index in range(len(letters) - 1, -1, -1):
        letter = letters[index]
        while position >= 0:
            at_start = position == 0 or text[position - 1] in " -"
            if text[position] == letter and (index > 0 or at_start):
                break
            position -= 1
        if position < 0:
            return False
        position -= 1
    return True


def _definition_words(text: str, paren_start: int, across_comma: bool = False) -> list[str]:
    """Up to 8 words before '(' in the same sentence: the name the acronym should abbreviate. A full stop after
    a capital (U.S., St.) does not end the sentence; `across_comma`: the window goes on past one comma."""
    window_start = max(0, paren_start - 120)
    before = text[window_start:paren_start]
    stops = [m.start() for m in _SENTENCE_STOP.finditer(before)]
    cuts = [stops[-1] if stops else -1, before.rfind("\n"), before.rfind("; "), before.rfind('"')]
    comma = before.rfind(", ")
    if across_comma and comma >= 0:
        comma = before.rfind(", ", 0, comma)
    cut = max(cuts + [comma])
    if cut >= 0:
        before = before[cut + 1:]
    return _WORD.findall(before)[-(12 if across_comma else 8):]


_SENTENCE_STOP = re.compile(r"(?<=[a-z0-9\])])\. ")  # a full stop after a lowercase word, a number or a bracket
#: acronyms that English writes for names of other languages are common tokens of English text: MSF, PKK, SPD
ESTABLISHED_ZIPF = 2.0
_CALL_SIGN = re.compile(r"[KW][A-Z]{2,3}")  # North American broadcasters: KABC, WTOP


@lru_cache(maxsize=4096)
def _established(acronym: str, language: str) -> bool:
    """An acronym the target's own texts use often (wordfreq): English knows it, whatever it abbreviates. Kept per
    process: the same acronyms (US, UN, EU) recur in file after file."""
    from repair.wordlists import zipf

    return len(acronym) >= 3 and zipf(acronym.lower(), language) >= ESTABLISHED_ZIPF


def _not_an_expansion(text: str, paren: int, close: int, acronym: str, words: list[str]) -> bool:
    """The shapes where an acronym in brackets abbreviates nothing before it: a dateline ('MOSCOW (Reuters) -',
    '(AP) —'), an affiliation after a person's or a place's name ('Olaf Scholz (SPD)'), a broadcaster's call sign."""
    line_start = text.rfind("\n", 0, paren) + 1
    head = text[line_start:paren].strip()
    if not head or head.isupper() or text[close + 1:close + 4].lstrip(" ").startswith(("-", "–", "—")):
        return True  # a dateline: the agency or station after an upper-case place name, or before a dash
    if _CALL_SIGN.fullmatch(acronym):
        return True
    near = words[-3:]
    capitalised = [w for w in near if w[:1].isupper()]
    if 1 <= len(near) <= 3 and len(capitalised) == len(near) and not any(w[:1] == acronym[:1] for w in near):
        return True  # Olaf Scholz (SPD): a party or an agency after a name it does not abbreviate
    return False


def _is_definition(words: list[str], acronym: str) -> bool:
    """A name of at least two capitalised words, close before the parenthesis, can define an acronym."""
    near = words[-(len(acronym) + 3):]
    return sum(w[:1].isupper() for w in near) >= 2 and any(w[:1].isupper() for w in near[-2:])


class AcronymDetector(Detector):
    rules = (ACRONYM_MISMATCH, ACRONYM_VARIANTS)
    check = "acronyms"

    def detect(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        text = doc.text
        if "(" not in text and not _ACRONYM.search(text):
            return
        known = ctx.glossary.reported_acronyms
        # every source map, whichever source: the fix names the target acronym when the definition confirms it
        mapping = ctx.glossary.acronyms
        flagged: set[int] = set()
        for match in _DEFINED.finditer(text):
            acronym = match.group(1)
            start, end = match.span(1)
            if acronym in ctx.allow or acronym in known or acronym in _CODES:
                continue
            words = _definition_words(text, match.start())
            if not _is_definition(words, acronym) or fits(acronym, words):
                continue
            if fits(acronym, _definition_words(text, match.start(), across_comma=True)):
                continue  # an expansion that runs across a comma
            target = mapping.get(acronym)
            if target is None and (_established(acronym, ctx.language) or
                                   _not_an_expansion(text, match.start(), match.end() - 1, acronym, words)):
                continue
            definition = " ".join(_trim_definition(words, target or acronym))
            if target and fits(target, words):
                flagged.add(start)
                yield self.finding(
                    "ACR001", start, end,
                    f"Acronym {quote(acronym)} does not match {quote(definition)}: the source language's acronym; "
                    f"in {ctx.language} it is {quote(target)}",
                    replacement=target, applicability=Applicability.UNSAFE,
                )
            else:
                flagged.add(start)
                yield self.finding(
                    "ACR001", start, end,
                    f"Acronym {quote(acronym)} does not match {quote(definition)} before it: a source-language acronym or a typo",
                )
        yield from self._variants(text, ctx, known, flagged)

    def _variants(self, text: str, ctx: Context, known, flagged: set[int]) -> Iterable[Finding]:
        counts = Counter(_ACRONYM.findall(text))
        if len(counts) < 2:
            return
        skip = known | set(ctx.allow)  # (only for a text with two acronyms or more)
        main_forms = [a for a, n in counts.items() if n >= 2]
        variants: dict[str, str] = {}
        for acronym, n in counts.items():
            if acronym in skip or acronym in _COMMON or acronym in main_forms and n >= 3:
                continue
            if _established(acronym, ctx.language):
                continue  # an acronym English texts use on its own (CBE beside ECB): not a garbled copy
            for main in sorted(main_forms, key=lambda a: -counts[a]):
                if main == acronym or counts[main] <= n:
                    continue
                if sorted(main) == sorted(acronym):
                    variants[acronym] = main
                    break
        # one letter away from a garbled form: IU after IE for EI
        for acronym, n in counts.items():
            if acronym in variants or acronym in skip or acronym in _COMMON or acronym in main_forms:
                continue
            for garbled, main in list(variants.items()):
                if len(garbled) == len(acronym) and sum(a != b for a, b in zip(garbled, acronym)) == 1 \
                        and acronym[0] == garbled[0]:
                    variants[acronym] = main
                    break
        if not variants:
            return
        for match in _places_of(tuple(sorted(variants))).finditer(text):
            start, end = match.span()
            acronym = match.group(0)
            main = variants.get(acronym)
            if main is None or start in flagged:
                continue
            target = ctx.glossary.acronyms.get(main, main)
            also = f" (in {ctx.language}: {quote(target)})" if target != main else ""
            yield self.finding(
                "ACR002", start, end,
                f"{quote(acronym)} looks like a garbled {quote(main)}{also}, which this text uses {counts[main]} times",
                replacement=target,
            )


@lru_cache(maxsize=256)
def _places_of(acronyms: tuple[str, ...]) -> re.Pattern:
    """The _ACRONYM matches that are one of `acronyms` (capitals standing alone): each is a whole run of capitals
    with no word character or hyphen on either side, which finditer reaches as it does (the same 3-times-faster
    shape: a capital first, the character before it tested after)."""
    branches = "|".join(f"{re.escape(a[0])}(?<![\\w-].){re.escape(a[1:])}" for a in acronyms)
    return re.compile(rf"(?:{branches})(?![\w-])")


def _trim_definition(words: list[str], acronym: str) -> list[str]:
    """The last words of the window, about as many as the acronym has letters (for the message)."""
    keep = max(len(acronym) + 2, 3)
    return words[-keep:]
