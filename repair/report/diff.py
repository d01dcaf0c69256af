"""Unified diffs of fixed files; every hunk names the rule codes whose edits it holds."""

from __future__ import annotations

import bisect
import difflib
import re

from repair.document import Document
from repair.report import printable, printable_diff
from repair.results import FileResult

CONTEXT_LINES = 3


def _hunk_codes(result: FileResult, first_line: int, last_line: int, starts: list[int]) -> list[str]:
    """Codes of the applied edits whose original span falls on lines first_line..last_line (0-based)."""
    codes = set()
    for edit in result.applied:
        start_line = bisect.bisect_right(starts, edit.original_start) - 1
        end_line = bisect.bisect_right(starts, max(edit.original_start, edit.original_end - 1)) - 1
        if start_line <= last_line and end_line >= first_line:
            codes.add(edit.code)
    return sorted(codes)


def split_lines(text: str) -> list[str]:
    """Lines as diff and patch see them: ended by "\n" only (kept). str.splitlines also breaks at form feeds,
    U+2028, U+0085, lone CRs ..., which makes a diff that patch rejects."""
    lines = text.split("\n")
    out = [line + "\n" for line in lines[:-1]]
    if lines[-1]:
        out.append(lines[-1])
    return out


Opcode = tuple[str, int, int, int, int]  # difflib's: tag, old lines i1..i2, new lines j1..j2


def hunks(result: FileResult, context: int = CONTEXT_LINES) -> list[tuple[str, list[str]]]:
    """(header, lines with their markers) of each hunk, with `context` unchanged lines around each change. Each
    change sits with its own line: the lines come from the edits that were applied (`result.applied`, in the
    original's coordinates), not from a line matcher that pairs a removed line with the next paragraph's added
    one when a fix removed a line before it; a line matcher only when the edits cannot place the change (a result
    without them)."""
    assert result.original is not None and result.fixed is not None
    old = split_lines(result.original)
    new = split_lines(result.fixed)
    starts = Document(result.path, result.original).line_starts
    opcodes = _edit_opcodes(result, old, new)
    if opcodes is None:
        groups = difflib.SequenceMatcher(None, old, new, autojunk=False).get_grouped_opcodes(context)
    else:
        groups = _grouped(opcodes, context)
    out = []
    for group in groups:
        first, last = group[0], group[-1]
        old_start, old_end = first[1], last[2]
        new_start, new_end = first[3], last[4]
        # the whole hunk, context included: the line matcher may align a change a line away from its edit
        codes = _hunk_codes(result, old_start, max(old_start, old_end - 1), starts)
        header = (f"@@ -{_range(old_start, old_end)} +{_range(new_start, new_end)} @@"
                  + (f" {', '.join(codes)}" if codes else ""))
        body = []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                body.extend(" " + line for line in old[i1:i2])
                continue
            body.extend("-" + line for line in old[i1:i2])
            body.extend("+" + line for line in new[j1:j2])
        out.append((header, body))
    return out


def _offsets(lines: list[str]) -> list[int]:
    """Where each line starts, and the end of the text last."""
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    return offsets


def _touched_lines(result: FileResult, old: list[str], offsets: list[int]) -> list[bool]:
    """Which original lines the applied edits change. An edit that changes a line break (joins a line to the
    next, or leaves the next one mid-line) touches the next line too."""
    touched = [False] * len(old)
    if not old:
        return touched
    original = result.original or ""

    def line_of(position: int) -> int:
        return min(len(old) - 1, bisect.bisect_right(offsets, position) - 1)

    for edit in result.applied:
        start, end = edit.original_start, max(edit.original_start, edit.original_end)
        first, last = line_of(start), line_of(max(start, end - 1))
        for index in range(first, last + 1):
            touched[index] = True
        next_line_starts_a_line = edit.replacement.endswith("\n") or (
            not edit.replacement and (start == 0 or original[start - 1] == "\n"))
        if end > start and original[end - 1] == "\n" and not next_line_starts_a_line and last + 1 < len(old):
            touched[last + 1] = True
    return touched


