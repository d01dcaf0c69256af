"""Page furniture an HTML page's own markup names: its nav, header, footer and asides, its share and cookie boxes,
its link-dense menus and teaser lists (repair.formats.html_regions says which text is which).

Only on a page that declares where its text is (`<main>`, `<article>`, `role=main`, an article-body class): a
documentation page's sidebar is the document's own table of contents. Inside the content nothing is reported
unless an element or hint inside it says so (a related-articles box, a share bar); the article's prose never is.
A line inside a landmark (nav, header, footer, aside, or their roles) outside the content, short and not shaped
like prose, is sure (FUR005, safe: the text nodes are removed, the markup stays); the rest — class hints,
link density, prose-shaped lines, hints inside the content — is probable (FUR006, unsafe).
"""

from __future__ import annotations

import bisect
import re
from typing import Iterable

from repair.detectors.base import Context, Detector
from repair.document import Document
from repair.model import Applicability, Category, Edit, Example, Finding, Fix, RuleInfo, Severity
from repair.quoting import quote

_PAGE = (
    '<!DOCTYPE html>\n<html lang="en">\n<head><title>Storm closes the harbour | Coast Herald</title></head>\n<body>\n'
    '<header class="site-header">\n<a href="/">Coast Herald</a>\n'
    '<nav>\n<ul>\n<li><a href="/news">News</a></li>\n<li><a href="/sport">Sport</a></li>\n'
    '<li><a href="/weather">Weather</a></li>\n</ul>\n</nav>\n</header>\n'
    '<main>\n<article>\n<h1>Storm closes the harbour for a second day</h1>\n'
    '<p>The harbour stayed closed on Tuesday as the storm kept the ferries in port, and the port authority said '
    'it would not reopen before the wind had dropped.</p>\n'
    '<div class="share-bar"><a href="/share/fb">Share on Facebook</a></div>\n'
    '</article>\n</main>\n<footer>\n<p><a href="/privacy">Privacy</a></p>\n</footer>\n</body>\n</html>\n'
)


HTML_FURNITURE = RuleInfo(
    code="FUR005",
    name="html-page-furniture",
    category=Category.BOILERPLATE,
    severity=Severity.WARNING,
    summary="Text of an HTML page that its markup says is navigation, a banner or a footer, outside the article.",
    why="A page's nav, header, footer and asides (or the landmark roles navigation, banner, contentinfo and "
    "complementary) hold its menus and footers, not its text; text extractors drop them, and a page kept whole "
    "carries them into a corpus. On a page that says where its text is, a short line there is furniture for "
    "sure: the fix removes its words and leaves the markup.",
    examples=(Example(
        bad=_PAGE,
        good=_PAGE.replace('"/news">News<', '"/news"><').replace('"/sport">Sport<', '"/sport"><')
        .replace('"/weather">Weather<', '"/weather"><').replace('"/privacy">Privacy<', '"/privacy"><')
        .replace('<a href="/">Coast Herald</a>', '<a href="/"></a>')),),
    fix=Applicability.SAFE,
)
LIKELY_HTML_FURNITURE = RuleInfo(
    code="FUR006",
    name="likely-html-page-furniture",
    category=Category.BOILERPLATE,
    severity=Severity.INFO,
    summary="Text of an HTML page that is probably furniture by its markup: a share, related or cookie box by its "
    "class, a link-dense block outside the article.",
    why="Class names and link density are hints, not statements: a box the site calls 'related' inside an "
    "article, or a list of links outside it, is usually teasers or a menu, but can be the article's own list "
    "of sources. The fix, removing the line's words, is unsafe.",
    examples=(Example(bad=_PAGE, good=_PAGE.replace('"/share/fb">Share on Facebook<', '"/share/fb"><')),),
    fix=Applicability.UNSAFE,
)

#: a line of prose: this many words and a sentence's end; never sure furniture
PROSE_WORDS = 12
#: a sure line has at most this many words
SURE_WORDS = 8
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*\s*$")


def markup_regions(doc: Document):
    """The markup's verdicts on the page (memoised on the document), or None: not HTML, or no markup to read."""
    layout = doc.layout
    if layout is None or layout.format != "html" or not layout.source:
        return None
    from repair.formats.html_regions import page_regions

    return doc.analysis.memo("html-regions", lambda: page_regions(layout.source))


def furniture_lines(doc: Document) -> list[tuple[int, int, list[tuple[int, int]], bool, str]]:
    """(start, end, word spans, sure, reason) of each line of an HTML page's prose view that its markup calls
    furniture: the runs of furniture text nodes on one line of the view, their words' spans to remove."""
    regions = markup_regions(doc)
    if regions is None:
        return []
    runs = regions.furniture_runs()
    if not runs:
        return []
    text = doc.text
    breaks = [m.start() for m in re.finditer("\n", text)]
    lines: list[tuple[int, int, list[tuple[int, int]], bool, str]] = []
    current: list = []  # [line, start, end, spans, sure, reason]
    for run, sure in runs:
        raw = text[run.start:run.end]
        stripped = raw.strip()
        if not stripped:
            continue
        start = run.start + (len(raw) - len(raw.lstrip()))
        end = start + len(stripped)
        line = bisect.bisect_right(breaks, start)
        reason = run.reason or "a link-dense block outside the article"
        spans = [] if run.reference else [(start, end)]  # a reference is markup to a fix: it stays
        if current and current[0] == line and current[5] == reason:
            current[2] = end
            current[3].extend(spans)
            current[4] = current[4] and sure
        else:
            if current:
                lines.append(tuple(current[1:]))
            current = [line, start, end, spans, sure, reason]
    if current:
        lines.append(tuple(current[1:]))
    return [line for line in lines if line[2]]  # a line of references alone ('&copy;') is left as it is


def _prose_shaped(line: str) -> bool:
    return len(line.split()) >= PROSE_WORDS and bool(_SENTENCE_END.search(line))


class HtmlFurnitureDetector(Detector):
    rules = (HTML_FURNITURE, LIKELY_HTML_FURNITURE)

    def detect(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        text = doc.text
        for start, end, spans, sure, reason in furniture_lines(doc):
            words = " ".join(text[start:end].replace("\u2060", "").split())  # the view's joiners before '©'

            sure = sure and len(words.split()) <= SURE_WORDS and not _prose_shaped(words)
            level = Applicability.SAFE if sure else Applicability.UNSAFE
            edits = tuple(Edit(a, b, "") for a, b in spans)
            yield self.finding(
                "FUR005" if sure else "FUR006", start, end,
                f"Page furniture by the page's markup ({reason}): {quote(words, 60)}",
                fix=Fix(edits, level, "Remove the words (the markup stays)"),
            )
