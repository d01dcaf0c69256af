"""What repair.prefilter reads from the pack rules' regular expressions, kept on disk between runs.

The pack detectors (repair.detectors.rulepack) need facts about each of their patterns before they can scan a
document: the flags it compiles with, the literals every match holds, whether it stays on one line, the lengths
of its matches and its first-character hint. Reading them means parsing each pattern with re's parser, in
Python: about 40 ms of every run's start-up, for answers that depend only on the pattern, its flags, repair's
code and Python's re.

`PatternFacts.for_packs(packs)` reads the answers a run with the same rule packs stored (plain JSON in the
repair home's patterns/ folder: repair.home_data), computes any that are missing with repair.prefilter, and
`save()` stores them for the next run. The file's name is a digest of repair's code, Python's version and the
packs' rules, so an edited pack, an upgrade or another Python never reads answers meant for something else; a
file that cannot be read or written, or an answer of the wrong type, costs time, never results (the facts are
computed again).
"""

from __future__ import annotations

from typing import Any, Callable

from repair import home_data, prefilter

FOLDER = "patterns"
FORMAT = 1  # the stored file's layout: change it whenever what a fact stores changes


def _typed(kind: type) -> Callable[[Any], Any]:
    """A reader of a stored value that must be of `kind` (a wrong one is damage: the fact is computed again)."""

    def read(value: Any) -> Any:
        if type(value) is not kind:
            raise ValueError(f"a stored {kind.__name__} expected, not {value!r}")
        return value

    return read


def _read_literals(value: Any) -> frozenset[str] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(type(item) is str for item in value):
        raise ValueError(f"stored literals expected, not {value!r}")
    return frozenset(value)


def _read_strings(value: Any) -> list[str]:
    if not isinstance(value, list) or not value or not all(type(item) is str for item in value):
        raise ValueError(f"stored patterns expected, not {value!r}")
    return value


def _read_lengths(value: Any) -> tuple[int, int] | None:
    if value is None:
        return None
    if not isinstance(value, list) or len(value) != 2 or not all(type(item) is int for item in value):
        raise ValueError(f"stored lengths expected, not {value!r}")
    return value[0], value[1]


#: each fact: (what computes it, how it is stored as JSON, how it is read back)
_FACTS: dict[str, tuple[Callable[[str, int], Any], Callable[[Any], Any], Callable[[Any], Any]]] = {
    "hint": (prefilter.first_char_hint, str, _typed(str)),
    "flags": (prefilter.compiled_flags, int, _typed(int)),
    "literals": (prefilter.required_literals, lambda v: None if v is None else sorted(v), _read_literals),
    "one-line": (prefilter.stays_on_one_line, bool, _typed(bool)),
    "lengths": (prefilter.match_lengths, lambda v: None if v is None else list(v), _read_lengths),
    "branches": (prefilter.whole_match_branches, list, _read_strings),
}


def packs_digest(packs) -> str:
    """The name of the packs' facts: a digest of what their detectors build their patterns from (with repair's
    code and Python's version)."""
    return home_data.key(str(FORMAT), *(repr((pack.path, pack.rules)) for pack in packs))


class PatternFacts:
    """The facts of a set of packs' patterns: read from the home, computed when missing, saved when new (a
    PatternFacts without a name keeps nothing)."""

    def __init__(self, name: str | None = None, stored: dict[str, Any] | None = None):
        self.name = name
        self._stored: dict[str, Any] = stored or {}
        self._decoded: dict[str, Any] = {}
        self._new = False

    @classmethod
    def for_packs(cls, packs) -> "PatternFacts":
        name = packs_digest(packs)
        try:
            stored = home_data.read(FOLDER, name)
        except LookupError:  # none yet, or damaged: computed again
            stored = {}
        return cls(name, stored if isinstance(stored, dict) else {})

    def _fact(self, name: str, pattern: str, flags: int) -> Any:
        key = f"{name}\0{int(flags)}\0{pattern}"
        if key in self._decoded:
            return self._decoded[key]
        compute, encode, decode = _FACTS[name]
        try:
            value = decode(self._stored[key])
        except (KeyError, ValueError):  # not stored yet, or a damaged entry: computed (and stored right)
            value = compute(pattern, flags)
            self._stored[key] = encode(value)
            self._new = True
        self._decoded[key] = value
        return value

    def hint(self, pattern: str, flags: int) -> str:
        """prefilter.first_char_hint(pattern, flags)"""
        return self._fact("hint", pattern, flags)

    def flags(self, pattern: str, flags: int) -> int:
        """prefilter.compiled_flags(pattern, flags)"""
        return self._fact("flags", pattern, flags)

    def literals(self, pattern: str, flags: int) -> frozenset[str] | None:
        """prefilter.required_literals(pattern, flags)"""
        return self._fact("literals", pattern, flags)

    def one_line(self, pattern: str, flags: int) -> bool:
        """prefilter.stays_on_one_line(pattern, flags)"""
        return self._fact("one-line", pattern, flags)

    def lengths(self, pattern: str, flags: int) -> tuple[int, int] | None:
        """prefilter.match_lengths(pattern, flags)"""
        return self._fact("lengths", pattern, flags)

    def branches(self, pattern: str, flags: int) -> list[str]:
        """prefilter.whole_match_branches(pattern, flags)"""
        return self._fact("branches", pattern, flags)

    def save(self) -> None:
        """Store the facts for the next run, when some were computed in this one."""
        if self._new and self.name is not None:
            home_data.write(FOLDER, self.name, self._stored)
            self._new = False
