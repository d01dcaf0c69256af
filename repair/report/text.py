"""The default human-readable report: one line per finding, ruff style, then a summary.

A finding with a safe fix (`repair fix` writes it) is marked [*]; one with an unsafe fix (written only with
`--unsafe-fixes`) is marked [?]. For `fix --diff` the diff of every changed file comes first
(repair.report.diff). The report's `display` (repair.results.Display) asks for findings only (`--quiet`),
nothing (`-qq`), a count per rule (`--statistics`) or each fix (`--show-fixes`).

The plain text and the terminal's colours come from the same segments: (text, style) pairs per line."""

from __future__ import annotations

from collections import Counter

from repair.model import Applicability
from repair.report import printable
from repair.results import FileResult, Located, Report

_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
SAFE_MARK, UNSAFE_MARK = "[*]", "[?]"

Line = list[tuple[str, str]]  # (text, rich style) segments


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def _applicability(item: Located) -> Applicability | None:
    return item.finding.fix.applicability if item.finding.fix is not None else None


def _mark(item: Located) -> str:
    level = _applicability(item)
    return SAFE_MARK if level == Applicability.SAFE else UNSAFE_MARK if level == Applicability.UNSAFE else ""


def _unsafe_count(report: Report) -> int:
    return sum(1 for item in report.findings if _applicability(item) == Applicability.UNSAFE)


def summary_lines(report: Report) -> list[str]:
    summary = report.summary()
    unread = summary["errors"]
    if report.command == "check":
        if summary["findings"]:
            hint = f" ({summary['fixable']} fixable with `repair fix`)" if summary["fixable"] else ""
            lines = [f"Found {_plural(summary['findings'], 'finding')}{hint} in {_plural(summary['files'], 'file')}."]
        elif unread:  # never "All clear" for files that were not checked
            read = summary["files"] - unread
            lines = [f"No findings in {_plural(read, 'file')}; {_plural(unread, 'file')} could not be "
                     "read (see above)."]
            unread = 0
        elif report.languagetool.get("status") == "skipped" or report.notices:
            what = "LanguageTool" if report.languagetool.get("status") == "skipped" else "some rules"
            lines = [f"No findings in {_plural(summary['files'], 'file')} from the detectors that ran; {what} "
                     "did not run (see the note)."]
        else:
            lines = [f"All clear: no findings in {_plural(summary['files'], 'file')}."]
    else:
        lines = [_fix_summary(report, summary)]
    if unread:
        lines.append(f"{_plural(unread, 'file')} could not be read (see above): not checked.")
    unsafe = _unsafe_count(report)
    if report.command == "check" and unsafe and not report.display.unsafe_fixes:  # fix: in its summary line
        fixes, they = ("fix", "it") if unsafe == 1 else ("fixes", "they")
        lines.append(f"{unsafe} more {fixes} available with `repair fix --unsafe-fixes` (marked {UNSAFE_MARK}: "
                     f"{they} may change the meaning), or one by one with `repair review`.")
    return lines + [f"note: {printable(notice)}" for notice in report.notices]


def _fix_summary(report: Report, summary: dict) -> str:
    """What fix or fix --diff did, ruff style: how many of the edits were unsafe (--unsafe-fixes), or how many
    more fixes --unsafe-fixes would make."""
    verb = "Fixed" if report.command == "fix" else "Would fix"
    unsafe = sum(1 for result in report.results for edit in result.applied if edit.unsafe)
    made = _plural(summary["edits"], "issue") + (f" ({unsafe} of them unsafe, with --unsafe-fixes)" if unsafe else "")
    line = f"{verb} {made} in {_plural(summary['changed_files'], 'file')}; {summary['findings']} remaining"
    hidden = sum(1 for item in report.findings
                 if item.finding.fix is not None and item.finding.fix.applicability == Applicability.UNSAFE)
    if hidden and not report.unsafe_fixes:
        more = "1 more fix" if hidden == 1 else f"{hidden} more fixes"
        line += f" ({more} available with `--unsafe-fixes`, or one by one with `repair review`)"
    return line + "."


def _error_line(result: FileResult) -> Line:
    path = printable(result.path)
    return [(f"{path}: ", "bold"), ("error: ", "bold red"),
            (printable(result.error.removeprefix(result.path + ": ")), "")]


def _finding_lines(report: Report, path: str, item: Located) -> list[Line]:
    """A finding's line (and its fix's, with --show-fixes); `path`: the file's path, printable."""
    finding = item.finding
    mark = _mark(item)
    line: Line = [(f"{path}:{item.line}:{item.column}: ", "bold"),
                  (finding.code, _SEVERITY_STYLE[finding.severity.value]),
                  (f" [{finding.category.value}] ", "dim"), (printable(finding.message), "")]
    if mark:
        line.append((f" {mark}", "cyan" if mark == SAFE_MARK else "magenta"))
    lines = [line]
    if report.display.show_fixes and finding.fix is not None:
        lines.append([(f"    fix ({finding.fix.applicability.label}): {printable(finding.fix.title)}", "dim")])
    return lines


