"""GitHub Actions workflow commands: annotations on the pull request's lines."""

from __future__ import annotations

from repair.report import printable
from repair.results import Report

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _escape_data(value: str) -> str:
    """A workflow command's data: one line, no control character (printable), then GitHub's own escapes."""
    return printable(value).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def render(report: Report) -> str:
    lines = []
    for result in report.results:
        if result.error:
            lines.append(f"::error file={_escape_property(result.path)}::{_escape_data(result.error)}")
        for item in result.located:
            finding = item.finding
            properties = ",".join([
                f"file={_escape_property(result.path)}",
                f"line={item.line}",
                f"col={item.column}",
                f"endLine={item.end_line}",
                f"endColumn={item.end_column}",
                f"title={_escape_property(f'{finding.code} {finding.name}')}",
            ])
            lines.append(f"::{_LEVEL[finding.severity.value]} {properties}::{_escape_data(finding.message)}")
    return "\n".join(lines) + ("\n" if lines else "")
