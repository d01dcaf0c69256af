"""reStructuredText: a documented subset, parsed line by line (not docutils).

Why not docutils: its nodes carry line numbers for some blocks only and no offsets for inline markup, so masks
cannot be put on the source reliably; and it takes about a second per 100 KB, where this parser takes a few
milliseconds. The subset below is what reST documentation pages (Sphinx and docutils) are made of; text outside it
is prose.

Blocks (by their lines):

- section titles: the underline and overline are masked (`tag`), the title is prose; transitions (`----`) too;
- explicit markup (`..` at any indentation): comments (`comment`, also returned as `Comment`, with every
  indented line that follows), hyperlink targets `.. _name: url` and anonymous ones `__ url` and substitution
  definitions `.. |name| directive::` (`reference`, the whole block), footnotes and citations `.. [1]` (the
  label is `reference`, the text is prose), directives `.. name:: arguments` with their `:option:` lines
  (`directive`). The content of code-like directives (code-block, code, sourcecode, literalinclude, doctest,
  testcode, ipython, jupyter-execute, graphviz, mermaid, plantuml, productionlist, parsed-literal, raw, ...) is
  masked as `code`, of `math` as `math`, of toctree, autosummary, csv-table and the like as `directive`; the
  content of other directives (note, warning, admonition, figure captions, list-table, ...) is prose, as are
  the arguments of admonition-like directives (`.. note:: Text`, `.. versionadded:: 3.2 Text`);
- literal blocks: a paragraph ending in `::` (the `::` masked as reST renders it: `text::` shows one colon),
  then the indented (or quoted) block that follows (`code`); doctest blocks `>>>` (`code`);
- tables: grid table borders and the `|` between cells with their padding (`table`, pipes with `breaks=True`),
  simple table borders and the padding between columns (`table`);
- bullet and enumerated list markers, field list markers `:Field:`, line block bars `| ` (`tag`).

Inline, within each paragraph: inline literals ``` ``x`` ``` (`code`), roles `:role:`x`` and `x`:role:` (code
and cross-reference roles masked as `code` — except `Title <target>` of :ref:/:doc:, whose title is prose —,
`:math:` as `math`, text roles such as :emphasis:, :sub:, :abbr:, :guilabel: keep their text as prose),
interpreted text without a role (`code`), hyperlink references `` `text <url>`_ `` (`url` for the target, the
text is prose), `word_`, `` `text`__ ``, inline targets `` _`text` ``, substitution references `|name|`,
footnote and citation references `[1]_` (`reference`), standalone URLs and e-mail addresses (`url`), the
markup characters of `*emphasis*` and `**strong**` and backslash escapes (`tag`).

Not covered (read as prose): option lists (`-a, --all  Description`), tabs in indentation (a tab counts as one
column, not eight), section titles without an underline character from the usual set, nested inline markup
(reST has none), and tables that are malformed.
"""

from __future__ import annotations

import re

from repair.formats import Comment, Layout, Region, normalise

