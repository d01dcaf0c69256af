"""A decoded text file: its text, how to write it back, and a line index."""

from __future__ import annotations

import bisect
import codecs
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from repair.analysis import Analysis
    from repair.formats import Layout

_BOMS = (  # UTF-32 first: its little-endian BOM begins with UTF-16's
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class _kept:
    """A value of a document computed on its first read and kept as the document's own attribute: later reads
    are a plain attribute look-up, no call (detectors read `doc.analysis` a million times in 5,000 files)."""

    def __init__(self, compute):
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    def __get__(self, doc, owner=None):
        if doc is None:
            return self
        value = doc.__dict__[self.name] = self.compute(doc)
        return value


#: the key Engine.fix sets in a document's lineage while it fixes it (its passes share the lineage)
FIXING = "fixing"


class UnreadableFile(Exception):
    """A file that is binary or cannot be decoded: reported, never touched."""


@dataclass(frozen=True)
class Encoding:
    codec: str = "utf-8"
    bom: bytes = b""

    def encode(self, text: str) -> bytes:
        return self.bom + text.encode(self.codec)


@dataclass
class Document:
    """Text as repair sees it. Offsets are code points into `text`; line endings are kept as they are."""

    path: str
    text: str
    encoding: Encoding = field(default_factory=Encoding)
    #: the file format (repair.formats): None decides from the path
    format: str | None = None
    #: in the prose view the engine hands to detectors: what is masked (repair.formats.Layout), as context
    layout: "Layout | None" = field(default=None, repr=False, compare=False)
    #: in a prose view: the line starts of the file it was made from (messages give the file's line numbers)
    source_line_starts: list[int] | None = field(default=None, repr=False, compare=False)
    #: what the checks of this text and of the texts made from it (its prose view, the passes of its fix) leave
    #: for one another: one dict shared along `with_text`, a new one for every document read or built
    lineage: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_bytes(cls, path: str, data: bytes) -> "Document":
        return cls(path, *decode(data, path))

    @classmethod
    def read(cls, path: Path | str) -> "Document":
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            raise UnreadableFile(f"{path}: cannot read: {error.strerror or error}") from error
        return cls.from_bytes(str(path), data)

    def with_text(self, text: str) -> "Document":
        return Document(self.path, text, self.encoding, self.format, lineage=self.lineage)

    @_kept
    def analysis(self) -> "Analysis":
        """Shared analysis of the text (tokens, sentences), computed once and read by every detector."""
        from repair.analysis import Analysis

        return Analysis(self.text)

    @_kept
    def line_starts(self) -> list[int]:
        """The offset where each line begins."""
        starts = [0]
        find = self.text.find
        index = find("\n")
        while index != -1:
            starts.append(index + 1)
            index = find("\n", index + 1)
        return starts

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in code points) of an offset."""
        line = bisect.bisect_right(self.line_starts, offset) - 1
        return line + 1, offset - self.line_starts[line] + 1

    def line_of(self, offset: int) -> int:
        """The 1-based line of an offset, as the file numbers it (in a prose view, whose block breaks add line
        breaks, the original file's line)."""
        return bisect.bisect_right(self.source_line_starts or self.line_starts, offset)

    def lines(self):
        """Yield (start, end, text) of each line, the end excluding the line break."""
        start = 0
        for line in self.text.split("\n"):
            end = start + len(line)
            if line[-1:] == "\r":
                yield start, end - 1, line[:-1]
            else:
                yield start, end, line
            start = end + 1


def line_removal(text: str, start: int, end: int) -> tuple[int, int]:
    """The range that deletes a whole line and its line break (the one before it for the last line).

    A line that stands alone between blank lines takes one of the blank lines with it, so that removing it does
    not leave a double gap.
    """
    if end < len(text):
        next_break = text.find("\n", end)
        stop = next_break + 1 if next_break != -1 else len(text)
        blank_before = start == 0 or _blank_line_ends_at(text, start - 1)
        after = text.find("\n", stop)
        if blank_before and after != -1 and not text[stop:after].strip():
            stop = after + 1
        return start, stop
    if start > 0:
        previous = start - 1
        if previous > 0 and text[previous - 1] == "\r":
            previous -= 1
        return previous, end
    return start, end


def _blank_line_ends_at(text: str, newline: int) -> bool:
    """True when the line that ends with the line break at `newline` holds only white space."""
    line_start = text.rfind("\n", 0, newline) + 1
    return not text[line_start:newline].strip()


def decode(data: bytes, path: str = "<bytes>") -> tuple[str, Encoding]:
    """The text of a file and how to write it back, or UnreadableFile: a file is read whole or refused whole.

    UTF-8 (with or without a BOM), UTF-16 and UTF-32 with a BOM. A NUL byte anywhere in UTF-8 makes the file
    binary; text behind a UTF-16 or UTF-32 BOM that holds NUL, other control characters, unassigned or
    private-use code points is binary data that happens to start with a BOM."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(codec)
            except UnicodeDecodeError as error:
                raise UnreadableFile(f"{path}: not valid {codec} at byte {error.start + len(bom)}; left untouched") from error
            if codec != "utf-8":
                odd = _not_text(text)
                if odd is not None:
                    raise UnreadableFile(f"{path}: binary file (U+{ord(odd):04X} behind a {codec} BOM); left untouched")
            elif "\x00" in text:
                raise UnreadableFile(f"{path}: binary file (NUL byte); left untouched")
            return text, Encoding(codec, bom)
    nul = data.find(b"\x00")
    if nul != -1:
        raise UnreadableFile(f"{path}: binary file (NUL byte); left untouched")
    try:
        return data.decode("utf-8"), Encoding()
    except UnicodeDecodeError as error:
        raise UnreadableFile(
            f"{path}: not valid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start}); left untouched"
        ) from error


_TEXT_CONTROLS = frozenset("\t\n\v\f\r\x1c\x1d\x1e\x85")


def _not_text(text: str) -> str | None:
    """The first character that text never holds (a control other than white space, an unassigned or private-use
    code point), or None. Checked on the distinct characters only."""
    if text.isprintable():
        return None
    import unicodedata

    for char in sorted(set(text)):
        if char in _TEXT_CONTROLS or char.isprintable():
            continue
        if unicodedata.category(char) in ("Cc", "Cn", "Co", "Cs"):
            return char
    return None
