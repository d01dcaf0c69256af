"""File formats: what each parser masks and what it leaves as prose, on real-looking documents; offsets that line
up; and, for arbitrary text, parsers that never raise and return normalised regions in range."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from repair.formats import Layout, normalise, parse
from repair.formats.html import parse as parse_html
from repair.formats.markdown import parse as parse_markdown
from repair.formats.rst import parse as parse_rst
from repair.formats.subtitles import parse_srt, parse_vtt


# --- helpers ----------------------------------------------------------------------------------------------------------
def check_offsets(layout: Layout, text: str) -> str:
    """The layout's invariants; returns the prose view."""
    assert layout.masks == normalise(layout.masks)
    assert all(0 <= region.start < region.end <= len(text) for region in layout.masks)
    assert all(0 <= comment.start <= comment.end <= len(text) for comment in layout.comments)
    prose = layout.prose(text)
    assert len(prose) == len(text)
    inside = masked_positions(layout)
    shown = {region.end - len(region.shows) + i: c for region in layout.masks for i, c in enumerate(region.shows)}
    joined = {i for region in layout.masks if region.shows for i in range(region.start, region.end - len(region.shows))}
    for index, (original, seen) in enumerate(zip(text, prose)):
        if index in shown:
            assert seen == shown[index], (index, original, seen)  # an entity shows its character
        elif index in joined:
            assert seen == "\u2060", (index, original, seen)  # ... after invisible word joiners
        elif index in inside:
            assert seen in " \n\r", (index, original, seen)
            assert seen == original or seen == " " or seen == "\n" and original not in "\n\r"
        else:
            assert seen == original, (index, original, seen)
    return prose


def masked_positions(layout: Layout) -> set[int]:
    return {index for region in layout.masks for index in range(region.start, region.end)}


def occurrences(text: str, needle: str) -> list[int]:
    found, index = [], text.find(needle)
    while index != -1:
        found.append(index)
        index = text.find(needle, index + 1)
    assert found, f"{needle!r} is not in the document"
    return found


def assert_hidden(layout: Layout, text: str, *needles: str) -> None:
    """Every character (but white space) of every occurrence of each needle is masked."""
    inside = masked_positions(layout)
    for needle in needles:
        for start in occurrences(text, needle):
            shown = [text[i] for i in range(start, start + len(needle)) if i not in inside and not text[i].isspace()]
            assert not shown, f"{needle!r} at {start}: {''.join(shown)!r} is visible"


def assert_visible(layout: Layout, text: str, *needles: str) -> None:
    """Every occurrence of each needle is prose: not one of its characters is masked."""
    inside = masked_positions(layout)
    for needle in needles:
        for start in occurrences(text, needle):
            hidden = [text[i] for i in range(start, start + len(needle)) if i in inside]
            assert not hidden, f"{needle!r} at {start}: {''.join(hidden)!r} is masked"


def region_at(layout: Layout, text: str, needle: str):
    start = text.index(needle)
    return next(region for region in layout.masks if region.start <= start < region.end)


# --- Markdown ---------------------------------------------------------------------------------------------------------
README = """\
---
title: Getting started
tags: [docs, repair]
---

# Quick start <a id="start"></a>

**repair** finds and fixes *damage* in text. See the [user guide](https://example.com/guide "Guide")
or [the FAQ][faq], and ~~never~~ rarely a [shortcut] link.
Install it with `pip install repair` and run it:

```sh
repair check docs/   # CamelCaseIdentifier
```

<!-- repair: ignore WEB001 -->
| Option   | Meaning                              |
|---------:|--------------------------------------|
| `--fix`  | applies the safe fixes               |
| `--diff` | shows a diff \\| nothing is written   |

- [x] Tables and task lists
- [ ] Footnotes[^1] and math $e^{i\\pi}+1=0$, which costs $5 or $6
  1. nested item with <kbd>Ctrl</kbd>+<kbd>C</kbd>

> A quote with an autolink <https://example.org/a> and a bare one https://example.net/b.
> Write to help@example.com.

Line one<br>line two &copy; 2024 &amp;quot;leaked&amp;quot; and \\*escaped\\* text.
Scraped text <style>p { color: red }</style> inside a paragraph.

<div align="center">
  <img src="logo.png" alt="Logo">
  <p>Centered prose.</p>
</div>

Chats
<style type="text/css"> .wpb_animate_when_almost_visible { opacity: 1; }</style>

![Build status](https://ci.example.com/badge.svg)

$$
\\int_0^1 x\\,dx
$$

    indented_code_block = True

[faq]: https://example.com/faq
[shortcut]: https://example.com/shortcut
[^1]: The footnote text.
"""