_NEWLINE = re.compile(r"\r\n?|\n")
_PUNCTUATION = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_DIRECTIVE = re.compile(r"\.\.[ \t]+([A-Za-z0-9][\w:+.-]*)[ \t]*::(?=[ \t]|$)")
_OPTION = re.compile(r"[ \t]*:[^:\s`][^:`]*:(?=[ \t]|$)")
_GRID_BORDER = re.compile(r"\+(?:[-=:]+\+)+[ \t]*$")
_SIMPLE_BORDER = re.compile(r"=+(?:[ \t]+=+)+[ \t]*$")
_SIMPLE_RULE = re.compile(r"-+(?:[ \t]+-+)*[ \t]*$")
_BULLET = re.compile(r"[-*+\u2022\u2023\u2043](?=[ \t]|$)")
_ENUMERATED = re.compile(r"(?:\(?(?:\d+|#|[A-Za-z]|[ivxlcdmIVXLCDM]+)[.)])(?=[ \t]|$)")
_FIELD = re.compile(r":(?=[^\s:`])[^:`\n]*(?<=\S):(?=[ \t]|$)")
_LINE_BLOCK = re.compile(r"\|(?=[ \t]|$)")
_INLINE = re.compile(
    r"(?P<literal>(?<![\w\\`])``(?=\S).*?(?<=\S)``(?![\w`]))"
    r"|(?P<role>(?<![\w\\`]):(?P<rname>[A-Za-z][\w.+:-]*):`(?P<rbody>(?:[^`\\]|\\.)+?)`(?![\w`]))"
    r"|(?P<interp>(?<![\w\\`:])`(?P<ibody>(?=\S)(?:[^`\\]|\\.)+?(?<=\S))`"
    r"(?P<isuffix>__?|:[A-Za-z][\w.+:-]*:)?(?![\w`]))"
    r"|(?P<target>(?<![\w\\])_`(?=\S)[^`]+?(?<=\S)`(?![\w`]))"
    r"|(?P<strong>(?<![\w\\*])\*\*(?=\S)(?:[^*\\]|\\.|\*(?!\*))+?(?<=\S)\*\*(?![\w*]))"
    r"|(?P<emphasis>(?<![\w\\*])\*(?=[^\s*])(?:[^*\\]|\\.)+?(?<=\S)\*(?![\w*]))"
    r"|(?P<substitution>(?<![\w\\|])\|(?=[^\s|])[^|\n]+?(?<=\S)\|(?:__?)?(?![\w|]))"
    r"|(?P<footnote>(?<![\w\\])\[(?:\d+|#[\w.-]*|\*|[A-Za-z][\w.-]*)\]_(?!\w))"
    r"|(?P<url>(?<![\w/.@+-])(?:(?:https?|ftp|file)://|mailto:|www\.)[^\s<>`]*[^\s<>`.,;:!?'\")\]*_])"
    r"|(?P<email>(?<=[\w.+-])@[A-Za-z0-9-]+(?:\.[A-Za-z0-9_-]+)*\.[A-Za-z0-9]+)"
    r"|(?P<reference>(?<=[A-Za-z0-9])__?(?!\w))"
    r"|(?P<escape>\\[^\s])",
    re.DOTALL,
)
#: where inline markup can start: every alternative of _INLINE starts with one of these
_TRIGGER = re.compile(r"[`*|_\[\\@:]|(?:https?|ftp|file)://|mailto:|www\.")
_EMBEDDED = re.compile(r"(?s)(.*?)\s*(<[^<>]+>)\Z")

#: directives whose content (and arguments) are not prose, and the kind of mask
CODE_DIRECTIVES = {
    **dict.fromkeys(
        "code code-block sourcecode literalinclude highlight doctest testcode testoutput testsetup testcleanup "
        "ipython jupyter-execute jupyter-kernel code-cell graphviz graph digraph inheritance-diagram mermaid "
        "plantuml uml productionlist parsed-literal raw include prompt program-output command-output runblock "
        "exec literal plot bokeh-plot tikz".split(), "code"),
    **dict.fromkeys("math latex".split(), "math"),
    **dict.fromkeys(
        "toctree autosummary csv-table tabularcolumns index meta default-role role default-domain currentmodule "
        "module py:module py:currentmodule sectionauthor moduleauthor codeauthor".split(), "directive"),
}
#: directives whose arguments are prose (admonitions, titles)
PROSE_ARGUMENTS = frozenset(
    "note warning tip hint important caution danger error attention admonition seealso topic sidebar rubric "
    "deprecated versionadded versionchanged versionremoved centered epigraph pull-quote highlights todo "
    "glossary hlist compound".split()
)
#: roles whose text is prose
PROSE_ROLES = frozenset(
    "emphasis strong sub sup subscript superscript title-reference title t abbr acronym guilabel menuselection "
    "dfn term strike del".split()
)
#: roles that refer to something: with `Title <target>`, the title is prose
REFERENCE_ROLES = frozenset("ref doc numref download any keyword".split())
MATH_ROLES = frozenset({"math", "m"})


def parse(text: str) -> Layout:
    """The layout of a reStructuredText document."""
    return _Rst(text).build()


