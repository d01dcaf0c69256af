"""The one literal scan for all pack rules (repair.detectors.packmatch) finds exactly what each rule's own scan of
the whole text finds (`detect_reference`): same findings, same order, on every pack's examples, on corpus/ and on
texts made of the packs' own words; and the facts it rests on (repair.prefilter) hold."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from repair.config import Settings
from repair.detectors.packmatch import WHITESPACE
from repair.detectors.rulepack import RuleSpecDetector, detectors_for_packs
from repair.document import Document
from repair.engine import Engine
from repair.prefilter import fold, match_lengths, required_literals, stays_on_one_line
from repair.rulesets import BoilerplateSpec, PatternSpec, SubstitutionSpec, load_pack, packs_for

ROOT = Path(__file__).resolve().parent.parent
USER_PACK = """\
pack: user-pack
description: a user's pack, its patterns time-limited
source_language: any
target_language: any
rules:
  - code: USR001
    name: user-term
    kind: substitution
    category: style
    severity: info
    message: "{match!r} -> {replacement!r}"
    terms: {"per cent": percent, "Deir el-Zour": Deir ez-Zor}
    examples: [{bad: "ten per cent", good: "ten percent"}]
  - code: USR002
    name: user-pattern
    kind: pattern
    category: style
    severity: info
    message: "{match!r}"
    pattern: "(?<=\\\\()[ \\\\t]+"
    replacement: ""
    examples: [{bad: "( a)", good: "(a)"}]
  - code: USR003
    name: user-lines
    kind: boilerplate
    category: boilerplate
    severity: info
    message: "{match!r}"
    lines: [Share]
    line_patterns: ["read (?:more|also).{0,20}"]
    suffixes: [Example News]
    examples: [{bad: "Share\\n", good: ""}]
