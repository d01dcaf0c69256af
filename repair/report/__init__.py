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

__all__ = ["FORMATS", "Format", "format_names", "printable", "printable_diff", "tool_info", "write_report"]


@dataclass(frozen=True)
class Format:
    """An output format: `render(report)` gives the text to write; a format with a terminal view (`terminal`)
    prints in colour with `print(report, console)` when the output is a terminal."""

    name: str
    module: str  # repair.report.<module> defines render(report) -> str (and print_report(report, console))
    terminal: bool = False
    shows_text: bool = False  # renders the files' texts: the run hands them over (Report.texts)

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
        Format("html", "html", shows_text=True),
    )
}


def format_names() -> str:
    """The format names as a sentence: 'text, json, github, sarif or html'."""
    names = list(FORMATS)
    return ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]


def write_report(text: str, path: str) -> None:
    """The rendered report written to a file, atomically: a reader sees the old file or the whole new one."""
    from repair.files import write_new_atomically

    write_new_atomically(path, text.encode("utf-8"))


def tool_info() -> dict:
    return {"name": "repair", "version": __version__}


# --- what reaches a terminal or a CI log ---------------------------------------------------------------------------
# A file name or a file's text can hold terminal escapes (clear the screen, set the window title), line breaks
# (a forged "::error" line that GitHub Actions runs as a workflow command) or bidirectional overrides (text shown
# in another order than it is). Reporters show them as visible escapes: \x1b, \n, \u202e.
import re as _re

#: every C0 control and DEL, C1 controls, the Unicode line and paragraph separators, bidirectional controls
_UNPRINTABLE = _re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
#: in a diff's lines: the same, less what a line of a patch must carry as it is (tab, and the breaks that are
#: not \n: form feed, vertical tab, lone CR, the file/group/record separators, U+0085, U+2028, U+2029)
_UNPRINTABLE_IN_DIFF = _re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(match: "_re.Match[str]") -> str:
    char = match.group(0)
    if char == "\n":
        return "\\n"
    if char == "\r":
        return "\\r"
    if char == "\t":
        return "\\t"
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """A path or a message as one line with nothing a terminal or a CI log would act on."""
    if text.isascii() and text.isprintable():  # (in ASCII, what _UNPRINTABLE matches is what is not printable)
        return text  # most paths and messages: no character looked at by the pattern
    return _UNPRINTABLE.sub(_escape, text)


def printable_diff(text: str) -> str:
    """A diff's text with terminal escapes shown, its line breaks kept (so that patch still applies it)."""
    return _UNPRINTABLE_IN_DIFF.sub(_escape, text)
