"""Use or mention: a text that quotes a damaged form, or shows it beside its correction, is talking about it.

"acronyms that drift ("EI", "IE", "IU" for IS)", "one name spelled several ways (Raqa / Raqqa)": the words are
mentions, the text is right as it is. A safe fix of a mention would rewrite the point the author was making, so
it is demoted to unsafe (shown, written only with --unsafe-fixes). Three signs, any one:

- the finding stands alone between quotation marks ("EI", 'prorégime', “Raqa”);
- the fix's replacement already stands as a word within a few characters of it (Raqa / Raqqa; EI ... for IS);
- it is one item of a list of forms of one correction ("EI, IE, IU", all for IS): damaged forms come one at a time,
  a list of them is a text about them.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable

from repair.languages import TABLE as LANGUAGES
from repair.model import Applicability, Finding, Fix

if TYPE_CHECKING:
    from repair.formats import Layout

#: how far (characters) the replacement may stand from the finding to count as shown beside it
NEAR = 24
_LIST_GAP = re.compile(r"\s*(?:[,/;]|\bor\b|\band\b)\s*|\s*,\s*(?:or|and)\s+")
_QUOTES = {'"': '"', "'": "'", "“": "”", "‘": "’", "«": "»", "„": "“", "*": "*", "_": "_"}
_EMPHASIS = "*_"


def drop_mentioned_words(findings: Iterable[Finding], text: str, layout: "Layout | None" = None) -> list[Finding]:
    """Untranslated-word findings on a word the text mentions rather than uses: a foreign word standing alone
    between quotation marks (interface words such as "Kommentar", "teilen"), a language tag (en-GB, `en, de,
    fr`, en/de/ru: a code beside a region or in a list of codes), which reads as a foreign function word, a plural
    ending in parentheses ('class(es)', 'file(s)'), and in a marked-up file a word it also writes in its code or
    links (a package's name: 'avvio' beside github.com/mcollina/avvio). Words in the reader's own script only (UNT):
    quoted text in a script the reader cannot read («Долой войну») is still untranslated. Also words 'glued at a
    page-element boundary' (WEB001) that a marked-up file writes whole in its code: an identifier in camel case."""
    findings = list(findings)
    if not any(f.code.startswith(_SAME_SCRIPT) or f.code == _GLUED and layout is not None for f in findings):
        return findings  # (most documents: no finding either sign can drop)
    from repair.blindspots import in_code_or_links

    def mentioned(f: Finding) -> bool:
        return (_enclosed(f, text, emphasis=False) or _language_tag(f, text) or _ending_in_parentheses(f, text)
                or layout is not None and in_code_or_links(text, layout, text[f.start:f.end]))

    def identifier(f: Finding) -> bool:  # 'removeContentTypeParser' in a heading, and in the file's code
        if layout is None or f.code != _GLUED:
            return False
        start, end = f.start, f.end
        while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
            start -= 1
        while end < len(text) and (text[end].isalnum() or text[end] == "_"):
            end += 1
        return in_code_or_links(text, layout, text[start:end])

    return [f for f in findings if not (f.code.startswith(_SAME_SCRIPT) and mentioned(f) or identifier(f))]


def _ending_in_parentheses(finding: Finding, text: str) -> bool:
    start, end = finding.start, finding.end
    return (start >= 2 and text[start - 1] == "(" and text[start - 2].isalpha() and text[end:end + 1] == ")"
            and end - start <= 3)


def _enclosed(finding: Finding, text: str, emphasis: bool) -> bool:
    """The finding stands alone between quotation marks (or, with emphasis, Markdown's * or _ around it)."""
    start, end = finding.start, finding.end
    opening = text[start - 1:start]
    return (start < end and opening in _QUOTES and (emphasis or opening not in _EMPHASIS)
            and text[end:end + 1] == _QUOTES[opening] and not text[start:end].isspace())


def _language_tag(finding: Finding, text: str) -> bool:
    word = text[finding.start:finding.end]
    if word not in LANGUAGES:
        return False
    if _REGION.match(text, finding.end):
        return True
    before = _CODE_BEFORE.search(text, max(0, finding.start - 8), finding.start)
    after = _CODE_AFTER.match(text, finding.end)
    return any(m is not None and m.group(1) in LANGUAGES for m in (before, after))


_SAME_SCRIPT = "UNT"
_GLUED = "WEB001"
_REGION = re.compile(r"[-_][A-Za-z]{2}(?![^\W_])")
_CODE_BEFORE = re.compile(r"(?<![^\W_])([a-z]{2})(?:\s*[,/]\s*|\s+)$")
_CODE_AFTER = re.compile(r"(?:\s*[,/]\s*|\s+)([a-z]{2})(?![^\W_])")


def demote(findings: Iterable[Finding], text: str) -> list[Finding]:
    findings = list(findings)
    if not any(f.fix is not None and f.fix.applicability == Applicability.SAFE for f in findings):
        return findings  # (nothing to demote)
    forms = _forms_by_replacement(findings)
    out = []
    for finding in findings:
        fix = finding.fix
        if fix is not None and fix.applicability == Applicability.SAFE and (
                _mentioned(finding, text) or _listed(finding, text, forms)):
            fix = Fix(fix.edits, Applicability.UNSAFE,
                      f"{fix.title} (unsafe: the text quotes or contrasts this form, a mention rather than damage)")
            finding = replace(finding, fix=fix)
        out.append(finding)
    return out


def _mentioned(finding: Finding, text: str) -> bool:
    start, end = finding.start, finding.end
    if start == end:
        return False
    if _enclosed(finding, text, emphasis=True):
        return True
    if len(finding.fix.edits) != 1:
        return False
    replacement = finding.fix.edits[0].replacement.strip()
    if not replacement or not any(c.isalnum() for c in replacement) or replacement == text[start:end]:
        return False
    word = _standing_alone(replacement)
    return bool(word.search(text, max(0, start - NEAR), start) or word.search(text, end, end + NEAR))


@lru_cache(maxsize=4096)
def _standing_alone(word: str) -> re.Pattern:
    """The word with no word character on either side."""
    return re.compile(rf"(?<!\w){re.escape(word)}(?!\w)")


def _replacement(finding: Finding) -> str:
    fix = finding.fix
    return fix.edits[0].replacement.strip() if fix is not None and len(fix.edits) == 1 else ""


def _forms_by_replacement(findings: list[Finding]) -> dict[str, tuple[list[int], list[int]]]:
    """For each replacement, the distinct spans of the findings that suggest it, as their sorted ends and sorted
    starts: where a list of forms of one correction can stand."""
    spans: dict[str, set[tuple[int, int]]] = {}
    for finding in findings:
        replacement = _replacement(finding)
        if finding.start < finding.end and replacement:
            spans.setdefault(replacement, set()).add((finding.start, finding.end))
    return {replacement: (sorted(end for _, end in found), sorted(start for start, _ in found))
            for replacement, found in spans.items()}


def _listed(finding: Finding, text: str, forms: dict[str, tuple[list[int], list[int]]]) -> bool:
    """Next to another form of the same correction (EI and IE, both for IS) with only a list separator between
    them (a comma, a slash, 'or', 'and'); two different damaged names in a row ('Raqa and Deir Ezzor') are not.
    Only the forms of its own correction that end at most 8 characters before it or begin at most 8 after it
    are looked at."""
    found = forms.get(_replacement(finding))
    if found is None:
        return False
    ends, starts = found
    for end in ends[bisect_left(ends, finding.start - 8):bisect_right(ends, finding.start)]:
        if _LIST_GAP.fullmatch(text[end:finding.start]):
            return True
    for start in starts[bisect_left(starts, finding.end):bisect_right(starts, finding.end + 8)]:
        if _LIST_GAP.fullmatch(text[finding.end:start]):
            return True
    return False
