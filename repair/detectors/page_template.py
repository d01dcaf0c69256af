"""A site's template across the files of one run: menu, footer and newsletter lines that recur on its pages.

A site prints the same menu entries, footer links, newsletter boxes and sign-offs on every page; an article's
lines are its own. So a short line that recurs, word for word, on at least MIN_PAGES pages of a run and on at
least MIN_SHARE of the run's pages is page furniture (FUR004), whatever its language, even where the line
classifier has no signal for it. The run is the files of `repair check DIR` or the records of a dataset: each
page's share is gathered (the hashes of its candidate lines), the shares are combined (counts of pages per
line), and the finished total keeps the recurring lines (corpus-wide: `Detector.gather` / `combine` / `finish`).

Which pages: plain text that looks like a whole scraped page (repair.detectors.furniture.looks_like_a_page), and
HTML pages that declare where their text is (repair.formats.html_regions): documentation in Markdown, reST or
HTML shares its headings ("Installation") and licence lines across files by design, and is left alone. Which
lines: short (at most MAX_WORDS words), not shaped like prose, not inside an HTML page's declared content. The
template's word alone never flags the article's head and body on a plain page (from ARTICLE_HEAD lines before
its first line of prose to its last): a popular article's headline stands in every page's "Most read" box and
is its own page's title. A page whose own text recurs in the run (the same article crawled under several
addresses) gets no finding: there every line recurs. The fix removes the line; it is safe when the line
classifier (plain text) or the page's markup (HTML) also calls the line furniture, else unsafe.
"""

from __future__ import annotations

import bisect
import hashlib
import math
import re
from typing import Iterable

from repair.detectors.base import Context, Detector
from repair.document import Document, line_removal
from repair.model import Applicability, Category, Edit, Example, Finding, Fix, RuleInfo, Severity
from repair.quoting import quote

_MENU = "Coast Herald\nNews\nSport\nWeather\nOpinion\n"
_FOOTER = "Sign up for the Morning Briefing\nAbout us\nContact the newsroom\n© 2024 Coast Herald Media Ltd\n"

TEMPLATE_LINE = RuleInfo(
    code="FUR004",
    name="site-template-line",
    category=Category.BOILERPLATE,
    severity=Severity.WARNING,
    summary="A line of a site's template: it recurs word for word on many pages of the run (menus, footers, "
    "newsletter boxes).",
    why="A site repeats its menu, footer and sign-up boxes on every page; an article's own lines are its own. A "
    "short line found on at least 3 pages and on at least a fifth of the run's pages is the template's, in any "
    "language. The fix removes it: safe when the line classifier or the page's markup also calls it "
    "furniture, else unsafe (a recurring line can be a series' standing subtitle).",
    examples=(Example(
        bad=_MENU + "Storm closes the harbour for a second day\n"
        "The harbour stayed closed on Tuesday as the storm kept the ferries in port, and the port authority said it "
        "would not reopen before the wind had dropped.\n" + _FOOTER,
        good="Storm closes the harbour for a second day\n"
        "The harbour stayed closed on Tuesday as the storm kept the ferries in port, and the port authority said it "
        "would not reopen before the wind had dropped.\n"),),
    fix=Applicability.UNSAFE,
)

#: a template line recurs on at least this many pages, and on at least this share of the run's pages
MIN_PAGES = 3
MIN_SHARE = 0.2
#: a candidate line: at most this many words (and not prose: PROSE_WORDS words or more ending a sentence)
MAX_WORDS = 25
MAX_CHARS = 250
PROSE_WORDS = 12
#: the lines before a plain page's first line of prose that are the article's head (headline, byline, date)
ARTICLE_HEAD = 3
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*$")
_LETTER = re.compile(r"[^\W\d_]")


def _key(line: str) -> str:
    return hashlib.blake2b(line.encode("utf-8"), digest_size=8).hexdigest()


def _candidate(line: str) -> bool:
    words = line.split()
    if not words or len(words) > MAX_WORDS or len(line) > MAX_CHARS or not _LETTER.search(line):
        return False
    return not (len(words) >= PROSE_WORDS and _SENTENCE_END.search(line))


class _PageLine:
    __slots__ = ("start", "end", "text", "spans", "candidate", "in_article")

    def __init__(self, start: int, end: int, text: str, spans: list[tuple[int, int]] | None, candidate: bool):
        self.start, self.end, self.text, self.spans, self.candidate = start, end, text, spans, candidate
        #: inside the article (its head and its prose): the template's recurrence alone decides nothing there
        self.in_article = False


