"""HTML and CSS left in plain text: tags, style and script blocks, CSS rules, character entities."""

from __future__ import annotations

import re
from functools import cache
from typing import Iterable

from repair.quoting import quote
from repair.detectors.base import Context, Detector
from repair.document import Document, line_removal
from repair.model import Applicability, Category, Example, Finding, Fix, RuleInfo, Severity

HTML_BLOCK = RuleInfo(
    code="MRK001",
    name="html-code-block",
    category=Category.MARKUP,
    severity=Severity.ERROR,
    summary="A <style> or <script> element, or a CSS rule, left in plain text.",
    why="Scrapers that keep the page's text nodes also keep the contents of style and script elements.",
    examples=(
        Example(
            bad='Chats\n<style type="text/css"> .wpb_animate_when_almost_visible { opacity: 1; }</style>\n',
            good="Chats\n",
        ),
    ),
    fix=Applicability.SAFE,
)
HTML_TAG = RuleInfo(
    code="MRK002",
    name="html-tag",
    category=Category.MARKUP,
    severity=Severity.ERROR,
    summary="An HTML tag in plain text.",
    why="Tags are markup for a browser; in plain text they are noise that readers see.",
    examples=(Example(bad="The city was <b>liberated</b> on Sunday.\n", good="The city was liberated on Sunday.\n"),),
    fix=Applicability.SAFE,
)
HTML_ENTITY = RuleInfo(
    code="MRK003",
    name="html-entity",
    category=Category.MARKUP,
    severity=Severity.WARNING,
    summary="An HTML character reference (&amp;, &#8217;, &nbsp;) in plain text.",
    why="Entities are how HTML escapes characters; plain text should hold the character itself.",
    examples=(Example(bad="Syria&#8217;s army &amp; its allies\n", good="Syria’s army & its allies\n"),),
    fix=Applicability.SAFE,
)

_TAG_NAMES = (
    "a abbr address article aside audio b blockquote body br button caption center cite code col dd del details "
    "div dl dt em embed fieldset figcaption figure font footer form h1 h2 h3 h4 h5 h6 head header hr html i iframe "
    "img input ins label legend li link main mark meta nav noscript ol option p picture pre q s section select "
    "small source span strong sub summary sup table tbody td template textarea tfoot th thead time title tr u ul "
    "video wbr"
).split()


# The regexes are compiled on first use, each on the first document holding its character ('<', '{', '&'): most
# plain text holds none of them, and compiling all five costs a run about 3 ms.
@cache
def _angle_regexes() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """An HTML block (style, script, noscript: U+2060 being the word joiners a prose view puts before an entity's
    character, as in &lt;/style&gt; in HTML), an HTML comment, an HTML tag."""
    return (re.compile(r"<(style|script|noscript)\b[^>]*>.*?</\1[\s\u2060]*>", re.IGNORECASE | re.DOTALL),
            re.compile(r"<!--.*?-->", re.DOTALL),
            re.compile(r"</?(?:" + "|".join(_TAG_NAMES)
                       + r")\b(?:\s+[\w:-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*\s*/?>", re.IGNORECASE))


@cache
def _css_rule() -> re.Pattern:
    return re.compile(r"^\s*(?:[.#@]?[\w-]+(?:[\s,>+~]+[.#:]?[\w-]+)*\s*\{[^{}\n]*:[^{}\n]*\}\s*)+$", re.MULTILINE)


#: a stretch that nothing but a CSS selector's characters and white space fill
_SELECTOR_CHARACTERS = re.compile(r"[\w\s.#@:,>+~-]*")


def _css_rules(text: str) -> list[tuple[int, int]]:
    """The spans of _css_rule().finditer(text), found by trying the pattern only at the line starts a match can
    begin at (a search tries every position of the text: 0.4 s on 8 MB of prose that holds none). A match begins
    at a line start, then white space and a selector run to its first '{': that line's start and those of the
    lines above it that selector characters and white space fill."""
    pattern = _css_rule()
    spans: list[tuple[int, int]] = []
    end = 0  # where the last match ended
    tried = -1  # the last line start tried
    brace = text.find("{")
    while brace != -1:
        line = text.rfind("\n", 0, brace) + 1
        starts = [line]
        while line > 0 and line > tried + 1:
            above = text.rfind("\n", 0, line - 1) + 1
            if above <= tried or not _SELECTOR_CHARACTERS.fullmatch(text, above, line):
                break
            starts.append(above)
            line = above
        for start in reversed(starts):
            if start <= tried or start < end:
                continue
            tried = start
            match = pattern.match(text, start)
            if match is not None:
                spans.append(match.span())
                end = match.end()
        brace = text.find("{", max(brace + 1, end))
    return spans


@cache
def _entity() -> re.Pattern:
    return re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


class MarkupDetector(Detector):
    rules = (HTML_BLOCK, HTML_TAG, HTML_ENTITY)

    def detect(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        text = doc.text
        has_angle = "<" in text
        blocks: list[tuple[int, int]] = []
        if has_angle:
            block, comment, tag = _angle_regexes()
            for regex in (block, comment):
                for match in regex.finditer(text):
                    blocks.append(match.span())
                    yield self._removal("MRK001", text, match.start(), match.end(), "HTML element or comment")
        if "{" in text:
            for start, end in _css_rules(text):
                if not any(s <= start < e for s, e in blocks):
                    yield self._removal("MRK001", text, start, end, "CSS rule")
        if has_angle:
            for match in tag.finditer(text):
                start, end = match.span()
                if any(s <= start < e for s, e in blocks):
                    continue
                replacement = "\n" if match.group(0).lower().startswith("<br") else ""
                yield self.finding("MRK002", start, end, f"HTML tag {quote(match.group(0))} in plain text", replacement=replacement,
                                   title="Remove the tag" if not replacement else "Replace with a line break")
        if "&" in text:
            import html  # (its table of entities costs a run ~2 ms: imported for the first text with a '&')

            for match in _entity().finditer(text):
                start, end = match.span()
                if any(s <= start < e for s, e in blocks):
                    continue
                entity = match.group(0)
                character = html.unescape(entity)
                if character == entity:
                    continue
                if character == "\u00a0":
                    character = " "
                yield self.finding("MRK003", start, end, f"HTML entity {entity} stands for {quote(character)}", replacement=character)

    def _removal(self, code: str, text: str, start: int, end: int, what: str) -> Finding:
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end == -1 else line_end
        if line_end > 0 and text[line_end - 1] == "\r":
            line_end -= 1
        if not text[line_start:start].strip() and not text[end:line_end].strip():
            remove = line_removal(text, line_start, line_end)
        else:
            remove = (start, end)
        fix = Fix.replace(remove[0], remove[1], "", Applicability.SAFE, "Remove the markup")
        return self.finding(code, start, end, f"{what} in plain text: {quote(text[start:end], 60)}", fix=fix)
