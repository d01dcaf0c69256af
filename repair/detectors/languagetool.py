"""LanguageToolDetector: LanguageTool's matches as repair findings (LT100-LT400).

It runs on the targets whose language profile names a LanguageTool code (repair.languages: `languagetool`),
and sends that code. The engine builds one detector per run, lets it `prefetch` batches of documents, calls
`detect` per document, then reads `skipped_reason`: None when LanguageTool ran, else a one-line reason to
print as a notice and to put in the JSON summary. The detector never raises on LanguageTool problems and never
prints.

It is `secondary`: where a finding of another detector overlaps one of these, the engine keeps the other
detector's. LanguageTool itself (the server, its client, the paragraph cache) is repair.languagetool.
"""

from __future__ import annotations

import bisect
import re
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

from repair.detectors import languagetool_mapping as mapping
from repair.detectors.base import Context, Detector
from repair.detectors.languagetool_rules import LANGUAGES, RULES  # noqa: F401 (LANGUAGES: this module's API)
from repair.languages import profile
from repair.languagetool import LANGUAGETOOL_VERSION, LanguageToolUnavailable
from repair.languagetool.cache import ParagraphCache, cache_key, default_path
from repair.languagetool.client import LanguageToolClient, RawMatch
from repair.model import Applicability, Category, Finding, Fix
from repair.misspellings import is_known_misspelling

if TYPE_CHECKING:
    from repair.document import Document

#: Paragraphs are split at blank lines; one longer than this is sent in pieces cut at line ends.
MAX_CHARS = 5000

_BLANK_LINE = re.compile(r"\n(?:[ \t\r\f\v]*\n)+")


def paragraphs(text: str, max_chars: int = MAX_CHARS) -> list[tuple[int, str]]:
    """(start, text) of each paragraph: blocks between blank lines, long ones cut at line ends."""
    out: list[tuple[int, str]] = []
    start = 0
    bounds: list[tuple[int, int]] = []
    for match in _BLANK_LINE.finditer(text):
        bounds.append((start, match.start()))
        start = match.end()
    bounds.append((start, len(text)))
    for begin, end in bounds:
        if not text[begin:end].strip():
            continue
        if end - begin <= max_chars:
            out.append((begin, text[begin:end]))
            continue
        piece = begin
        while piece < end:
            stop = min(end, piece + max_chars)
            if stop < end:
                cut = text.rfind("\n", piece, stop)
                if cut <= piece:
                    cut = text.rfind(" ", piece, stop)
                stop = cut + 1 if cut > piece else stop
            if text[piece:stop].strip():
                out.append((piece, text[piece:stop]))
            piece = stop
    return out


#: Paragraphs are sent together, up to this many characters a request, so that the
#: per-request cost stays small; but in at least as many requests as the client has
#: workers, so that every server thread has work.
BATCH_CHARS = 20000
#: ... but not smaller than this: each request has a fixed cost in LanguageTool
BATCH_MIN = 6000
_SEPARATOR = "\n\n"  # a blank line: LanguageTool's paragraph boundary