"""


@pytest.fixture(scope="module")
def detectors(tmp_path_factory) -> list[RuleSpecDetector]:
    folder = tmp_path_factory.mktemp("user-rules")
    (folder / "user.yaml").write_text(USER_PACK, encoding="utf-8")
    packs = tuple(packs_for()) + (load_pack(folder / "user.yaml"),)
    return detectors_for_packs(packs)  # type: ignore[return-value]


@pytest.fixture(scope="module")
def contexts():
    # a given source language: every source pack runs (none stays quiet for lack of signs); auto: as by default
    return [Engine(Settings(languagetool=False, source_language=source)).context for source in ("fr", "auto")]


def _differences(detectors, contexts, text: str, path: str = "t.txt") -> list[str]:
    problems = []
    for ctx in contexts:
        for detector in detectors:
            linked = list(detector.detect(Document(path, text), ctx))
            reference = list(detector.detect_reference(Document(path, text), ctx))
            if linked != reference:
                problems.append(f"{detector.code} on {path}: linked {linked} != reference {reference}")
    return problems


def test_every_rule_is_linked_but_users_patterns(detectors):
    linked = {d.code for d in detectors if d.matcher is not None}
    assert "USR001" in linked and not {"USR002", "USR003"} & linked  # users' regexes keep their time limit
    assert {d.code for d in detectors if not d.guarded} <= linked


def test_the_packs_examples_give_the_same_findings(detectors, contexts):
    texts = [example.bad for d in detectors for r in d.rules for example in r.examples]
    texts += [example.good for d in detectors for r in d.rules for example in r.examples]
    problems = [p for text in texts for p in _differences(detectors, contexts, text)]
    assert not problems, problems[:5]


def test_the_corpus_gives_the_same_findings(detectors, contexts):
    files = sorted(p for p in (ROOT / "corpus").rglob("*") if p.suffix in {".txt", ".md", ".html", ".srt", ".rst"})
    assert len(files) > 50
    problems = []
    for path in files:  # a given source language: every rule runs on every file
        problems += _differences(detectors, contexts[:1], Document.read(path).text, str(path))
    assert not problems, problems[:5]


def _vocabulary() -> list[str]:
    words: set[str] = set()
    for pack in packs_for():
        for spec in pack.rules:
            if isinstance(spec, SubstitutionSpec):
                words.update(spec.terms)
                words.update(v for v in spec.terms.values() if v)
            elif isinstance(spec, BoilerplateSpec):
                words.update(spec.lines)
                words.update(spec.suffixes)
            elif isinstance(spec, PatternSpec):
                for pattern in spec.patterns:
                    words.update(sorted(required_literals(pattern, re.MULTILINE) or ())[:6])
            for example in spec.info.examples:
                words.update(example.bad.split("\n"))
    return sorted(w for w in words if w.strip())


VOCABULARY = _vocabulary()
SEPARATORS = [" ", " ", " ", "  ", "\n", "\n\n", "\t", "\u00a0", "\r\n", ". ", ", ", " - ", " | ", ": ", "(", ")",
              " ( ", " ) ", "©", "-", "'s ", "x", "\u2003", " the ", " his ", " he ", " It works "]
SHAPES = [str, str.upper, str.lower, str.title, lambda s: s.replace("s", "ſ"), lambda s: s.replace("I", "\u0130")]


@st.composite
def pack_texts(draw) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 14))):
        word = draw(st.sampled_from(VOCABULARY))
        word = draw(st.sampled_from(SHAPES))(word)
        if " " in word and draw(st.booleans()):
            word = word.replace(" ", draw(st.sampled_from(["  ", "\n", "\t", " \u00a0", "\u2003"])), 1)
        parts.append(word)
        parts.append(draw(st.sampled_from(SEPARATORS)))
    return "".join(parts)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=pack_texts())
def test_texts_of_the_packs_own_words_give_the_same_findings(detectors, contexts, text):
    assert not _differences(detectors, contexts, text)


def test_a_rule_finds_what_it_did_when_its_only_key_is_far_from_its_start(detectors, contexts):
    text = "The figure rose 5 per \n\t  cent.\nShe left Deir   el-Zour.\n( the army  sent his troops )"
    assert not _differences(detectors, contexts, text)
    hs001 = next(d for d in detectors if d.code == "HS001")
    assert [(f.span.start, f.span.end) for f in hs001.detect(Document("t.txt", text), contexts[0])][:1] == [(18, 30)]


def test_a_text_read_in_small_pieces_gives_the_same_findings(detectors, contexts, monkeypatch):
    import repair.detectors.packmatch as packmatch

    monkeypatch.setattr(packmatch, "PIECE", 7)  # a key cut by a piece's end is found whole in the piece's overlap
    texts = [example.bad for d in detectors for r in d.rules for example in r.examples]
    texts.append((ROOT / "corpus" / "clean" / "html" / "ply-ply.html").read_text(encoding="utf-8")[:20000])
    problems = [p for text in texts for p in _differences(detectors, contexts[:1], text)]
    assert not problems, problems[:5]


def test_the_dfa_a_long_run_switches_to_finds_the_same(detectors, contexts, monkeypatch):
    import ahocorasick_rs

    import repair.detectors.packmatch as packmatch

    built = []
    real = ahocorasick_rs.AhoCorasick

    def recorded(keys, **options):  # the real automaton; only how it was asked for is kept
        built.append(options.get("implementation"))
        return real(keys, **options)

    monkeypatch.setattr(ahocorasick_rs, "AhoCorasick", recorded)
    monkeypatch.setattr(packmatch, "DFA_AFTER", 300)  # the first texts read by the NFA, the rest by a DFA
    fresh = detectors_for_packs(tuple(packs_for()))
    texts = [example.bad for d in fresh for r in d.rules for example in r.examples]
    texts += [Document.read(path).text for path in sorted((ROOT / "corpus").rglob("*.txt"))[:20]]
    problems = [p for text in texts for p in _differences(fresh, contexts[:1], text)]
    assert not problems, problems[:5]
    assert None in built and ahocorasick_rs.Implementation.DFA in built


@pytest.mark.parametrize("piece", [1, 4, 1 << 20])
def test_the_line_keys_of_a_text_split_a_piece_at_a_time_are_those_of_its_lines(monkeypatch, piece):
    import repair.detectors.rulepack as rulepack

    monkeypatch.setattr(rulepack, "_LINES_PIECE", piece)
    texts = ["", "\n", "a", "Share\r\n\r\n  Read   MORE \t\nx\n", " \u2003\n\u00a0Straße  İ\x85y\n\nlast", "\n\n ab\r"]
    texts.append((ROOT / "corpus" / "clean" / "html" / "ply-ply.html").read_text(encoding="utf-8")[:5000])
    # every white-space character inside a line, alone and after a space (a line is split only when it holds one
    # that is not a single space: the rest keep their words one space apart already)
    texts.append("\n".join(f"a{blank}b c{blank} {blank}d {blank}" for blank in WHITESPACE if blank != "\n"))
    for text in texts:
        doc = Document("t.txt", text)
        expected = [(start, end, " ".join(line.split()).casefold()) for start, end, line in doc.lines() if line.split()]
        assert rulepack._key_lines(text) == expected


def test_the_always_tried_line_patterns_screen_the_lines_each_of_them_matches(detectors):
    """The boilerplate rules' line patterns without a key are tried on every line once for all of them
    (rulepack._BoilerplateLines.screened, as few alternations as they can be): the lines it keeps are those one of
    them matches whole, on corpus/ and on the packs' own words."""
    from repair.detectors.rulepack import _key_lines

    screened = [d for d in detectors if d.matcher is not None and getattr(d, "screened", False)]
    assert {"FUR101", "FUR108", "WEB107"} <= {d.code for d in screened}
    listed = screened[0].listed
    patterns = [d.line_patterns[index] for d in screened for index in d.always_indexes]
    texts = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "corpus").rglob("*.txt"))]
    texts += ["\n".join(VOCABULARY), "12\n1 2\n123456\nDE | EN | FR\nde/en\n12.03.2024\nvon Anna Muster\nby the way"]
    kept = 0
    for text in texts:
        doc = Document("t.txt", text)
        scan = screened[0].matcher.scan(doc)
        keys = [key for _, _, key in _key_lines(doc.text)]
        expected = [index for index, key in enumerate(keys) if any(p.fullmatch(key) for p in patterns)]
        assert listed.screened(doc, scan) == expected
        kept += len(expected)
    assert kept >= 5  # (the last text's counters, language list, date and by-line)


