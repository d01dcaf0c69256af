"""Apply fixes: non-overlapping edits in one pass, repeated until the text is stable."""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass, field
from typing import Callable, Sequence

from repair.model import Applicability, Edit, Finding

MAX_PASSES = 10


class ConvergenceError(Exception):
    """Fixing kept changing the text after MAX_PASSES passes."""

    def __init__(self, path: str, codes: Sequence[str]):
        self.codes = sorted(set(codes))
        super().__init__(
            f"{path}: fixes failed to converge after {MAX_PASSES} passes; rules still changing the text: "
            + ", ".join(self.codes)
        )


@dataclass(frozen=True)
class AppliedEdit:
    """One edit that was written, with the rule that made it, in the coordinates of the original text."""

    code: str
    title: str
    original_start: int
    original_end: int
    replacement: str
    unsafe: bool = False  # made by an unsafe fix (--unsafe-fixes)


@dataclass
class FixResult:
    """The outcome of fixing a text: the original, the fixed text, the edits applied, the findings left, the rules
    dropped."""
    original: str
    text: str
    applied: list[AppliedEdit] = field(default_factory=list)
    remaining: list[Finding] = field(default_factory=list)
    #: rules left out of the fix because their fixes undid each other or never settled (rule_key)
    dropped: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.text != self.original


def _conflicts(a: Edit, b: Edit) -> bool:
    """Edits conflict when their ranges share an inside, or an insertion touches the other edit."""
    if a.start < b.end and b.start < a.end:
        return True
    touching = a.start <= b.end and b.start <= a.end
    return touching and (a.start == a.end or b.start == b.end)


class _Taken:
    """The edits chosen so far, sorted: they never conflict, so their ends rise with their starts, and the edits an
    edit may conflict with are found by bisection (a linear pass over the findings, not a quadratic one)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.edits: list[Edit] = []

    def conflicts(self, edit: Edit) -> bool:
        index = bisect.bisect_right(self.starts, edit.end) - 1  # the last taken edit that starts at or before its end
        while index >= 0:
            other = self.edits[index]
            if other.end < edit.start:  # this one and every earlier one end before the edit starts
                return False
            if _conflicts(edit, other):
                return True
            index -= 1
        return False

    def add(self, edit: Edit) -> None:
        index = bisect.bisect_right(self.starts, edit.start)
        self.starts.insert(index, edit.start)
        self.edits.insert(index, edit)


def select_fixes(findings: Sequence[Finding], threshold: Applicability) -> list[Finding]:
    """The findings whose fixes are applied together: eligible, in order, none overlapping an earlier one."""
    chosen: list[Finding] = []
    taken = _Taken()
    candidates = [f for f in findings if f.fix is not None and f.fix.applicability >= threshold and f.fix.edits]
    candidates.sort(key=lambda f: (min(e.start for e in f.fix.edits), -f.fix.applicability, f.code))
    for finding in candidates:
        edits = finding.fix.edits
        if any(taken.conflicts(edit) for edit in edits):
            continue
        if len(edits) > 1 and any(_conflicts(a, b) for i, a in enumerate(edits) for b in edits[i + 1:]):
            continue
        chosen.append(finding)
        for edit in edits:
            taken.add(edit)
    return chosen


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    parts: list[str] = []
    position = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        parts.append(text[position:edit.start])
        parts.append(edit.replacement)
        position = edit.end
    parts.append(text[position:])
    return "".join(parts)


class _Pass:
    """One pass's edits, sorted, with where each lands in the text after the pass."""

    def __init__(self, edits: Sequence[Edit]):
        self.edits = sorted(edits, key=lambda e: (e.start, e.end))
        self.new_starts: list[int] = []
        self.new_ends: list[int] = []
        self.deltas: list[int] = []  # the length change of the edits before each one
        delta = 0
        for edit in self.edits:
            self.deltas.append(delta)
            self.new_starts.append(edit.start + delta)
            self.new_ends.append(edit.start + delta + len(edit.replacement))
            delta += len(edit.replacement) - (edit.end - edit.start)
        self.delta = delta


