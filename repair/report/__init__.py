"""Reporters: each turns a run's results into one output format. Only reporters print."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from repair import __version__
from repair.model import Applicability
from repair.runner import FileResult

FORMATS = ("text", "json", "github", "sarif")


@dataclass
class Report:
    """What a run produced, handed to a reporter."""

    results: list[FileResult]
    command: str = "check"  # check | fix | diff
    notices: list[str] = field(default_factory=list)
    languagetool: dict = field(default_factory=lambda: {"status": "off"})

    @property
    def findings(self):
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


def tool_info() -> dict:
    return {"name": "repair", "version": __version__}
