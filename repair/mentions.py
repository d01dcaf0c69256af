"""Use or mention: a text that quotes a damaged form, or shows it beside its correction, is talking about it.

"acronyms that drift ("EI", "IE", "IU" for IS)", "one name spelled several ways (Raqa / Raqqa)": the words are
mentions, the text is right as it is. A safe fix of a mention would rewrite the point the author was making, so
it is demoted to unsafe (shown, written only with --unsafe-fixes). Two signs, either one:

- the finding stands alone between quotation marks ("EI", 'prorégime', “Raqa”);
- the fix's replacement already stands as a word within a few characters of it (Raqa / Raqqa; EI ... for IS).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterable

from repair.model import Applicability, Finding, Fix

#: how far (characters) the replacement may stand from the finding to count as shown beside it
NEAR = 24
_QUOTES = {'"': '"', "'": "'", "“": "”", "‘": "’", "«": "»", "„": "“", "*": "*", "_": "_"}


def demote(findings: Iterable[Finding], text: str) -> list[Finding]:
    out = []
    for finding in findings:
        fix = finding.fix
        if fix is not None and fix.applicability == Applicability.SAFE and _mentioned(finding, text):
            fix = Fix(fix.edits, Applicability.UNSAFE,
                      f"{fix.title} (unsafe: the text quotes or contrasts this form, a mention rather than damage)")
            finding = replace(finding, fix=fix)
        out.append(finding)
    return out


def _mentioned(finding: Finding, text: str) -> bool:
    start, end = finding.start, finding.end
    if start == end:
        return False
    opening = text[start - 1:start]
    if opening in _QUOTES and text[end:end + 1] == _QUOTES[opening] and not text[start:end].isspace():
        return True
    if len(finding.fix.edits) != 1:
        return False
    replacement = finding.fix.edits[0].replacement.strip()
    if not replacement or not any(c.isalnum() for c in replacement) or replacement == text[start:end]:
        return False
    word = re.compile(rf"(?<!\w){re.escape(replacement)}(?!\w)")
    return bool(word.search(text, max(0, start - NEAR), start) or word.search(text, end, end + NEAR))
