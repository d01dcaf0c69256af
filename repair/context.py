"""The run context: what a run gives every detector, built once per run (and again only with corpus-wide data).

A detector reads languages, glossary, allow list and corpus-wide data from here; it never loads packs or files,
and keeps no per-text state of its own (shared analysis of a document lives on the document: Document.analysis).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from repair.glossary import Glossary
from repair.languages import Language, profile


@dataclass(frozen=True)
class Context:
    """What a detector knows besides the document: target and source languages, allowed words, glossary, corpus
    data."""
    target: Language = field(default_factory=lambda: profile("en"))
    #: the source languages the user gave; empty: inferred from the text ("auto")
    sources: tuple[Language, ...] = ()
    allow: frozenset[str] = frozenset()
    glossary: Glossary = field(default_factory=Glossary)
    #: what corpus-wide detectors gathered over every file of the run, by detector name (Detector.gather / merge)
    corpus: Mapping[str, Any] | None = None

    @classmethod
    def of(cls, language: str = "en", sources: tuple[str, ...] = (), **values: Any) -> "Context":
        return cls(profile(language), tuple(profile(code) for code in sources), **values)

    #: the target language's code
    language: str = field(init=False, repr=False, compare=False)
    #: the given source languages' codes; empty: inferred
    source_languages: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # (kept, not computed on each read: the pack rules read them for every document)
        object.__setattr__(self, "language", self.target.code)
        object.__setattr__(self, "source_languages", tuple(language.code for language in self.sources))

    def corpus_part(self, name: str) -> Any:
        """The merged corpus-wide data of one detector, or None (a single document, or nothing gathered)."""
        return self.corpus.get(name) if self.corpus else None