def _plain_lines(doc: Document) -> list[_PageLine] | None:
    from repair.detectors.furniture import looks_like_a_page

    text = doc.text
    raws = text.split("\n")
    # (a page or not, from the stripped lines: their words and ends are those of the lines' normal forms)
    if not looks_like_a_page([stripped for raw in raws if (stripped := raw.strip())]):
        return None
    lines: list[_PageLine] = []
    position = 0
    for raw in raws:
        stripped = raw.strip()
        if stripped:
            start = position + raw.find(stripped)
            normal = " ".join(stripped.split())
            lines.append(_PageLine(start, start + len(stripped), normal, None, _candidate(normal)))
        position += len(raw) + 1
    prose = [i for i, line in enumerate(lines) if _prose(line.text)]
    if prose:
        for line in lines[max(prose[0] - ARTICLE_HEAD, 0):prose[-1] + 1]:
            line.in_article = True
    return lines


def _prose(line: str) -> bool:
    return len(line.split()) >= PROSE_WORDS and bool(_SENTENCE_END.search(line))


def _html_lines(doc: Document) -> list[_PageLine] | None:
    """The lines of an HTML page's prose view (its text nodes, line by line) when the page declares its content;
    a line of the content (its headline, its prose) is never a candidate: the markup says it is the page's own."""
    from repair.detectors.html_furniture import markup_regions

    regions = markup_regions(doc)
    if regions is None or not regions.declares_content:
        return None
    text = doc.text
    breaks = [m.start() for m in re.finditer("\n", text)]
    by_line: dict[int, list] = {}
    for run in regions.runs:
        raw = text[run.start:run.end]
        stripped = raw.strip()
        if not stripped:
            continue
        start = run.start + (len(raw) - len(raw.lstrip()))
        by_line.setdefault(bisect.bisect_right(breaks, start), []).append((start, start + len(stripped), run))
    lines = []
    for _, runs in sorted(by_line.items()):
        normal = " ".join(" ".join(text[a:b] for a, b, _ in runs).replace("\u2060", "").split())
        content = any(run.verdict == "content" for *_, run in runs)
        words = [(a, b) for a, b, run in runs if not run.reference]  # a reference ('&copy;') is markup to a fix
        lines.append(_PageLine(runs[0][0], runs[-1][1], normal, words, bool(words) and not content
                               and _candidate(normal)))
    return lines


def page_lines(doc: Document) -> list[_PageLine] | None:
    """The lines of a page a site's template can hold (memoised), or None: not a page (an article, a doc)."""
    def compute():
        layout = doc.layout
        if layout is not None and layout.format == "html":
            return _html_lines(doc)
        from repair.formats import format_for

        if layout is not None or (doc.format or format_for(doc.path)) != "text":
            return None  # Markdown, reST, subtitles: authored documents
        return _plain_lines(doc)

    return doc.analysis.memo("template-page-lines", compute)


def _page_digest(lines: list[_PageLine]) -> str:
    """The page's own text: its lines that are no candidate (prose), else all of them."""
    own = [line.text for line in lines if not line.candidate] or [line.text for line in lines]
    return _key("\n".join(own))


