"""Issue 9, item 3: the property test of fix safety in file formats.

Hypothesis builds Markdown, HTML, SRT and WebVTT documents out of parts whose fate is known in advance:

- prose parts hold real damage that repair fixes (mojibake, French acronyms and words with source language fr, a
  Cyrillic homoglyph, house style, spaces inside parentheses, a literal 'il y a' — an unsafe fix —, leaked escaping,
  a doubled space and a character reference where the format shows them as written, a UI string on a line of its
  own...), each with the text it must become;
- look-alike parts hold the same damage where it is not prose: code blocks and code spans, link targets and titles,
  autolinks, bare URLs, images, inline and block HTML and its attributes, comments, front matter, math, reference
  definitions, `<script>`, `<style>`, `<pre>`, `<code>`, `<kbd>`, the format's own character references, table
  delimiter rows, cue numbers, timing lines (with doubled spaces) and cue settings, cue tags, cue identifiers,
  WebVTT headers, NOTE, STYLE and REGION blocks;
- the markup around them (block separators, list and emphasis markers, hard breaks, table padding) is kept as
  written; a few adversarial bits (spaces inside parentheses around a code span) may change or not ("free").

The public API fixes each document with the unsafe fixes on (`Checker(languagetool=False, source_language="fr")
.fix_text(text, unsafe=True, format=...)`), and the test asserts:

(a) every masked byte is unchanged: no applied edit (in the original's coordinates) touches a masked region of the
    original's layout (`repair.formats.parse`); each masked region's text occurs, in order, in the fixed text; every
    planted look-alike is masked in the original and occurs byte-identical, in order, in the fixed text;
(b) the planted prose damage is gone: the fixed document is exactly the parts' expected texts, in order (a free
    part matches anything);
(c) fixing the fixed text again changes nothing.

Known bugs in repair/ found by this test are pinned by the strict-xfail tests at the end; while they are open the
generator steers clear of them (REPAIR_FUZZ_KNOWN_BUGS=1 lets it plant them, to see whether they are fixed).
REPAIR_FUZZ_EXAMPLES sets the number of documents per format (500).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from repair.api import Checker
from repair.formats import Layout, parse

EXAMPLES = int(os.environ.get("REPAIR_FUZZ_EXAMPLES", "500"))
AVOID_KNOWN_BUGS = os.environ.get("REPAIR_FUZZ_KNOWN_BUGS", "") != "1"


# --- the parts of a document --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Part:
    #: "prose": damaged -> fixed; "look": a masked look-alike, kept byte for byte; "text": markup or clean prose,
    #: kept; "free": may change (adversarial white space next to markup), only fix safety is asserted around it
    kind: str
    original: str
    expected: str


def prose(damaged: str, fixed: str) -> Part:
    return Part("prose", damaged, fixed)


def look(value: str) -> Part:
    return Part("look", value, value)


def text(value: str) -> Part:
    return Part("text", value, value)


def free(value: str) -> Part:
    return Part("free", value, value)


#: damaged sentence -> the sentence repair's fixes make of it, in the prose of every format
DAMAGE = [
    ("The cafÃ© opened in Palmyra.", "The café opened in Palmyra."),
    ("The end would not serve Ankaraâ€™s interests, he added.", "The end would not serve Ankara’s interests, he added."),
    ("The ﬁnal report was published on Monday.", "The final report was published on Monday."),
    ("The Islamic State group (EI) lost Palmyra.", "The Islamic State group (IS) lost Palmyra."),
    ("The Syrian Observatory for Human Rights (OSDH) said so.",
     "The Syrian Observatory for Human Rights (SOHR) said so."),
    ("The ONU and the OTAN condemned the attack, the OMS said.",
     "The UN and the NATO condemned the attack, the WHO said."),
    ("The Syrian аrmy advanced.", "The Syrian army advanced."),
    ("The terrorists destroyed its world-renown ancient ruins.",
     "The terrorists destroyed its world-renowned ancient ruins."),
    ("The ministry said it in an e-mail.", "The ministry said it in an email."),
    ("The jihadis posted the video on their web site.", "The jihadists posted the video on their website."),
    ("The observatory ( SOHR ) counted the dead.", "The observatory (SOHR) counted the dead."),
    ("Then 188 members prorégime perished.", "Then 188 members pro-regime perished."),
    ("The djihadistes withdrew from Palmyra, selon the army.",
     "The jihadists withdrew from Palmyra, according to the army."),
    ("Fighting went on in Deir Ezzor (east) and Raqa (north).",
     "Fighting went on in Deir ez-Zor (east) and Raqqa (north)."),
    ("The city fell there is a week, according to the observatory.",  # FR010: an unsafe fix
     "The city fell a week ago, according to the observatory."),
]
#: damage that is damage only in some formats' prose
DOUBLE_ESCAPE = ("The spokesman said &amp;quot;enough&amp;quot; twice.", "The spokesman said &quot;enough&quot; twice.")
DOUBLED_SPACE = ("The army  advanced at dawn.", "The army advanced at dawn.")
EXTRA = {
    # escaping leaked into the text: the reader sees "&quot;"; the fix leaves the format's own escape
    "markdown": [DOUBLE_ESCAPE],
    "html": [DOUBLE_ESCAPE],
    # character references are no SRT escapes; runs of spaces are shown as they are in subtitles
    "srt": [("Syria&#8217;s army held the line.", "Syria’s army held the line."),
            ("The spokesman said &amp;quot;enough&amp;quot; twice.", 'The spokesman said "enough" twice.'),
            DOUBLED_SPACE],
    "vtt": [DOUBLE_ESCAPE, DOUBLED_SPACE],
}
EXTRA["srt"] = [*EXTRA.get("srt", []), ("The cafÃ&copy; reopened.", "The café reopened.")]  # was a known bug
#: damage that only the known bugs keep from being fixed (planted with REPAIR_FUZZ_KNOWN_BUGS=1)
BUGGY_EXTRA: dict[str, list] = {}
#: sentences with a damaged word that can sit inside an inline element: before, damaged, fixed, after
TAGGED = [
    ("The Syrian ", "аrmy", "army", " advanced again."),
    ("Its ", "world-renown", "world-renowned", " ruins were damaged."),
    ("They wrote an ", "e-mail", "email", " to us."),
]
#: clean sentences, to vary the prose around the damage
CLEAN = [
    "The talks resumed in Geneva on Tuesday.",
    "Nobody was hurt in the blast.",
    "Prices rose by two percent last year.",
    "The museum will reopen in the spring.",
    "Rain is expected over the weekend.",
    "The committee approved the budget.",
]
MOJIBAKE = re.compile("Ã|â€|ﬁ")

#: damage that look-alikes carry (the same kinds as the prose's)
LOOK_TOKENS = ["cafÃ©", "(EI)", "OSDH", "аrmy", "world-renown", "Ankaraâ€™s", "ﬁnal", "e-mail", "prorégime",
               "( SOHR )", "Raqa", "&amp;quot;x&amp;quot;", "there is a week", "Share Post", "web site", "selon"]
#: what a URL may carry
URL_TOKENS = ["cafÃ©", "(EI)", "аrmy", "world-renown", "e-mail", "prorégime", "Raqa", "OSDH", "web_site"]
#: single tokens with no space, quote, dollar or backtick
WORD_TOKENS = ["cafÃ©", "(EI)", "аrmy", "world-renown", "ﬁnal", "e-mail", "prorégime", "OSDH", "Raqa"]


def look_text(draw, forbidden: str = "", joiners=(" ", "  ", "   ")) -> str:
    tokens = draw(st.lists(st.sampled_from([t for t in LOOK_TOKENS if not set(forbidden) & set(t)]),
                           min_size=1, max_size=4))
    return draw(st.sampled_from(joiners)).join(tokens)


def url_text(draw) -> str:
    tokens = draw(st.lists(st.sampled_from(URL_TOKENS), min_size=1, max_size=3))
    return "https://example.com/" + "/".join(tokens) + "/page"


def word(draw) -> str:
    return draw(st.sampled_from(WORD_TOKENS))


class Sentences:
    """The prose sentences of one document, each used once (a repeated line is damage of its own)."""

    def __init__(self, draw, fmt: str):
        damage = DAMAGE + EXTRA.get(fmt, []) + ([] if AVOID_KNOWN_BUGS else BUGGY_EXTRA.get(fmt, []))
        self.draw = draw
        self.pool = [prose(d, f) for d, f in damage] + [text(s) for s in CLEAN]
        self.tagged = list(TAGGED)
        self.count = 0

    def _take(self, pool: list):
        return pool.pop(self.draw(st.integers(0, len(pool) - 1)))

    def label(self) -> int:
        """A number used once in the document (footnote labels)."""
        self.count += 1
        return self.count

    def next(self) -> Part:
        if self.pool:
            return self._take(self.pool)
        return text(f"More text follows, part {self.label()}.")

    def tagged_word(self, opening: str, closing: str) -> list[Part]:
        """A sentence whose damaged word stands inside an inline element."""
        if not self.tagged:
            return [look(opening), self.next(), look(closing)]
        before, damaged, fixed, after = self._take(self.tagged)
        return [text(before), look(opening), prose(damaged, fixed), look(closing), text(after)]


def joined(items: list[list[Part]], separators) -> list[Part]:
    parts: list[Part] = []
    for index, item in enumerate(items):
        if index:
            parts.append(text(separators(index)))
        parts.extend(item)
    return parts


# --- Markdown -----------------------------------------------------------------------------------------------------
def md_inline(draw, sentences: Sentences) -> list[Part]:
    choice = draw(st.sampled_from(["code", "code2", "link", "link-title", "autolink", "bare-url", "image", "span",
                                   "comment", "entity", "kbd", "math", "emphasis", "tagged", "parens-code",
                                   "email"]))
    if choice == "code":
        return [look("`" + look_text(draw, "`") + "`")]
    if choice == "code2":
        return [look("`` a ` " + look_text(draw, "`") + " ``")]
    if choice == "link":
        return [look("["), sentences.next(), look("](" + url_text(draw) + ")")]
    if choice == "link-title":
        return [look("["), sentences.next(), look("](" + url_text(draw) + ' "' + look_text(draw, '"') + '")')]
    if choice == "autolink":
        return [look("<" + url_text(draw) + ">")]
    if choice == "bare-url":
        return [look(url_text(draw))]
    if choice == "image":
        return [look("![" + look_text(draw, "[]") + "](img/" + word(draw) + ".png)")]
    if choice == "span":
        return [look('<span title="' + look_text(draw, '"') + '">'), sentences.next(), look("</span>")]
    if choice == "comment":
        return [look("<!-- " + look_text(draw, "-") + " -->")]
    if choice == "entity":
        return [look(draw(st.sampled_from(["&#8217;", "&eacute;", "&copy;", "&#x2014;"])))]
    if choice == "kbd":
        return [look("<kbd>" + look_text(draw, "<>") + "</kbd>")]
    if choice == "math":
        return [look("$\\text{" + word(draw) + "}$")]
    if choice == "email":
        return [text("Write to"), text(" "), look(draw(st.sampled_from(["cafe", "world-renown", "e-mail"]))
                                                  + "@example.com"), text(" today.")]
    if choice == "emphasis":
        marker = draw(st.sampled_from(["*", "**", "_", "~~"]))
        return [text(marker), sentences.next(), text(marker)]
    if choice == "tagged":
        opening, closing = draw(st.sampled_from([("<b>", "</b>"), ("<em>", "</em>"), ("**", "**"), ("*", "*")]))
        parts = sentences.tagged_word(opening, closing)
        if opening.startswith("*"):  # emphasis markers: markup, masked, but no look-alike of damage
            parts = [text(p.original) if p.original == opening else p for p in parts]
        return parts
    return [text("See"), free(" ( "), look("`" + look_text(draw, "`") + "`"), free(" ) ")]


def md_paragraph(draw, sentences: Sentences, nl: str) -> list[Part]:
    items: list[list[Part]] = []
    for _ in range(draw(st.integers(1, 4))):
        items.append(md_inline(draw, sentences) if draw(st.booleans()) else [sentences.next()])
    parts: list[Part] = []
    for index, item in enumerate(items):
        opens_html = item[0].original.startswith("<!--")  # a line that starts with a comment is an HTML block
        if opens_html and not index:
            parts.append(text("See"))
        if index or opens_html:
            parts.append(text(" " if opens_html else draw(st.sampled_from([" ", nl, "  " + nl]))))  # hard break
        parts.extend(item)
    return parts


def md_code_lines(draw, nl: str, indent: str = "") -> str:
    lines = [indent + look_text(draw, "`~") for _ in range(draw(st.integers(1, 3)))]
    if draw(st.booleans()):
        lines.append(lines[-1])  # a repeated line
    if draw(st.booleans()):
        lines.append(indent + "Share Post")
    return nl.join(lines)


MD_BLOCKS = ["paragraph", "paragraph", "heading", "setext", "list", "quote", "table", "fence", "tildes", "indented",
             "comment", "html", "math", "reference", "footnote", "share"]


def md_block(draw, choice: str, sentences: Sentences, nl: str) -> list[Part]:
    if choice == "paragraph":
        return md_paragraph(draw, sentences, nl)
    if choice == "heading":
        return [text(draw(st.sampled_from(["# ", "## ", "### "]))), sentences.next()]
    if choice == "list":
        marker = draw(st.sampled_from(["- ", "* ", "1. ", "- [ ] ", "- [x] "]))
        items = [[text(marker)] + md_paragraph(draw, sentences, " ") for _ in range(draw(st.integers(1, 3)))]
        return joined(items, lambda _: nl)
    if choice == "setext":
        return [sentences.next(), text(nl + draw(st.sampled_from(["===", "---", "=========="])))]
    if choice == "footnote":
        label = f"[^{sentences.label()}]"  # a label defined twice: markdown-it shows the last definition only
        return [sentences.next(), look(label), text(nl + nl), look(label + ":"), text(" "), sentences.next()]
    if choice == "quote":
        return [text("> ")] + md_paragraph(draw, sentences, " ")
    if choice == "table":
        pad = draw(st.sampled_from([" ", "  ", "    "]))
        parts = [text("| Name" + pad + "| Note" + pad + "|" + nl), look("|:" + "-" * 6 + "|" + "-" * 6 + ":|")]
        for _ in range(draw(st.integers(1, 2))):
            parts += [text(nl + "| "), sentences.next(), text(pad + "| "), sentences.next(), text(pad + "|")]
        return parts
    if choice == "fence":
        return [look("```" + draw(st.sampled_from(["", "python", "text"])) + nl + md_code_lines(draw, nl) + nl + "```")]
    if choice == "tildes":
        return [look("~~~" + nl + md_code_lines(draw, nl) + nl + "~~~")]
    if choice == "indented":
        return [look(md_code_lines(draw, nl, "    "))]
    if choice == "comment":
        return [look("<!--" + nl + look_text(draw, "-<>") + nl + "-->")]
    if choice == "html":
        return [look('<div title="' + look_text(draw, '"') + '" class="' + word(draw) + '">'), text(nl + nl)] \
            + md_paragraph(draw, sentences, nl) + [text(nl + nl), look("</div>")]
    if choice == "math":
        return [look("$$" + nl + "\\text{" + word(draw) + "}" + nl + "$$")]
    if choice == "reference":
        return [look(f"[ref-{draw(st.integers(1, 99))}]: " + url_text(draw) + ' "' + look_text(draw, '"') + '"')]
    return [prose("Share Post", "")]  # a UI string as a paragraph of its own: the paragraph goes


@st.composite
def markdown_documents(draw) -> list[Part]:
    nl = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    sentences = Sentences(draw, "markdown")
    parts: list[Part] = []
    if draw(st.booleans()):
        parts += [look("---" + nl + "title: " + look_text(draw, ":#'\"[]{}&") + nl + "tags: [" + word(draw) + "]"
                       + nl + "---"), text(nl + nl)]
    choices: list[str] = []
    for _ in range(draw(st.integers(1, 5))):
        # after a list item or a footnote, an indented block would continue it
        allowed = [c for c in MD_BLOCKS if not (c == "indented" and choices[-1:] in (["list"], ["footnote"]))]
        if choices[-1:] == ["share"]:
            allowed.remove("share")
            # removing the line could pull the code into a list item: the removal is held there
            # (test_a_line_removal_that_would_change_how_the_file_parses_is_held), so no generated expectation
            allowed.remove("indented")
        choices.append(draw(st.sampled_from(allowed)))
    ending = nl if draw(st.booleans()) else ""
    for index, choice in enumerate(choices):
        last = index == len(choices) - 1
        if choice == "share":
            if not last:  # the line goes with the blank line after it
                parts.append(prose("Share Post" + nl + nl, ""))
            elif parts:  # the last line goes with a line break before or after it
                parts[-1] = free(parts[-1].original + "Share Post")
                parts.append(text(ending))
            else:
                parts.append(prose("Share Post" + ending, ""))
            continue
        parts += md_block(draw, choice, sentences, nl)
        parts.append(text(nl + nl if not last else ending))
    return parts


# --- HTML ---------------------------------------------------------------------------------------------------------
def html_inline(draw, sentences: Sentences) -> list[Part]:
    choice = draw(st.sampled_from(["link", "code", "kbd", "image", "entity", "span", "br", "comment", "em",
                                   "tagged"]))
    if choice == "link":
        return [look('<a href="' + url_text(draw) + '" title="' + look_text(draw, '"<>&') + '">'), sentences.next(),
                look("</a>")]
    if choice == "code":
        return [look("<code>" + look_text(draw, "<>") + "</code>")]
    if choice == "kbd":
        return [look("<kbd>" + look_text(draw, "<>") + "</kbd>")]
    if choice == "image":
        return [look('<img src="img/' + word(draw) + '.png" alt="' + look_text(draw, '"<>&') + '">')]
    if choice == "entity":
        return [look(draw(st.sampled_from(["&#8217;", "&eacute;", "&copy;", "&#x2014;", "&amp;"])))]
    if choice == "span":
        return [look('<span class="' + word(draw) + '" data-note="' + look_text(draw, '"<>&') + '">'),
                sentences.next(), look("</span>")]
    if choice == "br":
        return [look("<br>")]
    if choice == "comment":
        return [look("<!-- " + look_text(draw, "-<>") + " -->")]
    if choice == "em":
        return [look("<em>"), sentences.next(), look("</em>")]
    opening = draw(st.sampled_from(["<b>", "<strong>", '<a href="' + url_text(draw) + '">']))
    return sentences.tagged_word(opening, "</" + opening[1:].split(">")[0].split(" ")[0] + ">")


def html_flow(draw, sentences: Sentences, nl: str) -> list[Part]:
    items = [html_inline(draw, sentences) if draw(st.booleans()) else [sentences.next()]
             for _ in range(draw(st.integers(1, 4)))]
    return joined(items, lambda _: draw(st.sampled_from([" ", nl])))


def html_block(draw, sentences: Sentences, nl: str) -> list[Part]:
    choice = draw(st.sampled_from(["p", "p", "h2", "ul", "pre", "pre-code", "comment", "table", "quote", "script"]))
    if choice == "p":
        return [look("<p>")] + html_flow(draw, sentences, nl) + [look("</p>")]
    if choice == "h2":
        return [look('<h2 id="' + word(draw) + '">'), sentences.next(), look("</h2>")]
    if choice == "ul":
        items = [[look("<li>")] + html_flow(draw, sentences, nl) + [look("</li>")]
                 for _ in range(draw(st.integers(1, 3)))]
        return [look("<ul>"), text(nl)] + joined(items, lambda _: nl) + [text(nl), look("</ul>")]
    if choice == "pre":
        lines = [look_text(draw, "<>&") for _ in range(draw(st.integers(1, 3)))]
        return [look("<pre>" + nl.join(lines + lines[-1:] + ["Share Post"]) + "</pre>")]
    if choice == "pre-code":
        return [look('<pre><code class="language-' + word(draw) + '">' + look_text(draw, "<>&") + nl
                     + "Share Post" + "</code></pre>")]
    if choice == "comment":
        return [look("<!--" + nl + look_text(draw, "-<>") + nl + "-->")]
    if choice == "table":
        return [look("<table>"), text(nl), look("<tr>"), look("<td>"), sentences.next(), look("</td>"),
                look('<td title="' + look_text(draw, '"<>&') + '">'), sentences.next(), look("</td>"),
                look("</tr>"), text(nl), look("</table>")]
    if choice == "quote":
        return [look("<blockquote>"), look("<p>")] + html_flow(draw, sentences, nl) + [look("</p>"),
                                                                                     look("</blockquote>")]
    return [look("<script>var note = \"" + look_text(draw, "<>\"\\") + "\";</script>")]


@st.composite
def html_documents(draw) -> list[Part]:
    nl = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    sentences = Sentences(draw, "html")
    parts = [look("<!DOCTYPE html>"), text(nl), look('<html lang="en">'), text(nl), look("<head>"), text(nl),
             look('<meta name="description" content="' + look_text(draw, '"<>&') + '">'), text(nl)]
    if draw(st.booleans()):
        parts += [look("<style>p::after { content: \"" + look_text(draw, "<>\"\\") + "\" }</style>"), text(nl)]
    parts += [look("</head>"), text(nl), look("<body>"), text(nl)]
    blocks = [html_block(draw, sentences, nl) for _ in range(draw(st.integers(1, 5)))]
    if draw(st.booleans()):  # a scraped UI line between blocks: test_fixed_bug_html_ui_line_between_blocks
        blocks.insert(draw(st.integers(0, len(blocks))), [prose("Share Post" + nl, "")])
        parts += [part for block in blocks for part in (block if block[0].kind == "prose" else block + [text(nl)])]
    else:
        parts += joined(blocks, lambda _: nl) + [text(nl)]
    parts += [look("</body>"), text(nl), look("</html>")]
    return parts + [text(nl)] if draw(st.booleans()) else parts


# --- subtitles ----------------------------------------------------------------------------------------------------
def cue_line(draw, sentences: Sentences, tags: list[tuple[str, str]]) -> list[Part]:
    choice = draw(st.sampled_from(["plain", "plain", "tag", "tagged", "spaced"]))
    if choice == "plain":
        return [sentences.next()]
    opening, closing = draw(st.sampled_from(tags))
    if choice == "tagged" and closing:
        return sentences.tagged_word(opening, closing)
    if choice == "spaced" and closing:
        # a doubled space right after a cue tag: test_fixed_bug_doubled_space_next_to_a_cue_tag
        return [look(opening), sentences.next(), look(closing), prose("  ", " "), sentences.next()]
    return [look(opening), sentences.next()] + ([look(closing)] if closing else [])


def cue_text(draw, sentences: Sentences, nl: str, tags: list[tuple[str, str]]) -> list[Part]:
    lines = [cue_line(draw, sentences, tags) for _ in range(draw(st.integers(1, 2)))]
    parts = joined(lines, lambda _: nl)
    if draw(st.integers(0, 4)) == 0:
        parts.insert(0, prose("Share Post" + nl, ""))  # a UI string on a line of its own: the line goes
    return parts


def timing(draw, index: int, sep: str) -> str:
    start, arrow = index * 3, draw(st.sampled_from([" --> ", " --> ", "  -->  "]))
    return (f"00:{start // 60:02d}:{start % 60:02d}{sep}000{arrow}"
            f"00:{(start + 2) // 60:02d}:{(start + 2) % 60:02d}{sep}500")


@st.composite
def srt_documents(draw) -> list[Part]:
    nl = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    sentences = Sentences(draw, "srt")
    tags = [("<i>", "</i>"), ("<b>", "</b>"),
            ('<font color="#ffff00" face="' + look_text(draw, '"<>') + '">', "</font>"), ("{\\an8}", "")]
    cues: list[list[Part]] = []
    for index in range(1, draw(st.integers(1, 5)) + 1):
        line = timing(draw, index, ",")
        if draw(st.booleans()):
            line += draw(st.sampled_from([" ", "  "])).join(["", "X1:100", f"X2:{draw(st.integers(100, 999))}",
                                                             "Y1:10", "Y2:50"])
        number = ("\ufeff" if index == 1 and draw(st.booleans()) else "") + str(index)
        cues.append([look(number), text(nl), look(line), text(nl)] + cue_text(draw, sentences, nl, tags))
    parts = joined(cues, lambda _: nl + nl)
    return parts + [text(nl)] if draw(st.booleans()) else parts


@st.composite
def vtt_documents(draw) -> list[Part]:
    nl = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    sentences = Sentences(draw, "vtt")
    header = "WEBVTT" + (" - " + look_text(draw, "-<>") if draw(st.booleans()) else "")
    parts: list[Part] = [look(header + nl + "Kind: captions" + nl + "Language: en")]
    if draw(st.booleans()):
        parts += [text(nl + nl), look("STYLE" + nl + "::cue(.x) { content: \"" + look_text(draw, "\"-<>\\") + "\" }")]
    if draw(st.booleans()):
        parts += [text(nl + nl), look("REGION" + nl + "id:" + word(draw) + " width:40% lines:3")]
    tags = [("<i>", "</i>"), ("<v Roger " + word(draw) + ">", "</v>"), ("<c.yellow>", "</c>"),
            ("<lang fr>", "</lang>"), ("<00:00:01.500>", "")]
    for index in range(1, draw(st.integers(1, 5)) + 1):
        parts.append(text(nl + nl))
        if draw(st.integers(0, 3)) == 0:
            parts += [look("NOTE " + look_text(draw, "-<>") + nl + look_text(draw, "-<>")), text(nl + nl)]
        cue = timing(draw, index, ".").replace("  -->  ", " --> ")
        if draw(st.booleans()):
            cue = look_text(draw, "-<>") + " " + str(index) + nl + cue  # a cue identifier
        if draw(st.booleans()):
            cue += " position:10%" + draw(st.sampled_from([" ", "  "])) + "align:start"
        parts += [look(cue), text(nl)] + cue_text(draw, sentences, nl, tags)
        if draw(st.booleans()):  # the format's own escapes inside the cue text
            parts += [text(" "), look(draw(st.sampled_from(["&#8217;", "&amp;", "&lt;", "&nbsp;"])))]
    return parts + [text(nl)] if draw(st.booleans()) else parts


# --- the property -------------------------------------------------------------------------------------------------
_CHECKER: list[Checker] = []


def checker() -> Checker:
    if not _CHECKER:
        _CHECKER.append(Checker(languagetool=False, source_language="fr"))
    return _CHECKER[0]


def masked(layout: Layout, original: str, start: int, end: int) -> bool:
    """Every character of original[start:end] but white space lies in a masked region."""
    return all(layout.overlapping(i, i + 1) is not None for i in range(start, end) if not original[i].isspace())


def find_in_order(haystack: str, needles: list[str], what: str) -> None:
    position = 0
    for needle in needles:
        found = haystack.find(needle, position)
        assert found >= 0, f"{what} {needle!r} is not in the fixed text (after offset {position}):\n{haystack!r}"
        position = found + len(needle)


def describe(original: str, fixed: str, result) -> str:
    return (f"\noriginal:  {original!r}\nfixed:     {fixed!r}\n"
            f"applied:   {[(a.code, a.original_start, a.original_end, a.replacement) for a in result.applied]}\n"
            f"remaining: {[(f.code, f.start, f.end, fixed[f.start:f.end]) for f in result.remaining]}")


def check_document(fmt: str, parts: list[Part]) -> None:
    original = "".join(part.original for part in parts)
    layout = parse(original, fmt)

    offset = 0  # the generator's look-alikes are where the parser masks them
    for part in parts:
        if part.kind == "look":
            assert masked(layout, original, offset, offset + len(part.original)), (
                f"look-alike {part.original!r} at {offset} is not masked in\n{original!r}")
        offset += len(part.original)

    result = checker().fix_text(original, unsafe=True, format=fmt)
    fixed = result.text

    # (a) every masked byte is unchanged
    for edit in result.applied:
        region = layout.overlapping(edit.original_start, edit.original_end)
        assert region is None, (
            f"{edit.code} edit {original[edit.original_start:edit.original_end]!r} -> {edit.replacement!r} touches "
            f"{region.kind} {original[region.start:region.end]!r}" + describe(original, fixed, result))
    find_in_order(fixed, [original[region.start:region.end] for region in layout.masks], "masked region")
    find_in_order(fixed, [part.original for part in parts if part.kind == "look"], "look-alike")

    # (b) the planted damage is gone, and nothing else changed
    pattern = "".join("(?:.*?)" if part.kind == "free" else re.escape(part.expected) for part in parts)
    expected = "".join(part.expected for part in parts)
    assert re.fullmatch(pattern, fixed, re.DOTALL), f"\nexpected:  {expected!r}" + describe(original, fixed, result)

    # (c) a second fix changes nothing
    again = checker().fix_text(fixed, unsafe=True, format=fmt)
    assert again.text == fixed, "second fix:" + describe(fixed, again.text, again)


SETTINGS = settings(max_examples=EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.mark.slow
@SETTINGS
@given(parts=markdown_documents())
def test_markdown_fix_keeps_masks_and_fixes_prose(parts):
    check_document("markdown", parts)


@pytest.mark.slow
@SETTINGS
@given(parts=html_documents())
def test_html_fix_keeps_masks_and_fixes_prose(parts):
    check_document("html", parts)


@pytest.mark.slow
@SETTINGS
@given(parts=srt_documents())
def test_srt_fix_keeps_masks_and_fixes_prose(parts):
    check_document("srt", parts)


@pytest.mark.slow
@SETTINGS
@given(parts=vtt_documents())
def test_vtt_fix_keeps_masks_and_fixes_prose(parts):
    check_document("vtt", parts)


# --- known bugs in repair/ found by the property test (strict xfail: they fail until fixed) ----------------------
def fixed_text(fmt: str, original: str) -> str:
    return checker().fix_text(original, unsafe=True, format=fmt).text


@pytest.mark.parametrize("fmt, original, expected", [
    ("markdown", "The end would not serve Ankaraâ€™s interests. `cafÃ©` The cafÃ© opened in Palmyra.\n",
     "The end would not serve Ankara’s interests. `cafÃ©` The café opened in Palmyra.\n"),
    ("html", "<p>The cafÃ© opened. <code>x</code> The ﬁnal report.</p>\n",
     "<p>The café opened. <code>x</code> The final report.</p>\n"),
])
def test_fixed_bug_enc001_two_damages_around_a_mask(fmt, original, expected):
    assert fixed_text(fmt, original) == expected


def test_fixed_bug_mojibake_before_an_entity_gets_a_wrong_safe_fix():
    original = "<p>The cafÃ&copy; reopened.</p>\n"
    assert fixed_text("html", original) in (original, "<p>The café reopened.</p>\n")


@pytest.mark.parametrize("fmt, original", [
    ("text", "The cafÃ&copy; reopened.\n"),
    ("srt", "1\n00:00:01,000 --> 00:00:02,000\nThe cafÃ&copy; reopened.\n"),
])
def test_fixed_bug_fix_is_idempotent_after_an_entity_is_decoded(fmt, original):
    once = fixed_text(fmt, original)
    assert fixed_text(fmt, once) == once


@pytest.mark.parametrize("fmt, original, expected", [
    ("srt", "1\n00:00:01,000 --> 00:00:02,000\n<i>Nobody was hurt.</i>  Rain fell.\n",
     "1\n00:00:01,000 --> 00:00:02,000\n<i>Nobody was hurt.</i> Rain fell.\n"),
    ("srt", "1\n00:00:01,000 --> 00:00:02,000\nNobody was  <i>hurt</i>.\n",
     "1\n00:00:01,000 --> 00:00:02,000\nNobody was <i>hurt</i>.\n"),
    ("vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<i>Nobody was hurt.</i>  Rain fell.\n",
     "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<i>Nobody was hurt.</i> Rain fell.\n"),
])
def test_fixed_bug_doubled_space_next_to_a_cue_tag(fmt, original, expected):
    assert fixed_text(fmt, original) == expected


def test_fixed_bug_html_ui_line_between_blocks():
    original = "<p>The army advanced.</p>\nShare Post\n<p>The rebels fled.</p>\n"
    assert fixed_text("html", original) == "<p>The army advanced.</p>\n<p>The rebels fled.</p>\n"


@pytest.mark.parametrize("original", [
    "- The army advanced.\n\nShare Post\n\n    x = 'cafÃ©'\n",
    "Text.[^1]\n\n[^1]: The army advanced.\n\nShare Post\n\n    x = 'cafÃ©'\n",
])
def test_fixed_bug_removed_paragraph_pulls_indented_code_into_a_list(original):
    layout = parse(original, "markdown")
    code = next(original[r.start:r.end] for r in layout.masks if r.kind == "code")
    result = checker().fix_text(original, unsafe=False, format="markdown")
    assert code in result.text, result.text


@pytest.mark.parametrize("original", [
    "- The army advanced.\n\nShare Post\n\n    x = 'cafÃ©'\n",
    "Text.[^1]\n\n[^1]: The army advanced.\n\nShare Post\n\n    x = 'cafÃ©'\n",
])
def test_a_line_removal_that_would_change_how_the_file_parses_is_held(original):
    # removing 'Share Post' would make the NEXT run read the indented code as the list item's prose and rewrite it
    once = checker().fix_text(original, unsafe=False, format="markdown")
    assert once.text == original
    held = [f for f in once.remaining if f.code == "WEB101"]
    assert held and "would change how the markup around it parses" in held[0].fix.title
    assert checker().fix_text(once.text, unsafe=True, format="markdown").text == original
