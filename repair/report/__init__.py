"""Reporters: each turns a run's Report (repair.results) into one output format. Only reporters print.

FORMATS declares the output formats once: the command line validates --format, writes its help and picks the
reporter from it. A reporter module is imported only when its format is used (start-up stays cheap).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any

from repair import __version__
from repair.results import Report

__all__ = ["FORMATS", "Format", "format_names", "tool_info"]


@dataclass(frozen=True)
class Format:
    """An output format: `render(report)` gives the text to write; a format with a terminal view (`terminal`)
    prints in colour with `print(report, console)` when the output is a terminal."""

    name: str
    module: str  # repair.report.<module> defines render(report) -> str (and print_report(report, console))
    terminal: bool = False

    def _reporter(self) -> Any:
        return import_module(f"repair.report.{self.module}")

    def render(self, report: Report) -> str:
        return self._reporter().render(report)

    def print(self, report: Report, console) -> None:
        """The report in colour on a rich console (formats with a terminal view only)."""
        if not self.terminal:
            raise TypeError(f"format {self.name!r} has no terminal view")
        self._reporter().print_report(report, console)


FORMATS: dict[str, Format] = {
    f.name: f for f in (
        Format("text", "text", terminal=True),
        Format("json", "json_report"),
        Format("github", "github"),
        Format("sarif", "sarif"),
    )
}


def format_names() -> str:
    """The format names as a sentence: 'text, json, github or sarif'."""
    names = list(FORMATS)
    return ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]


def tool_info() -> dict:
    return {"name": "repair", "version": __version__}