class _Rst:
    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0]
        self.ends: list[int] = []
        for match in _NEWLINE.finditer(text):
            self.ends.append(match.start())
            self.starts.append(match.end())
        self.ends.append(len(text))
        self.count = len(self.starts)
        self.masks: list[Region] = []
        self.comments: list[Comment] = []

    # --- lines ----------------------------------------------------------------------------------------------------
    def line(self, index: int) -> str:
        return self.text[self.starts[index]:self.ends[index]]

    def blank(self, index: int) -> bool:
        return not self.line(index).strip()

    def indent(self, index: int) -> int:
        line = self.line(index)
        return len(line) - len(line.lstrip(" \t"))

    def mask(self, start: int, end: int, kind: str, breaks: bool = False) -> None:
        if end > start:
            self.masks.append(Region(start, end, kind, breaks))

    def mask_lines(self, first: int, stop: int, kind: str) -> None:
        """Lines [first, stop), from the first one's text (its indentation stays) to the last one's end."""
        if stop > first:
            self.mask(self.starts[first] + self.indent(first), self.ends[stop - 1], kind)

    def block_end(self, first: int, indent: int) -> int:
        """The end of the block that starts at line `first`: the lines after it that are indented more than
        `indent` (or blank), without the blank lines at its end."""
        last = first
        index = first + 1
        while index < self.count:
            if not self.blank(index):
                if self.indent(index) <= indent:
                    break
                last = index
            index += 1
        return last + 1

    # --- blocks ---------------------------------------------------------------------------------------------------
    def build(self) -> Layout:
        index = 0
        while index < self.count:
            if self.blank(index):
                index += 1
                continue
            index = self.block(index)
        return Layout("rst", normalise(self.masks), tuple(self.comments))

    def block(self, index: int) -> int:
        line = self.line(index)
        stripped = line.strip()
        indent = self.indent(index)
        start = self.starts[index] + indent
        if stripped.startswith(".. ") or stripped.startswith("..\t") or stripped == "..":
            return self.explicit(index, indent)
        if stripped == "__" or stripped.startswith("__ "):  # an anonymous hyperlink target
            end = self.block_end(index, indent)
            self.mask_lines(index, end, "reference")
            return end
        if _adornment(stripped) and len(stripped) >= 3:  # an overline or a transition
            self.mask(start, self.ends[index], "tag")
            return index + 1
        if stripped.startswith("+") and _GRID_BORDER.match(stripped):
            return self.grid_table(index)
        if _SIMPLE_BORDER.match(stripped):
            end = self.simple_table(index)
            if end:
                return end
        if stripped.startswith(">>>"):
            end = index
            while end < self.count and not self.blank(end):
                end += 1
            self.mask_lines(index, end, "code")
            return end
        if stripped == "::":
            self.mask(start, self.ends[index], "tag")
            return self.literal_block(index + 1, indent)
        return self.paragraph(index, start)

    def paragraph(self, first: int, first_start: int) -> int:
        """Lines up to a blank line (or an underline, or explicit markup): markers, inline markup, `::`."""
        index = first
        end = first + 1
        while end < self.count and not self.blank(end):
            stripped = self.line(end).strip()
            if stripped.startswith(".. ") or stripped == ".." or stripped.startswith(">>>") \
                    or stripped.startswith("+") and _GRID_BORDER.match(stripped):
                break
            if _adornment(stripped):  # a section title's underline
                self.mask(self.starts[end] + self.indent(end), self.ends[end], "tag")
                self.lines_markup(first, end, first_start)
                self.inline(first_start, self.ends[end - 1])
                return end + 1
            end += 1
        self.lines_markup(first, end, first_start)
        last = self.line(end - 1).rstrip()
        body_end = self.ends[end - 1]
        literal = last.endswith("::") and not last.strip() == "::"
        if literal:
            colons = self.starts[end - 1] + len(last)
            if last.endswith(" ::") or last.endswith("\t::"):
                head = last[:-2].rstrip()
                self.mask(self.starts[end - 1] + len(head), colons, "tag")  # expanded to nothing
                body_end = self.starts[end - 1] + len(head)
            else:
                self.mask(colons - 1, colons, "tag")  # `text::` shows `text:`
                body_end = colons - 1
        self.inline(first_start, body_end)
        if literal:
            return self.literal_block(end, self.body_indent(end - 1))
        return end

    def lines_markup(self, first: int, stop: int, first_start: int) -> None:
        """List markers, field markers and line-block bars at the start of each line."""
        for index in range(first, stop):
            start = first_start if index == first else self.starts[index] + self.indent(index)
            end = self.ends[index]
            for pattern in (_BULLET, _ENUMERATED, _FIELD, _LINE_BLOCK):
                match = pattern.match(self.text, start, end)
                if match:
                    self.mask(match.start(), match.end(), "tag")
                    break

    def body_indent(self, index: int) -> int:
        """The indentation of a line's text: after a list marker, if the line has one."""
        line = self.line(index)
        indent = self.indent(index)
        for pattern in (_BULLET, _ENUMERATED):
            match = pattern.match(line, indent)
            if match:
                rest = len(line) - len(line[match.end():].lstrip(" \t"))
                return rest if rest < len(line) else indent
        return indent

    def literal_block(self, after: int, indent: int) -> int:
        """The literal block after `::`: the next lines indented more than the paragraph, or quoted (each line
        starting with the same punctuation character) at the same indentation."""
        index = after
        while index < self.count and self.blank(index):
            index += 1
        if index >= self.count:
            return index
        if self.indent(index) > indent:
            end = self.block_end(index, indent)
            self.mask_lines(index, end, "code")
            return end
        first = self.line(index).lstrip(" \t")
        if self.indent(index) == indent and first and first[0] in _PUNCTUATION:
            end = index
            while end < self.count and not self.blank(end) and self.indent(end) == indent \
                    and self.line(end).lstrip(" \t")[:1] == first[0]:
                end += 1
            self.mask_lines(index, end, "code")
            return end
        return index

    # --- explicit markup ------------------------------------------------------------------------------------------
    def explicit(self, index: int, indent: int) -> int:
        start = self.starts[index] + indent
        line_end = self.ends[index]
        body = self.text[start + 2:line_end].lstrip(" \t")
        body_start = line_end - len(body)
        end = self.block_end(index, indent)
        if body.startswith("["):  # footnote or citation: the label is a reference, the text is prose
            close = body.find("]")
            if close > 0:
                self.mask(start, body_start + close + 1, "reference")
                rest = body_start + close + 1
                while rest < line_end and self.text[rest] in " \t":
                    rest += 1
                if rest < line_end:
                    return self.paragraph(index, rest)
                return index + 1
        if body.startswith("_") or body.startswith("|"):  # hyperlink target, substitution definition
            self.mask_lines(index, end, "reference")
            return end
        match = _DIRECTIVE.match(self.text, start, line_end)
        if match:
            return self.directive(index, indent, match, end)
        if not body and (index + 1 >= self.count or self.blank(index + 1)):
            end = index + 1  # `..` then a blank line: an empty comment; what follows is a block quote
        comment_end = self.ends[end - 1]
        self.mask(start, comment_end, "comment")
        self.comments.append(Comment(start, comment_end, self.text[start + 2:comment_end].strip()))
        return end

    def directive(self, index: int, indent: int, match: re.Match[str], end: int) -> int:
        name = match.group(1).lower()
        line_end = self.ends[index]
        kind = CODE_DIRECTIVES.get(name) or CODE_DIRECTIVES.get(name.rsplit(":", 1)[-1])
        if kind:
            self.mask(match.start(), match.end(), "directive")
            head = self.head_end(index, indent)
            self.mask(match.end(), self.ends[head - 1], "directive" if kind != "math" else "math")
            if end > head:
                self.mask_lines(head, end, kind)
            return end
        self.mask(match.start(), match.end(), "directive")
        rest = match.end()
        while rest < line_end and self.text[rest] in " \t":
            rest += 1
        if name in PROSE_ARGUMENTS or name.rsplit(":", 1)[-1] in PROSE_ARGUMENTS:
            if rest < line_end:
                return self.paragraph(index, rest)
            return index + 1
        head = self.head_end(index, indent)
        self.mask(rest, self.ends[head - 1], "directive")
        return head

    def head_end(self, index: int, indent: int) -> int:
        """The end of a directive's arguments and options: the lines up to the first blank line or dedent."""
        head = index + 1
        while head < self.count and not self.blank(head) and self.indent(head) > indent:
            head += 1
        return head

    # --- tables ---------------------------------------------------------------------------------------------------
    def grid_table(self, first: int) -> int:
        columns: list[int] = []
        index = first
        while index < self.count:
            line = self.line(index)
            stripped = line.strip()
            if not stripped or stripped[0] not in "+|":
                break
            indent = self.indent(index)
            start = self.starts[index]
            if stripped[0] == "+" and _GRID_BORDER.match(stripped):
                columns = [position for position, char in enumerate(line) if char == "+"]
                self.mask(start + indent, self.ends[index], "table")
            else:
                for column in columns or [indent]:
                    if column < len(line) and line[column] == "|":
                        left, right = column, column + 1
                        while left > 0 and line[left - 1] in " \t":
                            left -= 1
                        while right < len(line) and line[right] in " \t":
                            right += 1
                        self.mask(start + left, start + right, "table", breaks=column > indent)
                self.inline(start + indent, self.ends[index])
            index += 1
        return index

    def simple_table(self, first: int) -> int:
        """A simple table: from its top border to the border that a blank line (or the end) follows. 0 if none."""
        border = self.line(first)
        spans = [(match.start(), match.end()) for match in re.finditer(r"=+", border)]
        index = first + 1
        end = 0
        while index < self.count:
            stripped = self.line(index).strip()
            if _SIMPLE_BORDER.match(stripped) and (index + 1 >= self.count or self.blank(index + 1)):
                end = index + 1
                break
            index += 1
        if not end:
            return 0
        gaps = [(spans[k][1], spans[k + 1][0]) for k in range(len(spans) - 1)]
        for index in range(first, end):
            line = self.line(index)
            start = self.starts[index]
            stripped = line.strip()
            if not stripped:
                continue
            if _SIMPLE_BORDER.match(stripped) or _SIMPLE_RULE.match(stripped):
                self.mask(start + self.indent(index), self.ends[index], "table")
                continue
            for gap_start, gap_end in gaps:  # the blanks between two columns
                if gap_start >= len(line):
                    break
                left, right = gap_start, min(gap_end, len(line))
                if line[left:right].strip():
                    continue
                while left > 0 and line[left - 1] in " \t":
                    left -= 1
                while right < len(line) and line[right] in " \t":
                    right += 1
                self.mask(start + left, start + right, "table", breaks=True)
            self.inline(start + self.indent(index), self.ends[index])
        return end

    # --- inline ---------------------------------------------------------------------------------------------------
    def inline(self, start: int, end: int) -> None:
        """Inline markup in text[start:end] (one paragraph, or one table row)."""
        text = self.text
        if end <= start:
            return
        position = start
        while True:
            trigger = _TRIGGER.search(text, position, end)
            if trigger is None:
                break
            match = _INLINE.match(text, trigger.start(), end)
            if match is None:
                position = trigger.start() + 1
                continue
            position = match.end()
            group = match.lastgroup
            a, b = match.span()
            if group == "literal":
                self.mask(a, b, "code")
            elif group == "role":
                self.role(match.group("rname"), a, match.start("rbody"), match.end("rbody"), b)
            elif group == "interp":
                suffix = match.group("isuffix") or ""
                body_start, body_end = match.start("ibody"), match.end("ibody")
                if suffix.startswith("_"):
                    self.hyperlink(a, body_start, body_end, b)
                elif suffix:
                    self.role(suffix.strip(":"), a, body_start, body_end, b)
                else:
                    self.mask(a, b, "code")  # the default role: most Sphinx projects make it code
            elif group == "target":
                self.mask(a, a + 2, "tag")
                self.mask(b - 1, b, "tag")
            elif group == "strong":
                self.mask(a, a + 2, "tag")
                self.mask(b - 2, b, "tag")
            elif group == "emphasis":
                self.mask(a, a + 1, "tag")
                self.mask(b - 1, b, "tag")
            elif group in ("substitution", "footnote"):
                self.mask(a, b, "reference")
            elif group == "url":
                self.mask(a, b, "url")
            elif group == "email":
                while a > start and (text[a - 1].isalnum() or text[a - 1] in "._+-"):
                    a -= 1
                self.mask(a, b, "url")
            elif group == "reference":
                self.mask(a, b, "tag")  # the underscores of `name_`
            elif group == "escape":
                self.mask(a, a + 1, "tag")

    def role(self, name: str, start: int, body_start: int, body_end: int, end: int) -> None:
        name = name.lower()
        short = name.rsplit(":", 1)[-1]
        if short in PROSE_ROLES:
            self.mask(start, body_start, "directive")
            self.mask(body_end, end, "directive")
        elif short in REFERENCE_ROLES:
            embedded = _EMBEDDED.match(self.text, body_start, body_end)
            if embedded and embedded.group(1).strip():
                self.mask(start, body_start, "directive")
                self.mask(embedded.end(1), end, "reference")
            else:
                self.mask(start, end, "reference")
        else:
            self.mask(start, end, "math" if short in MATH_ROLES else "code")

    def hyperlink(self, start: int, body_start: int, body_end: int, end: int) -> None:
        """`text <url>`_, `text`_, `<url>`_: the text is prose, the target is not."""
        embedded = _EMBEDDED.match(self.text, body_start, body_end)
        if embedded and not embedded.group(1).strip():
            self.mask(start, end, "url")
            return
        self.mask(start, body_start, "tag")
        if embedded:
            self.mask(embedded.end(1), end, "url")
        else:
            self.mask(body_end, end, "tag")


def _adornment(stripped: str) -> bool:
    """A line of one punctuation character repeated (a title's underline or overline, a transition)."""
    return len(stripped) >= 2 and stripped[0] in _PUNCTUATION and stripped == stripped[0] * len(stripped)
