"""Core value types: spans, edits, fixes, findings and rule metadata.

Offsets are code points into the decoded text (a BOM excluded). Adapters that
speak other units (bytes, UTF-16) convert at the boundary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum, IntEnum


class Category(str, Enum):
    UNTRANSLATED = "untranslated"
    TERMINOLOGY = "terminology"
    ENCODING = "encoding"
    SPELLING = "spelling"
    GRAMMAR = "grammar"
    PUNCTUATION = "punctuation"
    STYLE = "style"
    MISTRANSLATION = "mistranslation"
    BOILERPLATE = "boilerplate"
    MARKUP = "markup"
    DUPLICATION = "duplication"


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """info 0 < warning 1 < error 2."""
        return _SEVERITY_RANKS[self.value]


_SEVERITY_RANKS = {"info": 0, "warning": 1, "error": 2}


class Applicability(IntEnum):
    """How far a fix may be trusted. Ordered: DISPLAY_ONLY < UNSAFE < SAFE."""

    DISPLAY_ONLY = 0
    UNSAFE = 1
    SAFE = 2

    @property
    def label(self) -> str:
        return {0: "display-only", 1: "unsafe", 2: "safe"}[int(self)]

    @classmethod
    def parse(cls, label: str) -> "Applicability":
        for member in cls:
            if member.label == label:
                return member
        raise ValueError(f"unknown applicability {label!r}: use safe, unsafe or display-only")


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A range of code points in a document's text: start inclusive, end exclusive."""
    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span {self.start}..{self.end}")


@dataclass(frozen=True, slots=True, order=True)
class Edit:
    """Replace the code points start..end of the text with `replacement`."""
    start: int
    end: int
    replacement: str

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


@dataclass(frozen=True, slots=True)
class Fix:
    """The edits that repair one finding, how safe they are (applicability) and what they do (title)."""
    edits: tuple[Edit, ...]
    applicability: Applicability
    title: str

    @classmethod
    def replace(cls, start: int, end: int, replacement: str, applicability: Applicability, title: str) -> "Fix":
        return cls((Edit(start, end, replacement),), applicability, title)


@dataclass(frozen=True, slots=True)
class Finding:
    """One piece of damage a rule found: its rule (code, name, category, severity), what it says, where, and its fix
    if it has one."""
    code: str
    name: str
    category: Category
    severity: Severity
    message: str
    start: int
    end: int
    fix: Fix | None = None

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)

    def sort_key(self) -> tuple:
        return (self.start, self.end, self.code, self.message)


@dataclass(frozen=True, slots=True)
class Example:
    """A rule's example: text it reports (bad) and the text it leaves alone (good)."""
    bad: str
    good: str


@dataclass(frozen=True)
class RuleInfo:
    """What a rule is: the metadata `repair rules` lists and `repair rule CODE` explains."""

    code: str
    name: str
    category: Category
    severity: Severity
    summary: str
    examples: tuple[Example, ...]
    fix: Applicability | None = None
    why: str = ""
    origin: str = "builtin"
    source_languages: tuple[str, ...] = field(default=())
    target_languages: tuple[str, ...] = field(default=("en",))

    @property
    def fix_label(self) -> str:
        return self.fix.label if self.fix is not None else "none"
