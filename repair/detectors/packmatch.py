"""One literal scan of a document for every rule of the loaded packs; each rule confirms only where it can match.

Every pack rule (repair.detectors.rulepack) used to scan the whole text on its own: some 30 scans of each
document. A PackMatcher collects, once per rule set, the literal strings that each rule's matches must hold
(a substitution rule: its terms' first words; a pattern or a line pattern: its required literals, read from the
pattern by repair.prefilter; a site-name suffix: the name), in groups, one group per rule or pattern, for each
place they are looked for:

- TEXT: the text as written (keys of case-sensitive rules);
- FOLDED: the text folded as re's IGNORECASE compares it (repair.prefilter.fold: same length, same offsets);
- LINE_KEYS: the boilerplate keys of the lines (stripped, white space collapsed, case-folded), one per line.

and puts them into two Aho-Corasick automata: one for LINE_KEYS, one for FOLDED that also holds TEXT's keys
folded (fold works character by character: where the text holds a key as written, its folded copy holds the
folded key at the same offset), a hit of which is kept when the text holds the key as written there. Read
between the other detectors' work, the automata's tables have left the cache: each run costs more than its
characters (on the small files, one run less made the pack rules about 2% faster).

`scan(doc)` (memoised on the document) runs each automaton once, with overlapping matches, and gives every group
the places of its keys; a rule then runs its own regular expression only at those places (or on those lines), so
it finds exactly what its whole-text scan finds. The automaton is ahocorasick_rs (Rust): on the 5,000 small
files and the 10 MB file of the benchmark it finds the same matches 1.5-2 times faster than pyahocorasick. A run
reads its first DFA_AFTER characters of each place with a quick-to-build NFA, the rest with a DFA (PackMatcher.
automaton): 2-2.5 times faster alone, about 1.5 times on the 8 MB file inside a run; on the small files, read between
the other detectors' work, no faster (its tables leave the cache), and 6 MB more memory.

Most documents hold no key of most rules: the scan keeps the hits of the groups that have one (`hits`,
`line_hits`), and when it is made it settles which rules can have a finding in the document (`Scan.live`: a
group of theirs was found, or a check of theirs said so): every other rule answers with one set look-up.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING, Callable, Iterable, Sequence
from weakref import ref

from repair.prefilter import fold

if TYPE_CHECKING:
    from repair.document import Document

TEXT = "text"
FOLDED = "folded"
LINE_KEYS = "line-keys"
PLACES = (TEXT, FOLDED, LINE_KEYS)
PIECE = 1 << 20  # characters an automaton reads at a time
DFA_AFTER = 4 << 20  # characters a place's automaton reads in a run before it is rebuilt as a DFA

#: every character re's \s matches in a str pattern (tests/test_packmatch.py checks the list against re)
WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
              "\u2009\u200a\u2028\u2029\u202f\u205f\u3000")


def _nothing() -> None:
    return None


def selective(literals: Iterable[str]) -> bool:
    """Literals worth a prefilter: each has three characters besides blanks, or a character that is neither a
    letter, a digit nor a blank (a parenthesis, ©). Two letters (en, de) are in most lines: finding them costs
    more than the pattern's own search."""
    return all(len(s.strip()) >= 3 or any(not c.isalnum() and not c.isspace() for c in s) for s in literals)


