"""File formats: which regions of a document are prose, and which are not (code, markup, links, timestamps).

A format's parser turns a text into a `Layout`: the masked regions (offsets into the original text, sorted and
not overlapping), the format's comments (where suppression directives are read), and the prose blocks. The
engine runs the detectors on the prose view of a document — every masked character but a line break replaced
by a space, so offsets stay offsets into the original file — and enforces fix safety in one place
(`guard`): a finding inside a masked region is dropped, and a fix whose edit touches a masked region is never
written (it becomes display-only, with the reason).

Formats are chosen from the file's extension (EXTENSIONS), overridden per glob in the configuration
(`formats = {"*.mdx" = "markdown"}`) and, for standard input, by `--stdin-filename`.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field, replace
from fnmatch import fnmatch
from importlib import import_module
from typing import Callable, Iterable, Mapping

from repair.model import Applicability, Category, Edit, Finding, Fix

#: the kinds of masked region, for messages and tests
MASK_KINDS = (
    "code",          # code blocks and code spans, literal blocks
    "url",           # URLs, link targets, autolinks, image sources
    "tag",           # HTML tags and their attributes, Markdown/reST markup characters
    "comment",       # HTML and reST comments
    "front-matter",  # YAML/TOML front matter
    "math",          # $...$, $$...$$, math directives
    "table",         # table padding and delimiter rows
    "reference",     # link reference definitions, footnote labels, hyperlink targets, substitutions
    "timestamp",     # subtitle cue numbers, timestamps and settings, WEBVTT headers
    "directive",     # reST directives and roles, HTML doctype, processing instructions
    "entity",        # character references that are the format's own escapes (&amp; in HTML)
)


@dataclass(frozen=True, order=True)
class Region:
    """A masked region. `breaks`: it separates blocks (an HTML <p>, <li>, <br>...): the prose view puts a line
    break at its start, so that what stood in two elements is read as two lines, never as one."""

    start: int
    end: int
    kind: str = field(compare=False)
    breaks: bool = field(default=False, compare=False)
    #: what the prose view shows of it, at its end (an entity's character: &lt; shows '<'); such a region
    #: reads as prose to the detectors, but a fix that would change it is still never written
    shows: str = field(default="", compare=False)


@dataclass(frozen=True)
class Comment:
    """A comment of the format, for suppression directives: `start`/`end` span the whole comment, markers
    included (`<!--` to `-->`); `text` is what stands between the markers."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Layout:
    """What a file format parser found: the regions masked from the prose, the comments, and how white space
    renders."""
    format: str
    masks: tuple[Region, ...] = ()
    comments: tuple[Comment, ...] = ()
    #: runs of white space render as one space (Markdown, HTML): white space alone is never damage there
    collapses_whitespace: bool = False
    #: the text it was parsed from, for detectors that read the markup itself (an HTML page's nav and footer:
    #: repair.formats.html_regions); set by the formats that offer it (HTML), else ""
    source: str = field(default="", repr=False, compare=False)

    def prose(self, text: str) -> str:
        """The text with every masked character but line breaks replaced by a space: same length, same offsets."""
        if not self.masks:
            return text
        parts: list[str] = []
        position = 0
        for region in self.masks:
            parts.append(text[position:region.start])
            hidden = "".join(c if c in "\n\r" else " " for c in text[region.start:region.end])
            if region.breaks and "\n" not in hidden:
                hidden = "\n" + hidden[1:]
            if region.shows and len(region.shows) <= len(hidden) and "\n" not in hidden:
                # word joiners, not spaces, before the shown character: invisible, neither space nor letter, so
                # 'cafÃ&copy;' never reads as 'cafÃ ©' (a space after Ã is mojibake of à to ftfy)
                hidden = _JOINER * (len(hidden) - len(region.shows)) + region.shows
            parts.append(hidden)
            position = region.end
        parts.append(text[position:])
        return "".join(parts)

    def overlapping(self, start: int, end: int) -> Region | None:
        """The first masked region that shares a character with [start, end), or for an insertion (start ==
        end) that holds the point strictly inside."""
        if not self.masks:
            return None
        index = bisect.bisect_right(self._starts, start) - 1
        for region in self.masks[max(index, 0):]:
            if region.start >= max(end, start + 1):
                break
            if start == end:
                if region.start < start < region.end:
                    return region
            elif region.start < end and start < region.end:
                return region
        return None

    def beside(self, text: str, position: int, step: int) -> Region | None:
        """The hidden region met first from `position` over spaces and tabs, leftwards (step -1: from the
        character before it) or rightwards (step +1: from it); FILE_EDGE past the text's edge; None when a
        visible character comes first."""
        probe = position - 1 if step < 0 else position
        while 0 <= probe < len(text):
            region = self.hidden(probe, probe + 1)
            if region is not None:
                return region
            if text[probe] not in " \t":
                return None
            probe += step
        return FILE_EDGE

    def hidden(self, start: int, end: int) -> Region | None:
        """Like overlapping(), among the regions the prose view does not show (an entity shows its character)."""
        region = self.overlapping(start, end)
        if region is None or not region.shows:
            return region
        return None if start >= region.end - len(region.shows) else region

    @property
    def _starts(self) -> list[int]:
        starts = self.__dict__.get("_starts_cache")
        if starts is None:
            starts = [region.start for region in self.masks]
            object.__setattr__(self, "_starts_cache", starts)
        return starts