class OffsetMap:
    """Maps offsets in a fixed text back to the text before a chain of passes (by bisection: linear overall)."""

    def __init__(self) -> None:
        self._passes: list[_Pass] = []

    def push(self, edits: Sequence[Edit]) -> None:
        self._passes.append(_Pass(edits))

    @staticmethod
    def _back(position: int, done: _Pass, prefer_end: bool) -> int:
        # the first edit that ends at or after the position: the edits before it lie wholly before the position
        index = bisect.bisect_left(done.new_ends, position)
        if index == len(done.edits):
            return position - done.delta
        new_start, new_end, edit = done.new_starts[index], done.new_ends[index], done.edits[index]
        if position < new_start:
            return position - done.deltas[index]
        if position == new_start == new_end:  # a deletion: a start lies after it, an end before it
            if prefer_end:
                return edit.start
            while index + 1 < len(done.edits) and done.new_starts[index + 1] == done.new_ends[index + 1] == position:
                index += 1  # adjacent deletions collapse at one point: a start lies after the last of them
            return done.edits[index].end
        if position == new_start:
            return edit.start
        if position < new_end:
            return edit.end if prefer_end else edit.start
        return edit.end  # position == new_end

    def to_original(self, position: int, prefer_end: bool = False) -> int:
        for edits in reversed(self._passes):
            position = self._back(position, edits, prefer_end)
        return position


def kept_ends(old: str, new: str) -> tuple[int, int]:
    """How many characters a replacement keeps of the old text at its start and at its end (never overlapping)."""
    keep = min(len(old), len(new))
    prefix = 0
    while prefix < keep and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < keep - prefix and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]:
        suffix += 1
    return prefix, suffix


def rule_key(finding: Finding) -> str:
    """The rule a fix comes from, as a dropped fix is named: the code, with LanguageTool's own rule id when the
    message starts with one ("LT300 (COMMA_PARENTHESIS_WHITESPACE)")."""
    match = _SUB_RULE.match(finding.message)
    return f"{finding.code} ({match.group(1)})" if match else finding.code


_SUB_RULE = re.compile(r"\[([A-Za-z0-9_]+)\]")
#: how often fixing starts again without the rules that kept changing the text
MAX_RESTARTS = 3


class _KeptChanging(Exception):
    def __init__(self, keys: set[str]):
        self.keys = keys


def fix_text(
    path: str,
    text: str,
    detect: Callable[[str], list[Finding]],
    threshold: Applicability = Applicability.SAFE,
) -> FixResult:
    """Detect, apply the eligible fixes, and repeat until nothing changes (at most MAX_PASSES passes).

    Rules whose fixes undo each other (the text comes back to an earlier state) or keep changing it after
    MAX_PASSES passes are dropped, and fixing starts again from the original text without them: the other
    fixes are still made, and FixResult.dropped names the dropped rules. ConvergenceError only when that does
    not settle it either."""
    dropped: set[str] = set()
    for _ in range(MAX_RESTARTS + 1):
        try:
            result = _fix_passes(text, detect, threshold, dropped)
        except _KeptChanging as changing:
            if not changing.keys - dropped:
                break
            dropped |= changing.keys
            continue
        result.dropped = sorted(dropped)
        return result
    raise ConvergenceError(path, sorted(dropped))


def _fix_passes(text: str, detect: Callable[[str], list[Finding]], threshold: Applicability,
                dropped: set[str]) -> FixResult:
    result = FixResult(original=text, text=text)
    offsets = OffsetMap()
    written: list[tuple[int, int, frozenset[str]]] = []  # what earlier passes wrote (and which rules), in the
    # current text's coordinates
    seen = {_digest(text): 0}  # each text the passes made (a digest: not a copy of each), after how many passes
    chosen_keys: list[set[str]] = []  # the rules each pass applied

    def eligible(found: list[Finding]) -> list[Finding]:
        starts = [start for start, _, _ in written]  # once a pass: the look-ups below bisect it
        return [f for f in found if f.fix is not None and rule_key(f) not in dropped
                and not _mixes_written_text(f, written, starts, text)]

    findings = detect(text)
    for number in range(1, MAX_PASSES + 1):
        chosen = select_fixes(eligible(findings), threshold)
        edits = [edit for finding in chosen for edit in finding.fix.edits]
        new_text = apply_edits(text, edits) if edits else text
        if new_text == text:
            result.text = text
            result.remaining = findings
            return result
        chosen_keys.append({rule_key(f) for f in chosen})
        digest = _digest(new_text)
        if digest in seen:  # back to an earlier text: the fixes of the passes since undo each other
            raise _KeptChanging(set().union(*chosen_keys[seen[digest]:]))
        seen[digest] = number
        for finding in chosen:
            for edit in finding.fix.edits:
                start = offsets.to_original(edit.start)
                end = max(start, offsets.to_original(edit.end, prefer_end=True))
                result.applied.append(AppliedEdit(finding.code, finding.fix.title, start, end, edit.replacement,
                                                  finding.fix.applicability < Applicability.SAFE))
        offsets.push(edits)
        written = _after_pass(written, [(edit, rule_key(finding)) for finding in chosen for edit in finding.fix.edits])
        text = new_text
        findings = detect(text)
    still_changing = select_fixes(eligible(findings), threshold)
    if still_changing and apply_edits(text, [e for f in still_changing for e in f.fix.edits]) != text:
        raise _KeptChanging({rule_key(f) for f in still_changing})
    result.text = text
    result.remaining = findings
    return result