#: a fix's mark after its finding's line, by applicability (none for display-only)
_MARK_TEXT = {Applicability.SAFE: f" {SAFE_MARK}", Applicability.UNSAFE: f" {UNSAFE_MARK}"}


def _finding_texts(path: str, located: list[Located]) -> list[str]:
    """The text of each finding's line (_finding_lines without --show-fixes, joined): written directly, as a run
    answered from the cache reports thousands of findings (-q included) and segments cost three times more; a
    category's value read from the member itself (`_value_`: the enum's `value` property costs a call a line)."""
    marks = _MARK_TEXT
    lines = []
    for item in located:
        finding = item.finding
        fix = finding.fix
        message = finding.message
        if not (message.isascii() and message.isprintable()):
            message = printable(message)
        lines.append(f"{path}:{item.line}:{item.column}: {finding.code} [{finding.category._value_}] {message}"
                     f"{'' if fix is None else marks.get(fix.applicability, '')}\n")
    return lines


def _statistics_lines(report: Report) -> list[Line]:
    """A count per rule, most frequent first, ruff's --statistics: count, code, marks, name."""
    counts = Counter(item.finding.code for item in report.findings)
    names = {item.finding.code: item.finding.name for item in report.findings}
    marks: dict[str, set[str]] = {}
    for item in report.findings:
        marks.setdefault(item.finding.code, set()).add(_mark(item))
    width = max((len(str(n)) for n in counts.values()), default=1)
    lines = []
    for code, count in sorted(counts.items(), key=lambda pair: (-pair[1], pair[0])):
        shown = " ".join(m for m in (SAFE_MARK, UNSAFE_MARK) if m in marks[code]) or "   "
        lines.append([(f"{count:>{width}}  ", "bold"), (f"{code:<7}", ""), (f" {shown:<7} ", "cyan"),
                      (names[code], "")])
    return lines


def _fixed_lines(report: Report) -> list[Line]:
    """What each file had fixed, per rule (fix --show-fixes)."""
    lines = []
    for result in report.results:
        if not result.applied:
            continue
        lines.append([(f"{'Fixed' if report.command == 'fix' else 'Would fix'} in {printable(result.path)}:", "bold")])
        counts = Counter((edit.code, edit.title) for edit in result.applied)
        for (code, title), count in sorted(counts.items()):
            lines.append([(f"    {count} × {code} ({printable(title)})", "")])
    return lines


def report_lines(report: Report) -> list[Line]:
    """Every line of the report but the diff, as segments."""
    display = report.display
    if display.quiet >= 2:
        return []
    lines: list[Line] = []
    for result in report.results:
        if result.error:
            lines.append(_error_line(result))
        if not display.statistics and result.located:
            path = printable(result.path)
            for item in result.located:
                lines += _finding_lines(report, path, item)
    if display.statistics:
        lines += _statistics_lines(report)
    if display.show_fixes and report.command in ("fix", "diff"):
        lines += _fixed_lines(report)
    if not display.quiet:
        lines += [[(text, "yellow" if text.startswith("note:") else "bold")] for text in summary_lines(report)]
    return lines


def render(report: Report) -> str:
    return render_diff(report) + render_notes(report)


def render_diff(report: Report) -> str:
    """The unified diff of `fix --diff` (empty for other commands or with -qq)."""
    if report.command != "diff" or report.display.quiet >= 2:
        return ""
    from repair.report.diff import unified_diff

    return "".join(unified_diff(result) for result in report.results)


def render_notes(report: Report) -> str:
    """Every line but the diff: findings, statistics, summary."""
    display = report.display
    if display.statistics or display.show_fixes or display.quiet >= 2:
        return _joined(report_lines(report))
    # the common report, findings then the summary: the same text as report_lines gives, its finding lines
    # written directly (_finding_texts)
    parts = []
    for result in report.results:
        if result.error:
            parts.append(_joined([_error_line(result)]))
        if result.located:
            path = printable(result.path)
            parts += _finding_texts(path, result.located)
    if not display.quiet:
        parts.append("".join(text + "\n" for text in summary_lines(report)))
    return "".join(parts)


def _joined(lines: list[Line]) -> str:
    return "".join("".join(text for text, _ in line) + "\n" for line in lines)


def print_report(report: Report, console) -> None:
    """The same report in colour, for a terminal (rich)."""
    print_diff(report, console)
    print_notes(report, console)


def print_diff(report: Report, console) -> None:
    if report.command == "diff" and report.display.quiet < 2:
        from repair.report.diff import print_diff as print_file_diff

        for result in report.results:
            print_file_diff(result, console)


def print_notes(report: Report, console) -> None:
    from rich.text import Text

    for line in report_lines(report):
        text = Text()
        for part, style in line:
            text.append(part, style=style or None)
        console.print(text, soft_wrap=True, highlight=False)