_JOINER = "\u2060"
#: Layout.beside's answer at the text's edge: it breaks the prose as a block boundary does
FILE_EDGE = Region(0, 0, "edge", breaks=True)


def normalise(regions: Iterable[Region]) -> tuple[Region, ...]:
    """Sorted, with empty regions dropped and overlapping or touching ones of any kind merged (the first kind, but
    code when code is merged: `<code>x</code>` and `` `x` `` are code, whatever their markers are)."""
    merged: list[Region] = []
    for region in sorted(r for r in regions if r.end > r.start):
        if merged and (region.start < merged[-1].end
                       or region.start == merged[-1].end and not region.shows and not merged[-1].shows):
            last = merged[-1]
            kind = "code" if region.kind == "code" else last.kind
            if region.end > last.end or region.breaks and not last.breaks or kind != last.kind:
                merged[-1] = Region(last.start, max(last.end, region.end), kind, last.breaks or region.breaks,
                                    "" if region.end > last.end else last.shows)
            continue
        merged.append(region)
    return tuple(merged)


# --- the formats ------------------------------------------------------------------------------------------------
#: format name -> "module:function" of its parser (imported on first use: a plain-text run loads none)
PARSERS: dict[str, str] = {
    "text": "",
    "markdown": "repair.formats.markdown:parse",
    "html": "repair.formats.html:parse",
    "rst": "repair.formats.rst:parse",
    "srt": "repair.formats.subtitles:parse_srt",
    "vtt": "repair.formats.subtitles:parse_vtt",
}
EXTENSIONS: dict[str, str] = {
    ".txt": "text", ".text": "text",
    ".md": "markdown", ".markdown": "markdown", ".mdown": "markdown", ".mkd": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".rst": "rst", ".rest": "rst",
    ".srt": "srt",
    ".vtt": "vtt",
}


#: formats whose renderers collapse runs of white space into one space
COLLAPSING = frozenset({"markdown", "html"})


def format_for(path: str, overrides: Mapping[str, str] | None = None) -> str:
    """The format of a file: the first configured glob that matches it, else its extension, else plain text."""
    for pattern, name in (overrides or {}).items():
        if fnmatch(path, pattern) or fnmatch(path.rsplit("/", 1)[-1], pattern):
            return name
    dot = path.rfind(".")
    return EXTENSIONS.get(path[dot:].lower(), "text") if dot > path.rfind("/") else "text"


def parse(text: str, name: str) -> Layout:
    """The layout of a text in a format (plain text: nothing masked)."""
    target = PARSERS.get(name)
    if target is None:
        raise ValueError(f"unknown format {name!r}: use one of {', '.join(PARSERS)}")
    if not target:
        return Layout(name)
    module, function = target.split(":")
    parser: Callable[[str], Layout] = getattr(import_module(module), function)
    layout = parser(text)
    if name in COLLAPSING and not layout.collapses_whitespace:
        layout = replace(layout, collapses_whitespace=True)
    return layout


