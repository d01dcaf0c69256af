"""Which text of an HTML page its markup marks as page furniture, and which as the page's own content.

What jusText and trafilatura read first on a web page, as data: every text node of the page with the verdict of
its innermost telling element (data in, data out; nothing here knows a site):

- content: `<main>`, `<article>`, `role=main|article`, `itemprop=articleBody`, a class or id naming an article's
  body ("article-body", "entry-content", "story-body", ...);
- furniture: `<nav>`, `<aside>`, `<footer>`, `<header>`, the landmark roles navigation, banner, contentinfo,
  complementary and search (these are *landmarks*: the page's author says what the text is), and class or id
  hints (menu, nav, footer, sidebar, share, related, cookie, comment, newsletter, ...: a hint, not a statement);
  the controls of a form (button, label, option);
- a header or footer inside the content is the article's own (its headline, byline, date): it stays content.

Each text node also knows whether it lies inside a link, and the block it belongs to (its innermost block-level
element), whose link density — the share of the block's letters that stand inside `<a>` — marks menus and lists
of teasers that no class names. A page that declares no content (documentation built by Sphinx or docutils, a
hand-written page) gets no verdict at all: its navigation may be the document's own table of contents, and
without a declared main text nothing tells its sidebar from its text. Documentation is left alone too, even when
it declares its content (mdBook, MkDocs and rustdoc write `<main>`): a page with code in it, or made by a
documentation generator, shares its navigation across the site by design.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

#: elements the markup says are not the page's text (a landmark: the author's own statement)
LANDMARK_TAGS = frozenset({"nav", "aside", "footer", "header"})
LANDMARK_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search"})
CONTENT_TAGS = frozenset({"main", "article"})
CONTENT_ROLES = frozenset({"main", "article"})
#: a class or id naming the article's body (whole value or a run of its tokens)
CONTENT_HINT = re.compile(
    r"(?:^|[\s_-])(?:article|story|entry|post|news)[_-]?(?:body|content|text)(?:$|[\s_-])|"
    r"(?:^|\s)articlebody(?:$|\s)", re.IGNORECASE)
#: tokens of a class or id that name furniture (the value is cut at spaces, hyphens and underscores; camel case
#: is lowered): a hint only
FURNITURE_HINTS = frozenset(
    "menu menus nav navbar navigation breadcrumb breadcrumbs footer sidebar share sharing sharebar social "
    "related recommended cookie cookies consent gdpr comment comments newsletter subscribe subscription "
    "promo advert advertisement ads banner widget widgets masthead topbar toolbar pagination pager "
    "skip skiplink outbrain taboola trending popular mostread tags".split())
#: form controls: their text is the interface's
CONTROL_TAGS = frozenset({"button", "label", "option", "select", "legend"})
#: elements whose text is no page text (the HTML format masks most of them; the head's title is the page's name)
SKIPPED = frozenset({"head", "title", "script", "style", "noscript", "template", "svg", "math", "code", "pre", "kbd",
                     "samp", "tt", "var", "xmp", "listing"})
VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
BLOCKS = frozenset(
    "address article aside blockquote body caption dd details dialog div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hgroup legend li main menu nav ol p section summary table tbody td "
    "tfoot th thead tr ul".split())
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_TOKEN = re.compile(r"[^\s_-]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


@dataclass(frozen=True)
class TextRun:
    """One text node of the page: [start, end) in the page's text, what its ancestors say it is."""

    start: int
    end: int
    #: "content", "furniture" or "" (nothing telling around it)
    verdict: str
    #: why, for messages: "<nav>", "role=navigation", "class 'share-bar'", "a link-dense block"
    reason: str
    #: furniture by a landmark (element or role) outside any content: the author's own statement
    landmark: bool
    in_link: bool
    heading: bool
    block: int
    #: a character reference (&copy;): shown as its character, but markup to a fix (never removed)
    reference: bool = False


@dataclass(frozen=True)
class PageRegions:
    runs: tuple[TextRun, ...]
    #: per block (TextRun.block): the share of its letters inside links
    link_density: tuple[float, ...]
    #: whether the page says where its text is (a content element): else no verdict is given
    declares_content: bool

    def furniture_runs(self) -> list[tuple[TextRun, bool]]:
        """(run, sure) for each text node the markup calls furniture: inside a landmark or under a furniture hint,
        or outside the content in a link-dense block. Nothing when the page declares no content; nothing inside the
        content unless a furniture element or hint inside it says so."""
        if not self.declares_content:
            return []
        found = []
        for run in self.runs:
            if run.verdict == "furniture":
                found.append((run, run.landmark))
            elif run.verdict == "" and run.block and self.link_density[run.block] >= LINK_DENSE:
                found.append((run, False))
        return found


#: a block with this share of its letters inside links is a menu or a list of teasers
LINK_DENSE = 0.6


#: what a page that declares its content must contain somewhere (a page without it is not parsed again)
_MAY_DECLARE = re.compile(
    r"<(?:main|article)\b|\brole\s*=\s*[\"']?(?:main|article)\b|articlebody|"
    r"(?:article|story|entry|post|news)[_-]?(?:body|content|text)", re.IGNORECASE)


#: documentation: code anywhere, or a documentation generator's name (its navigation is its table of contents,
#: shared by every page of the site by design: no verdict, no template)
_DOCUMENTATION = re.compile(
    r"<(?:pre|code|kbd|samp)\b|<meta\s[^>]*name\s*=\s*[\"']?generator[\"']?[^>]*content\s*=\s*[\"']?[^\"'>]*"
    r"(?:sphinx|docutils|mkdocs|docusaurus|rustdoc|mdbook|doxygen|javadoc|jsdoc|vuepress|vitepress|gitbook|antora)",
    re.IGNORECASE)