def _edit_opcodes(result: FileResult, old: list[str], new: list[str]) -> list[Opcode] | None:
    """The diff's opcodes placed by the applied edits: the lines no edit touched stand unchanged, in order, in
    the fixed text; each run of touched lines becomes what lies between them there. None when the edits do not
    account for the fixed text (then a line matcher aligns it)."""
    if not result.applied:
        return None
    fixed = result.fixed or ""
    old_offsets, new_offsets = _offsets(old), _offsets(new)
    touched = _touched_lines(result, old, old_offsets)
    deltas = sorted((edit.original_end, len(edit.replacement) - (edit.original_end - edit.original_start))
                    for edit in result.applied)
    ends = [end for end, _ in deltas]
    shifts = [0]  # shifts[k]: the length change of the first k edits (by end)
    for _, delta in deltas:
        shifts.append(shifts[-1] + delta)
    opcodes: list[Opcode] = []
    cursor = 0  # in the fixed text
    index = 0
    while index < len(old):
        run_start = index
        while index < len(old) and touched[index] == touched[run_start]:
            index += 1
        if touched[run_start]:
            continue  # placed when the untouched run after it (or the end) is found
        kept = "".join(old[run_start:index])
        expected = old_offsets[run_start] + shifts[bisect.bisect_right(ends, old_offsets[run_start])]
        at = expected if expected >= cursor and fixed.startswith(kept, expected) else _line_find(fixed, kept, cursor)
        if at < 0:
            return None
        if not _add_change(opcodes, old_offsets, new_offsets, opcodes[-1][2] if opcodes else 0, run_start,
                           cursor, at):
            return None
        new_first = bisect.bisect_left(new_offsets, at)
        opcodes.append(("equal", run_start, index, new_first, new_first + index - run_start))
        cursor = at + len(kept)
    if not _add_change(opcodes, old_offsets, new_offsets, opcodes[-1][2] if opcodes else 0, len(old), cursor,
                       len(fixed)):
        return None
    if any(old[i1:i2] != new[j1:j2] for tag, i1, i2, j1, j2 in opcodes if tag == "equal"):
        return None
    return opcodes


def _line_find(text: str, lines: str, start: int) -> int:
    """Where `lines` (whole lines) stand in `text` from `start` on, beginning a line; -1 when nowhere. (Where the
    edits' lengths do not place them: edits of later passes inside earlier ones' replacements.)"""
    at = text.find(lines, start)
    while at > 0 and text[at - 1] != "\n":
        at = text.find(lines, at + 1)
    return at


def _add_change(opcodes: list[Opcode], old_offsets: list[int], new_offsets: list[int], old_first: int,
                old_end: int, new_start: int, new_end: int) -> bool:
    """Add the change of old lines old_first..old_end into the fixed text's new_start..new_end (whole lines, or
    nothing); False when that span is not whole lines."""
    if old_first == old_end and new_start == new_end:
        return True
    new_first = bisect.bisect_left(new_offsets, new_start)  # new_offsets ends with the text's end: in range
    new_last = bisect.bisect_left(new_offsets, new_end)
    if new_offsets[new_first] != new_start or new_offsets[new_last] != new_end:
        return False
    opcodes.append(("replace", old_first, old_end, new_first, new_last))
    return True


def _grouped(opcodes: list[Opcode], context: int) -> list[list[Opcode]]:
    """Opcodes in hunks with `context` lines around each change (difflib's get_grouped_opcodes, on given
    opcodes)."""
    codes = list(opcodes)
    if not codes or all(tag == "equal" for tag, *_ in codes):
        return []
    if codes[0][0] == "equal":
        tag, i1, i2, j1, j2 = codes[0]
        codes[0] = tag, max(i1, i2 - context), i2, max(j1, j2 - context), j2
    if codes[-1][0] == "equal":
        tag, i1, i2, j1, j2 = codes[-1]
        codes[-1] = tag, i1, min(i2, i1 + context), j1, min(j2, j1 + context)
    span = context + context
    groups, group = [], []
    for tag, i1, i2, j1, j2 in codes:
        if tag == "equal" and i2 - i1 > span:
            group.append((tag, i1, min(i2, i1 + context), j1, min(j2, j1 + context)))
            groups.append(group)
            group = []
            i1, j1 = max(i1, i2 - context), max(j1, j2 - context)
        group.append((tag, i1, i2, j1, j2))
    if group and not (len(group) == 1 and group[0][0] == "equal"):
        groups.append(group)
    return groups


