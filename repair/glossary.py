"""The glossary of a run: what the rule packs know about terms, built once from the packs and handed to every
detector in the run context (no detector reads the packs itself).

- `replaced_words`: single words the applicable packs replace (FR003 prorégime, FR005 Raqa), case-folded:
  theirs is the better finding, so UNT001 leaves them;
- `acronyms`: source acronym -> target acronym, from the case-sensitive substitutions of all-caps terms of every
  pack for the target language, whatever its source (OSDH -> SOHR): ACR001 and ACR002 name the target form;
- `reported_acronyms`: acronyms the applicable packs already report (FR001 EI), left to them;
- `preferred_names`: name key -> the packs' spelling of a name (Raqqa), for CON001;
- `allowed_words`: words the packs themselves put into text: never misspellings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from repair.model import Category
from repair.names import name_key
from repair.rulesets import RulePack, SubstitutionSpec

_ACRONYM = re.compile(r"(?<![\w-])[A-Z]{2,6}(?![\w-])")
_SOURCE_ACRONYM = re.compile(r"[A-ZА-ЯЁ]{2,6}")  # source acronyms: Latin or Cyrillic capitals
_WORD = re.compile(r"\w[\w'-]*")


@dataclass(frozen=True)
class Glossary:
    """What the rule packs know about words: replaced words, acronyms and their expansions, preferred names, allowed
    words."""
    replaced_words: frozenset[str] = frozenset()
    acronyms: Mapping[str, str] = field(default_factory=dict)
    reported_acronyms: frozenset[str] = frozenset()
    preferred_names: Mapping[str, str] = field(default_factory=dict)
    allowed_words: frozenset[str] = frozenset()

    @classmethod
    def build(cls, packs: Iterable[RulePack], target: str, sources: tuple[str, ...]) -> "Glossary":
        """From every loaded pack: some parts from the packs that apply to this run (target and given
        sources), some from every pack for the target, the allowed words from every pack."""
        packs = tuple(packs)
        replaced: set[str] = set()
        acronyms: dict[str, str] = {}
        reported: set[str] = set()
        names: dict[str, str] = {}
        allowed: set[str] = set()
        for pack in packs:
            applies = pack.applies(target, sources)
            for_target = pack.applies(target, ())
            for spec in pack.rules:
                if not isinstance(spec, SubstitutionSpec):
                    continue
                for replacement in spec.terms.values():
                    if replacement:
                        allowed.update(_WORD.findall(replacement))
                if applies:
                    replaced.update(term.casefold() for term in spec.terms if " " not in term)
                    if spec.case_sensitive:
                        reported.update(term for term in spec.terms if _ACRONYM.fullmatch(term))
                if for_target and spec.case_sensitive:
                    for term, replacement in spec.terms.items():
                        if replacement and _SOURCE_ACRONYM.fullmatch(term) and _ACRONYM.fullmatch(replacement):
                            acronyms.setdefault(term, replacement)
                if pack.target_language in ("any", target) and spec.info.category in (Category.TERMINOLOGY,
                                                                                       Category.STYLE):
                    for term, replacement in spec.terms.items():
                        if replacement and name_key(term) == name_key(replacement) and replacement[:1].isupper():
                            names[name_key(replacement)] = replacement
        return cls(frozenset(replaced), acronyms, frozenset(reported), names, frozenset(allowed))
