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


def hunks(result: FileResult, context: int = CONTEXT_LINES) -> list[tuple[str, list[str]]]:
    """(header, lines with their markers) of each hunk, with `context` unchanged lines around each change."""
    assert result.original is not None and result.fixed is not None
    old = split_lines(result.original)
    new = split_lines(result.fixed)
    starts = Document(result.path, result.original).line_starts
    out = []
    for group in difflib.SequenceMatcher(None, old, new, autojunk=False).get_grouped_opcodes(context):
        first, last = group[0], group[-1]
        old_start, old_end = first[1], last[2]
        new_start, new_end = first[3], last[4]
        # the whole hunk, context included: the diff may align a change a line away from the edit that made it
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
