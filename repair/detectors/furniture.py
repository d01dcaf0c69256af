"""Page furniture on whole scraped pages: menus, teasers, footers, credits, consent and comment-form lines.

A page is plain text that looks scraped: many lines, a good share of them short and without a sentence's final
punctuation. Each of its lines is described by general signals (repair.pagelines) and scored in two stages, its
own signals and then its neighbours' scores and its place relative to the article (repair.furniture_classifier,
with a model trained on labelled pages: repair.furniture_model, scripts/train_furniture.py); a line scoring above
the safe threshold is removed by a safe fix, above the lower one by an unsafe fix. A headline-shaped line directly below
a caption that carries a site name, inside the article, is a related article's teaser (FUR003, in every format).
The classifier leaves authored formats (Markdown, reST, subtitles, HTML) alone: their short lines are headings
and list items.
"""

from __future__ import annotations

import re
from typing import Iterable

from repair.detectors.base import Context, Detector
from repair.document import Document, line_removal
from repair.model import Applicability, Category, Example, Finding, Fix, RuleInfo, Severity
from repair.quoting import quote

_ARTICLE = (
    "Storm closes the harbour for a second day\n"
    "The harbour stayed closed on Tuesday as the storm that hit the coast on Monday kept the ferries in port, and "
    "the port authority said it would not reopen before the wind had dropped.\n"
    "Fishermen who had brought their boats in early said the damage was smaller than they had feared.\n"
)
_MENU = "Menu\nHome\nNews\nSport\nCulture\nContact\n"
_FOOTER = "Share on Facebook\nShare on Twitter\nMore news\nImprint\nPrivacy\nCookies\nNewsletter\nJobs\nShop\n"
_MAYBE = "Our reporters on the coast\n"

FURNITURE_LINE = RuleInfo(
    code="FUR001",
    name="page-furniture-line",
    category=Category.BOILERPLATE,
    severity=Severity.WARNING,
    summary="A line of a scraped page that is not part of its text: a menu entry, a footer link, a widget label.",
    why="Scrapers keep the whole page. A short line without a sentence's end, among other such lines and away "
    "from the main block of prose, in a page whose language's stop words it lacks, is navigation; the "
    "classifier is sure of this line, so the fix removes it.",
    # the menu entry next to the article's title is less sure (FUR002): before the main block, short lines are as
    # often its title and lead
    examples=(Example(bad=_MENU + _ARTICLE + _FOOTER, good="Sport\nCulture\n" + _ARTICLE),),
    fix=Applicability.SAFE,
)
LIKELY_FURNITURE_LINE = RuleInfo(
    code="FUR002",
    name="likely-page-furniture-line",
    category=Category.BOILERPLATE,
    severity=Severity.INFO,
    summary="A line of a scraped page that is probably not part of its text (the classifier is less sure).",
    why="The same signals as FUR001, weaker: a list item or a table row of the article can look like this, so "
    "the fix is unsafe.",
    examples=(Example(bad=_MENU + _ARTICLE + _MAYBE + _FOOTER,
                      good="Menu\nHome\nContact\n" + _ARTICLE + _FOOTER),),
    fix=Applicability.UNSAFE,
)
TEASER_HEADLINE = RuleInfo(
    code="FUR003",
    name="related-headline",
    category=Category.BOILERPLATE,
    severity=Severity.WARNING,
    summary="A related article's headline below its picture's caption, inside the article.",
    why="News sites put teasers of related articles inside the text: a picture whose caption ends in the "
    "site's name, then the other article's headline. An article's own subheading follows its prose, not a "
    "caption. The fix is unsafe.",
    examples=(Example(
        bad="The army took the city on Sunday after three weeks of fighting in the desert around it.\n"
            "Views of the liberated city - Sputnik International\n"
            "First Images of the Ancient Artifacts Damaged by Daesh Revealed\n"
            "Without doubt, this has been the biggest defeat for Daesh since 2014.\n",
        good="The army took the city on Sunday after three weeks of fighting in the desert around it.\n"
             "Views of the liberated city - Sputnik International\n"
             "Without doubt, this has been the biggest defeat for Daesh since 2014.\n"),),
    fix=Applicability.UNSAFE,
)

