"""The pack rules' pattern facts kept on disk between runs (repair.pattern_facts) are the facts repair.prefilter reads
from the compiled patterns: a run that reads them builds the same detectors, with the same prefilter plans, as a
run that computes them; a damaged or foreign file costs time, never results."""

from __future__ import annotations

import json
import re

import pytest

from repair import pattern_facts, prefilter
from repair.detectors.rulepack import (BoilerplateDetector, PatternDetector, SubstitutionDetector,
                                       detectors_for_packs)
from repair.pattern_facts import PatternFacts, packs_digest
from repair.rulesets import packs_for


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("REPAIR_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("REPAIR_NO_PACK_CACHE", raising=False)
    return tmp_path / "home"


def _plans(detectors) -> list:
    """What each linked detector decided from its patterns' facts, and the patterns it compiles."""
    plans = []
    for detector in detectors:
        if isinstance(detector, PatternDetector):
            plans.append((detector.code, detector.regexes.sources, detector.plans))
        elif isinstance(detector, BoilerplateDetector):
            plans.append((detector.code, detector.line_patterns.sources, detector.pattern_groups,
                          detector.always_indexes, detector.always_lengths))
        elif isinstance(detector, SubstitutionDetector):
            plans.append((detector.code, detector.pattern, detector.groups))
    return plans


def test_the_stored_facts_are_the_compiled_patterns_facts(home):
    packs = packs_for()
    detectors_for_packs(packs)  # computes the facts and stores them
    stored = home / "patterns" / f"{packs_digest(packs)}.json"
    assert stored.is_file()
    json.loads(stored.read_text(encoding="utf-8"))  # plain JSON
    read = PatternFacts.for_packs(packs)
    checked = 0
    for detector in detectors_for_packs(packs):
        sources = []
        if isinstance(detector, PatternDetector):
            sources = detector.regexes.sources
        elif isinstance(detector, BoilerplateDetector):
            sources = detector.line_patterns.sources
        for pattern, flags in sources:
            compiled = re.compile(pattern, flags)  # what the detectors read these facts from before they were kept
            assert read.flags(pattern, flags) == compiled.flags
            assert read.literals(pattern, compiled.flags) == prefilter.required_literals(compiled.pattern, compiled.flags)
            assert read.one_line(pattern, compiled.flags) == prefilter.stays_on_one_line(compiled.pattern, compiled.flags)
            assert read.lengths(pattern, compiled.flags) == prefilter.match_lengths(compiled.pattern, compiled.flags)
            checked += 1
    assert checked > 20


def _not_again(pattern: str, flags: int):
    raise AssertionError(f"a fact of {pattern!r} computed again instead of read")


def test_read_facts_build_the_same_detectors_as_computed_ones(home, monkeypatch):
    packs = packs_for()
    first = _plans(detectors_for_packs(packs))  # computed, then stored
    with monkeypatch.context() as patch:  # read from the file: nothing is computed again
        for name, (_, encode, decode) in list(pattern_facts._FACTS.items()):
            patch.setitem(pattern_facts._FACTS, name, (_not_again, encode, decode))
        second = _plans(detectors_for_packs(packs))
    monkeypatch.setenv("REPAIR_NO_PACK_CACHE", "1")
    computed = _plans(detectors_for_packs(packs))  # never stored
    assert first == second == computed
    # the first-character hints are kept too: the case-insensitive substitutions' patterns begin with one
    assert any(isinstance(plan[1], str) and plan[1].startswith("(?=[") for plan in first)


@pytest.mark.parametrize("damage", ["empty", "truncated", "a list", "wrong values", "wrong items"])
def test_a_damaged_file_is_computed_again(home, damage):
    packs = packs_for()
    expected = _plans(detectors_for_packs(packs))
    stored = home / "patterns" / f"{packs_digest(packs)}.json"
    text = stored.read_text(encoding="utf-8")
    facts = json.loads(text)
    damaged = {"empty": "", "truncated": text[: len(text) // 2], "a list": "[1, 2]",
               "wrong values": json.dumps({key: {"x": 1} for key in facts}),
               "wrong items": json.dumps({key: [7, "x"] if value is None or isinstance(value, list) else str(value)
                                          for key, value in facts.items()})}[damage]
    stored.write_text(damaged, encoding="utf-8")
    assert _plans(detectors_for_packs(packs)) == expected
    assert _plans(detectors_for_packs(packs)) == expected  # (and stored right again)
    assert json.loads(stored.read_text(encoding="utf-8")) == facts


def test_another_pack_reads_another_file(home, tmp_path):
    packs = packs_for()
    pack = packs[0]
    changed = type(pack)(pack.name, pack.description, pack.source_language, pack.target_language, pack.path,
                         pack.rules[1:])
    assert packs_digest(packs) != packs_digest((changed, *packs[1:]))


def test_an_unwritable_home_costs_nothing_but_time(tmp_path, monkeypatch):
    blocker = tmp_path / "home"
    blocker.write_text("a file where the home folder should be", encoding="utf-8")
    monkeypatch.setenv("REPAIR_HOME", str(blocker))
    monkeypatch.delenv("REPAIR_NO_PACK_CACHE", raising=False)
    packs = packs_for()
    assert _plans(detectors_for_packs(packs))


@pytest.mark.parametrize("pattern", ["a", "(?i)a", "(?:a)", "(?x) a b # c", "[a]", r"\(?i\)", "(?s).", r"(?a)\w",
                                     "x(?i:y)", "(?i:y)x", "(?m)^a$", "(?=a)b"])
@pytest.mark.parametrize("flags", [0, re.MULTILINE, re.IGNORECASE | re.MULTILINE, re.ASCII, re.DOTALL])
def test_compiled_flags_are_the_flags_re_compile_reports(pattern, flags):
    assert prefilter.compiled_flags(pattern, flags) == re.compile(pattern, flags).flags


@pytest.mark.parametrize("pattern, branches", [
    ("(?:hello there|good bye|xyz (?:q|r)s)", ["hello there", "good bye", "xyz (?:q|r)s"]),
    ("(?:[|]x|yy)", ["[|]x", "yy"]),
    (r"(?:a\|b|cc)", [r"a\|b", "cc"]),
    ("(?:xx|(?:yb|zc))", ["xx", "(?:yb|zc)"]),
    ("(?:a|b)", ["(?:a|b)"]),  # re's parser makes a character set of it
    ("(?:ab|ac)", ["(?:ab|ac)"]),  # ... and takes the common prefix out
    ("(?:(a)|bb)", ["(?:(a)|bb)"]),  # a capturing group
    (r"(?:a(b)\1|zz)", [r"(?:a(b)\1|zz)"]),  # a back-reference
    ("(?i:aa|bb)", ["(?i:aa|bb)"]),  # flags of the group
    ("(?:aa|bb)c", ["(?:aa|bb)c"]),  # not one group
    ("(?:aa)|(?:bb)", ["(?:aa)|(?:bb)"]),
])
def test_whole_match_branches_split_one_group_of_alternatives_only(pattern, branches):
    assert prefilter.whole_match_branches(pattern, re.IGNORECASE) == branches


def test_a_line_pattern_and_its_branches_match_the_same_lines():
    """Every line pattern of repair's packs matches a line whole exactly when one of its top-level alternatives
    does (what the boilerplate rules test), on the corpus's lines and the rules' own examples."""
    from conftest import CORPUS

    lines = {" ".join(line.split()).casefold() for path in CORPUS.rglob("*.*") if path.suffix in (".txt", ".md", ".html")
             for line in path.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()}
    split = 0
    for pack in packs_for():
        for spec in pack.rules:
            for pattern in getattr(spec, "line_patterns", ()):
                branches = prefilter.whole_match_branches(pattern, re.IGNORECASE)
                split += len(branches) > 1
                examples = {" ".join(line.split()).casefold() for example in spec.info.examples
                            for line in example.bad.splitlines() + example.good.splitlines() if line.strip()}
                whole, parts = re.compile(pattern, re.IGNORECASE), [re.compile(b, re.IGNORECASE) for b in branches]
                for line in lines | examples:
                    assert bool(whole.fullmatch(line)) == any(part.fullmatch(line) for part in parts), (pattern, line)
    assert split >= 5