def test_markdown_readme_prose_and_masks():
    layout = parse_markdown(README)
    prose = check_offsets(layout, README)
    assert layout.format == "markdown"
    assert_visible(
        layout, README, "Quick start", "finds and fixes", "damage", "in text. See the",
        "user guide", "the FAQ", "rarely a", "Install it with", "and run it:", "Option",
        "Meaning", "applies the safe fixes", "shows a diff", "nothing is written", "Tables and task lists",
        "Footnotes", "and math", ", which costs $5 or $6", "nested item with", "A quote with an autolink",
        "and a bare one", "Write to", "Line one", "line two", "2024", "&amp;quot;leaked&amp;quot;", "escaped",
        "Centered prose.", "Chats", "The footnote text.",
        # leaked markup stays visible, for the markup detector
        "<style>p { color: red }</style>",
        '<style type="text/css"> .wpb_animate_when_almost_visible { opacity: 1; }</style>',
    )
    assert_hidden(
        layout, README, "---\ntitle: Getting started\ntags: [docs, repair]\n---", "\n# ", '<a id="start"></a>',
        "**repair**"[:2], '(https://example.com/guide "Guide")', "[faq]", "~~", "`pip install repair`",
        "```sh\nrepair check docs/   # CamelCaseIdentifier\n```", "<!-- repair: ignore WEB001 -->",
        "|---------:|--------------------------------------|", "`--fix`", "`--diff`", "[x]", "[ ]", "[^1]",
        "$e^{i\\pi}+1=0$", "  1. ", "<kbd>Ctrl</kbd>+<kbd>C</kbd>"[:15], "<kbd>C</kbd>", "\n> ", "<https://example.org/a>", "https://example.net/b",
        "help@example.com", "<br>", "&copy;", '<div align="center">', '<img src="logo.png" alt="Logo">', "<p>",
        "</p>", "</div>", "![Build status](https://ci.example.com/badge.svg)", "$$\n\\int_0^1 x\\,dx\n$$",
        "    indented_code_block = True", "[faq]: https://example.com/faq", "[^1]:",
        "[shortcut]: https://example.com/shortcut",
    )
    # markup characters around prose: the emphasis stars, the escape's backslash, the table's cell pipes
    assert prose[README.index("**repair**"):][:10] == "  repair  "
    escaped = README.index("\\*escaped")
    assert prose[escaped:escaped + 10] == " *escaped "
    shortcut = README.index("[shortcut] link")
    assert prose[shortcut:shortcut + 15] == " shortcut  link"
    row = README.index("| `--fix`")
    assert "applies the safe fixes" in prose[row:row + 60] and "|" not in prose[row:row + 50]
    # the escaped pipe in a cell is prose, its backslash is not
    pipe = README.index("\\| nothing")
    assert prose[pipe:pipe + 2] == " |"
    # kinds, where a region stands alone
    assert region_at(layout, README, "---\ntitle").kind == "front-matter"
    assert region_at(layout, README, "```sh").kind == "code"
    assert region_at(layout, README, "`pip install repair`").kind == "code"
    assert region_at(layout, README, "<https://example.org/a>").kind == "url"
    assert region_at(layout, README, "https://example.net/b").kind == "url"
    assert region_at(layout, README, "$e^{i").kind == "math"
    assert region_at(layout, README, "&copy;").kind == "entity"
    assert region_at(layout, README, "<!-- repair").kind == "comment"
    assert region_at(layout, README, "$$\n").kind == "math"
    assert region_at(layout, README, "[faq]: ").kind == "reference"
    # <br> separates lines in the prose view; the cell pipes separate cells
    assert region_at(layout, README, "<br>").breaks
    assert prose[README.index("<br>")] == "\n"
    assert region_at(layout, README, "| applies").breaks
    # the comment, with its text, for suppression directives
    assert [(README[c.start:c.end], c.text) for c in layout.comments] == [
        ("<!-- repair: ignore WEB001 -->", " repair: ignore WEB001 ")]


