"""What every detector shares: its rule metadata, the run context and a finding builder."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable

from repair.model import Applicability, Finding, Fix, RuleInfo

if TYPE_CHECKING:
    from repair.document import Document


@dataclass(frozen=True)
class Context:
    """What a detector may know beyond the document: languages, allow list, corpus-wide data."""

    language: str = "en"
    source_languages: tuple[str, ...] = ()  # empty: infer from the text
    allow: frozenset[str] = frozenset()
    corpus: Any = None  # data gathered over every file of the run (Detector.gather / merge)
    rule_folders: tuple[str, ...] = ()  # the user's folders of rule packs, besides the built-in ones
    options: dict = field(default_factory=dict)


class Detector:
    """Base class. Subclasses set `rules` and implement `detect`."""

    rules: tuple[RuleInfo, ...] = ()
    #: languages whose text this detector understands; None means any
    target_languages: tuple[str, ...] | None = None

    def __init__(self) -> None:
        self._by_code = {rule.code: rule for rule in self.rules}

    def applies_to(self, ctx: Context) -> bool:
        return self.target_languages is None or ctx.language in self.target_languages

    def detect(self, doc: "Document", ctx: Context) -> Iterable[Finding]:
        raise NotImplementedError

    def close(self) -> None:
        """End of a run: release what the detector holds (connections, caches). Most hold nothing."""

    def finding(
        self,
        code: str,
        start: int,
        end: int,
        message: str,
        replacement: str | None = None,
        applicability: Applicability | None = None,
        title: str | None = None,
        fix: Fix | None = None,
    ) -> Finding:
        rule = self._by_code[code]
        if fix is None and replacement is not None:
            level = applicability if applicability is not None else rule.fix
            if level is None:
                level = Applicability.DISPLAY_ONLY
            fix = Fix.replace(start, end, replacement, level, title or _title(replacement))
        return Finding(rule.code, rule.name, rule.category, rule.severity, message, start, end, fix)


def _title(replacement: str) -> str:
    if replacement == "":
        return "Remove"
    shown = replacement if len(replacement) <= 40 else replacement[:37] + "..."
    return f"Replace with {shown!r}"
