"""Review fixes one by one: which of a file's fixes a person accepts, as data.

`review_files` takes each file's text and findings and a decision callback, and yields, file by file, the edits
that were accepted, the text they make and what was decided for every fix. It reads no terminal and writes no
file: the command (`repair review`, repair.report.review for the terminal) asks and writes.

What is asked: every unsafe fix (and the safe ones too with `include_safe`); a fix that overlaps one already
accepted in the same file is not asked (its edits would collide) and counts as skipped. Display-only fixes are
never asked: they are never written.
"""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass, field
from enum import Enum
from typing import Callable, Iterable, Iterator, Sequence

from repair.fixer import apply_edits, kept_ends
from repair.model import Applicability, Edit, Finding

#: characters of a long line shown on either side of a change (cut at a word, with an ellipsis)
WINDOW = 90


class Decision(str, Enum):
    """An answer to one proposal (the keys of the terminal layer)."""

    ACCEPT = "y"
    REJECT = "n"
    ACCEPT_RULE = "a"  # this one and every later fix of the same rule, in this run, without asking
    SKIP_FILE = "s"  # this one and the rest of the file: left as they are
    QUIT = "q"  # stop: what was accepted so far is kept (and written), nothing more is asked


class Outcome(str, Enum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Reviewable:
    """A file to review: its text, its findings (on that text) and why each rule's fix is unsafe."""

    path: str
    text: str
    findings: Sequence[Finding]
    #: rule code -> why its fixes are unsafe (the rule's explanation); a fix's own title may say more
    why: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Piece:
    """A run of the shown line: kept text (`old` only), or a change (`old` removed, `new` put in its place)."""

    old: str
    new: str | None = None

    @property
    def changed(self) -> bool:
        return self.new is not None


@dataclass(frozen=True)
class Proposal:
    """One fix put to the person: where, which rule, and the line with the change marked."""

    path: str
    finding: Finding
    line: int  # 1-based
    column: int  # 1-based
    pieces: tuple[Piece, ...]
    why: str
    number: int  # 1-based position among the file's proposals
    total: int

    @property
    def safety(self) -> str:
        return self.finding.fix.applicability.label if self.finding.fix is not None else "none"


@dataclass
class FileReview:
    """What a review of one file decided: the accepted edits and the text they make."""

    path: str
    original: str
    text: str
    edits: list[Edit] = field(default_factory=list)
    outcomes: list[tuple[str, Outcome]] = field(default_factory=list)  # (rule code, outcome), in order

    @property
    def changed(self) -> bool:
        return self.text != self.original


def review_files(files: Iterable[Reviewable], decide: Callable[[Proposal], Decision], *,
                 include_safe: bool = False) -> Iterator[FileReview]:
    """Each file's review, in order, as soon as it is decided (`files` is read lazily: a file is checked only
    when its turn comes). After QUIT the file under review is still yielded, with what was accepted in it, and
    the files after it are not read."""
    accepted_rules: set[str] = set()
    for item in files:
        review, quit_now = _review_file(item, decide, include_safe, accepted_rules)
        yield review
        if quit_now:
            return


def _review_file(item: Reviewable, decide: Callable[[Proposal], Decision], include_safe: bool,
                 accepted_rules: set[str]) -> tuple[FileReview, bool]:
    threshold = Applicability.UNSAFE
    candidates = [f for f in sorted(item.findings, key=Finding.sort_key) if f.fix is not None and f.fix.edits
                  and threshold <= f.fix.applicability and (include_safe or f.fix.applicability < Applicability.SAFE)]
    review = FileReview(item.path, item.text, item.text)
    accepted: list[Edit] = []
    starts = _line_starts(item.text)
    stop: Decision | None = None
    for number, finding in enumerate(candidates, 1):
        if stop is not None or _overlaps(finding.fix.edits, accepted):
            review.outcomes.append((finding.code, Outcome.SKIPPED))
            continue
        if finding.code in accepted_rules:
            decision = Decision.ACCEPT
        else:
            decision = decide(_proposal(item, finding, starts, number, len(candidates)))
        if decision is Decision.ACCEPT_RULE:
            accepted_rules.add(finding.code)
            decision = Decision.ACCEPT
        if decision is Decision.ACCEPT:
            accepted.extend(finding.fix.edits)
            review.outcomes.append((finding.code, Outcome.ACCEPTED))
        elif decision is Decision.REJECT:
            review.outcomes.append((finding.code, Outcome.REJECTED))
        else:  # SKIP_FILE or QUIT: this one and the rest of the file stay as they are
            stop = decision
            review.outcomes.append((finding.code, Outcome.SKIPPED))
    review.edits = sorted(accepted, key=lambda e: (e.start, e.end))
    review.text = apply_edits(item.text, review.edits) if accepted else item.text
    return review, stop is Decision.QUIT


def _overlaps(edits: Sequence[Edit], accepted: list[Edit]) -> bool:
    """Whether edits share text with accepted ones, or an insertion touches one (as the fixer sees conflicts)."""
    for a in edits:
        for b in accepted:
            if a.start < b.end and b.start < a.end:
                return True
            if a.start <= b.end and b.start <= a.end and (a.start == a.end or b.start == b.end):
                return True
    return False


def tally(reviews: Iterable[FileReview]) -> dict[str, Counter]:
    """Per rule code, how many fixes were accepted, rejected and skipped, codes in order."""
    counts: dict[str, Counter] = {}
    for review in reviews:
        for code, outcome in review.outcomes:
            counts.setdefault(code, Counter())[outcome] += 1
    return dict(sorted(counts.items()))


# --- the line with the change marked -------------------------------------------------------------------------------

def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts.extend(index + 1 for index, char in enumerate(text) if char == "\n")
    return starts


def _proposal(item: Reviewable, finding: Finding, starts: list[int], number: int, total: int) -> Proposal:
    line = bisect.bisect_right(starts, finding.start) - 1
    column = finding.start - starts[line] + 1
    return Proposal(item.path, finding, line + 1, column, marked(item.text, finding.fix.edits), why_unsafe(
        finding, item.why.get(finding.code, "")), number, total)


def why_unsafe(finding: Finding, rule_why: str) -> str:
    """Why the fix needs a person: what its title says after "unsafe:", else the rule's explanation, else the
    general reason."""
    title = finding.fix.title if finding.fix is not None else ""
    if "(unsafe: " in title:
        return title.split("(unsafe: ", 1)[1].rstrip(")")
    if finding.fix is not None and finding.fix.applicability == Applicability.SAFE:
        return "a safe fix: it changes only the damaged words"
    if rule_why:
        return rule_why
    return "this rule's fixes may change the meaning; the text around it decides"


def narrowed(text: str, edit: Edit) -> Edit:
    """The edit less what its replacement keeps of the old text at either end, widened back to whole words
    ('succeeded in his' -> 'succeeded in its' shows as 'his' -> 'its')."""
    old, new = text[edit.start:edit.end], edit.replacement
    prefix, suffix = kept_ends(old, new)
    while prefix and old[prefix - 1].isalnum() and (_letter_at(old, prefix) or _letter_at(new, prefix)):
        prefix -= 1  # the change began inside a word: show the whole word
    while suffix and old[len(old) - suffix].isalnum() and (_letter_at(old, len(old) - suffix - 1)
                                                          or _letter_at(new, len(new) - suffix - 1)):
        suffix -= 1
    return Edit(edit.start + prefix, edit.end - suffix, new[prefix:len(new) - suffix])


def _letter_at(text: str, index: int) -> bool:
    return 0 <= index < len(text) and text[index].isalnum()


def marked(text: str, edits: Sequence[Edit], window: int = WINDOW) -> tuple[Piece, ...]:
    """The lines an edit touches, as kept and changed pieces; a long line cut to `window` characters either side
    of the changes, at a word, with an ellipsis."""
    shown = sorted((narrowed(text, edit) for edit in edits), key=lambda e: (e.start, e.end))
    first, last = shown[0].start, max(e.end for e in shown)
    line_start = text.rfind("\n", 0, first) + 1
    line_end = text.find("\n", max(first, last - 1 if last > first and text[last - 1] == "\n" else last))
    line_end = len(text) if line_end < 0 else line_end
    start, end = line_start, max(line_end, last)
    head = ""
    if first - start > window:
        start = _word_start(text, first - window)
        head = "…"
    tail = ""
    if end - last > window:
        end = _word_end(text, last + window)
        tail = "…"
    pieces: list[Piece] = [Piece(head)] if head else []
    position = start
    for edit in shown:
        if edit.start > position:
            pieces.append(Piece(text[position:edit.start]))
        pieces.append(Piece(text[edit.start:edit.end], edit.replacement))
        position = max(position, edit.end)
    if end > position:
        pieces.append(Piece(text[position:end]))
    if tail:
        pieces.append(Piece(tail))
    return tuple(pieces)


def _word_start(text: str, position: int) -> int:
    space = text.find(" ", position)
    return position if space < 0 else space + 1


def _word_end(text: str, position: int) -> int:
    space = text.rfind(" ", 0, position)
    return position if space < 0 else space


def plain(pieces: Sequence[Piece]) -> str:
    """The marked line as plain text: removed text in [-…-], added text in {+…+} (git's --word-diff=plain);
    line breaks inside a change shown as ⏎."""
    out = []
    for piece in pieces:
        if not piece.changed:
            out.append(piece.old)
            continue
        if piece.old:
            out.append("[-" + piece.old.replace("\n", "⏎") + "-]")
        if piece.new:
            out.append("{+" + piece.new.replace("\n", "⏎") + "+}")
    return "".join(out)