def _digest(text: str) -> bytes:
    """What tells the texts of the passes apart (SHA-256 of their code points as UTF-8)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


Written = list[tuple[int, int, frozenset[str]]]


def _after_pass(written: Written, made: list[tuple[Edit, str]]) -> Written:
    """The written ranges after a pass, with the rules that wrote them: the earlier ones moved by its edits, plus
    what its edits wrote; overlapping or touching ranges merged."""
    done = _Pass([edit for edit, _ in made])
    owner = {id(edit): key for edit, key in made}

    starts = [edit.start for edit in done.edits]

    def forward(position: int, is_end: bool) -> int:
        index = bisect.bisect_right(starts, position) - 1  # the last edit starting at or before the position
        if index < 0:
            return position
        edit = done.edits[index]
        if position >= edit.end:  # after it
            return position + done.deltas[index] + len(edit.replacement) - (edit.end - edit.start)
        if position == edit.start:
            return done.new_starts[index]
        return done.new_ends[index] if is_end else done.new_starts[index]  # inside it: its new bounds

    moved = [(forward(start, False), forward(end, True), keys) for start, end, keys in written]
    moved += [(new_start, new_end, frozenset({owner[id(edit)]}))
              for new_start, new_end, edit in zip(done.new_starts, done.new_ends, done.edits) if new_end > new_start]
    moved.sort(key=lambda item: (item[0], item[1]))
    merged: Written = []
    for start, end, keys in moved:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end), merged[-1][2] | keys)
        elif end > start:
            merged.append((start, end, keys))
    return merged


def _mixes_written_text(finding: Finding, written: Written, starts: list[int], text: str) -> bool:
    """Whether a fix would change text another rule wrote in an earlier pass together with the user's text next
    to it (a doubled word made of the user's word and the one a fix put before it: 'IS is'): a later pass does
    not take repair's own words for the user's. What an edit changes is its span less the text its replacement
    keeps at either end (a pattern's context written back as it was changes nothing). A change wholly inside
    written text, or apart from it, is fine, and so is a rule going over its own text again (fixes that undo
    each other are caught as a loop). Only removals count: a replacement that spans both ('cafÃ' + a written
    '©' read as one mojibake) repairs what the earlier pass left, and skipping it would leave the next run a fix
    to make (fixing must be idempotent)."""
    if not written:
        return False
    key = rule_key(finding)
    for edit in finding.fix.edits:
        old, new = text[edit.start:edit.end], edit.replacement
        prefix, suffix = kept_ends(old, new)
        change_start, change_end = edit.start + prefix, edit.end - suffix
        if len(new) - prefix - suffix > 0:
            continue  # it writes something in place: a repair of the text, not a removal of written words
        index = bisect.bisect_right(starts, change_end) - 1
        while index >= 0 and written[index][1] >= change_start:
            start, end, keys = written[index]
            inside = start <= change_start and change_end <= end
            if not inside and keys - {key}:
                return True
            index -= 1
    return False


def back_to_original(original: str, fixed: str, applied: Sequence[AppliedEdit]) -> "Callable[[int], int] | None":
    """A map from positions in the fixed text to positions in the original, from the edits that made one from the
    other (fix --diff reports what is left where the unchanged file has it). A position inside a replaced span maps
    to that span's start (its end, for a position at the replacement's end). None when the edits, applied to the
    original, do not give the fixed text (edits of several passes that overlap): then no map is trusted."""
    edits = sorted(applied, key=lambda e: (e.original_start, e.original_end))
    parts: list[str] = []
    # (start in fixed, end in fixed, start in original, end in original) of each replaced span
    spans: list[tuple[int, int, int, int]] = []
    position = shift = 0
    for edit in edits:
        if edit.original_start < position:
            return None
        parts.append(original[position:edit.original_start])
        parts.append(edit.replacement)
        start = edit.original_start + shift
        spans.append((start, start + len(edit.replacement), edit.original_start, edit.original_end))
        shift += len(edit.replacement) - (edit.original_end - edit.original_start)
        position = edit.original_end
    parts.append(original[position:])
    if "".join(parts) != fixed:
        return None
    starts = [span[0] for span in spans]

    def to_original(offset: int) -> int:
        index = bisect.bisect_right(starts, offset) - 1
        if index < 0:
            return offset
        fixed_start, fixed_end, original_start, original_end = spans[index]
        return offset - fixed_end + original_end if offset >= fixed_end else original_start

    return to_original
