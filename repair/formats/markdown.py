"""Markdown: CommonMark with the GitHub extensions, front matter and math, parsed with markdown-it-py.

The parser is markdown-it-py (CommonMark) with GitHub's tables, task lists, strikethrough (`~~x~~` and `~x~`),
alerts (`> [!NOTE]`) and extended autolinks (`www.`, `https://`, e-mail addresses), and mdit-py-plugins' YAML
front matter, footnotes (`[^label]`, no inline footnotes: GitHub has none) and dollar math (`$x$`, `$$x$$`, with
pandoc's rule that `$5 and $6` is money, not math). TOML front matter (`+++`) is recognised here.

How regions are found. Block tokens carry line maps; inline tokens carry no offsets, so every inline token is
located in its block's source text with a cursor that only moves forward: an inline token's content is its
block's lines with the container prefixes (`>`, list indentation) removed, so each of its lines is found at the
end of its source line, and a table cell's content is found in its row (with `\\|` for each `|`). The prose is
what the text tokens cover (paragraphs, headings, table cells, link texts, footnote texts; not image
descriptions, which are attributes, as `alt` is in HTML: badges' `![build status]` are no prose);
every other character is masked, except line breaks that stand alone (between paragraphs, or between two lines of
a paragraph). So all the markup characters (`#`, list markers, task boxes, `>`, `*`/`_`, `~~`, `[`, `]`,
backslash escapes, hard-break spaces, indentation in containers, setext underlines, thematic breaks) are masked
as `tag`, and these get a kind of their own:

- `code`: fenced and indented code blocks (fences included), code spans with their backticks;
- `url`: link destinations and titles `(url "title")`, autolinks `<url>`, bare URLs and e-mail addresses;
- `reference`: reference labels `[label]`, link reference definitions, footnote references and labels;
- `math`: `$...$`, `$$...$$`; `front-matter`; `entity`: character references (`&copy;`), except a double
  escape (`&amp;quot;`, leaked escaping, left visible);
- `comment`: HTML comments (also returned as `Comment`), inline and in HTML blocks;
- `tag`: inline HTML (`<span>`, `<img>`, `<a id>`, `<sup>`, `<br>` — `<br>` and block-level tags with
  `breaks=True`) and HTML blocks, whose text is prose as in an HTML file (repair.formats.html); the content of
  inline `<code>`, `<kbd>`, `<samp>`, `<tt>`, `<var>` is `code`, as in an HTML file;
- `table`: table padding, delimiter rows and cell pipes (pipes with `breaks=True`).

Leaked markup stays visible: a `<style>` or `<script>` element inside a paragraph — inline, or as an HTML block
that interrupts a paragraph (`Chats` then a `<style>` line, no blank line between) — is not masked (tags and
content), so the markup detector still reports it. A `<style>` or `<script>` HTML block standing on its own
(after a blank line) is the document's own markup, and is masked like any HTML block.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

from repair.formats import Comment, Layout, Region, normalise

_NEWLINE = re.compile(r"\r\n?|\n")
_DOUBLE_ESCAPE = re.compile(r"#?[A-Za-z0-9]{1,31};")
_TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)")
#: GitHub's extended autolinks, looked for inside a text token only (trailing punctuation is not part of them)
_BARE_URL = re.compile(
    r"(?<![\w/.@+-])(?:(?:https?|ftp)://|www\.)[^\s<>]*[^\s<>?!.,:;*_~'\")\]]"
    r"|(?<![\w.+@-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9_-]+)*\.[A-Za-z0-9]+"
)
_TOML_FENCE = re.compile(r"\+\+\+[ \t]*$")
#: inline HTML tags that separate blocks: the prose view starts a new line at them
BREAK_TAGS = frozenset(
    "address article aside blockquote br dd details div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header "
    "hr li nav ol p section summary table tbody td tfoot th thead tr ul".split()
)
LEAKED_TAGS = frozenset({"style", "script"})
#: inline HTML whose content is code, as in an HTML file
CODE_TAGS = frozenset({"code", "kbd", "samp", "tt", "var", "pre"})

_MARKDOWN: Any = None


def _markdown() -> Any:
    """The configured parser, built on first use (a plain-text run never imports markdown-it)."""
    global _MARKDOWN
    if _MARKDOWN is None:
        from markdown_it import MarkdownIt
        from mdit_py_plugins.dollarmath import dollarmath_plugin
        from mdit_py_plugins.footnote import footnote_plugin
        from mdit_py_plugins.front_matter import front_matter_plugin

        md = MarkdownIt("commonmark", {"html": True, "tasklists": True, "alerts": True,
                                       "strikethrough_single_tilde": True})
        md.enable(["table", "strikethrough"])
        md.use(front_matter_plugin)
        md.use(footnote_plugin, inline=False)
        md.use(dollarmath_plugin, allow_space=False, allow_digits=False, allow_blank_lines=False,
               double_inline=True)
        md.disable("text_join")  # keep escapes and entities as tokens of their own (their source form is known)
        _MARKDOWN = md
    return _MARKDOWN


def parse(text: str) -> Layout:
    """The layout of a Markdown document."""
    return _Builder(text).build()


class _Map:
    """Offsets of an inline token's content in the source: pieces of content, each found at one place."""

    __slots__ = ("cstarts", "bases", "los", "his")

    def __init__(self) -> None:
        self.cstarts: list[int] = []  # where each piece starts in the content
        self.bases: list[int] = []  # where it starts in the source
        self.los: list[int] = []  # the source line (or cell) it lies in, to clamp to
        self.his: list[int] = []

    def add(self, cstart: int, base: int, lo: int, hi: int) -> None:
        self.cstarts.append(cstart)
        self.bases.append(base)
        self.los.append(lo)
        self.his.append(hi)

    def piece(self, index: int) -> int:
        return bisect_right(self.cstarts, index) - 1 if len(self.cstarts) > 1 else 0

    def at(self, index: int, piece: int) -> int:
        offset = index - self.cstarts[piece] + self.bases[piece]
        return self.los[piece] if offset < self.los[piece] else self.his[piece] if offset > self.his[piece] else offset

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The source range from the first to the last character of content[start:end]."""
        return self.at(start, self.piece(start)), self.at(end - 1, self.piece(end - 1)) + 1


class _Builder:
    def __init__(self, text: str) -> None:
        self.text = text
        self.src = text.replace("\0", "\ufffd") if "\0" in text else text  # as markdown-it normalises it
        self.starts = [0]
        self.ends: list[int] = []
        for match in _NEWLINE.finditer(text):
            self.ends.append(match.start())
            self.starts.append(match.end())
        self.ends.append(len(text))
        self.visible: list[tuple[int, int]] = []
        self.masks: list[Region] = []
        self.comments: list[Comment] = []
        self.tables: list[tuple[int, int]] = []
        self.leaking = False
        self.autolink = False
        self.row = -1
        self.row_cursor = 0

    # --- lines ----------------------------------------------------------------------------------------------------
    def lines(self, first: int, stop: int) -> tuple[int, int]:
        """The source range of lines [first, stop), without the last line's break."""
        last = min(stop, len(self.starts)) - 1
        if first > last:
            return 0, 0
        return self.starts[first], self.ends[last]

    def hide_lines(self, line_map: list[int] | None, kind: str) -> None:
        if line_map:
            start, end = self.lines(line_map[0], line_map[1])
            self.masks.append(Region(start, end, kind))

    def line_map(self, content: str, first: int) -> _Map | None:
        """Where each line of a block's content lies: at the end of its source line (after the prefixes)."""
        mapping = _Map()
        cstart = 0
        line = first
        src = self.src
        for piece in content.split("\n"):
            if line >= len(self.starts):
                return None
            lo, hi = self.starts[line], self.ends[line]
            if piece:
                index = src.rfind(piece, lo, hi)
                if index < 0:  # a tab in the indentation, expanded to spaces in the content
                    core = piece.lstrip(" \t")
                    index = src.rfind(core, lo, hi) if core else hi
                    if index < 0:
                        return None
                    index -= len(piece) - len(core)
            else:
                index = hi
            mapping.add(cstart, index, lo, hi)
            cstart += len(piece) + 1
            line += 1
        return mapping

    # --- emitting -------------------------------------------------------------------------------------------------
    def show(self, start: int, end: int, mapping: _Map) -> None:
        """content[start:end] is prose: piece by piece, so that a container's prefixes between lines stay hidden."""
        if end <= start:
            return
        piece = mapping.piece(start)
        cstarts = mapping.cstarts
        while start < end:
            stop = cstarts[piece + 1] if piece + 1 < len(cstarts) else end
            stop = min(stop, end)
            if stop > start:
                self.visible.append((mapping.at(start, piece), mapping.at(stop - 1, piece) + 1))
            start = stop
            piece += 1

    def hide(self, start: int, end: int, kind: str, mapping: _Map, breaks: bool = False) -> tuple[int, int]:
        if end <= start:
            return 0, 0
        span = mapping.span(start, end)
        if not self.leaking:
            self.masks.append(Region(span[0], span[1], kind, breaks))
        return span

    # --- blocks ---------------------------------------------------------------------------------------------------
    def build(self) -> Layout:
        text = self.text
        source = self.src
        toml = self.toml_front_matter()
        if toml:
            lines = len(_NEWLINE.findall(text, 0, toml))
            source = "\n" * lines + source[toml:]
        tokens = _markdown().parse(source)
        in_table = 0
        paragraph_end = -1
        for token in tokens:
            kind = token.type
            if kind == "inline":
                if token.map is None or not token.content:
                    continue
                if in_table:
                    self.cell(token)
                else:
                    mapping = self.line_map(token.content, token.map[0])
                    if mapping is None:
                        start, end = self.lines(token.map[0], token.map[1])
                        self.visible.append((start, end))  # could not locate: leave the lines to the detectors
                        continue
                    self.inline(token.children or [], token.content, mapping)
            elif kind in ("fence", "code_block"):
                self.hide_lines(token.map, "code")
            elif kind.startswith("math_block"):
                self.hide_lines(token.map, "math")
            elif kind == "front_matter":
                self.hide_lines(token.map, "front-matter")
            elif kind == "html_block":
                self.html_block(token, interrupts=bool(token.map) and token.map[0] == paragraph_end)
            elif kind == "paragraph_open" and token.map:
                paragraph_end = token.map[1]
            elif kind == "table_open":
                in_table += 1
                if token.map:
                    self.tables.append(self.lines(token.map[0], token.map[1]))
            elif kind == "table_close":
                in_table -= 1
        comments = tuple(sorted(self.comments, key=lambda comment: comment.start))
        return Layout("markdown", self.finish(), comments, collapses_whitespace=True)

    def toml_front_matter(self) -> int:
        """The end of TOML front matter (`+++` ... `+++` at the top), masked here: markdown-it does not know it."""
        text = self.text
        if not text.startswith("+++") or not _TOML_FENCE.match(text, 0, self.ends[0]):
            return 0
        for line in range(1, len(self.starts)):
            if _TOML_FENCE.match(text, self.starts[line], self.ends[line]):
                self.masks.append(Region(0, self.ends[line], "front-matter"))
                return self.starts[line + 1] if line + 1 < len(self.starts) else len(text)
        return 0

    def html_block(self, token: Any, interrupts: bool) -> None:
        """An HTML block: read as HTML. `interrupts`: it starts on the line after a paragraph (no blank line
        between), as scraped `<style>` and `<script>` lines do: those elements are then left visible."""
        from repair.formats.html import parse_fragment

        content = token.content[:-1] if token.content.endswith("\n") else token.content
        mapping = self.line_map(content, token.map[0]) if token.map and content else None
        if mapping is None:
            self.hide_lines(token.map, "tag")
            return
        layout = parse_fragment(content, leaks=interrupts)
        position = 0
        for region in layout.masks:
            self.show(position, region.start, mapping)
            self.hide(region.start, region.end, region.kind, mapping, region.breaks)
            position = region.end
        self.show(position, len(content), mapping)
        for comment in layout.comments:
            start, end = mapping.span(comment.start, comment.end)
            self.comments.append(Comment(start, end, comment.text))

    def cell(self, token: Any) -> None:
        """A table cell: found in its row after the previous cell, with `\\|` in the source for each `|`."""
        line = token.map[0]
        if line >= len(self.starts):
            return
        if line != self.row:
            self.row, self.row_cursor = line, self.starts[line]
        content = token.content
        form = content.replace("|", "\\|")
        start = self.src.find(form, self.row_cursor, self.ends[line])
        if start < 0:
            return
        end = start + len(form)
        self.row_cursor = end
        mapping = _Map()
        mapping.add(0, start, start, end)
        pipes = 0
        index = content.find("|")
        while index != -1:
            pipes += 1
            mapping.add(index, start + index + pipes, start, end)
            index = content.find("|", index + 1)
        self.inline(token.children or [], content, mapping)

    # --- inline ---------------------------------------------------------------------------------------------------
    def inline(self, children: list[Any], content: str, mapping: _Map) -> None:
        self.leaking = False
        self.leak_start = -1
        self.autolink = False
        self.code_tag = ""
        self.code_start = -1
        self.walk(children, content, 0, mapping)
        if self.leaking:  # an unclosed <style>: visible to the end of the block
            self.leaking = False
            self.show(self.leak_start, len(content), mapping)

    def walk(self, tokens: list[Any], content: str, cursor: int, mapping: _Map) -> int:
        size = len(content)
        for index, token in enumerate(tokens):
            kind = token.type
            if self.autolink:
                if kind == "link_close":
                    self.autolink = False
                continue
            if kind == "text":
                value = token.content
                found = content.find(value, cursor) if value else -1
                if found >= 0:
                    cursor = found + len(value)
                    self.show(found, cursor, mapping)
                    if ("://" in value or "www." in value or "@" in value) and not self.leaking:
                        self.bare_urls(value, found, mapping)
            elif kind == "softbreak" or kind == "hardbreak":
                found = content.find("\n", cursor)
                if found >= 0:
                    cursor = found + 1
            elif kind == "text_special":
                markup = token.markup
                found = content.find(markup, cursor)
                if found < 0:
                    continue
                cursor = found + len(markup)
                if token.info == "escape":
                    self.show(found + 1, cursor, mapping)
                elif markup.lower() == "&amp;" and _DOUBLE_ESCAPE.match(content, cursor):
                    self.show(found, cursor, mapping)  # &amp;quot;: leaked escaping, for MRK003 to report
                else:
                    self.hide(found, cursor, "entity", mapping)
            elif kind == "code_inline":
                cursor = self.code_span(token.markup, content, cursor, mapping)
            elif kind.startswith("math_inline"):
                markup = token.markup or "$"
                found = content.find(markup, cursor)
                if found < 0:
                    continue
                close = found + len(markup) + len(token.content)
                if not content.startswith(markup, close):
                    close = content.find(markup, found + len(markup))
                    close = size - len(markup) if close < 0 else close
                cursor = close + len(markup)
                self.hide(found, cursor, "math", mapping)
            elif kind == "link_open":
                if token.markup == "autolink":
                    cursor = self.bare_link(tokens, index, content, cursor, mapping)
                    continue
                found = content.find("[", cursor)
                if found >= 0:
                    cursor = found + 1
            elif kind == "link_close":
                found = content.find("]", cursor)
                if found >= 0:
                    cursor = self.link_tail(content, found, mapping)
            elif kind == "image":
                found = content.find("![", cursor)
                if found < 0:
                    continue
                shown = len(self.visible)
                cursor = self.walk(token.children or [], content, found + 2, mapping)
                del self.visible[shown:]  # the description is an attribute, as `alt` is in HTML: masked
                found = content.find("]", cursor)
                if found >= 0:
                    cursor = self.link_tail(content, found, mapping)
            elif kind == "html_inline":
                cursor = self.html_inline(token.content, content, cursor, mapping)
            elif kind == "footnote_ref":
                label = "[^" + str((token.meta or {}).get("label", "")) + "]"
                found = content.find(label, cursor)
                if found >= 0:
                    cursor = found + len(label)
                    self.hide(found, cursor, "reference", mapping)
            elif token.markup and kind.endswith(("_open", "_close")):  # emphasis, strong, strikethrough
                found = content.find(token.markup, cursor)
                if found >= 0:
                    cursor = found + len(token.markup)
        return cursor

    def code_span(self, markup: str, content: str, cursor: int, mapping: _Map) -> int:
        """A code span: its opening backticks, then the next run of exactly as many."""
        found = content.find(markup, cursor)
        if found < 0:
            return cursor
        position = found + len(markup)
        while True:
            run = content.find("`", position)
            if run < 0:
                end = len(content)
                break
            stop = run
            while stop < len(content) and content[stop] == "`":
                stop += 1
            if stop - run == len(markup):
                end = stop
                break
            position = stop
        self.hide(found, end, "code", mapping)
        return end

    def bare_urls(self, value: str, offset: int, mapping: _Map) -> None:
        """GitHub's extended autolinks in a text token: `https://...`, `www....`, e-mail addresses."""
        for match in _BARE_URL.finditer(value):
            end = match.end()
            while end < len(value) and value[end] == ")" and value.count("(", match.start(), end) > value.count(
                    ")", match.start(), end):
                end += 1  # https://en.wikipedia.org/wiki/Foo_(bar): its own closing parenthesis
            self.hide(offset + match.start(), offset + end, "url", mapping)

    def bare_link(self, tokens: list[Any], index: int, content: str, cursor: int, mapping: _Map) -> int:
        """An autolink: `<url>`, or a bare URL or e-mail address (GitHub's extended autolinks)."""
        self.autolink = True  # skip its text and its link_close
        if content.startswith("<", cursor):
            close = content.find(">", cursor)
            end = close + 1 if close >= 0 else cursor + 1
        else:
            label = tokens[index + 1].content if index + 1 < len(tokens) and tokens[index + 1].type == "text" else ""
            if label and content.startswith(label, cursor):
                end = cursor + len(label)
            else:  # the link text was normalised (percent-decoded): up to the next space
                end = cursor
                while end < len(content) and not content[end].isspace() and content[end] != "<":
                    end += 1
        self.hide(cursor, end, "url", mapping)
        return end

    def link_tail(self, content: str, bracket: int, mapping: _Map) -> int:
        """A link text's `]` and what follows: an inline destination and title `(url "title")` (masked with the
        bracket as `url`), or a reference label (as `reference`)."""
        size = len(content)
        cursor = bracket + 1
        if cursor < size and content[cursor] == "(":
            from markdown_it.helpers import parseLinkDestination, parseLinkTitle

            position = _skip_space(content, cursor + 1)
            if position < size and content[position] != ")":
                destination = parseLinkDestination(content, position, size)
                if destination.ok:
                    position = _skip_space(content, destination.pos)
                    if position < size and content[position] in "\"'(":
                        title = parseLinkTitle(content, position, size)
                        if title.ok:
                            position = _skip_space(content, title.pos)
            if position < size and content[position] == ")":
                self.hide(bracket, position + 1, "url", mapping)
                return position + 1
        if cursor < size and content[cursor] == "[":
            close = content.find("]", cursor + 1)
            if close >= 0:
                self.hide(bracket, close + 1, "reference", mapping)
                return close + 1
        return cursor

    def html_inline(self, value: str, content: str, cursor: int, mapping: _Map) -> int:
        found = content.find(value, cursor)
        if found < 0:
            return cursor
        end = found + len(value)
        if value.startswith("<!--"):
            start, stop = self.hide(found, end, "comment", mapping)
            inner = value[4:-3] if value.endswith("-->") else value[4:]
            if not self.leaking:
                self.comments.append(Comment(start, stop, inner))
            return end
        match = _TAG_NAME.match(value)
        name = match.group(1).lower() if match else ""
        if name in CODE_TAGS and not self.leaking:  # <code>, <kbd>...: the tags and what they hold are code
            if value.startswith("</"):
                if name == self.code_tag:
                    self.code_tag = ""
                    self.hide(self.code_start, end, "code", mapping)
                    return end
            elif not self.code_tag and not value.endswith("/>"):
                self.code_tag, self.code_start = name, found
                return end
        if name in LEAKED_TAGS:  # scraped <style>/<script>: visible, tags and content
            if value.startswith("</"):
                if self.leaking:
                    self.leaking = False
                    self.show(self.leak_start, end, mapping)
                else:
                    self.show(found, end, mapping)
            elif not self.leaking:
                self.leaking = True
                self.leak_start = found
            return end
        self.hide(found, end, "tag", mapping, name in BREAK_TAGS)
        return end

    # --- the rest -------------------------------------------------------------------------------------------------
    def finish(self) -> tuple[Region, ...]:
        """Everything the prose and the named regions do not cover is markup — but a line break alone is not."""
        text = self.text
        covered = sorted(self.visible + [(region.start, region.end) for region in self.masks])
        regions = list(self.masks)
        position = 0
        for start, end in covered:
            if start > position:
                self.gap(position, start, regions)
            if end > position:
                position = end
        if position < len(text):
            self.gap(position, len(text), regions)
        return normalise(regions)

    def gap(self, start: int, end: int, regions: list[Region]) -> None:
        text = self.text
        piece = text[start:end]
        core = piece.strip("\r\n")
        if not core:
            return
        # a blank line at either end separates two blocks: it stays unmasked, as it would between two paragraphs
        lead = piece.index(core[0])
        if _breaks(piece, 0, lead) >= 2:
            start += lead
        trail = len(piece) - len(piece.rstrip("\r\n"))
        if _breaks(piece, len(piece) - trail, len(piece)) >= 2:
            end -= trail
        piece = text[start:end]
        if self.tables and self.in_table(start):
            regions.append(Region(start, end, "table", "|" in piece))
            return
        head = piece.lstrip()
        kind = "reference" if head.startswith("[") and "]:" in head else "tag"
        regions.append(Region(start, end, kind))

    def in_table(self, offset: int) -> bool:
        index = bisect_right(self.tables, (offset, len(self.text) + 1)) - 1
        return index >= 0 and self.tables[index][0] <= offset < self.tables[index][1]


def _breaks(text: str, start: int, end: int) -> int:
    """How many line breaks text[start:end] holds (\\r\\n counts once)."""
    return text.count("\n", start, end) + text.count("\r", start, end) - text.count("\r\n", start, end)


def _skip_space(content: str, position: int) -> int:
    while position < len(content) and content[position] in " \t\n":
        position += 1
    return position
