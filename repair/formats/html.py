"""HTML: the text nodes are prose; tags, comments, declarations and code-like elements are masked.

Parsed with the standard library's `html.parser.HTMLParser` (`convert_charrefs=False`, so that character
references arrive as events of their own). Every event's start comes from `getpos()`; an event ends where the
next one starts. Only text events (`handle_data`) outside hidden elements are prose; everything else is masked:

- tags with their attributes (`tag`; block-level tags and `<br>` with `breaks=True`, so that the prose view reads
  two elements as two lines), comments (`comment`, also returned as `Comment` for suppression directives),
  the doctype, processing instructions and marked sections (`directive`);
- the whole content of `<script>`, `<style>`, `<noscript>`, `<template>`, `<svg>`, `<math>`, `<code>`, `<pre>`,
  `<kbd>`, `<samp>`, and of the older `<tt>`, `<var>`, `<xmp>`, `<listing>` (`code`, `math` or `tag`);
- character references (`entity`), except a double escape — `&amp;` directly followed by `quot;`, `#39;`,
  `nbsp;`... — which is escaping leaked into the text and stays visible (MRK003 reports it), and except a bare
  ampersand that is no reference at all (`AT&T`).

Malformed HTML never raises: what the parser skips without an event is masked, and if the parser gives up on a
construct, that construct is masked as far as its `>` and parsing resumes after it.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace

from repair.formats import Comment, Layout, Region, normalise

#: elements whose whole content is not prose, and the kind of mask it gets
HIDDEN_ELEMENTS = {
    "script": "code", "style": "code", "code": "code", "pre": "code", "kbd": "code", "samp": "code",
    "tt": "code", "var": "code", "xmp": "code", "listing": "code",  # older code elements (docutils writes <tt>)
    "math": "math", "svg": "tag", "template": "tag", "noscript": "tag",
}
#: style and script: in a Markdown file's HTML they are what scraping leaks, and stay visible
LEAKED_ELEMENTS = frozenset({"script", "style"})
#: tags that separate blocks: the prose view starts a new line at them
BLOCK_TAGS = frozenset(
    "address article aside blockquote body br caption dd details dialog div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 head header hgroup hr html legend li main menu nav ol option p pre section "
    "summary table tbody td tfoot th thead title tr ul".split()
)
_DOUBLE_ESCAPE = re.compile(r"#?[A-Za-z0-9]{1,31};")


def parse(text: str) -> Layout:
    """The layout of an HTML document (with its text, for what reads the markup: repair.formats.html_regions)."""
    return replace(parse_fragment(text, leaks=False), source=text)


def parse_fragment(text: str, leaks: bool = False) -> Layout:
    """The layout of HTML. `leaks`: `<style>` and `<script>` elements (tags and content) are left visible — for HTML
    inside a Markdown file, where they are scraped leftovers that the markup detector must still see."""
    collector = _Collector(text, leaks)
    collector.run()
    return Layout("html", normalise(collector.masks), tuple(collector.comments), collapses_whitespace=True)


class _Collector:
    """Runs HTMLParser over the text (resuming after a construct it gives up on) and turns its events into masks."""

    def __init__(self, text: str, leaks: bool) -> None:
        self.text = text
        self.leaks = leaks
        self.masks: list[Region] = []
        self.comments: list[Comment] = []
        self.depth: dict[str, int] = {}  # open hidden elements, by name: persists across parser restarts
        self.events: list[tuple[int, str, str]] = []  # (start, kind of event, data)

    def run(self) -> None:
        text = self.text
        base = 0
        while base < len(text):
            parser = _parser_class()(self, text[base:] if base else text, base)
            try:
                parser.feed(parser.chunk)
                parser.close()
                break
            except Exception:  # noqa: BLE001 - HTMLParser gives up on some malformed declarations: mask, go on
                failed = min(max(parser.position(), base), len(text) - 1)
                while self.events and self.events[-1][0] >= failed:  # a partial parse of the failing construct
                    self.events.pop()
                close = text.find(">", failed)
                base = close + 1 if close != -1 else failed + 1
                self.events.append((failed, "junk", ""))
        self._masks()

    def _masks(self) -> None:
        text, events = self.text, self.events
        spans: list[list] = []  # [start, end, kind, breaks, shows], contiguous ones merged as they come

        def add(start: int, end: int, kind: str, breaks: bool = False, shows: str = "") -> None:
            if end <= start:
                return
            if spans and spans[-1][1] == start and not shows and not spans[-1][4]:
                last = spans[-1]
                last[1] = end
                last[3] = last[3] or breaks
                if kind == "code":
                    last[2] = kind  # `<code>x</code>` is code, its tags included (formats.normalise's rule)
            else:
                spans.append([start, end, kind, breaks, shows])

        events.sort(key=lambda event: event[0])
        length = len(text)
        for index, (start, kind, data) in enumerate(events):
            end = events[index + 1][0] if index + 1 < len(events) else length
            hidden = self._hidden_kind()
            if kind == "data":
                stop = min(end, start + len(data))
                if hidden is not None:
                    add(start, end, hidden)
                elif stop < end:  # something the parser skipped without an event
                    add(stop, end, "tag")
            elif kind in ("start", "startend", "end"):
                name = data.lower()
                leaked = self.leaks and name in LEAKED_ELEMENTS
                if hidden is not None and not leaked:
                    add(start, end, hidden)
                elif not leaked:
                    add(start, end, "tag", name in BLOCK_TAGS)
                if kind == "start" and name in HIDDEN_ELEMENTS and not leaked:
                    self.depth[name] = self.depth.get(name, 0) + 1
                elif kind == "end" and self.depth.get(name):
                    self.depth[name] -= 1
                    if not self.depth[name]:
                        del self.depth[name]
            elif kind == "comment":
                add(start, end, "comment")
                if hidden is None:
                    self.comments.append(Comment(start, end, data))
            elif kind in ("entity", "charref"):
                raw = text[start:end]
                if hidden is not None:
                    add(start, end, hidden)
                elif kind == "entity" and data.lower() == "amp" and raw.endswith(";") \
                        and _DOUBLE_ESCAPE.match(text, end):
                    continue  # &amp;quot; — escaping leaked into the text: left visible
                elif raw.endswith(";") or _known_entity(raw):
                    # the prose view shows the character it stands for: &lt;style&gt; in a paragraph is a
                    # <style> element leaked into the text, and the markup detector must see it
                    shown = html.unescape(raw)
                    add(start, end, "entity", shows=shown if len(shown) == 1 and shown.isprintable() else "")
            else:  # directive, junk
                add(start, end, hidden or ("directive" if kind == "directive" else "tag"))
        self.masks = [Region(start, end, kind, breaks, shows) for start, end, kind, breaks, shows in spans]

    def _hidden_kind(self) -> str | None:
        if not self.depth:
            return None
        for name, depth in self.depth.items():
            if depth > 0:
                return HIDDEN_ELEMENTS[name]
        return None


_PARSER_CLASS = None


def _parser_class():
    """HTMLParser reporting every event with its offset to a collector (built on first use: no import at start-up)."""
    global _PARSER_CLASS
    if _PARSER_CLASS is not None:
        return _PARSER_CLASS
    from html.parser import HTMLParser

    class _Parser(HTMLParser):
        def __init__(self, collector: _Collector, chunk: str, base: int) -> None:
            super().__init__(convert_charrefs=False)
            self.collector, self.chunk, self.base = collector, chunk, base
            self.events = collector.events
            self.line_starts = [0]
            index = chunk.find("\n")
            while index != -1:
                self.line_starts.append(index + 1)
                index = chunk.find("\n", index + 1)

        def position(self) -> int:
            return self.base + self.line_starts[self.lineno - 1] + self.offset  # getpos(), without the call

        def _event(self, kind: str, data: str) -> None:
            self.events.append((self.base + self.line_starts[self.lineno - 1] + self.offset, kind, data))

        def handle_starttag(self, tag, attrs):
            self._event("start", tag)

        def handle_startendtag(self, tag, attrs):
            self._event("startend", tag)

        def handle_endtag(self, tag):
            self._event("end", tag)

        def handle_data(self, data):
            self._event("data", data)

        def handle_comment(self, data):
            self._event("comment", data)

        def handle_entityref(self, name):
            self._event("entity", name)

        def handle_charref(self, name):
            self._event("charref", name)

        def handle_decl(self, decl):
            self._event("directive", decl)

        def handle_pi(self, data):
            self._event("directive", data)

        def unknown_decl(self, data):
            self._event("directive", data)

    _PARSER_CLASS = _Parser
    return _Parser


def _known_entity(raw: str) -> bool:
    """`&copy` without its semicolon is still a reference (a legacy one); `&T` in `AT&T` is none."""
    import html

    return html.unescape(raw) != raw
