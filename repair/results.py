"""What a run produced, as reporters read it: findings placed in their file, each file's result, the report.

The runner fills these; reporters (repair.report) and the result cache (repair.cache) read them. Nothing here
runs detectors or imports the engine.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable

from repair.model import Applicability, Finding, RuleInfo

if TYPE_CHECKING:
    from repair.document import Document
    from repair.fixer import AppliedEdit


@dataclass(frozen=True, slots=True)
class Located:
    """A finding with its place in the file, as reports show it (1-based line and column, in code points)."""

    finding: Finding
    line: int
    column: int
    end_line: int
    end_column: int
    text: str


def locate(doc: "Document", findings: Iterable[Finding]) -> list[Located]:
    """The findings of a document with their lines, columns and text."""
    located = []
    for finding in findings:
        line, column = doc.line_col(finding.start)
        end_line, end_column = doc.line_col(finding.end)
        located.append(Located(finding, line, column, end_line, end_column, doc.text[finding.start:finding.end]))
    return located


@dataclass
class Notice:
    """Something the user must hear that is not a finding (a skipped detector, say)."""

    source: str  # the external service ("languagetool") or the detector that could not run
    message: str


@dataclass
class FileResult:
    """One file's outcome: its findings (what remains after fixing, for fix), or why it could not be read."""

    path: str
    located: list[Located] = field(default_factory=list)
    error: str | None = None
    original: str | None = None  # the text before and after fixing, when fixing changed it
    fixed: str | None = None
    applied: list["AppliedEdit"] = field(default_factory=list)
    cached: bool = False  # answered from the result cache
    written: bool = False  # the fixed text was written to the file
    located_in_original: bool = False  # fix --diff: what is left is located in the original text, not the fixed
    notices: list[Notice] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.fixed is not None and self.original is not None and self.fixed != self.original or self.written


@dataclass(frozen=True)
class Display:
    """How the person who ran the command wants the text report: `quiet` 1 findings only, 2 nothing;
    `statistics` a count per rule instead of the findings; `show_fixes` each finding's fix, and what was fixed;
    `unsafe_fixes` the run applied unsafe fixes (no hint to turn them on)."""

    quiet: int = 0
    statistics: bool = False
    show_fixes: bool = False
    unsafe_fixes: bool = False


@dataclass
class Report:
    """What a run produced, handed to a reporter."""

    results: list[FileResult]
    command: str = "check"  # check | fix | diff
    notices: list[str] = field(default_factory=list)
    languagetool: dict = field(default_factory=lambda: {"status": "off"})
    #: every rule's metadata (repair.registry.all_rules), for the formats that describe the rules used (SARIF)
    rules: list[RuleInfo] = field(default_factory=list)
    #: fix and diff: whether unsafe fixes were applied too (--unsafe-fixes)
    unsafe_fixes: bool = False
    #: the text each file's findings point into (as checked, or as fixed), by path: filled only for the formats
    #: that show the files themselves (report.Format.shows_text: html); the others never read it
    texts: dict[str, str] = field(default_factory=dict)
    display: Display = field(default_factory=Display)

    @property
    def findings(self) -> list[Located]:
        return [item for result in self.results for item in result.located]

    def summary(self) -> dict:
        findings = self.findings
        by_category = Counter(item.finding.category.value for item in findings)
        summary = {
            "files": len(self.results),
            "findings": len(findings),
            "by_category": dict(sorted(by_category.items())),
            "fixable": sum(
                1 for item in findings
                if item.finding.fix is not None and item.finding.fix.applicability == Applicability.SAFE
            ),
            "errors": sum(1 for result in self.results if result.error),
            "languagetool": self.languagetool,
        }
        if self.command in ("fix", "diff"):
            summary["changed_files"] = sum(1 for result in self.results if result.changed)
            summary["edits"] = sum(len(result.applied) for result in self.results)
        return summary