# --- fix safety, in one place -------------------------------------------------------------------------------------
def guard(findings: Iterable[Finding], layout: Layout, text: str) -> list[Finding]:
    """Findings on the prose only, with fix safety enforced here, for every detector.

    - A finding's span is trimmed of the masked characters at its edges (a line that starts with <p> is reported
      from its first word); nothing of prose left: dropped (the blanks that stand for markup, a code span).
    - Masked regions wholly inside it: kept only with real words on both sides (a sentence around inline code),
      not a run of blanks and punctuation that is mostly hidden markup.
    - A run of white space where the format renders any run as one space (Markdown, HTML): dropped.
    - Page furniture (boilerplate) inside a table cell: dropped. The prose view breaks a row at its pipes, so a
      cell holding a number reads as a line of its own ('1', '526'), but a cell is data, not a line of a page.
    - A fix that would change a masked character (or an edit of a dropped one) is never written: it becomes
      display-only, with the reason in its title."""
    if not layout.masks and not layout.collapses_whitespace:
        return list(findings)
    kept = []
    for finding in findings:
        start, end = finding.start, finding.end
        if layout.collapses_whitespace and end - start > 1 and text[start:end].isspace():
            continue  # doubled spaces in Markdown or HTML source: the reader sees one
        if start == end:
            if layout.hidden(start, end) is not None:
                continue
        elif finding.category == Category.BOILERPLATE and _in_table_cell(text, layout, start, end):
            continue
        else:
            trimmed = _trim(start, end, layout)
            if trimmed != (start, end):
                start, end = trimmed
                spaces = _spaces_beside_markup(finding, start, end, text, layout)
                if spaces is not None:
                    kept.append(spaces)
                    continue
                if start >= end or not _has_word(text, start, end, layout):
                    continue
            inner = [r for r in _inside(start, end, layout) if not r.shows]
            if inner and not (_has_word(text, start, inner[0].start, layout)
                              and _has_word(text, inner[-1].end, end, layout)):
                continue
        if (start, end) != (finding.start, finding.end):
            finding = replace(finding, start=start, end=end)
        fix = finding.fix
        if fix is not None and fix.applicability > Applicability.DISPLAY_ONLY:
            fix = _line_removal_before_markup(fix, layout, text)
            if fix is not finding.fix:
                finding = replace(finding, fix=fix)
            touched = next((r for e in fix.edits if (r := layout.overlapping(e.start, e.end)) is not None), None)
            if touched is not None:
                fix = Fix(fix.edits, Applicability.DISPLAY_ONLY,
                          f"{fix.title} (not applied: it would change {touched.kind} in this {layout.format} file)")
                finding = replace(finding, fix=fix)
        kept.append(finding)
    return kept


def _in_table_cell(text: str, layout: Layout, start: int, end: int) -> bool:
    """Between two pieces of table markup (cell pipes and padding) with only white space besides."""
    if text.find("\n", start, end) != -1:
        return False
    left, right = layout.beside(text, start, -1), layout.beside(text, end, +1)
    return left is not None and left.kind == "table" and right is not None and right.kind == "table"


def _line_removal_before_markup(fix: Fix, layout: Layout, text: str) -> Fix:
    """A removal of whole lines that runs into markup on the next line (a UI line between two HTML blocks takes
    the 'blank' line after it, which is the next tag's line break in the prose view) stops where the markup
    starts, when what it still removes is whole lines."""
    edits = []
    for edit in fix.edits:
        region = layout.overlapping(edit.start, edit.end) if edit.replacement == "" and edit.end > edit.start else None
        if region is not None and region.start > edit.start and text[region.start - 1] == "\n" \
                and (edit.start == 0 or text[edit.start - 1] == "\n"):
            edit = Edit(edit.start, region.start, "")
        edits.append(edit)
    return fix if all(a is b for a, b in zip(edits, fix.edits)) else Fix(tuple(edits), fix.applicability, fix.title)


def _spaces_beside_markup(finding: Finding, start: int, end: int, text: str, layout: Layout) -> Finding | None:
    """A run of spaces next to a tag where the reader sees every space (a subtitle cue: '</i>  Rain'): the
    finding saw the tag's blanks with the real spaces; it keeps the real ones, and its fix collapses only them."""
    if layout.collapses_whitespace or end - start < 2 or not text[start:end].isspace() or "\n" in text[start:end]:
        return None
    fix = finding.fix
    if fix is None or len(fix.edits) != 1 or fix.edits[0].replacement != " ":
        return None
    edit = fix.edits[0]
    if (edit.start, edit.end) != (finding.start, finding.end):
        return None
    return replace(finding, start=start, end=end, fix=Fix((Edit(start, end, " "),), fix.applicability, fix.title))


def _trim(start: int, end: int, layout: Layout) -> tuple[int, int]:
    """The span without the hidden (masked, not shown) characters at its edges."""
    while start < end:
        region = layout.hidden(start, start + 1)
        if region is None:
            break
        start = region.end - len(region.shows)
    while end > start:
        region = layout.hidden(end - 1, end)
        if region is None:
            break
        end = region.start
    return start, end


def _has_word(text: str, start: int, end: int, layout: Layout) -> bool:
    """A letter or digit of prose between start and end (a shown entity counts)."""
    position = start
    for region in _inside(start, end, layout) if layout.masks else ():
        if region.shows and region.shows.isalnum():
            return True
        if any(c.isalnum() for c in text[position:region.start]):
            return True
        position = max(position, region.end)
    return any(c.isalnum() for c in text[position:end])


def _inside(start: int, end: int, layout: Layout) -> list[Region]:
    index = bisect.bisect_right(layout._starts, start)
    inner = []
    for region in layout.masks[index:]:
        if region.start >= end:
            break
        inner.append(region)
    return inner
