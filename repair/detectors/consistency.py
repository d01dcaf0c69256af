"""One name, several spellings: Raqa / Raqqa, Deir Ezzor / Deir ez-Zor, Bashar Assad / Bashar al-Assad.

Names are grouped by a key that ignores what transliterations vary in: case, hyphens and spaces, doubled
letters and Arabic article particles (al-, el-, ez-). A group with more than one spelling in a document, or
across the files of a run (through gather/merge), is reported on every spelling but the preferred one: the
rule packs' glossary form when a pack replaces one of the spellings, else the spelling used most.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Iterable

from repair.quoting import quote
from repair.detectors.base import Context, Detector
from repair.document import Document
from repair.model import Applicability, Category, Example, Finding, RuleInfo, Severity
from repair.names import name_key

INCONSISTENT_NAME = RuleInfo(
    code="CON001",
    name="inconsistent-name",
    category=Category.TERMINOLOGY,
    severity=Severity.WARNING,
    summary="The same name is spelled several ways in a document or across the files of a run.",
    why="Machine translation and different sources transliterate names differently (Raqa, Raqqa); a reader "
    "may take them for two places, and search misses half of the mentions.",
    examples=(
        Example(
            bad="Fighters fled to Raqqa. Raqqa is their capital. The road to Raqa is cut.\n",
            good="Fighters fled to Raqqa. Raqqa is their capital. The road to Raqqa is cut.\n",
        ),
    ),
    fix=Applicability.UNSAFE,
)

INCONSISTENT_TERM = RuleInfo(
    code="CON002",
    name="inconsistent-term",
    category=Category.TERMINOLOGY,
    severity=Severity.INFO,
    summary="One term in two forms in one text: jihadis and jihadists, salafi and salafist fighters.",
    why="Machine translation renders one source word (djihadistes) sometimes one way, sometimes another; the "
    "reader wonders whether two groups are meant.",
    examples=(
        Example(
            bad="The jihadists fled. Jihadists regrouped. A handful of jihadis stayed.\n",
            good="The jihadists fled. Jihadists regrouped. A handful of jihadists stayed.\n",
        ),
    ),
    fix=Applicability.UNSAFE,
)

# a term's two English forms, as (suffix, suffix): adjective-noun pairs that MT mixes within one text
_TERM_SUFFIXES = (("is", "ists"), ("i", "ist"))
_TERM = re.compile(r"(?<![\w-])[A-Za-z]{4,}(?:ists?|is|i)(?![\w-])")

_PARTICLE = r"(?:al|el|ez|ed|ad|as|ash|ar|an|at|az|ud|ul)"
_NAME_WORD = rf"(?:{_PARTICLE}-)?[A-Z][a-z]+(?:-[A-Z]?[a-z]+)*"
# the same matches as rf"(?<![\w-]){_NAME_WORD}(?:[ ]{_NAME_WORD})*(?![\w-])", three times faster: a pattern that
# opens with a letter class lets the regex engine skip to candidate letters; the look-behind comes second
_PARTICLE_TAIL = r"(?:(?<=a)(?:l|d|s|sh|r|n|t|z)|(?<=e)(?:l|z|d)|(?<=u)(?:d|l))"  # _PARTICLE after its first letter
_NAME = re.compile(
    rf"[A-Zaeu](?<![\w-].)(?:(?<=[A-Z])|{_PARTICLE_TAIL}-[A-Z])[a-z]+(?:-[A-Z]?[a-z]+)*(?:[ ]{_NAME_WORD})*(?![\w-])"
)
# _NAME's matches that begin with a capital (a match that begins with a particle, 'al-Assad', needs a hyphen before a
# capital): on a text without one, the same matches, and the a, e and u of every word are not tried (a fifth faster)
_CAPITALISED_NAME = re.compile(rf"[A-Z](?<![\w-].)[a-z]+(?:-[A-Z]?[a-z]+)*(?:[ ]{_NAME_WORD})*(?![\w-])")
_HYPHEN_CAPITAL = re.compile(r"-[A-Z]")
ESTABLISHED = 2.0  # Zipf in the target above which a spelling is a name of its own
_STOP_FIRST = frozenset(
    "The A An In On At Of For By To From With And But Or If As It He She They We This That These Those His Her "
    "Its Their Our After Before When While Since Mr Mrs Ms Dr President Prime Minister King Queen Prince General "
    "Gen Sheikh Emir Colonel Col Commander Chancellor Secretary Senator Governor Mayor".split()
)


@lru_cache(maxsize=65536)
def _strip_titles(name: str) -> str:
    """The name without its leading articles and titles ('The President Bashar Assad' -> 'Bashar Assad')."""
    while True:
        first, _, rest = name.partition(" ")
        if first not in _STOP_FIRST:
            return name
        name = rest


def _spellings(doc: Document, matches: list[str] | None = None) -> dict[str, dict[str, int]]:
    """Name key -> count of each of its spellings, keys and spellings in order of first use; keys of 4 letters
    or more. Once per document (gather and detect both ask; `matches`: the text's _name_matches when they are at
    hand). Shared: not to be changed."""
    return doc.analysis.memo("name-spellings", lambda: _count_spellings(doc.text, matches))


def _count_spellings(text: str, matches: list[str] | None = None) -> dict[str, dict[str, int]]:
    spellings: dict[str, Counter] = {}
    counts = Counter(map(_strip_titles, _name_matches(text) if matches is None else matches))
    for name, count in counts.items():
        if not name:
            continue
        key = name_key(name)
        if len(key) >= 4:
            forms = spellings.get(key)
            if forms is None:
                spellings[key] = {name: count}
            else:
                forms[name] = count
    return spellings


def _name_matches(text: str) -> list[str]:
    """Every _NAME match of the text, in order (titles and articles not yet stripped)."""
    return (_NAME if _HYPHEN_CAPITAL.search(text) else _CAPITALISED_NAME).findall(text)


#: names in a text up to which _one_spelling_each is asked first: a longer text writes some name two ways (8 MB:
#: 143,000 names) and its spellings are counted anyway (the answer is the same either way, only sooner)
_FEW_NAMES = 2000


def _one_spelling_each(matches: list[str]) -> bool:
    """True when no two of these names (a text's _name_matches) share a key (each is written one way): then no
    key has two spellings in the text. Told from the distinct names alone, their titles stripped and their keys
    taken once each (most documents: the counts of _spellings are never needed)."""
    names = set(map(_strip_titles, set(matches)))
    return len(set(map(name_key, names))) == len(names)


def _names(text: str, spellings: set[str]) -> Iterable[tuple[int, int, str]]:
    """(start, end, name) of each name the text writes in one of these spellings (a _NAME match without its
    leading articles and titles), in text order.

    A _NAME match is made of ASCII letters, hyphens and spaces only, so it lies inside one run of such
    characters, and the matches a search of the whole text finds in a run are the ones a search of that run
    finds (none crosses its ends). Only the runs that hold one of the spellings are searched (a search of the
    whole text for the few names written two ways: 8 MB, 0.35 -> 0.03 s)."""
    if not spellings:
        return
    strip = _strip_titles
    # the longest spelling first: at a place where several begin, the run is found whichever is found
    literal = re.compile("|".join(map(re.escape, sorted(spellings, key=lambda s: (-len(s), s)))))
    run_end = -1
    for occurrence in literal.finditer(text):
        if occurrence.start() < run_end:
            continue  # in a run already searched
        run_start = occurrence.start()
        while run_start and text[run_start - 1] in _NAME_CHARACTER_SET:
            run_start -= 1
        run_end = _NAME_CHARACTERS.match(text, occurrence.end()).end()
        # (up to the character after the run: what a match's look-ahead reads)
        for match in _NAME.finditer(text, run_start, run_end + 1):
            name = strip(match.group())
            if name in spellings:
                end = match.end()
                yield end - len(name), end, name


_NAME_CHARACTER_SET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz- ")
_NAME_CHARACTERS = re.compile(r"[A-Za-z\- ]*")


def _term_variants(text: str) -> Iterable[tuple[int, int, str, str]]:
    """(start, end, word, preferred) for the minority form of each term written two ways.

    The words _TERM finds, looked for the fast way: the 'ist(s)' forms by their ending (a literal the regex
    engine scans for), then the 'is'/'i' forms only of the stems that have one."""
    if "ist" not in text:
        return
    uses: dict[str, list[tuple[int, int, str]]] = {}  # stem -> its 'ist(s)' forms
    letters = _ASCII_LETTERS
    for match in _IST.finditer(text):
        stem_end = match.start()
        start = stem_end
        while start and text[start - 1] in letters:
            start -= 1
        if stem_end - start < 4 or start and _WORD_OR_HYPHEN.match(text, start - 1):
            continue
        end = match.end()
        word = text[start:end]
        uses.setdefault(word[: stem_end - start].lower(), []).append((start, end, word))
    variants = []
    # many stems (a long text): all their 'is'/'i' forms in one pass, not one pass per stem
    forms = _short_forms_of(text, uses) if len(uses) > _STEMS_PER_PASS else None
    for stem, other in uses.items():
        found = forms.get(stem) if forms is not None else \
            [(m.start(), m.end(), m.group(0)) for m in _short_forms(stem).finditer(text)]
        # 'is'/'i' forms against the 'ist(s)' forms of the same stem: only when the 'ist' form is the commoner
        if not found or len(other) <= len(found):
            continue
        variants.append((found[0][0], stem, found))
    variants.sort()
    for _, stem, found in variants:
        for start, end, word in found:
            plural = word.lower().endswith("is")
            preferred = stem + ("ists" if plural else "ist")
            if word[:1].isupper():
                preferred = preferred[:1].upper() + preferred[1:]
            yield start, end, word, preferred


def _form_key(key: str, form: str) -> str:
    """A corpus key of a name as written in one form (casefolded: depends_on compares forms so)."""
    return f"{key}\0{form.casefold()}"


def _commonest(forms: Counter) -> str:
    """The spelling used most; of equals, the first in sorted order."""
    return max(sorted(forms), key=lambda f: forms[f])


_IST = re.compile(r"ists?(?![\w-])")
_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_WORD_OR_HYPHEN = re.compile(r"[\w-]")


_STEMS_PER_PASS = 3
# 'i' or 'is' (any case) ending a word, after four ASCII letters at least (a stem has four: 'is', 'this' and 'his',
# most of the endings, are no stem's short form)
_I_ENDING = re.compile(r"[iI](?<=[A-Za-z]{5})[sS]?(?![\w-])")


def _short_forms_of(text: str, stems) -> dict[str, list[tuple[int, int, str]]]:
    """What _short_forms(stem).finditer(text) finds, for every stem of `stems` (of four letters or more, as
    _term_variants reads them), in one pass: its matches are the
    runs of ASCII letters with no word character or hyphen on either side that read stem + 'is' or stem + 'i'
    (a run ends in one or the other, never both: each has one stem). Found from their endings, each run read
    back to its first letter (a pattern of the whole run, [A-Za-z]*[iI][sS]?, retried at every letter of every
    word: 6 times slower on 8 MB)."""
    found: dict[str, list[tuple[int, int, str]]] = {}
    touches = _WORD_OR_HYPHEN.match
    letters = _ASCII_LETTERS
    for match in _I_ENDING.finditer(text):
        start = match.start()
        while start and text[start - 1] in letters:
            start -= 1
        if start and touches(text, start - 1):
            continue  # inside a longer word: no stem begins here
        word = text[start:match.end()]
        lower = word.lower()
        stem = lower[:-2] if lower.endswith("is") else lower[:-1]
        if stem in stems:
            found.setdefault(stem, []).append((start, match.end(), word))
    return found


@lru_cache(maxsize=1024)
def _short_forms(stem: str) -> re.Pattern:
    """The words _TERM reads as stem + 'is' or 'i', in any case (ASCII letters only, as _TERM)."""
    first, rest = (f"[{c}{c.upper()}]" for c in stem[0]), "".join(f"[{c}{c.upper()}]" for c in stem[1:])
    # the letter first, the look-behind (of that letter's predecessor) second: the regex engine scans fast
    return re.compile(rf"{next(first)}(?<![\w-].){rest}(?:[iI][sS]|[iI])(?![\w-])")


class NameConsistencyDetector(Detector):
    """Within each document; across the files of a run only when the settings say they are one publication
    (one-publication = true): other outlets' and other MT systems' spellings of a name are no inconsistency."""

    rules = (INCONSISTENT_NAME, INCONSISTENT_TERM)
    corpus_wide = False
    keyed = True  # by name key: each name's spellings are counted, and kept or dropped, on their own

    @classmethod
    def from_settings(cls, settings) -> "NameConsistencyDetector":
        detector = cls()
        detector.corpus_wide = bool(getattr(settings, "one_publication", False))
        return detector

    def gather(self, doc: Document, ctx: Context) -> dict[str, Counter]:
        return {key: Counter(forms) for key, forms in _spellings(doc).items()}

    @staticmethod
    def combine(parts: list[dict[str, Counter]]) -> dict[str, Counter]:
        """Every name key's spellings, counted over the documents (nothing dropped: shares combine in any
        grouping)."""
        total: dict[str, Counter] = {}
        for part in parts:
            for key, forms in part.items():
                mine = total.get(key)
                if mine is None:
                    total[key] = Counter(forms)
                else:
                    mine.update(forms)
        return total

    @staticmethod
    def replace_shares(total: dict[str, Counter], removed: list[dict[str, Counter]],
                       added: list[dict[str, Counter]]) -> dict[str, Counter]:
        """The counts without the removed shares' and with the added ones' (a name or form no longer counted
        is dropped, as combine never has it); only the touched names' counters are copied."""
        result = dict(total)
        touched: set[str] = set()
        for part, sign in [(part, -1) for part in removed] + [(part, 1) for part in added]:
            for key, forms in part.items():
                if key not in touched:
                    result[key] = Counter(result.get(key, ()))
                    touched.add(key)
                mine = result[key]
                for form, count in forms.items():
                    mine[form] += sign * count
        for key in touched:
            kept = Counter({form: count for form, count in result[key].items() if count > 0})
            if kept:
                result[key] = kept
            else:
                del result[key]
        return result

    @staticmethod
    def finish(total: dict[str, Counter]) -> dict[str, Counter]:
        """Only the names written more than one way in the run: the others change no finding."""
        return {k: v for k, v in total.items() if len(v) > 1}

    @classmethod
    def merge(cls, parts: list[dict[str, Counter]]) -> dict[str, Counter]:
        return cls.finish(cls.combine(parts))

    @staticmethod
    def depends_on(part: dict[str, Counter] | None, corpus: dict[str, Counter] | None, ctx: Context) -> list:
        """What of the run's spellings a document's findings read (`_names`): for each of its names that the run
        writes several ways, nothing when the document writes only the preferred form (the pack's, else the
        commonest: no finding whatever the other forms are, as for a name the run writes one way), else the
        forms and the preferred one. Counts change nothing else: more uses elsewhere of a spelling re-check no
        file unless the commonest form changes."""
        if not part or not corpus:
            return []
        read = []
        for key in sorted(part):
            forms = corpus.get(key)
            if forms is None:
                continue
            preferred = ctx.glossary.preferred_names.get(key) or _commonest(forms)
            if all(form.casefold() == preferred.casefold() for form in part[key]):
                continue
            read.append([key, sorted(forms), preferred])
        return read

    @staticmethod
    def corpus_keys(part: dict[str, Counter] | None) -> Iterable[str]:
        """`depends_on` reads the run's spellings of the document's own names only, and of a name only when the
        document writes a form of it other than the preferred one: a key per name and form written, "name key,
        NUL, the form casefolded" (_form_key)."""
        return {_form_key(key, form) for key, forms in (part or {}).items() for form in forms}

    @staticmethod
    def changed_keys(old: dict[str, Counter] | None, new: dict[str, Counter] | None, ctx: Context) -> set[str]:
        """Of the names whose spellings differ, or whose commonest spelling, or that one of the two has and the
        other not (other counts change nothing), the forms (as corpus_keys names them) with which `depends_on`
        reads the name in the one or the other: all but the preferred one. A document that writes only the
        preferred form reads nothing of the name either way (a spelling added elsewhere re-digests the files
        writing another spelling, not every file writing the name)."""
        old, new = old or {}, new or {}
        glossary = ctx.glossary.preferred_names
        changed: set[str] = set()
        for key in old.keys() | new.keys():
            before, after = old.get(key), new.get(key)
            if before is not None and after is not None and (before == after or before.keys() == after.keys()
                                                             and _commonest(before) == _commonest(after)):
                continue
            versions = [forms for forms in (before, after) if forms is not None]
            for forms in versions:
                preferred = (glossary.get(key) or _commonest(forms)).casefold()
                changed.update(_form_key(key, form) for other in versions for form in other
                               if form.casefold() != preferred)
        return changed

    @staticmethod
    def _all_established(forms: Counter, ctx: Context) -> bool:
        """Single words the target's lists all know well are different names (Shanxi, Shaanxi), not variants."""
        if any(" " in f for f in forms):
            return False
        from repair.wordlists import lexicon

        keys = [f.casefold() for f in forms]
        rows = lexicon().rows(keys)
        return all(lexicon().zipf(k, ctx.language) >= ESTABLISHED for k in keys if rows.get(k) is not None) and \
            all(rows.get(k) is not None for k in keys)

    def detect(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        yield from self._names(doc, ctx)
        for start, end, word, preferred in _term_variants(doc.text):
            if word in ctx.allow:
                continue
            yield self.finding(
                "CON002", start, end,
                f"{quote(word)}: this text mostly writes {quote(preferred)}; use one form", replacement=preferred,
            )

    def _names(self, doc: Document, ctx: Context) -> Iterable[Finding]:
        corpus = ctx.corpus_part(self.name)
        matches = None
        if not corpus:
            # without the run's spellings, a key is reported only when the document writes it two ways
            matches = _name_matches(doc.text)
            if len(matches) <= _FEW_NAMES and _one_spelling_each(matches):
                return
        local = _spellings(doc, matches)
        glossary = ctx.glossary.preferred_names
        allow = ctx.allow
        # only a key written in two ways (here or in the run) can be reported: most documents have none
        wanted = set()
        for key, forms in local.items():
            if corpus and key in corpus:
                forms = corpus[key]
            if len(forms) > 1 and len({f.casefold() for f in forms}) > 1:
                wanted.add(key)
        if not wanted:
            return
        # the spellings of those keys: every name of the text whose key is one of them is one of these
        written = {name for key in wanted for name in local[key]}
        for start, end, name in _names(doc.text, written):
            key = name_key(name)
            forms = local[key]
            scope = "this document"
            if corpus and key in corpus:
                forms, scope = corpus[key], "this run"
            spellings = {f for f in forms if f.casefold() != name.casefold() or f == name}
            if len({f.casefold() for f in spellings}) < 2 or name in allow or self._all_established(forms, ctx):
                continue
            preferred = glossary.get(key) or _commonest(forms)
            if name == preferred or name.casefold() == preferred.casefold():
                continue
            others = ", ".join(sorted(f for f in forms if f != name))
            yield self.finding(
                "CON001", start, end,
                f"{quote(name)} is also written {others} in {scope}: use one spelling, {quote(preferred)}",
                replacement=preferred,
            )