def test_markdown_blockquotes_lists_and_nesting_keep_their_prefixes_masked():
    text = "> Quoted *text* with `code`\n> continues here\n>\n> - item one\n>   more of it\n\n1. First\n   ```\n   x = 1\n   ```\n"
    layout = parse_markdown(text)
    check_offsets(layout, text)
    assert_visible(layout, text, "Quoted", "text", "with", "continues here", "item one", "more of it", "First")
    assert_hidden(layout, text, ">", "`code`", "- ", "1.", "```\n   x = 1\n   ```")


def test_markdown_style_of_the_document_is_masked_a_leaked_one_is_not():
    text = ("Intro paragraph.\n\n<style>\ncode.label { color: #000; }\n</style>\n\nChats\n"
            '<style type="text/css"> .wpb { opacity: 1; }</style>\n\n'
            "Use <code>&amp;nbsp;</code> or <tt>x</tt> and <script>track()</script> here.\n")
    layout = parse_markdown(text)
    check_offsets(layout, text)
    assert_hidden(layout, text, "<style>\ncode.label { color: #000; }\n</style>", "<code>&amp;nbsp;</code>", "<tt>x</tt>")
    assert_visible(layout, text, "Intro paragraph.", "Chats", '<style type="text/css"> .wpb { opacity: 1; }</style>',
                   "Use ", " or ", " and ", "<script>track()</script>", " here.")


def test_markdown_toml_front_matter_and_setext_headings():
    text = '+++\ntitle = "Notes"\n+++\n\nA heading\n=========\n\nBody text.\n'
    layout = parse_markdown(text)
    check_offsets(layout, text)
    assert_hidden(layout, text, '+++\ntitle = "Notes"\n+++', "=========")
    assert_visible(layout, text, "A heading", "Body text.")
    assert region_at(layout, text, "+++").kind == "front-matter"


def test_markdown_crlf_and_link_destinations_with_parentheses():
    text = "See [Foo](https://en.wikipedia.org/wiki/Foo_(bar)) and [x](<a b.md>).\r\nNext line.\r\n"
    layout = parse_markdown(text)
    prose = check_offsets(layout, text)
    assert_visible(layout, text, "See", " and ", ".\r\nNext line.")
    assert prose.startswith("See  Foo ") and prose[text.index("[x]"):][:3] == " x "
    assert_hidden(layout, text, "(https://en.wikipedia.org/wiki/Foo_(bar))", "(<a b.md>)")