# --- the facts the scan rests on --------------------------------------------------------------------------------
def test_whitespace_is_every_character_re_calls_white_space():
    assert set(WHITESPACE) == {chr(c) for c in range(0x110000) if re.match(r"\s", chr(c))}
    assert set(WHITESPACE) == {chr(c) for c in range(0x110000) if chr(c).isspace()}  # what _walk_back reads


def test_fold_keeps_the_length_and_unites_what_ignorecase_unites():
    letters = "".join(chr(c) for c in range(0x20, 0x30000) if not 0xD800 <= c <= 0xDFFF)
    assert len(fold(letters)) == len(letters)
    for c in range(0x20, 0x30000):
        char = chr(c)
        if 0xD800 <= c <= 0xDFFF or char.lower() == char == char.upper():
            continue  # (a character without case is folded to itself)
        for other in {char.lower(), char.upper()}:
            if len(other) == 1 and re.fullmatch(re.escape(other), char, re.IGNORECASE):
                assert fold(char) == fold(other), (hex(c), other)
    for a, b in [("ſ", "s"), ("ı", "I"), ("K", "k"), ("ς", "Σ"), ("µ", "Μ"), ("\u0130", "i")]:
        assert re.fullmatch(re.escape(b), a, re.IGNORECASE) and fold(a) == fold(b)


