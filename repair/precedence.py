"""One finding per problem: when several rules see the same damage, the report keeps one of them.

The engine calls these after every detector has run; nothing else decides which finding gives way.

- `dedupe`: the same span with the same edits (a pack rule and a detector agreeing) counts once.
- `drop_overlapping`: a secondary detector's finding (LanguageTool's) gives way to repair's own where they overlap.
- `one_per_problem`, after guards, suppressions and mentions have settled each fix's safety:
  * a removal (a fix that deletes text, such as a photo-credit line or a repeated line) subsumes the findings
    inside what it deletes, and those whose edits only touch its edge (the glue between a deleted credit and
    the heading after it), as long as its fix is at least as safe as theirs: once it is applied they are gone;
  * nested removals are one problem: the safest fix wins, then the one that deletes more;
  * on the same span, a finding that says what to write instead wins over one that only points at the words.
A finding whose fix is safer than the removal around it stays: `repair fix` must still apply it.
"""

from __future__ import annotations

import bisect
from itertools import accumulate
from typing import Iterable

from repair.model import Finding

__all__ = ["dedupe", "drop_overlapping", "one_per_problem"]


def dedupe(findings: Iterable[Finding]) -> list[Finding]:
    """The same span with the same edits counts once; the one with the safest fix is kept, then the most
    severe, then the lowest code."""
    best: dict[tuple, Finding] = {}
    for finding in findings:
        edits = finding.fix.edits if finding.fix is not None else (finding.code, finding.message)
        key = (finding.start, finding.end, edits)
        kept = best.get(key)
        if kept is None or _preference(finding) < _preference(kept):
            best[key] = finding
    return list(best.values())


def _preference(finding: Finding) -> tuple:
    return (-_safety(finding), -finding.severity.rank, finding.code)


def _safety(finding: Finding) -> int:
    """-1 without a fix, then display-only 0 < unsafe 1 < safe 2."""
    return int(finding.fix.applicability) if finding.fix is not None else -1


def drop_overlapping(secondary: list[Finding], primary: list[Finding]) -> list[Finding]:
    """Secondary findings (LanguageTool's) that share a span with a repair finding give way to it."""
    if not secondary:
        return []  # (LanguageTool off, or nothing from it: the primary findings' spans need not be sorted)
    if not primary:
        return dedupe(secondary)
    spans = sorted((f.start, f.end) for f in primary)
    starts = [start for start, _ in spans]
    reach = list(accumulate((end for _, end in spans), max))  # furthest end among the first i spans
    kept = []
    for finding in secondary:
        index = bisect.bisect_left(starts, max(finding.end, finding.start + 1))
        if index and reach[index - 1] > finding.start:
            continue
        kept.append(finding)
    return dedupe(kept)


def one_per_problem(findings: list[Finding]) -> list[Finding]:
    """The findings without those another finding of the same problem subsumes (see the module's rules)."""
    removed = [_removed(f) for f in findings]
    removals = sorted(((f, span) for f, span in zip(findings, removed) if span is not None),
                      key=lambda pair: pair[1][0])
    # (most documents: no removal, and every finding has a fix)
    unfixed = any(f.fix is None for f in findings)
    if not removals and not unfixed:
        return list(findings)
    starts = [span[0] for _, span in removals]
    longest = max((end - start for _, (start, end) in removals), default=0)
    by_span: dict[tuple[int, int], list[Finding]] = {}
    if unfixed:
        for finding in findings:
            by_span.setdefault((finding.start, finding.end), []).append(finding)
    kept = []
    for finding, own in zip(findings, removed):
        if removals:
            # only a removal that overlaps the finding or its own deletion can subsume it
            low = bisect.bisect_left(starts, finding.start - longest)
            high = bisect.bisect_right(starts, max(finding.end, own[1] if own else 0))
            if any(_removal_subsumes(removal, span, finding, own)
                   for removal, span in removals[low:high] if removal is not finding):
                continue
        if finding.fix is None and any(_safety(other) >= 0 for other in by_span[(finding.start, finding.end)]):
            continue
        kept.append(finding)
    return kept


def _removed(finding: Finding) -> tuple[int, int] | None:
    """The characters a finding's fix deletes, when its fix is one deletion of text it points at."""
    fix = finding.fix
    if fix is None or len(fix.edits) != 1:
        return None
    edit = fix.edits[0]
    if edit.replacement or edit.start == edit.end or not (edit.start <= finding.start < edit.end):
        return None
    return edit.start, edit.end


def _removal_subsumes(removal: Finding, span: tuple[int, int], finding: Finding,
                      own: tuple[int, int] | None) -> bool:
    """Whether the removal (deleting `span`) subsumes the finding (whose own deletion is `own`, if any)."""
    start, end = span
    if own is not None:  # nested deletions: the safest fix wins, then the larger deletion, then the lower code
        if not (start <= own[0] and own[1] <= end or own[0] <= start and end <= own[1]):
            return False
        return _removal_rank(removal, span) < _removal_rank(finding, own)
    if _safety(removal) < _safety(finding):
        return False
    if start <= finding.start and finding.end <= end:
        return True
    edits = finding.fix.edits if finding.fix is not None else ()
    overlaps = finding.start < end and start < finding.end
    return overlaps and bool(edits) and all(start <= e.start and e.end <= end for e in edits)


def _removal_rank(finding: Finding, span: tuple[int, int]) -> tuple:
    return (-_safety(finding), -(span[1] - span[0]), -finding.severity.rank, finding.code, finding.message)