def test_markdown_does_not_import_its_parser_before_parsing():
    code = ("import sys, repair.formats, repair.formats.markdown, repair.formats.html, repair.formats.rst, "
            "repair.formats.subtitles; print(sorted(m for m in sys.modules if m.startswith(('markdown_it', "
            "'mdit_py_plugins', 'html.parser'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# --- HTML -------------------------------------------------------------------------------------------------------------
PAGE = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Army advances on the city</title>
<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);}</script>
<style>.wpb_animate_when_almost_visible { opacity: 1; }</style>
</head>
<body class="post-template">
<!-- repair: off -->
<nav><a href="/news">News</a> | <a href="/sport">Sport</a></nav>
<article>
<h1>Army advances on the city</h1>
<p>The army advanced towards the city on Sunday, residents said &mdash; officials confirmed it.<br>
Syria&#8217;s army &amp; its allies said the &amp;quot;operation&amp;quot; would continue.</p>
<p>Run <code>repair check --fix</code> or press <kbd>Ctrl</kbd>+<kbd>C</kbd>. AT&T shares fell.</p>
<p>Entities such as <tt class="docutils literal">&amp;nbsp;</tt> are escaped.</p>
<pre>
  CamelCaseIdentifier = 1
</pre>
<noscript><img src="pixel.gif"></noscript>
<svg width="10"><text>SVG label</text></svg>
<math><mi>x</mi></math>
<template><p>Template text</p></template>
<![CDATA[ raw data ]]>
</article>
<?php echo 1; ?>
<!-- repair: on -->
</body>
</html>
"""


def test_html_page_prose_and_masks():
    layout = parse_html(PAGE)
    prose = check_offsets(layout, PAGE)
    assert layout.format == "html"
    assert_visible(
        layout, PAGE, "Army advances on the city", "News", "Sport", "The army advanced towards the city on Sunday",
        "residents said", "officials confirmed it.", "Syria", "s army", "its allies said the",
        "&amp;quot;operation&amp;quot;", "would continue.", "Run", "or press", "AT&T shares fell.",
        "Entities such as", "are escaped.",
    )
    assert_hidden(
        layout, PAGE, "<!DOCTYPE html>", '<html lang="en">', '<meta charset="utf-8">', "<title>",
        "window.dataLayer = window.dataLayer", ".wpb_animate_when_almost_visible { opacity: 1; }",
        "<!-- repair: off -->", '<a href="/news">', "</a>", "<h1>", "&mdash;", "&#8217;",
        "repair check --fix", "Ctrl", "CamelCaseIdentifier = 1", "pixel.gif", "SVG label", "<mi>x</mi>",
        "Template text", "<![CDATA[ raw data ]]>", "<?php echo 1; ?>", '<tt class="docutils literal">&amp;nbsp;</tt>',
    )
    assert region_at(layout, PAGE, "&mdash;").kind == "entity"
    assert region_at(layout, PAGE, "&amp; its").end == PAGE.index("&amp; its") + 5
    assert region_at(layout, PAGE, "<!-- repair: off").kind == "comment"
    assert region_at(layout, PAGE, "<br>").breaks and prose[PAGE.index("<br>")] == "\n"
    assert region_at(layout, PAGE, "<h1>").breaks
    assert not region_at(layout, PAGE, '<a href="/sport">').breaks
    assert [c.text for c in layout.comments] == [" repair: off ", " repair: on "]
    # the body's paragraphs read as lines of prose
    lines = [line.strip() for line in prose.splitlines() if line.strip()]
    # (an entity shows the character it stands for at its end: the markup detector sees &lt;style&gt; as <style>)
    assert "Syria\u2060\u2060\u2060\u2060\u2060\u2060’s army \u2060\u2060\u2060\u2060& its allies said the &amp;quot;operation&amp;quot; would continue." in lines


@pytest.mark.parametrize("broken", [
    "<p>Unclosed <b>bold <![if !IE]> text <div class=\"x' >broken</p",
    "<![ <![CDATA[ x <!-- never closed <p>text",
    "</> </ > <a <b <<>> & &# &#x; &amp text",
    "<script>never closed",
    "<p>text</p><![endif]--><![if gte mso 9]>after",
])
def test_html_malformed_never_raises(broken):
    layout = parse_html(broken)
    check_offsets(layout, broken)


def test_html_text_after_a_construct_the_parser_gives_up_on_is_still_read():
    text = "<p>Before</p><![if !IE]><p>After the junk</p>"
    layout = parse_html(text)
    check_offsets(layout, text)
    assert_visible(layout, text, "Before", "After the junk")
    assert_hidden(layout, text, "<![if !IE]>")


# --- reStructuredText -------------------------------------------------------------------------------------------------
DOC = """\
.. _quickstart:

==========
Quickstart
==========

:Author: Jane Doe
:Version: 1.0

.. contents:: Table of Contents
   :depth: 2

Eager to get started? This page gives a good introduction. Install the
package with ``pip install repair`` and read :ref:`the guide <guide>`.
See `the website <https://example.com/repair>`_ or `Python`_ and PEP8_.
Use :func:`repair.check` and :math:`e^{i\\pi}`, the |project| name, a footnote [1]_,
*emphasis* and **strong** text, :guilabel:`Save As`, and https://example.org/raw.

.. note:: The server must be running.
   Start it first.

.. code-block:: python
   :linenos:

   import repair
   repair.check("CamelCaseIdentifier")

Here is a literal block::

    $ repair check docs/

.. This is a comment: repair: ignore WEB001
   with a second line.

- first item
- second item with ``inline_code``

1. numbered item

+------------+-----------------+
| Option     | Meaning         |
+============+=================+
| ``--fix``  | applies fixes   |
+------------+-----------------+

=====  ============
Name   Meaning
=====  ============
check  reports all
fix    repairs
=====  ============

.. _Python: https://www.python.org/
.. _PEP8: https://peps.python.org/pep-0008/
.. |project| replace:: repair
.. [1] The footnote text.

.. image:: logo.png
   :alt: Logo

>>> import repair
>>> repair.__version__
'1.0'

Section two
-----------

Final paragraph.
"""


def test_rst_doc_page_prose_and_masks():
    layout = parse_rst(DOC)
    prose = check_offsets(layout, DOC)
    assert layout.format == "rst"
    assert_visible(
        layout, DOC, "Quickstart\n", "Jane Doe", "Eager to get started? This page gives a good introduction.",
        "package with", "and read", "the guide", "See", "the website", "name, a footnote",
        "emphasis", "strong", "Save As", "The server must be running.", "Start it first.", "Here is a literal block",
        "first item", "second item with", "numbered item", "Option", "Meaning", "applies fixes", "Name",
        "reports all", "repairs", "The footnote text.", "Section two", "Final paragraph.",
    )
    assert_hidden(
        layout, DOC, ".. _quickstart:", "==========\nQuickstart"[:10], ":Author:", ".. contents:: Table of Contents",
        ":depth: 2", "``pip install repair``", ":ref:`", " <guide>`", "`the website"[:1],
        " <https://example.com/repair>`_", ":func:`repair.check`", ":math:`e^{i\\pi}`", "|project|", "[1]_",
        "https://example.org/raw", ".. note::", ".. code-block:: python", ":linenos:", "import repair\n",
        'repair.check("CamelCaseIdentifier")', "$ repair check docs/", ".. This is a comment: repair: ignore WEB001",
        "with a second line.", "``inline_code``", "+------------+-----------------+",
        "+============+=================+", "``--fix``", "=====  ============", ".. _Python: https://www.python.org/",
        ".. _PEP8: https://peps.python.org/pep-0008/", ".. |project| replace:: repair", ".. [1]",
        ".. image:: logo.png", ":alt: Logo", ">>> import repair", "'1.0'", "-----------",
    )
    # the literal block's marker: `block::` reads as `block:`
    marker = DOC.index("literal block::")
    assert prose[marker:marker + 15] == "literal block: "
    for marker in ("- first", "- second", "1. numbered", ":Author:", ":Version:"):
        assert prose[DOC.index(marker):][:len(marker)].split() == marker.split()[1:]
    python = DOC.index("`Python`_")
    assert prose[python:python + 10] == " Python   "
    # simple reference names keep their text: `PEP8_` reads `PEP8`
    assert prose[DOC.index("PEP8_"):][:5] == "PEP8 "
    assert region_at(layout, DOC, "| Meaning").breaks
    assert region_at(layout, DOC, "``pip install").kind == "code"
    assert region_at(layout, DOC, "https://example.org/raw").kind == "url"
    assert region_at(layout, DOC, ":math:").kind == "math"
    assert [c.text for c in layout.comments] == ["This is a comment: repair: ignore WEB001\n   with a second line."]


# --- subtitles --------------------------------------------------------------------------------------------------------
SRT = """\ufeff1
00:00:01,000 --> 00:00:04,074
<i>Previously on the show...</i>
{\\an8}The army &amp; its allies

