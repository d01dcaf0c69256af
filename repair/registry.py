"""Which detectors exist, and which of their rules a run selects."""

from __future__ import annotations

from dataclasses import dataclass

from repair.config import Settings
from repair.detectors.base import Detector
from repair.model import Category, RuleInfo

CATEGORIES = {c.value for c in Category}


def builtin_detector_classes() -> list[type[Detector]]:
    from repair.detectors.acronyms import AcronymDetector
    from repair.detectors.consistency import NameConsistencyDetector
    from repair.detectors.duplication import DuplicationDetector
    from repair.detectors.encoding import EncodingDetector
    from repair.detectors.furniture import FurnitureDetector
    from repair.detectors.html_furniture import HtmlFurnitureDetector
    from repair.detectors.page_template import PageTemplateDetector
    from repair.detectors.language_segments import WrongLanguageDetector
    from repair.detectors.markup import MarkupDetector
    from repair.detectors.script import ScriptDetector
    from repair.detectors.untranslated import UntranslatedWordDetector
    from repair.detectors.web import GluedWordsDetector

    return [EncodingDetector, ScriptDetector, MarkupDetector, DuplicationDetector, FurnitureDetector,
            PageTemplateDetector, HtmlFurnitureDetector, GluedWordsDetector,
            UntranslatedWordDetector, NameConsistencyDetector, AcronymDetector, WrongLanguageDetector]


@dataclass(frozen=True)
class Selection:
    """--select / --ignore: each token is ALL, a rule code, a code prefix or a category."""

    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()

    @staticmethod
    def _matches(token: str, rule: RuleInfo) -> bool:
        if token == "ALL":
            return True
        if token.lower() in CATEGORIES:
            return rule.category.value == token.lower()
        return rule.code.startswith(token.upper())

    def __contains__(self, rule: RuleInfo) -> bool:
        return any(self._matches(t, rule) for t in self.select) and not any(self._matches(t, rule) for t in self.ignore)

    def validate(self, rules: list[RuleInfo]) -> None:
        for token in self.select + self.ignore:
            if token == "ALL" or token.lower() in CATEGORIES:
                continue
            if not any(rule.code.startswith(token.upper()) for rule in rules):
                raise ValueError(f"unknown rule code, prefix or category: {token!r} (see `repair rules`)")


def languagetool_detector_class() -> type[Detector]:
    """LanguageTool's detector, imported only when asked for (its rules are listed even with LanguageTool off)."""
    from repair.detectors.languagetool import LanguageToolDetector

    return LanguageToolDetector


def all_rules(settings: Settings, packs: tuple | None = None) -> list[RuleInfo]:
    """Every rule's metadata, sorted by code, read from the detector classes and the packs: nothing is built."""
    from repair.rulesets import packs_for

    from repair.suppress import RULES as SUPPRESSION_RULES

    rules = [rule for cls in builtin_detector_classes() for rule in cls.rules] + list(SUPPRESSION_RULES)
    rules += [spec.info for pack in (packs if packs is not None else packs_for(settings.rules)) for spec in pack.rules]
    from repair.detectors.languagetool_rules import RULES as LANGUAGETOOL_RULES  # not the detector: no server code

    rules += LANGUAGETOOL_RULES
    return sorted(rules, key=lambda r: r.code)


def build_detectors(settings: Settings, packs: tuple, selection: Selection) -> list[Detector]:
    """The detectors with a selected rule: built in, from rule packs, and LanguageTool (when on)."""
    from repair.detectors.rulepack import detectors_for_packs

    def wanted(rules) -> bool:
        return any(rule in selection for rule in rules)

    detectors: list[Detector] = [cls.from_settings(settings) for cls in builtin_detector_classes() if wanted(cls.rules)]
    detectors.extend(detectors_for_packs(packs, wanted))  # one literal scan of each document for all of them
    languagetool = languagetool_detector_class() if settings.languagetool else None
    if languagetool is not None and wanted(languagetool.rules):
        detectors.append(languagetool(url=settings.languagetool_url, cache=settings.cache,
                                      timeout=settings.languagetool_timeout,
                                      level=getattr(settings, "languagetool_level", "default")))
    return detectors
