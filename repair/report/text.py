"""The default human-readable report: one line per finding, ruff style, then a summary.

For `fix --diff` the diff of every changed file comes first (repair.report.diff)."""

from __future__ import annotations

from repair.model import Applicability
from repair.report import printable
from repair.results import Located, Report

_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def _fixable(item: Located) -> bool:
    return item.finding.fix is not None and item.finding.fix.applicability == Applicability.SAFE


def summary_lines(report: Report) -> list[str]:
    summary = report.summary()
    if report.command == "check":
        if summary["findings"]:
            hint = f" ({summary['fixable']} fixable with `repair fix`)" if summary["fixable"] else ""
            lines = [f"Found {_plural(summary['findings'], 'finding')}{hint} in {_plural(summary['files'], 'file')}."]
        elif summary["errors"]:  # never "All clear" for files that were not checked
            read = summary["files"] - summary["errors"]
            lines = [f"No findings in {_plural(read, 'file')}; {_plural(summary['errors'], 'file')} could not be "
                     "read (see above)."]
        elif report.languagetool.get("status") == "skipped" or report.notices:
            what = "LanguageTool" if report.languagetool.get("status") == "skipped" else "some rules"
            lines = [f"No findings in {_plural(summary['files'], 'file')} from the detectors that ran; {what} "
                     "did not run (see the note)."]
        else:
            lines = [f"All clear: no findings in {_plural(summary['files'], 'file')}."]
    else:
        lines = [_fix_summary(report, summary)]
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


def render(report: Report) -> str:
    diffs = ""
    if report.command == "diff":
        from repair.report.diff import unified_diff

        diffs = "".join(unified_diff(result) for result in report.results)
    lines: list[str] = []
    for result in report.results:
        path = printable(result.path)
        if result.error:
            lines.append(f"{path}: error: {printable(result.error.removeprefix(result.path + ': '))}")
        for item in result.located:
            finding = item.finding
            marker = " [*]" if _fixable(item) else ""
            lines.append(f"{path}:{item.line}:{item.column}: {finding.code} [{finding.category.value}] "
                         f"{printable(finding.message)}{marker}")
    return diffs + "\n".join(lines + summary_lines(report)) + "\n"


def print_report(report: Report, console) -> None:
    """The same report in colour, for a terminal (rich)."""
    from rich.text import Text

    if report.command == "diff":
        from repair.report.diff import print_diff

        for result in report.results:
            print_diff(result, console)
    for result in report.results:
        path = printable(result.path)
        if result.error:
            console.print(Text(f"{path}: ", style="bold") + Text("error: ", style="bold red")
                          + Text(printable(result.error.removeprefix(result.path + ": "))), highlight=False)
        for item in result.located:
            finding = item.finding
            line = Text(f"{path}:{item.line}:{item.column}: ", style="bold")
            line.append(finding.code, style=_SEVERITY_STYLE[finding.severity.value])
            line.append(f" [{finding.category.value}] ", style="dim")
            line.append(printable(finding.message))
            if _fixable(item):
                line.append(" [*]", style="cyan")
            console.print(line, soft_wrap=True, highlight=False)
    for text in summary_lines(report):
        console.print(text, style="yellow" if text.startswith("note:") else "bold", highlight=False)