def make_batches(
    todo: Sequence[tuple[str, str, str]], workers: int, max_chars: int = BATCH_CHARS, min_chars: int = BATCH_MIN
) -> list[tuple[str, list[tuple[str, str]]]]:
    """(key, language, text) in document order -> [(language, [(key, text), ...]), ...]."""
    total = sum(len(text) for _, _, text in todo)
    target = max(min_chars, min(max_chars, total // max(1, workers) + 1))
    batches: list[tuple[str, list[tuple[str, str]]]] = []
    size = 0
    for key, language, text in todo:
        if batches and batches[-1][0] == language and size + len(_SEPARATOR) + len(text) <= target:
            batches[-1][1].append((key, text))
            size += len(_SEPARATOR) + len(text)
        else:
            batches.append((language, [(key, text)]))
            size = len(text)
    return batches


def join_batch(members: Sequence[tuple[str, str]]) -> str:
    return _SEPARATOR.join(text for _, text in members)


def split_batch(members: Sequence[tuple[str, str]], matches: Sequence[RawMatch]) -> list[tuple[str, list[RawMatch]]]:
    """Matches on a joined batch -> (key, matches relative to that paragraph) per member.

    A match that starts in a separator is dropped; one that runs past its paragraph's end
    is cut there."""
    starts: list[int] = []
    position = 0
    for _, text in members:
        starts.append(position)
        position += len(text) + len(_SEPARATOR)
    out: list[tuple[str, list[RawMatch]]] = [(key, []) for key, _ in members]
    for match in matches:
        index = bisect.bisect_right(starts, match.start) - 1
        if index < 0:
            continue
        base = starts[index]
        length = len(members[index][1])
        if match.start - base > length or (match.start - base == length and match.end > match.start):
            continue
        out[index][1].append(
            RawMatch(match.start - base, min(match.end - base, length), match.rule_id, match.category_id,
                     match.issue_type, match.message, match.replacements)
        )
    return out


@dataclass
class Stats:
    paragraphs: int = 0
    cache_hits: int = 0
    requests: int = 0
    seconds: float = 0.0
    words: int = 0


class LanguageToolDetector(Detector):
    rules = RULES
    #: the engine drops a finding of this detector that overlaps one of a non-secondary detector
    secondary = True
    batched = True
    service = "languagetool"

    def __init__(
        self,
        url: str | None = None,
        language: str | None = None,
        *,
        timeout: float = 60.0,
        start_timeout: float = 90.0,
        idle_minutes: float | None = None,
        cache: bool = True,
        cache_path: Path | str | None = None,
        disabled_rules: Sequence[str] = (),
        enabled_rules: Sequence[str] = (),
        workers: int | None = None,
        level: str = "default",
    ) -> None:
        """`url`: a LanguageTool server to use (None: the warm local one, started when needed); `language`: check
        every text in this language (a repair code such as "en", or a LanguageTool variant such as "en-GB")
        instead of the run's target language. `level`: "default" (errors) or "picky" (everything LanguageTool
        reports; languagetool_mapping.LEVELS)."""
        super().__init__()
        if level not in mapping.LEVELS:
            raise ValueError(f"LanguageTool level must be one of {', '.join(mapping.LEVELS)}, not {level!r}")
        self.level = level
        self.url = url
        self.language = language
        self.timeout = timeout
        self.start_timeout = start_timeout
        self.idle_minutes = idle_minutes
        self.use_cache = cache
        self.cache_path = Path(cache_path) if cache_path else None
        self.disabled_rules = tuple(disabled_rules)
        self.enabled_rules = tuple(enabled_rules)
        self.workers = workers
        self.stats = Stats()
        self._client: LanguageToolClient | None = None
        self._cache: ParagraphCache | None = None
        self._version: str | None = None
        self._started_server = False
        self._allow_cache: dict[int, tuple] = {}
        self._prefetched: dict[tuple[str, int], list[Finding]] = {}
        self._failed = False

    def _fail(self, error: BaseException) -> None:
        """Record the first failure; from then on this run sends nothing more to LanguageTool."""
        self._failed = True
        if self.skipped_reason is None:
            text = str(error).strip().splitlines()
            line = text[0] if text else type(error).__name__
            if not isinstance(error, LanguageToolUnavailable):
                line = f"LanguageTool failed: {line}"
            self.skipped_reason = line

    def variant(self, ctx: Context) -> str | None:
        """The LanguageTool language code texts are checked in, or None: LanguageTool does not check this
        target. The target's profile names it; an explicit `language` overrides the target."""
        if self.language is None:
            return ctx.target.languagetool
        base = profile(self.language.split("-")[0].split("_")[0])
        if base.languagetool is None:
            return None
        return base.languagetool if self.language == base.code else self.language

    def applies_to(self, ctx: Context) -> bool:
        return self.variant(ctx) is not None

    # -- connection ---------------------------------------------------------

    def _connect(self) -> LanguageToolClient:
        if self._client is not None:
            return self._client
        from repair.languagetool import server

        url = self.url
        on_activity = None
        if url is None:
            before = server.status()
            info = server.ensure_running(timeout=self.start_timeout, idle_minutes=self.idle_minutes)
            self._started_server = before is None or before.pid != info.pid
            url = info.url
            on_activity = server.touch_activity
        elif not url.startswith(("http://", "https://")):
            url = "http://" + url
        self._client = LanguageToolClient(
            url,
            timeout=self.timeout,
            workers=self.workers,
            disabled_rules=self.disabled_rules,
            enabled_rules=self.enabled_rules,
            on_activity=on_activity,
        )
        return self._client

    def _cache_version(self) -> str:
        """The LanguageTool version results are cached under, asking no server when it can:
        for the local server, the version of the installed jars, so that a run whose
        paragraphs are all cached needs no server at all (not even a started one)."""
        if self._version is None:
            from repair.languagetool import server

            if self.url is None:
                try:
                    self._version = server.find_installation().version
                except LanguageToolUnavailable:
                    self._connect()  # a warm server may still run from jars since removed; else this raises
                    info = server.status()
                    self._version = info.version if info is not None else self._connect().server_version()
            else:
                self._version = self._connect().server_version()
        return self._version

    def _open_cache(self) -> ParagraphCache:
        if self._cache is None:
            self._cache = ParagraphCache((self.cache_path or default_path()) if self.use_cache else None)
        return self._cache

    # -- detection ----------------------------------------------------------

    def detect(self, doc: "Document", ctx: Context) -> list[Finding]:
        prefetched = self._prefetched.pop((doc.path, hash(doc.text)), None)
        if prefetched is not None:
            return prefetched
        return self.detect_many([doc], ctx)[0]

    def prefetch(self, docs: Sequence["Document"], ctx: Context) -> None:
        """Check a batch of documents in one go (requests from several files in flight); detect() then answers
        from these results, once per document."""
        self._prefetched.clear()
        if len(docs) < 2:
            return
        for doc, findings in zip(docs, self.detect_many(docs, ctx)):
            self._prefetched[(doc.path, hash(doc.text))] = findings

    def detect_many(self, docs: Sequence["Document"], ctx: Context | Sequence[Context]) -> list[list[Finding]]:
        """Findings per document, all paragraphs of all documents checked in one batch."""
        contexts = [ctx] * len(docs) if isinstance(ctx, Context) else list(ctx)
        if len(contexts) != len(docs):
            raise ValueError("detect_many: one context per document")
        results: list[list[Finding]] = [[] for _ in docs]
        began = time.perf_counter()
        # (doc index, paragraph start, paragraph text, LanguageTool language code)
        work: list[tuple[int, int, str, str]] = []
        for index, (doc, context) in enumerate(zip(docs, contexts)):
            variant = self.variant(context)
            if variant is not None and self.language is None and context.target.code in _VARIANTS:
                variant = _document_variant(doc.text, variant)
            if variant is None:
                continue
            for start, text in paragraphs(doc.text):
                work.append((index, start, text, variant))
        if not work:
            return results
        self.stats.paragraphs += len(work)
        self.stats.words += sum(len(text.split()) for _, _, text, _ in work)
        if self._failed and self._version is None:
            return results  # could not even start in this run: do not wait again
        try:
            version = self._cache_version()
        except Exception as error:  # LanguageToolUnavailable, or anything else: never break the run
            self._fail(error)
            return results
        cache = self._open_cache()
        keys = [cache_key(text, variant, version, self.enabled_rules, self.disabled_rules)
                for _, _, text, variant in work]
        known = cache.get_many(keys)
        self.stats.cache_hits += sum(1 for key in keys if key in known)
        todo: dict[str, tuple[str, str]] = {}
        for key, (_, _, text, variant) in zip(keys, work):
            if key not in known and key not in todo:
                todo[key] = (variant, text)
        client = None
        if todo and not self._failed:  # after a failure, only cached results are used: nothing waits again
            try:
                client = self._connect()
            except Exception as error:
                self._fail(error)
        if todo and client is not None:
            batches = make_batches([(key, variant, text) for key, (variant, text) in todo.items()], client.workers)
            fresh: list[tuple[str, list[RawMatch]]] = []

            def keep(position: int, matches: list[RawMatch]) -> None:
                fresh.extend(split_batch(batches[position][1], matches))

            sent_before = client.requests_sent
            try:
                client.check_many([(variant, join_batch(members)) for variant, members in batches], on_result=keep)
            except Exception as error:
                self._fail(error)
            finally:
                self.stats.requests += client.requests_sent - sent_before
                cache.put_many(fresh)
                known.update(fresh)
        technical = [_holds_code(doc) for doc in docs]
        for key, (index, start, text, _variant) in zip(keys, work):
            matches = known.get(key)
            if matches:
                results[index].extend(self.to_findings(matches, text, contexts[index], offset=start,
                                                       doc=docs[index].text, technical=technical[index]))
        results = [_without_house_usage(findings, doc.text) for findings, doc in zip(results, docs)]
        for findings in results:
            findings.sort(key=Finding.sort_key)
        self.stats.seconds += time.perf_counter() - began
        return results

    # -- mapping ------------------------------------------------------------

    def _allow(self, ctx: Context) -> tuple[frozenset[str], tuple[str, ...]]:
        """The allow list casefolded, and its multi-word terms (computed once per list)."""
        cached = self._allow_cache.get(id(ctx.allow))
        if cached is None or cached[0] is not ctx.allow:
            lowered = frozenset(word.casefold() for word in ctx.allow)
            multi = tuple(word for word in ctx.allow if any(ch in word for ch in " -'’"))
            cached = (ctx.allow, lowered, multi)
            self._allow_cache[id(ctx.allow)] = cached
        return cached[1], cached[2]

    def _allowed(self, para: str, start: int, end: int, ctx: Context) -> bool:
        if not ctx.allow:
            return False
        lowered, multi = self._allow(ctx)
        word = para[start:end]
        if word in ctx.allow or word.casefold() in lowered:
            return True
        stripped = word.strip(".,;:!?\"'“”‘’()[]")
        if stripped and (stripped in ctx.allow or stripped.casefold() in lowered):
            return True
        for term in multi:
            position = para.find(term)
            while position != -1:
                if position <= start and end <= position + len(term):
                    return True
                position = para.find(term, position + 1)
        return False

    def to_findings(self, matches: Iterable[RawMatch], para: str, ctx: Context, offset: int = 0,
                    doc: str | None = None, technical: bool = False) -> list[Finding]:
        """LanguageTool's matches on one paragraph as findings, at `offset` in the document `doc`: mapped to
        repair's rules; at the default level without advice; the allow list, names and words the speller does
        not know but the word lists do left out of spelling; quote marks the document pairs left alone.
        `technical`: the document holds code (technical writing, whose vocabulary the speller's dictionary
        lacks: 'dicts', 'lexers', 'transpiled'): the speller is believed only on known misspellings."""
        out = []
        for match in matches:
            category = mapping.category_of(match.rule_id, match.category_id, match.issue_type)
            matched = para[match.start:match.end]
            if self.level == "default" and mapping.is_advice(match.rule_id, match.category_id, match.issue_type,
                                                             matched, match.replacements):
                continue
            if mapping.is_quote_pairing(match.rule_id, matched) and mapping.quote_pairs_elsewhere(
                    doc if doc is not None else para, offset if doc is not None else 0, para,
                    match.start + len(matched) - len(matched.lstrip())):
                continue
            if category is Category.SPELLING and (
                self._allowed(para, match.start, match.end, ctx) or not _misspelled(para, match, ctx.language)
                or _variant_spelling(matched, ctx.language)
                or technical and mapping.is_speller(match.rule_id) and not is_known_misspelling(matched)
            ):
                continue
            if _dotted_name(para, match.start, match.end) or mapping.is_quoted_character(para, match.start, match.end) \
                    or mapping.is_repeat_across_blocks(match.rule_id, matched):
                continue
            code = mapping.CODES[category]
            start, end = offset + match.start, offset + match.end
            message = mapping.message_of(match.rule_id, match.message, match.replacements)
            level = mapping.applicability_of(match.rule_id, match.replacements, para[match.start:match.end])
            fix = None
            if level is not None:
                if level is Applicability.SAFE:
                    title = f"Replace with “{match.replacements[0]}”" if match.replacements[0] else "Remove"
                else:
                    shown = ", ".join(f"“{r}”" for r in match.replacements[:3])
                    title = f"LanguageTool suggests {shown}"
                fix = Fix.replace(start, end, match.replacements[0], level, title)
            out.append(self.finding(code, start, end, message, fix=fix))
        return out

    # -- end of run ---------------------------------------------------------

    def close(self) -> None:
        """End of run: close the paragraph cache; stop the server only if it is not meant to stay warm."""
        if self._cache is not None:
            self._cache.close()
            self._cache = None
        if self._started_server and self.idle_minutes is not None and self.idle_minutes <= 0:
            from repair.languagetool import server

            server.stop()
        self._client = None

    def fingerprint(self) -> str:
        return f"languagetool {LANGUAGETOOL_VERSION}"


#: a speller hit on a capitalised word is kept (not taken for a name) when a frequent word is this close
NEAR_ZIPF = 4.0  # the suggestion's Zipf frequency in the target, one edit away
FAR_ZIPF = 4.5  # ... two edits away (words of 7 letters or more, same first letter)
ZIPF_GAP = 1.5  # and this much commoner than the word itself
OTHER_LANGUAGE = 2.4  # a word this common in another language's list is a word or name of that language
KNOWN_PART = 2.5  # each part of a hyphenated compound known this well: a compound, not a typo
KNOWN_STEM = 3.0  # a stem this common, plus an ending of up to 4 letters: a derived form (ungleich-eren)
KNOWN_SUGGESTION = 2.0  # a lowercase hit is a typo only when a suggestion near it is a word this common
REPEATED = 3  # a word the speller does not know, written this often in one paragraph


def _misspelled(para: str, match: "RawMatch", language: str) -> bool:
    """Is LanguageTool's spelling match a misspelling rather than a name or a word its dictionary lacks?

    - a capitalised word (anywhere: mid-sentence or first) is a name unless a frequent word of the target is
      within one edit (two for long words) and far commoner, and the word is not a word of another language:
      'Goverment', 'Parliment', 'Amercia' and German 'Abennd' are kept; 'Marinichev', 'Kudlow', 'Klose' are not;
    - a lowercase word is a compound or a derived form when the word lists know its parts (gravitational-wave
      compounds, 'не' + 'визуальные', 'ungleich' + 'eren') and LanguageTool has no suggestion one edit away;
    - a multi-word spelling match on capitalised words is a name (Rue des Francs Bourgeois)."""
    from repair.wordlists import INDEX

    word = para[match.start:match.end]
    if match.start >= 2 and para[match.start - 1] in "'’" and para[match.start - 2].isalpha():
        begin = match.start - 1  # the end of a word after an apostrophe (Yu'ebao): judge the whole word
        while begin > 0 and (para[begin - 1].isalpha() or para[begin - 1] in "'’"):
            begin -= 1
        word = para[begin:match.end]
    if not mapping.is_speller(match.rule_id):
        words = word.split()
        return not (len(words) > 1 and all(w[:1].isupper() for w in words))
    if _identifier_shape(word):
        return False  # CommonJS, reqId, ORMs: a name, an identifier or an acronym's plural, never a typo
    if language not in INDEX:
        return not (word[:1].isupper() and _inside_sentence(para, match.start))  # as before: no word list
    suggestions = [r for r in match.replacements if r and " " not in r]
    if word[:1].isupper():
        return _near_frequent_word(word, suggestions, language)
    if not match.replacements:
        return False  # the speller knows no word near it: a rare word or a term, not a slip of the keyboard
    if not any(_edits(word.casefold(), r.casefold()) <= (3 if len(word) >= 8 else 2) and _known(r, language)
               for r in match.replacements[:5] if r):
        return False  # no known word near it (rakugo -> Bakugo): a rare word or a term the dictionary lacks
    if len(re.findall(rf"(?<!\w){re.escape(word)}(?!\w)", para)) >= REPEATED:
        return False  # written the same way again and again: meant so (an onomatopoeia, a term)
    return not _known_parts(word, match.replacements, language)


def _identifier_shape(word: str) -> bool:
    """A capital letter after the first letter of a word that is not all capitals: written so on purpose."""
    letters = [c for c in word if c.isalpha()]
    return len(letters) > 1 and any(c.isupper() for c in letters[1:]) and not word.isupper()


def _holds_code(doc: "Document") -> bool:
    """Whether the document's markup holds code (blocks or spans): technical writing."""
    layout = getattr(doc, "layout", None)
    return layout is not None and any(region.kind == "code" for region in layout.masks)


def _zipf_row(word: str):
    from repair.wordlists import lexicon

    key = word.casefold().replace("’", "'")
    return lexicon().rows([key]).get(key)


def _zipf(word: str, language: str) -> float:
    from repair.wordlists import INDEX

    row = _zipf_row(word)
    return row[INDEX[language]] / 10 if row is not None else 0.0


def _known(word: str, language: str) -> bool:
    """A word of the target's word list (Zipf >= KNOWN_SUGGESTION; hyphenated or several words: each part)."""
    parts = [p for p in re.split(r"[-\s]", word) if p]
    return bool(parts) and all(_zipf(p, language) >= KNOWN_SUGGESTION for p in parts)


def _near_frequent_word(word: str, suggestions: list[str], language: str) -> bool:
    from repair.wordlists import INDEX

    if len(word) < 4 or word.isupper():
        return False  # short names and acronyms
    row = _zipf_row(word)
    if row is not None:
        others = [row[i] / 10 for lang, i in INDEX.items() if lang != language and row[i]]
        if max(others, default=0.0) >= OTHER_LANGUAGE or sum(z >= 1.8 for z in others) >= 2:
            return False  # a word or name other languages know (Klose, Noto, Charmé)
    own = row[INDEX[language]] / 10 if row is not None else 0.0
    lowered = word.casefold()
    for suggestion in suggestions[:5]:
        candidate = suggestion.casefold()
        if "-" in candidate:
            continue
        frequency = _zipf(candidate, language)
        if frequency - own < ZIPF_GAP:
            continue
        distance = _edits(lowered, candidate)
        if distance == 1 and frequency >= NEAR_ZIPF:
            return True
        if distance == 2 and len(word) >= 7 and candidate[:1] == lowered[:1] and frequency >= FAR_ZIPF:
            return True
    return False


def _known_parts(word: str, replacements, language: str) -> bool:
    lowered = word.casefold()

    def letters(text: str) -> str:
        return text.replace(" ", "").replace("-", "").casefold()

    for r in replacements[:5]:
        if not r or letters(r) == letters(word) or " " in r and " " not in word:
            continue  # the same letters split or joined (germ-line), or a split into pieces (vet ween)
        distance = _edits(lowered, r.casefold())
        if distance <= 1 and _known(r, language) or \
                distance == 2 and len(r) == len(word) and _zipf(r, language) >= KNOWN_STEM:
            return False  # a word one edit away, or a common one two edits away: a typo
    if any(letters(r) == letters(word) for r in replacements[:5] if r):
        return True  # only split or joined differently: a compound
    parts = [p for p in re.split(r"[-‐]", word) if p]
    if len(parts) > 1 and len({p.casefold() for p in parts}) == 1:
        return True  # a reduplication (ylang-ylang): meant so
    if len(parts) > 1:
        return all(_zipf(p, language) >= KNOWN_PART for p in parts)
    for cut in range(len(lowered) - 1, max(4, len(lowered) - 5), -1):
        if _zipf(lowered[:cut], language) >= KNOWN_STEM:
            return True  # a derived form: ungleich-ere
    for cut in range(3, len(lowered) - 4):
        if _zipf(lowered[cut:], language) >= KNOWN_STEM:
            return True  # a prefix and a known word: geo-hazard, micro-expressions
    return False


def _edits(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment), capped at 3."""
    if abs(len(a) - len(b)) > 2:
        return 3
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return min(previous[len(b)], 3)


def _inside_sentence(para: str, start: int) -> bool:
    before = para[:start].rstrip(" \t\"“‘'(«")
    return bool(before) and before[-1] not in ".!?:\n"


# --- the spelling variant of a document ---------------------------------------------------------------------------
#: targets whose documents are checked in the variant their own spellings show
_VARIANTS = ("en", "de")
_WORD = re.compile(r"[^\W\d_]+")
_US_GB: tuple[frozenset[str], frozenset[str]] | None = None
_SWISS_SS = re.compile(r"\w*(?:ei|ie|au|äu|eu)ss\w*", re.IGNORECASE)


def _us_gb() -> tuple[frozenset[str], frozenset[str]]:
    """American and British spellings of the same words, from LanguageTool's own en-US/en-GB list
    (org/languagetool/resource/en/en-US-GB.txt in the installed language-en jar); empty without the jars."""
    global _US_GB
    if _US_GB is None:
        us: set[str] = set()
        gb: set[str] = set()
        try:
            import zipfile

            from repair.languagetool import server

            home = server.find_installation().home
            jar = sorted(Path(home).glob("language-en-*.jar"))[-1]
            with zipfile.ZipFile(jar) as archive:
                lines = archive.read("org/languagetool/resource/en/en-US-GB.txt").decode("utf-8").splitlines()
            for line in lines:
                if line.startswith("#") or ";" not in line:
                    continue
                american, british = line.strip().split(";", 1)
                if american != british:
                    us.add(american.casefold())
                    gb.add(british.casefold())
        except Exception:  # no local jars (a remote server): the target's own variant
            pass
        _US_GB = (frozenset(us - gb), frozenset(gb - us))
    return _US_GB


#: the same advice on the same words this often in one document: the author's usage, not a slip
HOUSE_USAGE = 3
_RULE_ID = re.compile(r"\[([A-Z0-9_]+)\]")


def _without_house_usage(findings: list[Finding], text: str) -> list[Finding]:
    """Grammar and punctuation advice that one document earns again and again on the same words ('a transport'
    in a guide to logging transports, 'as well as' in every section) is how its author writes: a slip of the
    keyboard happens once or twice, a usage is repeated. Spelling has its own test (repair.blindspots)."""
    def key(finding: Finding) -> tuple[str, str] | None:
        if finding.category is Category.SPELLING:
            return None
        rule = _RULE_ID.match(finding.message)
        return (rule.group(1) if rule else finding.code, " ".join(text[finding.start:finding.end].casefold().split()))

    keys = [key(finding) for finding in findings]
    counts = Counter(k for k in keys if k is not None)
    return [f for f, k in zip(findings, keys) if k is None or counts[k] < HOUSE_USAGE]


def _variant_spelling(word: str, language: str) -> bool:
    """A word LanguageTool's own en-US/en-GB list spells one way in America and another in Britain
    ('behaviour', 'recognise', 'color'): the writer's variant, not a slip of the keyboard. Documents by several
    hands mix them ('behaviour' beside 'optimize'); which variant a publication prints is its style guide's call."""
    if not language.startswith("en"):
        return False
    us, gb = _us_gb()
    folded = word.strip().casefold()
    return folded in us or folded in gb


def _dotted_name(para: str, start: int, end: int) -> bool:
    """A space before a full stop that a lowercase letter or a digit follows at once (or a word in capitals) is a
    name's leading dot, not a sentence's end: 'the .listen() method', 'add a .dockerignore', '{ .lg .middle }',
    'about .5 seconds', 'the .NET runtime'; 'good .It was' is a sentence's end misplaced, and stays."""
    if para[start:end].strip() != "." or end >= len(para):
        return False
    word = re.match(r"[^\W_]+", para[end:])
    return word is not None and (word.group(0)[0].islower() or word.group(0)[0].isdigit()
                                 or len(word.group(0)) > 1 and word.group(0).isupper())


def _document_variant(text: str, variant: str) -> str:
    """en-GB for a document with more British than American spellings; de-CH for German written without ß
    where a diphthong is followed by ss (heisst, ausser, schliesslich)."""
    if variant.startswith("en"):
        us, gb = _us_gb()
        if not gb:
            return variant
        words = [w.casefold() for w in _WORD.findall(text)]
        british = sum(w in gb for w in words)
        return "en-GB" if british > sum(w in us for w in words) else variant
    if variant.startswith("de") and "ß" not in text and "ss" in text:
        # after a diphthong German writes ß (heißt, außen, schließlich); Swiss German writes ss throughout
        swiss = {m.group(0).casefold() for m in _SWISS_SS.finditer(text)}
        return "de-CH" if len(swiss) >= 2 else variant
    return variant
