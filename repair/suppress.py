"""Suppression where people expect it, as markdownlint and Vale do, and per-file ignores as ruff does.

In the comments of a format that has them (Markdown, HTML, WebVTT NOTE, reStructuredText):

    <!-- repair: ignore WEB001, UNT001 -->   the next block (to the first blank line or block boundary after it)
    <!-- repair: ignore -->                  every rule, in the next block
    <!-- repair: off -->  ...  <!-- repair: on -->   a region (codes may follow `off`; `on` ends every `off`)

Codes are rule codes, code prefixes (FR, WEB1) or categories (untranslated), as in --select. For formats
without comments, `per-file-ignores = {"subtitles/*.srt" = ["LNG001"]}` in the configuration. With
`--report-unused-suppressions` (or `report-unused-suppressions = true`), a directive that suppressed nothing is
reported as SUP001.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fnmatch import fnmatch
from typing import Iterable

from repair.quoting import quote
from repair.formats import Comment, Layout
from repair.model import Applicability, Category, Example, Finding, Fix, RuleInfo, Severity

UNUSED_SUPPRESSION = RuleInfo(
    code="SUP001",
    name="unused-suppression",
    category=Category.STYLE,
    severity=Severity.INFO,
    summary="A suppression comment that suppresses nothing (reported with --report-unused-suppressions).",
    why="A suppression outlives the finding it was written for (the text was fixed, the rule got better); left in "
    "place, it would hide a new problem at the same place.",
    examples=(Example(bad="<!-- repair: ignore ENC001 -->\nThe café opened.\n", good="The café opened.\n"),),
    fix=Applicability.SAFE,
)
RULES = (UNUSED_SUPPRESSION,)

_DIRECTIVE = re.compile(r"^\s*repair\s*:\s*(ignore|off|on)\b\s*(.*?)\s*$", re.IGNORECASE | re.DOTALL)
_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")


@dataclass
class Suppression:
    """A suppression comment: the rules it silences (empty: every rule), the region it covers, and whether it was
    used."""
    comment: Comment
    codes: tuple[str, ...]  # empty: every rule
    start: int  # the region it covers
    end: int
    used: bool = False

    def covers(self, finding: Finding) -> bool:
        return self.start <= finding.start < self.end and (not self.codes or any(
            matches(token, finding.code, finding.category.value) for token in self.codes))


def matches(token: str, code: str, category: str) -> bool:
    """A token of --select / --ignore / a directive: ALL, a category, a code or a code prefix."""
    if token == "ALL":
        return True
    if token.lower() == category:
        return True
    return code.startswith(token.upper())


def directives(text: str, layout: Layout) -> list[Suppression]:
    found: list[Suppression] = []
    open_regions: list[Suppression] = []
    for comment in layout.comments:
        match = _DIRECTIVE.match(comment.text)
        if match is None:
            continue
        verb = match.group(1).lower()
        codes = tuple(token for token in re.split(r"[\s,]+", match.group(2)) if token)
        if verb == "ignore":
            found.append(Suppression(comment, codes, comment.end, _next_block_end(text, layout, comment.end)))
        elif verb == "off":
            region = Suppression(comment, codes, comment.end, len(text))
            open_regions.append(region)
            found.append(region)
        else:  # on: ends every open region
            for region in open_regions:
                region.end = comment.start
            open_regions = []
    return found


def _next_block_end(text: str, layout: Layout, start: int) -> int:
    """The end of the block after `start`: the first blank line, or block boundary of the format, after its
    first visible character."""
    prose = text[start:]
    first = len(prose) - len(prose.lstrip())
    begin = start + first
    blank = _BLANK_LINE.search(text, begin)
    end = blank.start() + 1 if blank else len(text)
    for region in layout.masks:
        if region.breaks and begin < region.start < end and text[begin:region.start].strip():
            return region.start
    return end


def apply(findings: list[Finding], suppressions: list[Suppression]) -> list[Finding]:
    """The findings no directive covers; the directives that covered one are marked used."""
    if not suppressions:
        return findings
    kept = []
    for finding in findings:
        covering = [s for s in suppressions if s.covers(finding)]
        for suppression in covering:
            suppression.used = True
        if not covering:
            kept.append(finding)
    return kept


def unused(suppressions: Iterable[Suppression], text: str, selected: set[str]) -> list[Finding]:
    """SUP001 for each directive that suppressed nothing (only when every code it names is selected in the run:
    a rule that did not run cannot show that the directive is needless). `on` comments are never unused."""
    out = []
    for suppression in suppressions:
        if suppression.used:
            continue
        if suppression.codes and not all(any(code.startswith(token.upper()) or token.upper() == "ALL"
                                                 for code in selected) for token in suppression.codes):
            continue
        comment = suppression.comment
        what = " ".join(comment.text.split())
        start, end = _comment_span(text, comment)
        out.append(Finding(
            UNUSED_SUPPRESSION.code, UNUSED_SUPPRESSION.name, UNUSED_SUPPRESSION.category,
            UNUSED_SUPPRESSION.severity, f"Suppression {quote(what)} suppresses nothing here: remove it",
            start, end, Fix.replace(start, end, "", Applicability.SAFE, "Remove the suppression comment")))
    return out


def _comment_span(text: str, comment: Comment) -> tuple[int, int]:
    """The comment, with its line when it stands alone on it."""
    line_start = text.rfind("\n", 0, comment.start) + 1
    line_end = text.find("\n", comment.end)
    line_end = len(text) if line_end == -1 else line_end
    if not text[line_start:comment.start].strip() and not text[comment.end:line_end].strip():
        return line_start, min(len(text), line_end + 1)
    return comment.start, comment.end


def ignored_for(path: str, per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[str, ...]:
    """The codes, prefixes and categories the configuration ignores in this file."""
    tokens: list[str] = []
    for pattern, codes in per_file_ignores:
        if fnmatch(path, pattern) or fnmatch(path.rsplit("/", 1)[-1], pattern) or fnmatch(path, "*/" + pattern):
            tokens.extend(codes)
    return tuple(tokens)
