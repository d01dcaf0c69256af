"""LanguageTool's rules in repair: their metadata only, read by the rule list and --select even with LanguageTool
off; the detector (repair.detectors.languagetool, which needs the server and client) imports them from here."""

from __future__ import annotations

from repair.languages import TABLE
from repair.languagetool import LANGUAGETOOL_VERSION
from repair.model import Applicability, Category, Example, RuleInfo, Severity

#: the target languages LanguageTool checks: those whose profile names a LanguageTool code
LANGUAGES = tuple(code for code, language in TABLE.items() if language.languagetool)

_WHY = (
    "Found by LanguageTool {version} (run locally on loopback); the message starts with "
    "LanguageTool's own rule id. Suggestions are display-only unless the rule is on "
    "repair's reviewed list of safe LanguageTool rules and LanguageTool gives exactly one."
).format(version=LANGUAGETOOL_VERSION)


def _rule(code: str, name: str, category: Category, severity: Severity, summary: str, bad: str, good: str,
          fix: Applicability) -> RuleInfo:
    return RuleInfo(code=code, name=name, category=category, severity=severity, summary=f"LanguageTool: {summary}",
                    examples=(Example(bad=bad, good=good),), fix=fix, why=_WHY, origin="languagetool",
                    target_languages=LANGUAGES)


RULES = (
    _rule("LT100", "languagetool-spelling", Category.SPELLING, Severity.WARNING,
          "misspelled or miscapitalised word (words on the allow list and rule-set terms are never reported).",
          "This sentance is wrong.", "This sentence is wrong.", Applicability.DISPLAY_ONLY),
    _rule("LT200", "languagetool-grammar", Category.GRAMMAR, Severity.WARNING,
          "grammar, agreement, article (a/an), doubled or confused word.",
          "It is a ultraradical group.", "It is an ultraradical group.", Applicability.SAFE),
    _rule("LT300", "languagetool-punctuation", Category.PUNCTUATION, Severity.WARNING,
          "punctuation and typography, such as a space inside brackets or doubled spaces.",
          "The observatory ( OSDH) said so.", "The observatory (OSDH) said so.", Applicability.SAFE),
    _rule("LT400", "languagetool-style", Category.STYLE, Severity.INFO,
          "style, such as redundant or wordy phrasing.",
          "It was a very unique experience.", "It was a unique experience.", Applicability.DISPLAY_ONLY),
)