2
00:00:05,100 --> 00:00:07,500 X1:100 X2:200 Y1:10 Y2:50
<font color="#ffff00">Where are you going?</font>
- To 1945.

3
00:00:08,000 --> 00:00:09,000
12
"""


def test_srt_cues():
    layout = parse_srt(SRT)
    check_offsets(layout, SRT)
    assert layout.format == "srt"
    assert_visible(layout, SRT, "Previously on the show...", "The army &amp; its allies", "Where are you going?",
                   "- To 1945.", "\n12\n")
    assert_hidden(layout, SRT, "\ufeff1\n00:00:01,000 --> 00:00:04,074", "<i>", "</i>", "{\\an8}",
                  "2\n00:00:05,100 --> 00:00:07,500 X1:100 X2:200 Y1:10 Y2:50", '<font color="#ffff00">', "</font>",
                  "3\n00:00:08,000 --> 00:00:09,000")
    assert all(region.kind in ("timestamp", "tag") for region in layout.masks)
    assert parse(SRT, "srt") == layout


VTT = """\
WEBVTT - Translated from French
Kind: captions
Language: en

STYLE
::cue(.yellow) { color: yellow }

NOTE repair: ignore WEB001
second line of the note

REGION
id:fred width:40% lines:3

intro
00:00.000 --> 00:02.500 position:10% align:start region:fred
<v Roger Bingham><c.yellow>We are</c> in <00:00:01.500>New York &amp; &amp;quot;City&amp;quot;