@pytest.mark.parametrize("pattern, flags, literals, one_line", [
    (r"\bthere is (?:one|a) (day|week)\b", 0, {"there is one day", "there is one week", "there is a day", "there is a week"}, True),
    (r"(?<=\S)  +(?=\S)", re.M, {"  "}, True),  # x{1,} begins with one x: two blanks in a row
    (r"(?<=\()[ \t]+(?=\S)", re.M, {"("}, True),  # a look-behind's text is needed too
    (r"^©[^\n]{0,120}?Go to the mediabank", re.M, {"Go to the mediabank"}, True),  # the longer of two
    (r"[Tt]he (?:army|group)", re.I, {"the army", "the group"}, True),  # folded, as the scan folds the text
    (r"(?:abc|de)f", 0, {"abcf", "def"}, True),
    (r"(?:ab|)c", 0, {"abc", "c"}, True),
    (r"(?i:ab)c", 0, {"c"}, True),  # a local flag: its part is not read
    (r"x?y?", 0, None, True),  # nothing needed
    (r"a\s+b", 0, {"a"}, False),  # \s takes a line break
    (r"ab$", 0, {"ab"}, False),  # $ without MULTILINE: only at the very end, not at a window's end
    (r"ab\Z", re.M, {"ab"}, False),
    (r"[^x]+y", 0, {"y"}, False),
    (r"(?s)a.b", 0, {"a"}, False),
])
def test_what_a_pattern_needs(pattern, flags, literals, one_line):
    assert required_literals(pattern, flags) == (None if literals is None else frozenset(literals))
    assert stays_on_one_line(pattern, flags) == one_line


@settings(max_examples=300, deadline=None)
@given(text=pack_texts())
def test_every_match_of_a_packs_pattern_holds_a_literal_and_one_line_search_agrees(text):
    for pack in packs_for():
        for spec in pack.rules:
            patterns = spec.patterns if isinstance(spec, PatternSpec) else ()
            flags = re.MULTILINE | (re.IGNORECASE if isinstance(spec, PatternSpec) and spec.ignore_case else 0)
            for pattern in patterns:
                regex = re.compile(pattern, flags)
                literals = required_literals(pattern, flags)
                matches = [m.span() for m in regex.finditer(text)]
                subject = fold(text) if flags & re.IGNORECASE else text
                if literals:
                    for start, end in matches:
                        line_start = text.rfind("\n", 0, start) + 1
                        line_end = text.find("\n", end) if text.find("\n", end) >= 0 else len(text)
                        assert any(lit in subject[line_start:line_end] for lit in literals), (pattern, text)
                if stays_on_one_line(pattern, flags):
                    by_line, position = [], 0
                    for line in text.split("\n"):
                        by_line += [m.span() for m in regex.finditer(text, position, position + len(line))]
                        position += len(line) + 1
                    assert by_line == matches, (pattern, text)


def test_the_lengths_a_line_pattern_can_match_whole():
    assert match_lengths("[0-9]{1,5}", re.IGNORECASE) == (1, 5)  # WEB107: only a short line can be a counter
    assert match_lengths("(?:ab|c)d?", 0) == (1, 3)
    assert match_lengths("a+", 0) is None


def test_fold_maps_every_extra_case_letter_as_re_ignorecase_compares_it():
    """prefilter.fold: lower case, then each letter of an extra-case group (K and the Kelvin sign, s and long s,
    the sigmas...) as its group's one representative, in one pass per distinct letter: the same string as
    translating the whole text, and two letters re's IGNORECASE takes for equal fold to one."""
    from repair.prefilter import _CANONICAL, fold

    letters = sorted(chr(c) for c in _CANONICAL)
    mixed = "Straße İstanbul " + " ".join(f"a{letter}b{letter.upper()}" for letter in letters)
    assert fold(mixed) == mixed.replace("\u0130", "i").lower().translate(_CANONICAL)
    for letter in letters:
        same = [c for c in letters + [_CANONICAL[ord(letter)]] if re.fullmatch(re.escape(c), letter, re.IGNORECASE)]
        assert len({fold(c) for c in same}) == 1, (letter, same)