def _range(start: int, end: int) -> str:
    length = end - start
    if length == 1:
        return str(start + 1)
    return f"{start + 1 if length else start},{length}"


def _terminated(line: str) -> str:
    return line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"


def unified_diff(result: FileResult) -> str:
    if result.original is None or result.fixed is None or result.original == result.fixed:
        return ""
    parts = [f"--- a/{_label(result.path)}\n", f"+++ b/{_label(result.path)}\n"]
    for header, body in hunks(result):
        parts.append(header + "\n")
        parts.extend(_terminated(printable_diff(line)) for line in body)
    return "".join(parts)


def runs(body: list[str]):
    """Group a hunk's lines into context runs and change runs (removed lines, then added lines)."""
    index = 0
    while index < len(body):
        if body[index].startswith(" "):
            yield [body[index][1:]], None
            index += 1
            continue
        removed, added = [], []
        while index < len(body) and not body[index].startswith(" "):
            (removed if body[index].startswith("-") else added).append(body[index][1:])
            index += 1
        yield removed, added


_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


def word_changes(removed: list[str], added: list[str]) -> list[tuple[str, str, str]]:
    """A change run's removed and added lines (each ended by a line break) as word operations, in order:
    ("=", same text, same text), or ("~", old text, new text) where the words differ (either may be empty)."""
    old_words = _TOKEN.findall("\n".join(line.rstrip("\n") for line in removed) + "\n")
    new_words = _TOKEN.findall("\n".join(line.rstrip("\n") for line in added) + "\n")
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    return [("=" if tag == "equal" else "~", "".join(old_words[i1:i2]), "".join(new_words[j1:j2]))
            for tag, i1, i2, j1, j2 in matcher.get_opcodes()]


def changed_words(removed: list[str], added: list[str]) -> tuple[list[list[tuple[str, bool]]], list[list[tuple[str, bool]]]]:
    """A change run's removed and added lines, each cut into (text, changed) pieces: the words that differ (and
    an empty last line, after the last line break)."""
    old_lines: list[list[tuple[str, bool]]] = [[]]
    new_lines: list[list[tuple[str, bool]]] = [[]]
    for tag, old, new in word_changes(removed, added):
        _append(old_lines, old, tag != "=")
        _append(new_lines, new, tag != "=")
    return (old_lines if removed else []), (new_lines if added else [])


def _append(lines: list[list[tuple[str, bool]]], text: str, changed: bool) -> None:
    for number, part in enumerate(text.split("\n")):
        if number:
            lines.append([])
        if part:
            lines[-1].append((part, changed))


def print_diff(result: FileResult, console) -> None:
    """A coloured diff for a terminal: the changed words of each line highlighted (rich)."""
    from rich.text import Text

    if result.original is None or result.fixed is None or result.original == result.fixed:
        return
    console.print(Text(f"--- a/{_label(result.path)}\n+++ b/{_label(result.path)}", style="bold"), highlight=False)
    for header, body in hunks(result):
        console.print(Text(header, style="cyan"), highlight=False)
        for removed, added in runs(body):
            if added is None:
                console.print(Text(" " + printable(removed[0].rstrip("\n")), style="dim"), highlight=False)
                continue
            # everything escaped on a terminal (line breaks kept): nothing in a file can drive it
            old_lines, new_lines = changed_words([printable(line.rstrip("\n")) for line in removed],
                                                 [printable(line.rstrip("\n")) for line in added])
            old_text, new_text = Text(), Text()
            for lines, text, styles in ((old_lines, old_text, ("red", "bold white on red")),
                                        (new_lines, new_text, ("green", "bold black on green"))):
                for number, line in enumerate(lines):
                    if number:
                        text.append("\n")
                    for piece, changed in line:
                        text.append(piece, style=styles[changed])
            for marker, text, style in (("-", old_text, "red"), ("+", new_text, "green")):
                text.rstrip()
                if not text.plain:
                    continue
                for line in text.split("\n"):
                    console.print(Text(marker, style=style) + line, highlight=False)


def _label(path: str) -> str:
    """The path in a diff header, on one line (control characters escaped)."""
    return printable(path.lstrip("/"))