00:03.000 --> 00:04.000
&lt;b&gt; is no tag, <i>this</i> is <lang fr>un mot</lang>
"""


def test_vtt_cues_header_notes_styles_regions():
    layout = parse_vtt(VTT)
    check_offsets(layout, VTT)
    assert layout.format == "vtt"
    assert_visible(layout, VTT, "We are", " in ", "New York", "&amp;quot;City&amp;quot;", "b", " is no tag, ",
                   "this", "un mot")
    assert_hidden(layout, VTT, "WEBVTT - Translated from French\nKind: captions\nLanguage: en",
                  "::cue(.yellow) { color: yellow }", "NOTE repair: ignore WEB001\nsecond line of the note",
                  "REGION\nid:fred width:40% lines:3", "intro\n00:00.000 --> 00:02.500 position:10% align:start",
                  "<v Roger Bingham>", "<c.yellow>", "</c>", "<00:00:01.500>", "&amp; ", "&lt;", "&gt;", "<i>",
                  "<lang fr>")
    assert region_at(layout, VTT, "NOTE").kind == "comment"
    assert region_at(layout, VTT, "STYLE").kind == "code"
    assert region_at(layout, VTT, "&lt;").kind == "entity"
    assert [c.text for c in layout.comments] == ["repair: ignore WEB001\nsecond line of the note"]


# --- every parser, on arbitrary text ----------------------------------------------------------------------------------
PARSERS = {"markdown": parse_markdown, "html": parse_html, "rst": parse_rst, "srt": parse_srt, "vtt": parse_vtt}
PIECES = [
    "\n", "\n\n", "\r\n", " ", "  ", "    ", "\t", "a", "word", "*", "**", "_", "`", "``", "```", "~~", "#", "# ",
    ">", "> ", "- ", "1. ", "[", "]", "(", ")", "![", "](", "<", ">", "</", "/>", "<p>", "</p>", "<br>", "<b>",
    "<style>", "</style>", "<script>", "<!--", "-->", "<![if x]>", "<?x?>", "<!DOCTYPE html>", "&amp;", "&quot;",
    "quot;", "&#39;", "&", "\\", "|", "| a |", "|---|", "$", "$$", "[^1]", "[^1]: ", "[a]: ", "http://x.y/z",
    "www.a.b", "a@b.cd", "---", "+++", "===", ".. ", "..", "::", ":role:", "`x`_", "_`t`", "|s|", "[1]_", "+--+",
    "00:00:01,000 --> 00:00:02,000", "00:01.000 --> 00:02.000 align:start", "WEBVTT", "NOTE ", "STYLE",
    "REGION", "<v A>", "<c.x>", "{\\an8}", "1", "\ufeff", "\x00", "é", "日本", "\u2028", "\x0c",
]
DOCUMENTS = st.one_of(st.text(max_size=200), st.lists(st.sampled_from(PIECES), max_size=60).map("".join))


@pytest.mark.parametrize("name", sorted(PARSERS))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=DOCUMENTS)
def test_every_parser_on_arbitrary_text(name, text):
    layout = PARSERS[name](text)
    assert layout.masks == normalise(layout.masks)
    assert all(0 <= region.start < region.end <= len(text) for region in layout.masks)
    assert all(0 <= comment.start <= comment.end <= len(text) for comment in layout.comments)
    prose = layout.prose(text)
    assert len(prose) == len(text)
    outside = [index for index in range(len(text)) if layout.overlapping(index, index + 1) is None]
    assert all(prose[index] == text[index] for index in outside)


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_every_parser_is_linear_enough_on_100_kb(name):
    """A guard against quadratic behaviour, as a ratio of CPU times in one process (no wall-clock budget: CI
    machines are shared): ten times the text may cost at most twenty times the CPU (quadratic would be a hundred)."""
    unit = {
        "markdown": README, "html": PAGE, "rst": DOC, "srt": SRT.replace("\ufeff", ""), "vtt": VTT.split("\n\n", 1)[1],
    }[name]

    def text_of(size: int) -> str:
        text = (unit + "\n\n") * (size // len(unit) + 1)
        return "WEBVTT\n\n" + text if name == "vtt" else text

    small, large = text_of(10_000), text_of(100_000)
    PARSERS[name](small)  # imports and builds the parser

    def cpu(text: str) -> float:
        best = float("inf")
        for _ in range(3):
            started = time.process_time()
            layout = PARSERS[name](text)
            best = min(best, time.process_time() - started)
        assert layout.masks
        return max(best, 1e-3)

    ratio = cpu(large) / cpu(small)
    assert ratio < 20, f"{name}: 10x the text took {ratio:.1f}x the CPU"


def test_whitespace_collapses_where_the_format_renders_it_so():
    assert parse_markdown("a  b").collapses_whitespace and parse_html("a  b").collapses_whitespace
    assert not parse_srt("a  b").collapses_whitespace and not parse_vtt("a  b").collapses_whitespace


@pytest.mark.parametrize("name, text, code", [
    ("html", "<p>Pass an <code>int</code> here.</p>\n", "<code>int</code>"),
    ("html", "<p>Run <tt class=\"docutils literal\">make</tt> first.</p>\n", "<tt class=\"docutils literal\">make</tt>"),
    ("markdown", "Pass an `int` here.\n", "`int`"),
])
def test_a_code_span_is_one_code_region_with_its_markers(name, text, code):
    layout = parse(text, name)
    start = text.index(code)
    region = layout.overlapping(start, start + len(code))
    assert (region.start, region.end, region.kind) == (start, start + len(code), "code")