class PackMatcher:
    """The keys of every linked rule, by group; built once per rule set (the automata on the first scan)."""

    def __init__(self) -> None:
        self._owners: dict[str, dict[str, list[int]]] = {place: {} for place in PLACES}
        #: TEXT's keys are looked for folded, in FOLDED's run (one automaton run less per document): by folded
        #: key, each (group, key as written) of TEXT, a hit of which is kept when the text holds the key as written
        self._exact: dict[str, list[tuple[int, str]]] = {}
        self._groups = 0
        self._automata: dict[str, tuple[object, list[tuple[int, ...]]] | None] = {}
        #: characters each place's automaton has read in this run (its kind is chosen by it: `automaton`)
        self._read: dict[str, int] = dict.fromkeys(PLACES, 0)
        self._longest: dict[str, int] | None = None
        #: what a kind of rule builds once for all its linked rules (the boilerplate rules' listed lines)
        self.shared: dict[str, object] = {}
        #: the rule (its number: `register`) each group belongs to, by group; None: a group no rule is live by
        self._owner: list[int | None] = []
        #: the rules that can have a finding in any document, and what tells of the others beyond their groups' hits
        self._always: set[int] = set()
        self._checks: list[Callable[["Document", "Scan"], Iterable[int]]] = []
        self._rules = 0
        self._last: tuple[Callable[[], object], Callable[[], object]] = (_nothing, _nothing)

    def register(self) -> int:
        """A new rule's number: the scan's `live` holds it when a group it `add`ed has a hit, when it is one of
        `always` or when a check (`check`) names it."""
        self._rules += 1
        return self._rules - 1

    def always(self, rule: int) -> None:
        """The rule can have a finding in any document: it is always live."""
        self._always.add(rule)

    def check(self, live: Callable[["Document", "Scan"], Iterable[int]]) -> None:
        """A function of a document and its scan naming rules that are live in it though no group of theirs has a
        hit there (a pattern's literal found by `in`, the boilerplate rules' listed lines); called once per scan."""
        self._checks.append(live)

    def add(self, place: str, keys: Iterable[str], owner: int | None = None) -> int:
        """A new group of keys looked for in `place` (TEXT or FOLDED: a hit of one makes rule `owner` live);
        returns its number. Call before the first scan."""
        group = self._groups
        self._groups += 1
        self._owner.append(owner if place != LINE_KEYS else None)
        if place == TEXT:
            for key in keys:
                if key:
                    self._exact.setdefault(fold(key), []).append((group, key))
        else:
            owners = self._owners[place]
            for key in keys:
                if key:
                    owners.setdefault(key, []).append(group)
        self._automata = {}
        self._longest = None
        return group

    def automaton(self, place: str, size: int) -> tuple[object, list[tuple[int, ...]], list[tuple[tuple[int, str], ...]]] | None:
        """The place's automaton and the groups of each of its keys (by the key's number), to read `size` more
        characters; None when the place has no key.

        A run's first DFA_AFTER characters are read by the automaton that is quick to build (a non-contiguous
        NFA: 1-5 ms for the packs' keys); past them it is rebuilt as a DFA (3-45 ms), which reads 2-2.5 times
        faster: a run of one small file pays no DFA, a run of many files has it after a few hundred."""
        read = self._read[place]
        self._read[place] = read + size
        if place in self._automata and (read > DFA_AFTER or read + size <= DFA_AFTER):
            return self._automata[place]
        owners = self._owners[place]
        exact = self._exact if place == FOLDED else {}
        entry = None
        if owners or exact:
            import ahocorasick_rs

            keys = sorted(set(owners) | set(exact))
            kind = ahocorasick_rs.Implementation.DFA if read + size > DFA_AFTER else None
            automaton = ahocorasick_rs.AhoCorasick(keys, matchkind=ahocorasick_rs.MatchKind.Standard,
                                                   implementation=kind)
            entry = (automaton, [tuple(owners.get(key, ())) for key in keys], [tuple(exact.get(key, ())) for key in keys])
        self._automata[place] = entry
        return entry

    def longest(self, place: str) -> int:
        """The length of the place's longest key (1 when it has none)."""
        if self._longest is None:
            self._longest = {place: max(map(len, owners), default=1) for place, owners in self._owners.items()}
            self._longest[FOLDED] = max(self._longest[FOLDED], max(map(len, self._exact), default=1))
        return self._longest[place]

    def scan(self, doc: "Document") -> "Scan":
        """The document's scan (memoised on it; the last one is also kept here, weakly: every rule of the packs
        asks for it in turn)."""
        last_doc, last_scan = self._last
        if last_doc() is doc:
            scan = last_scan()
            if scan is not None:
                return scan
        scan = doc.analysis.memo(("pack-scan", self), lambda: self._settled(Scan(self, doc.text), doc))
        self._last = (ref(doc), ref(scan))
        return scan

    def _settled(self, scan: "Scan", doc: "Document") -> "Scan":
        """The scan with its `live` rules: those of a group found in the text or its folded copy, those always
        live, those a check names."""
        owner = self._owner
        live = set(self._always)
        live.update(owner[group] for group in scan.hits(FOLDED))  # (TEXT's groups included)
        for check in self._checks:
            live.update(check(doc, scan))
        live.discard(None)  # type: ignore[arg-type]
        scan.live = live
        return scan


