"""The engine: selected detectors run over one document; findings are filtered, merged and fixed."""

from __future__ import annotations

import bisect
import hashlib
from dataclasses import replace
from itertools import accumulate

from repair import __version__
from repair.cache import code_fingerprint
from repair.config import Settings
from repair.context import Context
from repair.detectors.base import Detector
from repair import blindspots, formats, mentions, precedence, suppress
from repair.allowlist import AllowList
from repair.document import FIXING, Document
from repair.fixer import FixResult, fix_text
from repair.glossary import Glossary
from repair.model import Applicability, Finding, Fix
from repair.results import Notice
from repair.registry import Selection, all_rules, build_detectors
from repair.rulesets import pack_fingerprint, packs_for


class Engine:
    """The detectors a run selects, with the run context they share; checks and fixes one document at a time."""

    def __init__(self, settings: Settings, corpus: object = None):
        self.settings = settings
        self.selection = Selection(settings.select, settings.ignore)
        self.packs = packs_for(settings.rules)
        self.selection.validate(all_rules(settings, self.packs))
        sources = () if settings.source_language in ("auto", "") else tuple(settings.source_language.split(","))
        glossary = Glossary.build(self.packs, settings.language, sources)
        self.context = Context.of(
            settings.language, sources,
            allow=frozenset(settings.allow) | glossary.allowed_words,
            glossary=glossary,
            corpus=corpus,
        )
        self.allowed = AllowList(settings.allow)  # honoured for every rule, in check()
        self.detectors: list[Detector] = [
            d for d in build_detectors(settings, self.packs, self.selection) if d.applies_to(self.context)
        ]
        self.selected_codes = {r.code for d in self.detectors for r in d.rules if r in self.selection}
        self.selected_codes |= {r.code for r in suppress.RULES if r in self.selection}
        self.notices: list[Notice] = []
        self._fingerprint: str | None = None
        self._format_overrides = dict(settings.formats)  # (settings are frozen: read once, not per file)
        self._corpus_detectors = [d for d in self.detectors if d.corpus_wide]
        self._warmed = False

    @property
    def corpus_detectors(self) -> list[Detector]:
        return self._corpus_detectors

    def with_corpus(self, corpus: object) -> "Engine":
        self.context = replace(self.context, corpus=corpus)
        self._fingerprint = None
        return self

    @property
    def services(self) -> set[str]:
        """The external services the selected detectors need ("languagetool")."""
        return {d.service for d in self.detectors if d.service}

    def fingerprint(self) -> str:
        """What every cached result depends on: tool, code, settings and rule packs (not the corpus-wide data:
        what of it a file's findings read is part of that file's key, `fingerprint_for`)."""
        if self._fingerprint is None:
            self._fingerprint = self._compute_fingerprint()
        return self._fingerprint

    def _compute_fingerprint(self) -> str:
        digest = hashlib.sha256()
        digest.update(__version__.encode())
        digest.update(code_fingerprint().encode())
        digest.update(self.settings.fingerprint().encode())
        digest.update(pack_fingerprint(self.packs).encode())
        for detector in self.detectors:
            digest.update(detector.fingerprint().encode())
        return digest.hexdigest()

    @property
    def prefetching(self) -> bool:
        """True when a selected detector checks many documents better than one at a time (LanguageTool)."""
        return any(d.batched for d in self.detectors)

    def prefetch(self, docs: list[Document]) -> None:
        """Let such detectors work on a batch of documents now; check() then uses their results."""
        if docs:
            views = [self.prose_view(doc)[0] for doc in docs]
            for detector in self.detectors:
                if detector.batched:
                    detector.prefetch(views, self.context)

    def expect_many(self, warm_up: bool = True) -> None:
        """Before a long run's worker processes are forked (Detector.expect_many), and once: a warm-up (pointless
        without workers to inherit it: `warm_up` False)."""
        for detector in self.detectors:
            detector.expect_many()
        if warm_up and not self._warmed:
            self._warmed = True
            self._warm_up()

    def _warm_up(self) -> None:
        """Check every selected rule's failing example here, by the detectors that hold no service, findings
        dropped: what the detectors load on their first documents (modules such as numpy, ftfy and langdetect's
        profiles, word lists, the furniture model, automata, compiled patterns) is loaded once, before the fork,
        and the workers inherit it instead of each loading it again (~0.2 CPU s each on the small-files bench).
        Memos only: no finding of a later document depends on it."""
        examples = [example.bad for detector in self.detectors if not detector.service for rule in detector.rules
                    if rule.code in self.selected_codes for example in rule.examples]
        detectors, notices = self.detectors, list(self.notices)
        self.detectors = [d for d in detectors if not d.service]
        try:
            for text in examples:
                self.check(Document("warm-up.txt", text))
        finally:
            self.detectors = detectors
            self.notices[:] = notices

    # -- file formats --------------------------------------------------------------------------------------------
    def format_of(self, path: str) -> str:
        """The format of a file: configured globs first, then its extension."""
        return formats.format_for(path, self._format_overrides)

    def fingerprint_for(self, path: str, corpus_dependency: str = "") -> str:
        """What a cached result of this file depends on: the run's fingerprint, the file's format, the
        configuration's ignores for it and the part of the corpus-wide data its findings read
        (`corpus_dependency`)."""
        return f"{self.fingerprint()}|{self.format_of(path)}|{','.join(self._ignored_for(path))}|{corpus_dependency}"

    def corpus_dependency(self, parts: dict | None) -> str:
        """A digest of the corpus-wide data the findings on a document whose gathered shares are `parts` can
        read ("" when the run has none): a file is re-checked when it changed, and only then."""
        if not self.context.corpus:
            return ""
        parts = parts or {}
        read = [[d.name, d.depends_on(parts.get(d.name), self.context.corpus_part(d.name), self.context)]
                for d in self.corpus_detectors]
        from repair.cache import dumps_data

        return hashlib.sha256(dumps_data(read).encode()).hexdigest()

    def corpus_fingerprint(self) -> str:
        """A digest of the whole corpus-wide data (for callers that key results without gathered shares)."""
        if not self.context.corpus:
            return ""
        from repair.cache import dumps_data

        return hashlib.sha256(dumps_data(self.context.corpus).encode()).hexdigest()

    def _ignored_for(self, path: str) -> tuple[str, ...]:
        return suppress.ignored_for(path, self.settings.per_file_ignores) if self.settings.per_file_ignores else ()

    def layout(self, doc: Document) -> formats.Layout:
        """What of the document is prose (memoised on it)."""
        name = doc.format or self.format_of(doc.path)
        return doc.analysis.memo(("layout", name), lambda: formats.parse(doc.text, name))

    def prose_view(self, doc: Document) -> tuple[Document, formats.Layout]:
        """The document as the detectors read it: masked regions blanked, offsets unchanged."""
        layout = self.layout(doc)
        if not layout.masks:
            return doc, layout
        return doc.analysis.memo("prose-view", lambda: self._view(doc, layout)), layout

    @staticmethod
    def _view(doc: Document, layout: formats.Layout) -> Document:
        view = doc.with_text(layout.prose(doc.text))
        # detectors that compare what the file writes (markup included) read it here, at the same offsets
        view.layout = layout if layout.source else replace(layout, source=doc.text)
        view.source_line_starts = doc.line_starts
        return view

    def gather(self, doc: Document) -> dict:
        """The corpus-wide detectors' shares of this document, from its prose (only those of the detectors that
        gather from such a document: none of them, and the document is not even parsed)."""
        name = doc.format or self.format_of(doc.path)
        wanted = [d for d in self.corpus_detectors if d.gathers_from(doc, name)]
        if not wanted:
            return {}
        view, _ = self.prose_view(doc)
        return {d.name: d.gather(view, self.context) for d in wanted}

    # -- checking ----------------------------------------------------------------------------------------------
    def check(self, doc: Document) -> list[Finding]:
        view, layout = self.prose_view(doc)
        primary: list[Finding] = []
        secondary: list[Finding] = []
        context, selected = self.context, self.selected_codes
        for detector in self.detectors:
            target = secondary if detector.secondary else primary
            for finding in detector.detect(view, context):
                if finding.code in selected:
                    target.append(finding)
            reason = detector.skipped_reason
            if reason and not any(n.message == reason for n in self.notices):
                self.notices.append(Notice(detector.service or detector.name, reason))
        if secondary:
            secondary = blindspots.drop_blind(secondary, doc.text, layout)
        findings = precedence.dedupe(primary) + precedence.drop_overlapping(secondary, primary)
        findings = formats.guard(findings, layout, doc.text)
        findings = self.allowed.drop_allowed(findings, doc.text)
        findings = self._suppressed(doc, layout, findings)
        findings = mentions.drop_mentioned_words(findings, doc.text, layout)
        findings = mentions.demote(findings, doc.text)
        findings = precedence.one_per_problem(findings)
        findings.sort(key=Finding.sort_key)
        return findings

    def _suppressed(self, doc: Document, layout: formats.Layout, findings: list[Finding]) -> list[Finding]:
        """Without what the configuration ignores in this file and what its suppression comments cover."""
        ignored = self._ignored_for(doc.path)
        if ignored:
            findings = [f for f in findings
                        if not any(suppress.matches(t, f.code, f.category.value) for t in ignored)]
        if layout.comments:
            directives = suppress.directives(doc.text, layout)
            findings = suppress.apply(findings, directives)
            if self.settings.report_unused_suppressions and suppress.UNUSED_SUPPRESSION in self.selection:
                findings += suppress.unused(directives, doc.text, self.selected_codes)
        return findings

    def close(self) -> None:
        for detector in self.detectors:
            detector.close()

    def fix(self, doc: Document, threshold: Applicability = Applicability.SAFE) -> FixResult:
        """Fix in passes. What the ORIGINAL file masks stays masked in every later pass: a fix that removes a
        paragraph can change how the rest parses (an indented code block after a removed line joins a list
        item as its prose), and the code must still never be written to."""
        original = self.layout(doc)
        protected = [(doc.text[r.start:r.end], r) for r in original.masks]
        doc.lineage[FIXING] = True  # every pass asks the packs' source evidence first (rulepack._fixing)

        def detect(text: str) -> list[Finding]:
            current = doc.with_text(text)
            if protected and text != doc.text:
                name = doc.format or self.format_of(doc.path)
                current.analysis.memo(("layout", name), lambda: _with_protected(formats.parse(text, name), text,
                                                                                protected))
            return self.check(current)

        result = fix_text(doc.path, doc.text, detect, threshold)
        if not protected or not result.changed:
            return result
        name = doc.format or self.format_of(doc.path)
        if _still_masked(result, name, protected):
            return result
        # A removed or split line made the file parse differently (an indented code block after a removed
        # paragraph joins a list item as its prose): the NEXT run would rewrite the code. Such fixes wait.
        held = fix_text(doc.path, doc.text, lambda text: _hold_line_changes(detect(text), text), threshold)
        if _still_masked(held, name, protected):
            return held
        return replace(held, text=doc.text, applied=[], remaining=_hold_all(detect(doc.text)))


