"""Generic detectors for the kinds of rule a pack may hold: substitution, pattern, boilerplate."""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cached_property
from typing import Iterable

from repair.quoting import quote
from repair.detectors.base import Context, Detector
from repair.detectors.packmatch import FOLDED, LINE_KEYS, TEXT, WHITESPACE, PackMatcher, Scan, line_windows, selective
from repair.document import FIXING, Document, line_removal
from repair.model import Applicability, Finding, Fix
from repair.pattern_facts import PatternFacts
from repair.prefilter import fold
from repair.rulesets import BoilerplateSpec, PatternSpec, RulePack, RuleSpec, SubstitutionSpec, is_builtin
from repair.userregex import PatternTooSlow, UserPattern


def _keep_case(matched: str, replacement: str) -> str:
    """Give the replacement the case shape of the matched text (ABC, Abc or as written)."""
    letters = [c for c in matched if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return replacement.upper()
    if matched[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _term_regex(term: str) -> str:
    words = [re.escape(w) for w in term.split()]
    return r"\s+".join(words)


QUOTE_LIMIT = 60  # characters of a quoted match a message shows, cut at a word
_PLACEHOLDER = re.compile(r"\{(match|replacement)(!r)?\}")


def _format(template: str, **values: str) -> str:
    """Fill {match} and {replacement} ({match!r} quotes the value); other braces stay as written."""
    return _PLACEHOLDER.sub(lambda m: quote(values[m.group(1)].strip(), QUOTE_LIMIT) if m.group(2)
                            else values[m.group(1)], template)


class RuleSpecDetector(Detector):
    """Runs one rule of a pack."""

    def __init__(self, spec: RuleSpec, pack: RulePack, facts: PatternFacts | None = None):
        self.rules = (spec.info,)
        super().__init__()
        self.spec = spec
        self.pack = pack
        #: what repair.prefilter reads from this rule's patterns (kept on disk between runs: detectors_for_packs)
        self.facts = facts if facts is not None else PatternFacts()
        self.code = spec.info.code
        self.level = spec.info.fix if spec.info.fix is not None else Applicability.DISPLAY_ONLY
        #: a user's pack: its patterns run time-limited (repair.userregex); repair's own packs use re
        self.guarded = not is_builtin(pack)
        self.stopped = False
        #: the shared literal scan (repair.detectors.packmatch) once `link`ed; None: the whole-text scan
        self.matcher: PackMatcher | None = None
        #: this rule's number in the matcher (PackMatcher.register): a scan whose `live` lacks it has no finding
        self.slot = -1
        #: whether the rule asks its pack's source evidence (`quiet`): on every pass of a fix, even without a hit
        self.asks_evidence = True
        #: a pack for any source language is never quiet (`quiet`)
        self.any_source = pack.source_language == "any"
        self._quiet_key = ("pack-quiet", pack.path, pack.name)

    def link(self, matcher: PackMatcher) -> None:
        """Register this rule's keys with the shared matcher; `detect` then reads its scan."""

    def detect(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        matcher = self.matcher
        if matcher is None:
            return self.detect_reference(doc, ctx)
        scan = matcher.scan(doc)
        if self.slot in scan.live:
            return self.detect_linked(doc, ctx)
        # no finding; a pass of a fix still asks the evidence, as detect_linked does first (what it sees is kept)
        if self.asks_evidence and not self.stopped and _fixing(doc):
            self._quiet_on(scan, doc, ctx)
        return ()

    def detect_reference(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        """The rule's own scan of the whole text: what `detect_linked` must find too (the tests compare them)."""
        raise NotImplementedError

    def detect_linked(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        raise NotImplementedError

    def _patterns(self, patterns: Iterable[str], flags: int, hint: bool = False) -> "_LazyPatterns":
        """The rule's patterns, each compiled on first use (with the first-character hint, `hint`, when it is one
        of repair's own: a user's pattern is run as written, time-limited)."""
        if self.guarded:
            return _LazyPatterns([(p, flags) for p in patterns], guarded=True)
        return _LazyPatterns([(self.facts.hint(p, flags) if hint else p, flags) for p in patterns])

    def _too_slow(self, doc: Document, pattern: str, error: PatternTooSlow) -> None:
        """Stop this rule for the rest of the run, and say so (the engine turns skipped_reason into a notice)."""
        from pathlib import Path

        self.stopped = True
        self.skipped_reason = (
            f"rule {self.code} ({Path(self.spec.path).name}:{self.spec.line}) stopped: its regular expression "
            f"{pattern!r} {error} on {doc.path} (catastrophic backtracking?); fix the pattern. It did not run "
            "on that file or the ones after it")

    def applies_to(self, ctx: Context) -> bool:
        return self.pack.applies(ctx.language, ctx.source_languages)

    def quiet(self, doc: Document, ctx: Context) -> bool:
        """True when a source-language pack should stay quiet on this document: no source language was given
        ("auto") and the document shows no sign of the pack's source (repair.detectors.evidence)."""
        if self.any_source or ctx.sources:
            return False
        from repair.detectors.evidence import shows_source

        # once per document and pack, not once per rule (the same answer: shows_source is memoised per document
        # and only remembers a text that shows the source)
        key = (*self._quiet_key, ctx.language)
        return doc.analysis.memo(key, lambda: not shows_source(doc, self.pack, ctx.language))

    def _quiet_on(self, scan: Scan, doc: Document, ctx: Context) -> bool:
        """`quiet`, its answer kept with the document's scan (asked by every rule of the pack: one look-up)."""
        if self.any_source or ctx.sources:
            return False
        key = (self._quiet_key, ctx.language)
        answer = scan.quiet.get(key)
        if answer is None:
            answer = scan.quiet[key] = self.quiet(doc, ctx)
        return answer

    def make(self, start: int, end: int, matched: str, replacement: str | None) -> Finding:
        message = _format(self.spec.message, match=matched, replacement=replacement or "")
        fix = None
        if replacement is not None:
            title = "Remove" if replacement == "" else f"Replace with {quote(replacement, 40)}"
            fix = Fix.replace(start, end, replacement, self.level, title)
        return self.finding(self.code, start, end, message, fix=fix)


class SubstitutionDetector(RuleSpecDetector):
    """Whole words or phrases with a preferred form: EI -> IS, Deir Ezzor -> Deir ez-Zor."""

    def __init__(self, spec: SubstitutionSpec, pack: RulePack, facts: PatternFacts | None = None):
        super().__init__(spec, pack, facts)
        self.case_sensitive = spec.case_sensitive
        terms = spec.terms
        self.flags = 0 if self.case_sensitive else re.IGNORECASE
        self.lookup = {(k if self.case_sensitive else k.casefold()): v for k, v in terms.items()}
        self.lookup_spaced = {" ".join(k.split()): v for k, v in self.lookup.items()}
        self.alternation = "|".join(_term_regex(t) for t in sorted(terms, key=len, reverse=True))
        pattern = rf"(?<![\w-])(?:{self.alternation})(?!\w)"
        # case-insensitive terms: a leading look-ahead on the terms' first letters (same matches, about 1.5x faster)
        self.pattern = pattern if self.case_sensitive else self.facts.hint(pattern, self.flags)

    @cached_property
    def regex(self) -> re.Pattern:
        """Compiled on first use: a rule whose terms a run never meets costs no compiling."""
        return re.compile(self.pattern, self.flags)

    @cached_property
    def _scan(self) -> re.Pattern | None:
        """Case-sensitive terms: the same matches, found about 5 times faster by a pattern that starts with the
        terms (re then skips to their first letters) and the (?<![\\w-]) test done by hand (see _matches)."""
        return re.compile(rf"(?:{self.alternation})(?!\w)") if self.case_sensitive else None

    def _matches(self, text: str):
        if self._scan is None:
            yield from self.regex.finditer(text)
            return
        search = self._scan.search
        position = 0
        while (match := search(text, position)) is not None:
            start = match.start()
            if start and (text[start - 1].isalnum() or text[start - 1] in "_-"):  # what (?<![\w-]) rejects
                position = start + 1  # finditer would try the next position: so do we
                continue
            yield match
            position = match.end()

    def link(self, matcher: PackMatcher) -> None:
        # A match of a one-word term begins where the term is found. For a term of several words, the key is its
        # longest word after the first with the blank before it (the last of the \s+ run): the match begins the
        # words before it back, each after its run of blanks (_walk_back). One group per such way back.
        self.place = TEXT if self.case_sensitive else FOLDED
        keys_by_way: dict[tuple[int, ...], set[str]] = {}
        for term in self.spec.terms:
            words = term.split()
            if len(words) == 1:
                keys_by_way.setdefault((), set()).add(words[0])
                continue
            chosen = max(range(1, len(words)), key=lambda i: (len(words[i]), -i))
            way = tuple(len(word) for word in words[:chosen])
            keys_by_way.setdefault(way, set()).update(blank + words[chosen] for blank in WHITESPACE)
        self.slot = matcher.register()
        self.groups = [(way, matcher.add(self.place, keys if self.case_sensitive else {fold(k) for k in keys},
                                         self.slot))
                       for way, keys in keys_by_way.items()]
        self.matcher = matcher

    def detect_reference(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        if self.quiet(doc, ctx):
            return
        yield from self._findings(doc.text, self._matches(doc.text))

    def detect_linked(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        assert self.matcher is not None
        scan = self.matcher.scan(doc)
        evidence_first = _fixing(doc)
        if evidence_first and self._quiet_on(scan, doc, ctx):
            return ()
        hits = scan.hits(self.place)
        text = doc.text
        starts: set[int] = set()
        for way, group in self.groups:
            found = hits.get(group)
            if found is None:
                continue
            if not way:
                starts.update(found)
            else:
                starts.update(start for start in (_walk_back(text, blank, way) for blank in set(found))
                              if start is not None)
        if not starts or not evidence_first and self._quiet_on(scan, doc, ctx):
            return ()
        return self._findings(text, self._matches_at(text, sorted(starts)))

    def _matches_at(self, text: str, starts: list[int]):
        """finditer's matches, tried only where a term can begin (no match begins anywhere else)."""
        match_at = self.regex.match
        end = 0
        for start in starts:
            if start < end:
                continue
            match = match_at(text, start)
            if match is not None:
                yield match
                end = match.end()

    def _findings(self, text: str, matches) -> Iterable[Finding]:
        for match in matches:
            matched = match.group(0)
            if " " not in matched and _inside_name(text, match.start(), match.end(), matched):
                continue  # Alger Hiss, Riyad Bank, Environ Health Perspectives: part of a longer name
            key = " ".join((matched if self.case_sensitive else matched.casefold()).split())
            replacement = self.lookup_spaced.get(key)
            if replacement is not None and not self.case_sensitive:
                replacement = _keep_case(matched, replacement)
            if replacement == matched:
                continue
            yield self.make(match.start(), match.end(), matched, replacement)


def _walk_back(text: str, blank: int, way: tuple[int, ...]) -> int | None:
    """Where a term would begin whose word after `blank` (a white-space character) follows words of the lengths
    `way`, each followed by a run of white space; None when there is no room."""
    position = blank + 1
    for length in reversed(way):
        run = position
        while run > 0 and text[run - 1].isspace():  # str.isspace is re's \s
            run -= 1
        if run == position:
            return None
        position = run - length
        if position < 0:
            return None
    return position


_CAPITALISED = re.compile(r"[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’-]+")


def _inside_name(text: str, start: int, end: int, matched: str) -> bool:
    """A capitalised (not all-capitals) word next to another capitalised word, the one before not a
    sentence's first: a part of a longer name, which a pack's term for a word or a place does not mean."""
    if not _CAPITALISED.fullmatch(matched):
        return False
    after = _CAPITALISED.match(text, end + 1) if text[end:end + 1] == " " else None
    if after is not None:
        return True
    if start >= 2 and text[start - 1] == " ":
        begin = start - 1
        while begin > 0 and not text[begin - 1].isspace():
            begin -= 1
        before = text[begin:start - 1]
        if _CAPITALISED.fullmatch(before) and begin > 0 and text[:begin].rstrip()[-1:] not in ".!?:\n\"“" \
                and text[:begin].rstrip():
            return True
    return False


class PatternDetector(RuleSpecDetector):
    """A regular expression, with an optional replacement template."""

    def __init__(self, spec: PatternSpec, pack: RulePack, facts: PatternFacts | None = None):
        super().__init__(spec, pack, facts)
        flags = re.MULTILINE | (re.IGNORECASE if spec.ignore_case else 0)
        self.regexes = self._patterns(spec.patterns, flags, hint=True)
        self.template = spec.replacement

    def link(self, matcher: PackMatcher) -> None:
        if self.guarded:
            return  # a user's pattern keeps its own time-limited scan of the whole text
        self.slot = slot = matcher.register()
        #: per pattern: (place, group of its literals, whether it stays on one line), or None: the whole text
        self.plans: list[tuple[str, int, bool] | None] = []
        #: per pattern without a group: its literals when they are too common for the scan but case-sensitive (a
        #: text without any of them, `in`, has no match), else None
        self.present: list[tuple[str, ...] | None] = []
        for pattern, given in self.regexes.sources:
            flags = self.facts.flags(pattern, given)  # as the compiled pattern's .flags: inline (?i) included
            literals = self.facts.literals(pattern, flags)
            if literals is None or not selective(literals):
                self.plans.append(None)
                self.present.append(None if literals is None or flags & re.IGNORECASE else tuple(sorted(literals)))
                continue
            place = FOLDED if flags & re.IGNORECASE else TEXT
            self.plans.append((place, matcher.add(place, literals, slot), self.facts.one_line(pattern, flags)))
            self.present.append(None)
        #: every pattern needs a hit of its group or one of its literals: (place, group) and literals to look for
        #: before anything else (a document with none of them has no match); None: some pattern always runs
        self.needs: tuple[list[tuple[str, int]], list[str]] | None = None
        if all(plan is not None or present is not None for plan, present in zip(self.plans, self.present)):
            self.needs = ([(plan[0], plan[1]) for plan in self.plans if plan is not None],
                          [literal for present in self.present if present is not None for literal in present])
        if self.needs is None:
            matcher.always(slot)
        elif self.needs[1]:
            literals = self.needs[1]
            matcher.check(lambda doc, scan: (slot,) if any(literal in doc.text for literal in literals) else ())
        self.matcher = matcher

    def detect_reference(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        if self.stopped or self.quiet(doc, ctx):
            return
        for pattern, regex in zip(self.spec.patterns, self.regexes):
            try:
                yield from self._findings(regex, regex.finditer(doc.text))
            except PatternTooSlow as error:
                self._too_slow(doc, pattern, error)
                return

    def detect_linked(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        assert self.matcher is not None
        if self.stopped:
            return ()
        scan = self.matcher.scan(doc)
        evidence_first = _fixing(doc)
        if evidence_first and self._quiet_on(scan, doc, ctx):
            return ()
        text = doc.text
        if self.needs is not None:
            groups, literals = self.needs
            if not any(group in scan.hits(place) for place, group in groups) and \
                    not any(literal in text for literal in literals):
                return ()
        if not evidence_first and self._quiet_on(scan, doc, ctx):
            return ()
        return self._linked_findings(text, scan)

    def _linked_findings(self, text: str, scan: Scan) -> Iterable[Finding]:
        for index, plan in enumerate(self.plans):
            if plan is None:
                present = self.present[index]
                if present is not None and not any(literal in text for literal in present):
                    continue  # none of the literals every match holds
                regex = self.regexes[index]
                yield from self._findings(regex, regex.finditer(text))
                continue
            place, group, one_line = plan
            starts = scan.starts(group, place)
            if not starts:
                continue  # none of the literals every match holds: no match (and the pattern is not compiled)
            regex = self.regexes[index]
            if one_line:
                windows = line_windows(text, starts)
                if sum(end - start for start, end in windows) < len(text) // 2:
                    yield from self._findings(regex, _in_windows(regex, text, windows))
                    continue
            yield from self._findings(regex, regex.finditer(text))

    def _findings(self, regex, matches) -> Iterable[Finding]:
        # a group named "at" is the part reported and replaced; the rest of the match is its context
        at = "at" if "at" in regex.groupindex else 0
        for match in matches:
            if match.end(at) == match.start(at):
                continue
            replacement = match.expand(self.template) if self.template is not None else None
            yield self.make(match.start(at), match.end(at), match.group(at), replacement)


class _LazyPatterns:
    """A rule's regular expressions, each compiled on first use (indexing), all of them when iterated. Most rules
    find none of their literals in a document, and compiling every pattern of the packs took about 20 ms of each
    run's start-up."""

    def __init__(self, sources: list[tuple[str, int]], guarded: bool = False):
        #: (pattern, flags) as each is compiled
        self.sources = sources
        self.guarded = guarded
        self._compiled: list = [None] * len(sources)

    def __len__(self) -> int:
        return len(self.sources)

    def __getitem__(self, index: int):
        compiled = self._compiled[index]
        if compiled is None:
            pattern, flags = self.sources[index]
            compiled = UserPattern(pattern, flags) if self.guarded else re.compile(pattern, flags)
            self._compiled[index] = compiled
        return compiled

    def __iter__(self):
        return (self[index] for index in range(len(self.sources)))


def _in_windows(regex: re.Pattern, text: str, windows: list[tuple[int, int]]):
    """The matches of a pattern that stays on one line, searched in those lines only (repair.prefilter)."""
    for start, end in windows:
        yield from regex.finditer(text, start, end)


class BoilerplateDetector(RuleSpecDetector):
    """Whole lines that are page furniture (Subscribe, Share Post) and site-name suffixes; the fix removes them."""

    def __init__(self, spec: BoilerplateSpec, pack: RulePack, facts: PatternFacts | None = None):
        super().__init__(spec, pack, facts)
        self.lines = {" ".join(line.split()).casefold() for line in spec.lines}
        # a line is furniture when one line pattern matches it whole: each of repair's own patterns is tried as its
        # top-level alternatives (the same lines; each is scanned for and compiled alone, so a document meeting one
        # word of a long pattern compiles that alternative only)
        line_patterns = spec.line_patterns if self.guarded else [
            branch for pattern in spec.line_patterns for branch in self.facts.branches(pattern, re.IGNORECASE)]
        self.line_patterns = self._patterns(line_patterns, re.IGNORECASE)
        self.suffix_lines = {" ".join(s.split()).strip(_SUFFIX_EDGES).casefold() for s in spec.suffixes}
        self.has_suffixes = bool(spec.suffixes)
        self.asks_evidence = False

    @cached_property
    def suffix_regex(self) -> re.Pattern | None:
        """A site-name suffix at the end of a line (compiled on first use)."""
        if not self.has_suffixes:
            return None
        names = "|".join(re.escape(s.strip(_SUFFIX_EDGES)) for s in self.spec.suffixes)
        return re.compile(r"\s*[-–—|:]\s*(?:" + names + r")\s*$", re.IGNORECASE)

    def _whole_line(self, key: str, patterns=None) -> bool:
        if key in self.lines:
            return True
        if key.strip(_SUFFIX_EDGES) in self.suffix_lines:
            return True
        return any(p.fullmatch(key) for p in (self.line_patterns if patterns is None else patterns))

    def link(self, matcher: PackMatcher) -> None:
        if self.guarded:
            return  # a user's line patterns keep their own time-limited matching of every line
        self.slot = matcher.register()
        #: per line pattern: the group of its required literals among the line keys, or None (tried on every line)
        self.pattern_groups: list[int | None] = []
        flags_of = [self.facts.flags(pattern, given) for pattern, given in self.line_patterns.sources]
        for (pattern, _), flags in zip(self.line_patterns.sources, flags_of):
            literals = self.facts.literals(pattern, flags)
            usable = literals is not None and selective(literals)
            self.pattern_groups.append(matcher.add(LINE_KEYS, literals) if usable else None)
        #: the line patterns without a group, tried on every line their lengths fit
        self.always_indexes = [index for index, group in enumerate(self.pattern_groups) if group is None]
        #: the lengths of key the `always` patterns can match whole, when all are bounded (else None: any line)
        lengths = [self.facts.lengths(self.line_patterns.sources[index][0], flags_of[index])
                   for index in self.always_indexes]
        self.always_lengths = None if None in lengths else lengths
        names = [fold(s.strip(_SUFFIX_EDGES)) for s in self.spec.suffixes]
        #: the suffix names' group in the folded text (the suffix regex ignores case); None: none, or an empty name
        self.suffix_group = matcher.add(FOLDED, names, self.slot) if names and all(names) else None
        #: what this rule's lines have in common with those of the other boilerplate rules of the matcher
        #: only a listed line, a line holding a line pattern's key or a suffix name can be furniture: a document
        #: with none of these has no finding
        self.keyed_only = not self.always_indexes and not (self.has_suffixes and self.suffix_group is None)
        #: the `always` patterns are tried on every line for all the boilerplate rules at once (_BoilerplateLines.
        #: screened): a rule without suffixes finds nothing else on a line without a listed line or key
        self.screened = bool(self.always_indexes) and not self.has_suffixes
        self.listed = matcher.shared.get("boilerplate-lines")  # type: ignore[assignment]
        if self.listed is None:
            self.listed = matcher.shared["boilerplate-lines"] = _BoilerplateLines()
            matcher.check(self.listed.live)
        self.number = self.listed.add(self)
        self.matcher = matcher

    def detect_reference(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        if self.stopped:
            return
        keyed = _keyed_lines(doc)
        yield from self._findings(doc, keyed, range(len(keyed)), None, None)

    def detect_linked(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        assert self.matcher is not None
        scan = self.matcher.scan(doc)
        keyed, keys, found = self.listed.found(doc, scan)
        if not keyed:
            return ()
        listed, hit_patterns = found[self.number]
        suffix_starts = None if self.suffix_group is None else scan.hits(FOLDED).get(self.suffix_group)
        if self.keyed_only and not listed and not hit_patterns and not suffix_starts:
            return ()
        screened = self.listed.screened(doc, scan) if self.screened else ()
        candidates = set(listed)  # lines whose key is listed, or a listed suffix
        always = [self.line_patterns[index] for index in self.always_indexes]
        patterns_of: dict[int, list] = {}
        for number, lines in hit_patterns:
            pattern = self.line_patterns[number]
            for index in lines:
                patterns_of.setdefault(index, list(always)).append(pattern)
        candidates.update(patterns_of)
        suffix_lines: set[int] | None = None  # lines where a site-name suffix may be (None: any)
        if self.has_suffixes and self.suffix_group is not None:
            suffix_lines = _lines_holding(keyed, sorted(set(suffix_starts))) if suffix_starts else set()
            candidates |= suffix_lines
        if self.screened:  # (the lines one of them matches whole)
            candidates.update(screened)
        elif self.has_suffixes and suffix_lines is None or always and self.always_lengths is None:
            candidates = range(len(keyed))  # type: ignore[assignment]
        elif always:  # (a line whose key is too short or too long for every one of them: no match)
            fits = self.always_lengths
            candidates.update(i for i, size in enumerate(map(len, keys)) if any(a <= size <= b for a, b in fits))
        return self._findings(doc, keyed, sorted(candidates), patterns_of, always)

    def _findings(self, doc: Document, keyed, indexes, patterns_of, always) -> Iterable[Finding]:
        """The findings on the lines of `indexes` (in order); `patterns_of`: the line patterns that can match each
        line (`always` for a line not in it), None: all of them."""
        text = doc.text
        separator = _SEPARATOR.search
        for index in indexes:
            start, end, key = keyed[index]
            patterns = None if patterns_of is None else patterns_of.get(index, always)
            try:
                whole = self._whole_line(key, patterns)
            except PatternTooSlow as error:
                self._too_slow(doc, " | ".join(self.spec.line_patterns), error)
                return
            if whole:
                remove_start, remove_end = line_removal(text, start, end)
                yield self._line_finding(start, end, text[start:end].strip(), remove_start, remove_end)
                continue
            if self.has_suffixes and separator(text, start, end):  # (a suffix follows one of these)
                line = text[start:end]
                match = self.suffix_regex.search(line)
                if match and match.start() > 0:
                    yield self.make(start + match.start(), start + match.end(), match.group(0).strip(), "")

    def _line_finding(self, start: int, end: int, stripped: str, remove_start: int, remove_end: int) -> Finding:
        message = _format(self.spec.message, match=stripped, replacement="")
        fix = Fix.replace(remove_start, remove_end, "", self.level, "Remove the line")
        return self.finding(self.code, start, end, message, fix=fix)


_LINES_PIECE = 1 << 20  # characters of a text split into lines at a time (_key_lines)
def _fixing(doc: Document) -> bool:
    """Whether the document is a pass of a fix: then a pack's source evidence is asked first, on every pass (what
    a pass sees is kept for the next ones: evidence.shows_source); in a check it is asked only of a rule with a
    hit in the document (most have none), the same findings for a fraction of the evidence's cost."""
    return FIXING in doc.lineage


_SEPARATOR = re.compile(r"[-–—|:]")  # what a site-name suffix follows (BoilerplateDetector.suffix_regex)
_SUFFIX_EDGES = " -–—|:"  # stripped from a suffix and from a line compared with the suffixes


def _keyed_lines(doc: Document) -> list[tuple[int, int, str]]:
    """(start, end, key) of each non-blank line (the end before its line break and any \r), the key being its
    text stripped, white space collapsed, case-folded: one walk over the lines, shared by every boilerplate rule
    (memoised on the document)."""
    return doc.analysis.memo("boilerplate-lines", lambda: _key_lines(doc.text))


def _key_lines(text: str) -> list[tuple[int, int, str]]:
    """_keyed_lines of a text: split at its line breaks a piece of about _LINES_PIECE characters at a time (a piece ends at
    a line break: the lines of a 64 MB text are never all alive at once as strings)."""
    keyed = []
    append = keyed.append
    length = len(text)
    first = 0
    while True:
        cut = text.find("\n", first + _LINES_PIECE) if first + _LINES_PIECE < length else -1
        last = length if cut < 0 else cut
        start = first
        for line in text[first:last].split("\n"):
            end = start + len(line)
            key = line.strip()
            if key:
                if "  " in key or not key.isprintable():  # (every white space but the space is unprintable)
                    key = " ".join(key.split())  # (most lines: their words stand one space apart already)
                append((start, end - 1 if line[-1] == "\r" else end, key.casefold()))
            start = end + 1
        if cut < 0:
            return keyed
        first = cut + 1


def _line_keys(doc: Document) -> list[str]:
    return doc.analysis.memo("boilerplate-line-keys", lambda: [key for _, _, key in _keyed_lines(doc)])


#: what a boilerplate rule looks at in a document (_BoilerplateLines.found)
_Found = tuple[list[int], list[tuple[int, set[int]]]]


class _BoilerplateLines:
    """What the boilerplate rules linked to one matcher look for in a document's lines, found for all of them
    at once: the listed lines (`lines`) and suffixes (`suffix_lines`) by one dictionary look-up per line, the
    line patterns with a key in a line by one walk over the groups the scan found."""

    def __init__(self) -> None:
        self.by_key: dict[str, list[int]] = {}
        self.by_stripped: dict[str, list[int]] = {}
        #: the group of each line pattern with required literals -> (its rule's number, its number in the rule)
        self.pattern_of_group: dict[int, tuple[int, int]] = {}
        self.rules = 0
        #: each rule's number in the matcher (PackMatcher.register), by its number here
        self.slots: list[int] = []
        #: the rules (numbers here) that can find a line without a listed line, pattern key or suffix name in it
        self.unkeyed: list[int] = []
        #: the `always` line patterns of the `screened` rules, (pattern, flags) as compiled
        self.screened_patterns: list[tuple[str, int]] = []
        self._screens: list[re.Pattern] | None = None
        #: the screened rules (numbers here)
        self.screened_rules: list[int] = []

    def add(self, detector: "BoilerplateDetector") -> int:
        number = self.rules
        self.rules += 1
        self.slots.append(detector.slot)
        if detector.screened:
            self.screened_rules.append(number)
            self.screened_patterns += [detector.line_patterns.sources[index] for index in detector.always_indexes]
        elif not detector.keyed_only:
            self.unkeyed.append(number)
        self._screens = None
        for line in detector.lines:
            self.by_key.setdefault(line, []).append(number)
        for line in detector.suffix_lines:
            self.by_stripped.setdefault(line, []).append(number)
        for pattern, group in enumerate(detector.pattern_groups):
            if group is not None:
                self.pattern_of_group[group] = (number, pattern)
        return number

    def found(self, doc: Document, scan: Scan) -> tuple[list[tuple[int, int, str]], list[str], list[_Found]]:
        """The document's _keyed_lines, their keys, and per rule: the indexes of the lines whose key is one of its
        lines, or stripped one of its suffixes; and (pattern number, indexes of the lines holding one of its keys)
        for each of its line patterns with a key in the lines, in the patterns' order. Kept with the scan."""
        found = scan.kept.get(self)
        if found is None:
            keyed = _keyed_lines(doc)
            keys = _line_keys(doc)
            found = scan.kept[self] = (keyed, keys, self._walk(keys, scan) if keyed else [])
        return found  # type: ignore[return-value]

    def live(self, doc: Document, scan: Scan) -> list[int]:
        """The rules (their numbers in the matcher) that can have a finding in the document's lines besides those
        with a suffix name in the text (a hit of their own group): those with a listed line or a line pattern's key
        there, and those that try a pattern on every line (when it has a line)."""
        keyed, _, found = self.found(doc, scan)
        if not keyed:
            return []
        slots = self.slots
        live = [slots[number] for number in self.unkeyed]
        live += [slots[number] for number, (listed, patterns) in enumerate(found) if listed or patterns]
        if self.screened_patterns and self.screened(doc, scan):
            live += [slots[number] for number in self.screened_rules]
        return live

    def screened(self, doc: Document, scan: Scan) -> list[int]:
        """The indexes of the lines that one of the screened rules' `always` patterns matches whole (kept with
        the scan): a screened rule's candidates beside its listed lines and keys."""
        key = (self, "screened")
        lines = scan.kept.get(key)
        if lines is None:
            keys = self.found(doc, scan)[1]
            screens = self._screens if self._screens is not None else self._compile_screens()
            if len(screens) == 1:
                whole = screens[0].fullmatch
                lines = [index for index, line in enumerate(keys) if whole(line)]
            else:
                lines = [index for index, line in enumerate(keys) if any(s.fullmatch(line) for s in screens)]
            scan.kept[key] = lines
        return lines  # type: ignore[return-value]

    def _compile_screens(self) -> list[re.Pattern]:
        """The screened patterns as few regular expressions as they can be: those without a group or inline
        flags, and of the same flags, as one alternation (a key matches it whole exactly when it matches one of
        them whole); the others alone."""
        joinable: dict[int, list[str]] = {}
        screens = []
        for pattern, flags in dict.fromkeys(self.screened_patterns):
            compiled = re.compile(pattern, flags)
            if compiled.groups or pattern.startswith("(?") and not pattern.startswith(("(?:", "(?=", "(?!", "(?<")):
                screens.append(compiled)
            else:
                joinable.setdefault(flags, []).append(pattern)
        screens += [re.compile("|".join(f"(?:{p})" for p in patterns), flags) for flags, patterns in joinable.items()]
        self._screens = screens
        return screens

    def _walk(self, keys: list[str], scan: Scan) -> list[_Found]:
        found: list[_Found] = [([], []) for _ in range(self.rules)]
        by_key, by_stripped = self.by_key, self.by_stripped
        if by_key or by_stripped:
            edges = _SUFFIX_EDGES
            for index in [index for index, key in enumerate(keys) if key in by_key or key.strip(edges) in by_stripped]:
                key = keys[index]
                for number in by_key.get(key, ()):
                    found[number][0].append(index)
                for number in by_stripped.get(key.strip(edges), ()):
                    found[number][0].append(index)
        if self.pattern_of_group:
            line_hits = scan.line_hits(keys)
            owner = self.pattern_of_group.get
            for group in sorted(line_hits):  # (a rule's groups were added in its patterns' order)
                where = owner(group)
                if where is not None:
                    found[where[0]][1].append((where[1], line_hits[group]))
        return found


def _lines_holding(keyed: list[tuple[int, int, str]], starts: list[int]) -> set[int]:
    """Indexes of the keyed lines whose text holds one of the offsets."""
    line_starts = [start for start, _, _ in keyed]
    found = set()
    for offset in starts:
        index = bisect_right(line_starts, offset) - 1
        if index >= 0 and offset < keyed[index][1]:
            found.add(index)
    return found


#: the generic detector of each kind of rule (repair.rulesets.SPEC_KINDS)
DETECTOR_OF_KIND: dict[str, type[RuleSpecDetector]] = {
    "substitution": SubstitutionDetector, "pattern": PatternDetector, "boilerplate": BoilerplateDetector,
}


def detectors_for(pack: RulePack) -> list[Detector]:
    return detectors_for_packs((pack,))


def detectors_for_packs(packs, wanted=lambda rules: True) -> list[Detector]:
    """The detectors of the packs' rules that `wanted` keeps, sharing one literal scan of each document; what
    they read from their patterns comes from the last run with these packs when it can (repair.pattern_facts)."""
    facts = PatternFacts.for_packs(packs)
    detectors = [DETECTOR_OF_KIND[spec.kind](spec, pack, facts)
                 for pack in packs for spec in pack.rules if wanted((spec.info,))]
    matcher = PackMatcher()
    for detector in detectors:
        detector.link(matcher)
    facts.save()
    return detectors