class Scan:
    """The places of every group's keys in one text, each automaton run on first use, a piece of at most PIECE
    characters at a time (the folded copy and the automaton's own copy of a 10 MB text would double its memory)."""

    def __init__(self, matcher: PackMatcher, text: str):
        self.matcher = matcher
        self.text = text
        #: per place run: each group with a hit there -> the offsets of its keys (in the order found, repeats kept)
        self._hits: dict[str, dict[int, list[int]]] = {}
        self._sorted: dict[int, list[int]] = {}
        self._line_hits: dict[int, set[int]] | None = None
        #: what the rules of a pack share on this document (RuleSpecDetector.quiet's answer), by pack and language
        self.quiet: dict[tuple, bool] = {}
        #: what a kind of rule derives from this scan for all its rules (the boilerplate rules' lines), by its owner
        self.kept: dict[object, object] = {}
        #: the rules (PackMatcher.register) that can have a finding in the text; the others have none
        self.live: set[int] = set()

    def _run(self, place: str, pieces: Iterable[tuple[int, str, int]]) -> dict[int, list[int]]:
        """The hits of the place's automaton in each (offset, subject, limit) piece, by group: a hit beginning at
        `limit` or later is left to the next piece."""
        hits: dict[int, list[int]] = {}
        self._hits[place] = hits
        get = hits.get
        written = self.text.startswith
        for offset, subject, limit in pieces:
            entry = self.matcher.automaton(place, len(subject))
            if entry is None:
                return hits
            automaton, owners, exacts = entry
            for key, start, _ in automaton.find_matches_as_indexes(subject, overlapping=True):  # type: ignore[attr-defined]
                if start >= limit:
                    continue
                for group in owners[key]:
                    found = get(group)
                    if found is None:
                        hits[group] = [offset + start]
                    else:
                        found.append(offset + start)
                for group, exact in exacts[key]:  # (a TEXT key: found folded, kept when written so)
                    if written(exact, offset + start):
                        found = get(group)
                        if found is None:
                            hits[group] = [offset + start]
                        else:
                            found.append(offset + start)
        return hits

    def _text_pieces(self, place: str):
        """The text (folded for FOLDED) in pieces of PIECE characters, each with the next piece's first characters
        so that a key that begins in it is found whole."""
        text = self.text
        overlap = self.matcher.longest(place) - 1
        for offset in range(0, max(len(text), 1), PIECE):
            piece = text[offset:offset + PIECE + overlap]
            if place == FOLDED:
                folded = fold(piece)
                if len(folded) != len(piece):  # cannot happen (fold keeps the length); the tests say so
                    raise AssertionError("fold changed the length of the text")
                piece = folded
            yield offset, piece, PIECE

    def hits(self, place: str) -> dict[int, list[int]]:
        """The groups with a key in the text (TEXT or FOLDED), each with the offsets where one begins (unsorted,
        repeats kept: `starts` sorts them); a group without one is not there."""
        if place == TEXT:
            place = FOLDED  # (TEXT's keys are looked for in FOLDED's run)
        hits = self._hits.get(place)
        if hits is None:
            hits = self._run(place, self._text_pieces(place))
        return hits

    def starts(self, group: int, place: str) -> list[int]:
        """Sorted distinct offsets in the text where a key of the group begins (TEXT or FOLDED)."""
        found = self._sorted.get(group)
        if found is None:
            hits = self.hits(place).get(group)
            found = self._sorted[group] = sorted(set(hits)) if hits else []
        return found

    def line_hits(self, keys: Sequence[str]) -> dict[int, set[int]]:
        """The groups with a key in the line keys (`keys`, the same list on every call), each with the indexes of
        the keys that hold one; a group without one is not there."""
        if self._line_hits is None:
            offsets = []
            position = 0
            for key in keys:
                offsets.append(position)
                position += len(key) + 1
            hits = self._run(LINE_KEYS, self._key_pieces(keys, offsets))
            self._line_hits = {group: {bisect_right(offsets, start) - 1 for start in starts}
                               for group, starts in hits.items()}
        return self._line_hits

    def lines_with(self, group: int, keys: Sequence[str]) -> set[int]:
        """Indexes of the line keys (`keys`, the same list on every call) that hold a key of the group."""
        return self.line_hits(keys).get(group, set())

    @staticmethod
    def _key_pieces(keys: Sequence[str], offsets: list[int]):
        """The keys joined by line breaks and folded, about PIECE characters at a time (whole keys)."""
        first = 0
        while first < len(keys):
            last, size = first, 0
            while last < len(keys) and (size == 0 or size + len(keys[last]) < PIECE):
                size += len(keys[last]) + 1
                last += 1
            piece = fold("\n".join(keys[first:last]))
            yield offsets[first], piece, len(piece) + 1
            first = last


def line_windows(text: str, starts: Sequence[int]) -> list[tuple[int, int]]:
    """(start, end) of each line (ended by \\n, the end excluding it) that holds one of the sorted offsets."""
    windows: list[tuple[int, int]] = []
    end = -1
    find, rfind = text.find, text.rfind
    for start in starts:
        if start <= end:
            continue
        begin = rfind("\n", 0, start) + 1
        end = find("\n", start)
        if end < 0:
            end = len(text)
        windows.append((begin, end))
    return windows