def _with_protected(layout: formats.Layout, text: str, protected: list) -> formats.Layout:
    """The layout of a fixed text, with the original's masked regions found again in it (in order: no fix
    changes a masked character, so each stands in the text as it was) and kept masked."""
    found = []
    cursor = 0
    for hidden, region in protected:
        at = text.find(hidden, cursor)
        if at == -1:
            continue
        found.append(formats.Region(at, at + len(hidden), region.kind, region.breaks, region.shows))
        cursor = at + len(hidden)
    masks = formats.normalise([*layout.masks, *found])
    return replace(layout, masks=masks)


_RESHAPES = "it would change how the markup around it parses"


def _still_masked(result: FixResult, name: str, protected: list) -> bool:
    """Whether a fresh parse of the fixed text still masks every region the original masked, without a gap. No
    fix changes a masked character, so each region stands in the fixed text shifted by the edits before it (one
    may remove a whole region: an unused suppression comment)."""
    text = result.text
    masks = formats.parse(text, name).masks
    shifts = sorted((edit.original_end, len(edit.replacement) - (edit.original_end - edit.original_start))
                    for edit in result.applied)
    ends = [end for end, _ in shifts]
    before = list(accumulate(delta for _, delta in shifts))
    index = 0
    for hidden, region in protected:
        count = bisect.bisect_right(ends, region.start)
        at = region.start + (before[count - 1] if count else 0)
        end = at + len(hidden)
        if text[at:end] != hidden:
            continue  # removed on purpose (an unused suppression comment, SUP001)
        while index < len(masks) and masks[index].end <= at:
            index += 1
        reach, scan = at, index
        while reach < end and scan < len(masks) and masks[scan].start <= reach:
            reach = max(reach, masks[scan].end)
            scan += 1
        if reach < end:
            return False
    return True


def _moves_lines(finding: Finding, text: str) -> bool:
    """A fix that removes or adds a line break: what can change how the markup around it parses."""
    return finding.fix is not None and any(
        text.count("\n", edit.start, edit.end) != edit.replacement.count("\n") for edit in finding.fix.edits)


def _hold_line_changes(findings: list[Finding], text: str) -> list[Finding]:
    return [_held(f) if _moves_lines(f, text) else f for f in findings]


def _hold_all(findings: list[Finding]) -> list[Finding]:
    return [_held(f) for f in findings]


def _held(finding: Finding) -> Finding:
    fix = finding.fix
    if fix is None or fix.applicability <= Applicability.DISPLAY_ONLY:
        return finding
    return replace(finding, fix=Fix(fix.edits, Applicability.DISPLAY_ONLY, f"{fix.title} (not applied: {_RESHAPES})"))