class PageTemplateDetector(Detector):
    rules = (TEMPLATE_LINE,)
    corpus_wide = True

    def gathers_from(self, doc: Document, format: str) -> bool:
        """Plain text, and HTML that may declare its content: nothing else is a page here (not even parsed)."""
        if format == "html":
            from repair.formats.html_regions import may_declare_content

            return may_declare_content(doc.text)
        return format == "text"

    def gather(self, doc: Document, ctx: Context) -> dict:
        """{"pages": 1, "lines": {key: 1} of its candidate lines, "digests": {page digest: 1}}; not a page: 0s."""
        lines = page_lines(doc)
        if lines is None:
            return {"pages": 0, "lines": {}, "digests": {}}
        keys = {_key(line.text) for line in lines if line.candidate}
        return {"pages": 1, "lines": {key: 1 for key in sorted(keys)}, "digests": {_page_digest(lines): 1}}

    @staticmethod
    def combine(parts: list[dict]) -> dict:
        """Pages counted, and per line and per page digest the number of pages (nothing dropped)."""
        pages = 0
        lines: dict[str, int] = {}
        digests: dict[str, int] = {}
        for part in parts:
            pages += part["pages"]
            for key, count in part["lines"].items():
                lines[key] = lines.get(key, 0) + count
            for key, count in part["digests"].items():
                digests[key] = digests.get(key, 0) + count
        return {"pages": pages, "lines": lines, "digests": digests}

    @staticmethod
    def replace_shares(total: dict, removed: list[dict], added: list[dict]) -> dict:
        """The counts without the removed shares' and with the added ones' (a key no page has left is dropped,
        as combine never has it)."""
        pages = total["pages"]
        lines, digests = dict(total["lines"]), dict(total["digests"])
        for part, sign in [(part, -1) for part in removed] + [(part, 1) for part in added]:
            pages += sign * part["pages"]
            for mine, theirs in ((lines, part["lines"]), (digests, part["digests"])):
                for key, count in theirs.items():
                    left = mine.get(key, 0) + sign * count
                    if left > 0:
                        mine[key] = left
                    else:
                        mine.pop(key, None)
        return {"pages": pages, "lines": lines, "digests": digests}

    @staticmethod
    def finish(total: dict) -> dict:
        """The template: {"lines": sorted keys of the lines on enough pages, "duplicates": sorted digests of the
        pages that recur}."""
        need = max(MIN_PAGES, math.ceil(MIN_SHARE * total["pages"]))
        return {"lines": sorted(k for k, n in total["lines"].items() if n >= need),
                "duplicates": sorted(k for k, n in total["digests"].items() if n > 1)}

    def merge(self, parts: list[dict]) -> dict:
        return self.finish(self.combine(parts))

    @staticmethod
    def depends_on(part: dict | None, corpus: dict | None, ctx: Context) -> list:
        """Which of the page's lines are the template's, and whether the page recurs: nothing else of the run."""
        if not part or not corpus or not part.get("pages"):
            return []
        template = set(corpus["lines"])
        digest = next(iter(part["digests"]), "")
        return [sorted(k for k in part["lines"] if k in template), digest in set(corpus["duplicates"])]

    @staticmethod
    def corpus_keys(part: dict | None) -> Iterable[str]:
        """`depends_on` reads whether the page's candidate lines are the template's and its digest a duplicate."""
        if not part or not part.get("pages"):
            return ()
        return [*part["lines"], *part["digests"]]

    @staticmethod
    def changed_keys(old: dict | None, new: dict | None, ctx: Context | None = None) -> set[str]:
        """The lines that joined or left the template, and the page digests that began or stopped recurring."""
        old = old or {"lines": [], "duplicates": []}
        new = new or {"lines": [], "duplicates": []}
        return (set(old["lines"]) ^ set(new["lines"])) | (set(old["duplicates"]) ^ set(new["duplicates"]))

    def detect(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        corpus = ctx.corpus_part(self.name)
        if not corpus or not corpus["lines"]:
            return
        lines = page_lines(doc)
        if not lines:
            return
        template = set(corpus["lines"])
        hits = [line for line in lines if line.candidate and _key(line.text) in template]
        if not hits or _page_digest(lines) in set(corpus["duplicates"]):
            return
        agreed = self._furniture_elsewhere(doc, hits)
        text = doc.text
        for line in hits:
            if line.in_article and line.start not in agreed:
                continue  # a popular article's headline in every page's "most read" box is its own page's title
            level = Applicability.SAFE if line.start in agreed else Applicability.UNSAFE
            if line.spans is None:
                start, end = line_removal(text, line.start, line.end)
                fix = Fix.replace(start, end, "", level, "Remove the line")
            else:
                fix = Fix(tuple(Edit(a, b, "") for a, b in line.spans), level, "Remove the words (the markup stays)")
            yield self.finding(
                "FUR004", line.start, line.end,
                f"A line of the site's template (it recurs on many pages of this run): {quote(line.text, 60)}",
                fix=fix,
            )

    @staticmethod
    def _furniture_elsewhere(doc: Document, hits: list[_PageLine]) -> set[int]:
        """Starts of the hit lines that the line classifier (plain text) or the markup (HTML) calls furniture."""
        if hits[0].spans is not None:
            from repair.detectors.html_furniture import furniture_lines

            flagged = set()
            for start, end, _spans, _sure, _reason in furniture_lines(doc):
                flagged.update(line.start for line in hits
                               if start <= line.start < end or line.start <= start < line.end)
            return flagged
        return classifier_furniture(doc.text) & {line.start for line in hits}


def classifier_furniture(text: str) -> set[int]:
    """Starts (first non-blank character) of the lines the furniture classifier scores as furniture at all (its
    unsafe threshold or above): the scoring of repair.detectors.furniture (repair.furniture_classifier)."""
    from repair.furniture_classifier import furniture_lines

    return {start for _line, start, _stripped, _sure in furniture_lines(text)}
