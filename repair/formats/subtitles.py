"""Subtitles: SubRip (.srt) and WebVTT (.vtt), parsed line by line.

Both formats are made of blocks separated by blank lines, and a cue's timing line is recognisable on its own, so
a line-based parser is exact enough and never fails on a damaged file (a missing blank line, a missing cue
number, a stray line): a line is classified by what it is, not by where a block should be. No library is used:
`srt` and `webvtt-py` raise on, or skip, the malformed cues that translated and scraped subtitles are full of,
and neither gives source offsets.

SRT: the cue number (a line of digits just before a timing line, a byte order mark included) and the timing line
`00:00:01,000 --> 00:00:04,000` with any coordinates after it (`X1:... Y2:...`) are masked (`timestamp`); in
the cue text, the tags players honour — `<i>`, `<b>`, `<u>`, `<s>`, `<font ...>` and their end tags — and
SSA override codes such as `{\\an8}` are masked (`tag`). Character references are not SRT's escapes: they stay
visible (MRK003 reports `&amp;`).

WebVTT: the `WEBVTT` header block (`timestamp`), `NOTE` blocks (`comment`, also returned as `Comment` with the
text after `NOTE`), `STYLE` blocks (`code`), `REGION` blocks (`timestamp`), cue identifiers and timing lines with
their cue settings (`position:10% align:start`) (`timestamp`); in the cue text every tag — `<i>`, `<b>`, `<u>`,
`<c.class>`, `<v Name>`, `<lang en>`, `<ruby>`, `<rt>`, timestamps `<00:00:02.000>` and end tags — is masked
(`tag`), and character references (`&amp;`, `&lt;`, `&nbsp;`...) too (`entity`), except a double escape
(`&amp;quot;`, leaked escaping, left visible).
"""

from __future__ import annotations

import re

from repair.formats import Comment, Layout, Region, normalise

_NEWLINE = re.compile(r"\r\n?|\n")
_TIME = r"(?:\d{1,3}:)?\d{1,2}:\d{1,2}[,.]\d{1,3}"
_SRT_TIMING = re.compile(r"[ \t]*" + _TIME + r"[ \t]*-+>[ \t]*" + _TIME + r"(?:[ \t].*)?$")
_VTT_TIMING = re.compile(r"[ \t]*" + _TIME + r"[ \t]+-->[ \t]+" + _TIME + r"(?:[ \t].*)?$")
_CUE_NUMBER = re.compile(r"\ufeff?[ \t]*\d+[ \t]*$")
_SRT_TAG = re.compile(r"</?(?:i|b|u|s|font)\b[^<>\n]*>|\{\\[^{}\n]*\}", re.IGNORECASE)
_VTT_TAG = re.compile(r"<[^<>\n]*>")
_VTT_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_DOUBLE_ESCAPE = re.compile(r"#?[A-Za-z0-9]{1,31};")


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, without its line break."""
    lines = []
    start = 0
    for match in _NEWLINE.finditer(text):
        lines.append((start, match.start()))
        start = match.end()
    lines.append((start, len(text)))
    return lines


def parse_srt(text: str) -> Layout:
    """The layout of a SubRip file."""
    lines = _lines(text)
    masks: list[Region] = []
    timing = [bool(_SRT_TIMING.match(text, start, end)) for start, end in lines]
    for index, (start, end) in enumerate(lines):
        if timing[index]:
            masks.append(Region(start, end, "timestamp"))
        elif index + 1 < len(lines) and timing[index + 1] and _CUE_NUMBER.match(text, start, end):
            masks.append(Region(start, end, "timestamp"))
        elif end > start:
            for match in _SRT_TAG.finditer(text, start, end):
                masks.append(Region(match.start(), match.end(), "tag"))
    return Layout("srt", normalise(masks))


def parse_vtt(text: str) -> Layout:
    """The layout of a WebVTT file."""
    lines = _lines(text)
    masks: list[Region] = []
    comments: list[Comment] = []
    index = 0
    count = len(lines)
    first = True
    while index < count:
        start, end = lines[index]
        if start == end or not text[start:end].strip():
            index += 1
            continue
        stop = index  # the block: up to the next blank line
        while stop < count and text[lines[stop][0]:lines[stop][1]].strip():
            stop += 1
        block_end = lines[stop - 1][1]
        head = text[start:end].lstrip("\ufeff")
        if first and head.startswith("WEBVTT"):
            masks.append(Region(start, block_end, "timestamp"))
        elif _keyword(head, "NOTE"):
            masks.append(Region(start, block_end, "comment"))
            offset = start + (end - start - len(head)) + 4
            comments.append(Comment(start, block_end, text[offset:block_end].strip()))
        elif _keyword(head, "STYLE"):
            masks.append(Region(start, block_end, "code"))
        elif _keyword(head, "REGION"):
            masks.append(Region(start, block_end, "timestamp"))
        else:
            _cue(text, lines, index, stop, masks)
        first = False
        index = stop
    return Layout("vtt", normalise(masks), tuple(comments))


def _keyword(line: str, word: str) -> bool:
    return line.startswith(word) and (len(line) == len(word) or line[len(word)] in " \t")


def _cue(text: str, lines: list[tuple[int, int]], first: int, stop: int, masks: list[Region]) -> None:
    """A cue block: identifier and timing line masked, tags and character references in its text masked. A block
    with no timing line is not a cue: it is left as it is."""
    timing = next((index for index in range(first, stop) if _VTT_TIMING.match(text, *lines[index])), None)
    if timing is None:
        return
    masks.append(Region(lines[first][0], lines[timing][1], "timestamp"))
    for index in range(timing + 1, stop):
        start, end = lines[index]
        if "<" in text[start:end]:
            for match in _VTT_TAG.finditer(text, start, end):
                masks.append(Region(match.start(), match.end(), "tag"))
        if "&" in text[start:end]:
            for match in _VTT_ENTITY.finditer(text, start, end):
                if match.group().lower() == "&amp;" and _DOUBLE_ESCAPE.match(text, match.end()):
                    continue
                masks.append(Region(match.start(), match.end(), "entity"))