#: a page: at least this many non-blank lines, this share of them short lines without a sentence's end
MIN_LINES = 12
MIN_FRAGMENT_SHARE = 0.3
FRAGMENT_WORDS = 6
_AUTHORED = frozenset({"markdown", "rst", "srt", "vtt", "html"})
_AUTHORED_SUFFIXES = (".md", ".markdown", ".rst", ".srt", ".vtt", ".html", ".htm")
#: a line of prose: this many words and a sentence's end
PROSE_WORDS = 12
_SENTENCE_END = re.compile(r"[.!?…:;][\"'”’»)\]]*\s*$")
#: a line (the part of it before its trailing white space) that _ends_in_site_name: the dash or bar (white space
#: before it) and the site's name after it; the name holds no dash or bar, so that dash is the line's last one
_SITE_NAME_ENDING_A_LINE = re.compile(
    r"[-–—|](?<=\s.)[^\S\n]+[A-Z][\w.&']*(?:[^\S\n]+[A-Z][\w.&']*){0,3}[^\S\n]*$", re.MULTILINE)
#: SITE_SUFFIX after its dash or bar
_SITE_NAME_AFTER_DASH = re.compile(r"\s+(?:[A-Z][\w.&']*)(?:\s+[A-Z][\w.&']*){0,3}\s*$")


def _ends_in_site_name(line: str) -> bool:
    """Whether SITE_SUFFIX.search(line) finds a suffix: no dash or bar follows the one a suffix begins with (its
    words and white space hold none), so only the last one is tried (a search tries every space of the line)."""
    dash = max(line.rfind("-"), line.rfind("\u2013"), line.rfind("\u2014"), line.rfind("|"))
    return dash > 0 and line[dash - 1].isspace() and _SITE_NAME_AFTER_DASH.match(line, dash + 1) is not None


def looks_like_a_page(lines: list[str]) -> bool:
    """Many lines, a good share of them fragments: the plain text of a whole web page, not an article or a doc."""
    if len(lines) < MIN_LINES:
        return False
    # (a line of more words splits into FRAGMENT_WORDS + 1 pieces: long lines are not split whole)
    fragments = sum(1 for line in lines
                    if len(line.split(maxsplit=FRAGMENT_WORDS)) <= FRAGMENT_WORDS and not _SENTENCE_END.search(line))
    return fragments / len(lines) >= MIN_FRAGMENT_SHARE


def _headline(line: str) -> bool:
    words = line.split()
    if len(words) < 4 or len(line) > 150 or _SENTENCE_END.search(line):
        return False
    return sum(1 for w in words if w[:1].isupper()) / len(words) >= 0.5


class FurnitureDetector(Detector):
    rules = (FURNITURE_LINE, LIKELY_FURNITURE_LINE, TEASER_HEADLINE)

    def detect(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        layout = doc.layout
        authored = ((doc.format or "") in _AUTHORED or layout is not None and layout.format in _AUTHORED
                    or doc.format is None and doc.path.endswith(_AUTHORED_SUFFIXES))
        text = doc.text
        flagged: set[int] = set()
        if not authored and looks_like_a_page([line for line in text.split("\n") if line.strip()]):
            for finding in self._classified(text):
                flagged.add(finding.start)
                yield finding
        yield from self._teasers(doc, flagged)

    def _classified(self, text: str) -> Iterable[Finding]:
        from repair.furniture_classifier import furniture_lines

        for line, start, stripped, sure in furniture_lines(text):
            remove = line_removal(text, line.start, line.end)
            level = Applicability.SAFE if sure else Applicability.UNSAFE
            yield self.finding(
                "FUR001" if sure else "FUR002", start, start + len(stripped),
                f"Page furniture{'' if sure else ', probably'}: {quote(stripped, 60)}",
                fix=Fix.replace(remove[0], remove[1], "", level, "Remove the line"),
            )

    def _teasers(self, doc: Document, flagged: set[int]) -> Iterable[Finding]:
        """A headline-shaped line right below a caption that ends in a site's name, once the article's prose has
        begun: a related article's teaser."""
        text = doc.text
        if not _SITE_NAME_ENDING_A_LINE.search(text):
            return  # no line ends in a site's name: no caption a teaser follows
        seen_prose = False
        previous = ""
        for start, end, line in doc.lines():
            stripped = line.strip()
            if not stripped:
                continue
            at = start + len(line) - len(line.lstrip())  # where the stripped line begins
            if (seen_prose and at not in flagged and _ends_in_site_name(previous) and _headline(stripped)
                    and " ".join(stripped.split()) not in " ".join(previous.split())):
                remove = line_removal(text, start, end)
                yield self.finding(
                    "FUR003", at, at + len(stripped),
                    f"A related article's headline below a captioned picture: {quote(stripped, 60)}",
                    fix=Fix.replace(remove[0], remove[1], "", Applicability.UNSAFE, "Remove the line"),
                )
            seen_prose = seen_prose or (len(stripped.split(maxsplit=PROSE_WORDS - 1)) >= PROSE_WORDS
                                        and bool(_SENTENCE_END.search(stripped)))
            previous = stripped
