"""Letters of a script the target language does not use, and words that mix scripts (homoglyphs)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

from repair.quoting import quote
from repair.detectors.base import Context, Detector
from repair.document import Document
from repair.model import Applicability, Category, Example, Finding, RuleInfo, Severity

FOREIGN_SCRIPT = RuleInfo(
    code="SCR001",
    name="foreign-script",
    category=Category.UNTRANSLATED,
    severity=Severity.ERROR,
    summary="Letters of a script the target language does not use: text left untranslated or scraped page chrome.",
    why="An English article has no reason to hold Cyrillic or Chinese text; it is left over from the source "
    "page or the source language.",
    examples=(
        Example(bad="Cyanuric acid and 三聚氰胺 were both found.\n", good="Cyanuric acid and melamine were both found.\n"),
        Example(bad="Chats\nЗаголовок открываемого материала\n", good="Chats\n"),
    ),
    fix=None,
)

MIXED_SCRIPT = RuleInfo(
    code="SCR002",
    name="mixed-script-word",
    category=Category.ENCODING,
    severity=Severity.ERROR,
    summary="A word that mixes scripts, such as a Cyrillic 'а' inside a Latin word (a homoglyph).",
    why="Homoglyphs look right but break search, spelling and sorting; they come from OCR, keyboard switching "
    "or deliberate spoofing.",
    examples=(Example(bad="The Syrian аrmy advanced.\n", good="The Syrian army advanced.\n"),),
    fix=Applicability.SAFE,
)

SCRIPT_RANGES = {
    "Latin": "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff",
    "Cyrillic": "\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f",
    "Greek": "\u0370-\u03ff\u1f00-\u1fff",
    "Arabic": "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff",
    "Hebrew": "\u0590-\u05ff",
    "Devanagari": "\u0900-\u097f",
    "Bengali": "\u0980-\u09ff",
    "Thai": "\u0e00-\u0e7f",
    "Georgian": "\u10a0-\u10ff",
    "Armenian": "\u0530-\u058f",
    "Hangul": "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af",
    "Kana": "\u3040-\u30ff\u31f0-\u31ff",
    "Han": "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff",
}


# letters that look alike across scripts; a word is fixed only when every odd letter is in the map
CYRILLIC_TO_LATIN = dict(zip("аеорсухіјѕԁАВЕКМНОРСТУХІЈЅ", "aeopcyxijsdABEKMHOPCTYXIJS"))
GREEK_TO_LATIN = dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧο", "ABEZHIKMNOPTYXo"))
LATIN_TO_CYRILLIC = {latin: cyrillic for cyrillic, latin in CYRILLIC_TO_LATIN.items() if cyrillic not in "іјѕԁІЈЅ"}
HOMOGLYPHS = {("Cyrillic", "Latin"): CYRILLIC_TO_LATIN, ("Greek", "Latin"): GREEK_TO_LATIN, ("Latin", "Cyrillic"): LATIN_TO_CYRILLIC}

_WORD = re.compile(r"\w+")
_NON_ASCII_WORD_CHAR = re.compile(r"[^\W\x00-\x7f]")


def _non_ascii_words(text: str, chars: re.Pattern = _NON_ASCII_WORD_CHAR):
    """The matches of _WORD that hold a character `chars` matches (one of _WORD's, never ASCII: by default, any
    such), found from those characters (rare in most text) rather than by walking every word: the same matches,
    several times faster."""
    search, match = chars.search, _WORD.match
    position = 0
    while (found := search(text, position)) is not None:
        start = found.start()
        while start and (text[start - 1].isalnum() or text[start - 1] == "_"):  # back to the word's start (\w)
            start -= 1
        word = match(text, start)
        yield word
        position = word.end()


_CJK = frozenset({"Han", "Kana", "Hangul"})


def _ranges(chars: str) -> list[tuple[int, int]]:
    """A SCRIPT_RANGES value ("A-Za-z\u00c0-...") as (first, last) code points."""
    out, index = [], 0
    while index < len(chars):
        if index + 2 < len(chars) and chars[index + 1] == "-":
            out.append((ord(chars[index]), ord(chars[index + 2])))
            index += 3
        else:
            out.append((ord(chars[index]), ord(chars[index])))
            index += 1
    return out


_SCRIPT_BOUNDS = [(name, _ranges(chars)) for name, chars in SCRIPT_RANGES.items()]


#: a word character of the given scripts of SCRIPT_RANGES other than Latin (all of them past ASCII), compiled when
#: a Latin text holds one (_other_scripts_in), for the scripts it holds: a class of every other script takes 17 ms
#: to compile, one of Cyrillic alone well under 1 ms
_OTHER_LETTER: dict[frozenset[str], re.Pattern] = {}


def _other_letter(scripts: frozenset[str]) -> re.Pattern:
    pattern = _OTHER_LETTER.get(scripts)
    if pattern is None:
        other = "".join(chars for name, chars in SCRIPT_RANGES.items() if name in scripts)
        pattern = _OTHER_LETTER[scripts] = re.compile(rf"[{other}](?<=\w)")
    return pattern


#: (first, last) code points of each script of SCRIPT_RANGES other than Latin, and what comes after every Latin
#: letter of SCRIPT_RANGES (U+024F; U+1E00-U+1EFF aside: looked up like the rest)
_OTHER_BOUNDS = [(name, _ranges(chars)) for name, chars in SCRIPT_RANGES.items() if name != "Latin"]
_PAST_LATIN = re.compile(r"[^\x00-\u024f]")


def _other_scripts_in(text: str) -> frozenset[str]:
    """The scripts of SCRIPT_RANGES other than Latin that hold a character of the text: its few distinct
    characters past Latin (typographic quotes and dashes, mostly) are looked up by code point, so that a run on
    Latin text never compiles the classes of every other script (17 ms: a tenth of a one-file run). A pattern
    whose classes hold the letters of these scripts only matches in this text what one of every other script
    matches: the text holds no letter of the others."""
    points = {ord(char) for char in set(_PAST_LATIN.findall(text))}
    if not points:
        return frozenset()
    return frozenset(name for name, bounds in _OTHER_BOUNDS
                     if any(first <= point <= last for point in points for first, last in bounds))


def _has_other_script(text: str) -> bool:
    """Whether the text holds a character of a script of SCRIPT_RANGES other than Latin (_other_scripts_in)."""
    return bool(_other_scripts_in(text))


def _names_only(run: str) -> bool:
    """A Latin run that is a name, a brand or an acronym: every word starts with a capital or a digit, or is a
    brand in camel case (iPhone, eBay), or is a short, very common function word between two such words
    ('The Mail on Sunday', 'Press Trust of India': wordfreq, Zipf >= 5.5, at most 4 letters)."""
    words = re.findall(r"[^\W_]+", run)
    if not words:
        return False
    named = [w[0].isupper() or w[0].isdigit() or _CAMEL.match(w) is not None for w in words]
    if not named[0] or not named[-1]:
        return False
    for index, (word, ok) in enumerate(zip(words, named)):
        if not ok and not (len(word) <= 4 and named[index - 1] and _function_word(word)):
            return False
    return True


_CAMEL = re.compile(r"[a-z]{1,2}[A-Z]")  # iPhone, eBay, iOS


def _function_word(word: str) -> bool:
    from repair.wordlists import zipf

    return zipf(word, "en") >= 5.5


@lru_cache(maxsize=4096)
def script_of(char: str) -> str | None:
    """The first script of SCRIPT_RANGES whose ranges hold the character (compared as code points: what the
    character class [ranges] matches, without compiling 13 such classes, 2 ms each, in every run that meets a
    letter past Latin)."""
    point = ord(char)
    for name, bounds in _SCRIPT_BOUNDS:
        for first, last in bounds:
            if first <= point <= last:
                return name
    return None


def _foreign_run_regex(target_script: str, scripts: frozenset[str] | None = None) -> re.Pattern:
    """A run of letters of the scripts other than the target's (`scripts`: of these only, when the text holds no
    letter of the others)."""
    foreign = "".join(chars for name, chars in SCRIPT_RANGES.items()
                      if name != target_script and (scripts is None or name in scripts))
    # a run of foreign letters, with the spaces, digits and punctuation between them
    return re.compile(rf"[{foreign}](?:[{foreign}\d\s'’.,:;!?«»\"()\-]*[{foreign}])?")


class ScriptDetector(Detector):
    rules = (FOREIGN_SCRIPT, MIXED_SCRIPT)

    def __init__(self) -> None:
        super().__init__()
        self._runs: dict[tuple[str, frozenset[str] | None], re.Pattern] = {}

    def applies_to(self, ctx: Context) -> bool:
        return ctx.target.script in SCRIPT_RANGES

    def detect(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        text = doc.text
        target = ctx.target.script
        # in a Latin text, the other scripts it holds (the patterns are compiled for those alone: a class of
        # every other script is slow to compile); None: every script but the target's
        scripts = None
        if target == "Latin":
            scripts = frozenset() if text.isascii() else _other_scripts_in(text)
            if not scripts:
                return  # nothing to find
        mixed = list(self._mixed_words(text, target, scripts))
        inside_mixed = {(f.start, f.end) for f in mixed}
        yield from mixed
        runs = self._runs.get((target, scripts))
        if runs is None:
            runs = self._runs[target, scripts] = _foreign_run_regex(target, scripts)
        for match in runs.finditer(text):
            start, end = match.span()
            if any(s <= start and end <= e for s, e in inside_mixed):
                continue
            if self._is_word_part(text, start, end, target):
                continue
            found = match.group(0)
            scripts = sorted({s for s in map(script_of, found) if s})
            if scripts == ["Greek"] and sum(c.isalpha() for c in found) < 3:
                continue  # single Greek letters are symbols in English text (α, β, Δ)
            if scripts == ["Latin"] and target != "Latin" and _names_only(found):
                # brands and names (Google, TED, AirPix) stay in Latin letters in Russian text: measured on the
                # en-ru MQM dev records, 4 of 22 such runs were marked untranslated, and 11 were in clean records
                continue
            yield self.finding(
                "SCR001",
                start,
                end,
                f"{'/'.join(scripts)} text {quote(found)} in {ctx.language} text: untranslated or left over from the page",
            )

    @staticmethod
    def _is_word_part(text: str, start: int, end: int, target: str) -> bool:
        """True for a run inside a word that also has target-script letters (reported as a mixed word)."""
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        return bool(before and before.isalpha() or after and after.isalpha())

    def _mixed_words(self, text: str, target: str, scripts: frozenset[str] | None) -> Iterable[Finding]:
        # a word of two scripts has a letter of one that is not the target's: in a Latin text, a letter past ASCII
        # of another script (the other words holding letters past ASCII are Latin alone, or of no script here)
        words = _non_ascii_words(text, _other_letter(scripts)) if target == "Latin" else _non_ascii_words(text)
        for match in words:
            word = match.group(0)
            if word.isascii():
                continue
            scripts = [script_of(c) for c in word if c.isalpha()]
            present = {s for s in scripts if s}
            if len(present) < 2 or present <= _CJK:
                continue  # Japanese writes Han and kana in one word (力のある), Korean may mix Han and Hangul
            counts = {s: scripts.count(s) for s in present}
            majority = max(sorted(present), key=lambda s: (counts[s], s == target))
            fixed = []
            fixable = True
            for char in word:
                script = script_of(char) if char.isalpha() else None
                if script is None or script == majority:
                    fixed.append(char)
                    continue
                mapping = HOMOGLYPHS.get((script, majority), {})
                if char in mapping:
                    fixed.append(mapping[char])
                else:
                    fixable = False
                    fixed.append(char)
            odd = sorted(present - {majority})
            message = f"Word {quote(word)} mixes {majority} with {'/'.join(odd)} letters"
            if fixable:
                repaired = "".join(fixed)
                yield self.finding("SCR002", match.start(), match.end(), f"{message}; read {quote(repaired)}", replacement=repaired)
            else:
                yield self.finding("SCR002", match.start(), match.end(), message)