def may_declare_content(text: str) -> bool:
    """Whether the page has a sign of declared content anywhere and is no documentation (cheap: no parse)."""
    return _MAY_DECLARE.search(text) is not None and _DOCUMENTATION.search(text) is None


def page_regions(text: str) -> PageRegions:
    """The text nodes of an HTML page with their verdicts (malformed HTML never raises: what follows a construct
    the parser gives up on gets no verdict). A page with no sign of declared content is not parsed: no verdict."""
    if not may_declare_content(text):
        return PageRegions((), (), False)
    walker = _Walker(text)
    try:
        walker.feed(text)
        walker.close()
    except Exception:  # noqa: BLE001 - HTMLParser gives up on some malformed declarations; keep what it read
        pass
    density = tuple(linked / letters if letters else 0.0 for letters, linked in walker.block_letters)
    return PageRegions(tuple(walker.runs), density, walker.declares_content)


def _hint_tokens(value: str) -> list[str]:
    return [token.lower() for token in _TOKEN.findall(_CAMEL.sub("-", value))]


def _verdict(tag: str, attrs: dict[str, str]) -> tuple[str, str, bool]:
    """(verdict, reason, landmark) an element itself gives its text ("" when it says nothing)."""
    role = attrs.get("role", "").lower().strip()
    if tag in CONTENT_TAGS:
        return "content", f"<{tag}>", False
    if role in CONTENT_ROLES or attrs.get("itemprop", "").lower() == "articlebody":
        return "content", f"role={role}" if role else "itemprop=articleBody", False
    if tag in LANDMARK_TAGS:
        return "furniture", f"<{tag}>", True
    if role in LANDMARK_ROLES:
        return "furniture", f"role={role}", True
    if tag in CONTROL_TAGS:
        return "furniture", f"a form's <{tag}>", False
    for name in ("class", "id"):
        value = attrs.get(name, "")
        if not value:
            continue
        if CONTENT_HINT.search(value):
            return "content", f"{name} {value!r}", False
        if any(token in FURNITURE_HINTS for token in _hint_tokens(value)):
            return "furniture", f"{name} {value!r}", False
    return "", "", False


class _Walker(HTMLParser):
    """Keeps the stack of open elements with what each says, and records every text node with it."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.text = text
        self.line_starts = [0]
        index = text.find("\n")
        while index != -1:
            self.line_starts.append(index + 1)
            index = text.find("\n", index + 1)
        # (tag, verdict, reason, landmark, block index or -1, heading)
        self.stack: list[tuple[str, str, str, bool, int, bool]] = []
        self.runs: list[TextRun] = []
        self.block_letters: list[list[int]] = [[0, 0]]  # block 0: text outside any block
        self.links = 0
        self.skipped = 0
        self.declares_content = False

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        if tag in SKIPPED:
            self.skipped += 1
        if tag == "a":
            self.links += 1
        values = {name: value or "" for name, value in attrs if name in ("class", "id", "role", "itemprop")}
        verdict, reason, landmark = _verdict(tag, values)
        outer = self.stack[-1] if self.stack else ("", "", "", False, 0, False)
        if verdict == "content":
            self.declares_content = True
        elif verdict == "furniture" and outer[1] == "content":
            if tag in ("header", "footer") or any(t in ("header", "footer", "byline", "meta")
                                                  for t in _hint_tokens(values.get("class", ""))):
                verdict = ""  # the article's own header or footer: its headline, byline, date
            landmark = False  # inside the content, a hint only
        if not verdict:
            verdict, reason, landmark = outer[1], outer[2], outer[3]
        elif verdict == "furniture" and outer[1] == "furniture":
            reason, landmark = outer[2], outer[3] or landmark  # the outermost furniture names it
        block = outer[4]
        if tag in BLOCKS:
            block = len(self.block_letters)
            self.block_letters.append([0, 0])
        self.stack.append((tag, verdict, reason, landmark, block, outer[5] or tag in HEADINGS))

    def handle_startendtag(self, tag, attrs):
        pass  # <br/>, <img/>: no text inside

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                for closed in self.stack[depth:]:
                    if closed[0] in SKIPPED:
                        self.skipped -= 1
                    elif closed[0] == "a":
                        self.links -= 1
                del self.stack[depth:]
                return

    def handle_data(self, data, reference: bool = False):
        if self.skipped or not data.strip():
            return
        start = self._offset()
        tag, verdict, reason, landmark, block, heading = self.stack[-1] if self.stack else ("", "", "", False, 0, False)
        letters = sum(1 for c in data if c.isalnum())
        counts = self.block_letters[block]
        counts[0] += letters
        if self.links:
            counts[1] += letters
        self.runs.append(TextRun(start, start + len(data), verdict, reason, landmark, self.links > 0, heading, block,
                                 reference))

    def handle_entityref(self, name):
        self._reference(f"&{name}")

    def handle_charref(self, name):
        self._reference(f"&#{name}")

    def _reference(self, raw: str) -> None:
        """A character reference as a run of its own (its `;` is optional in HTML)."""
        start = self._offset()
        if self.text.startswith(";", start + len(raw)):
            raw += ";"
        self.handle_data(raw, reference=True)
