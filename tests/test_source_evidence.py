"""Source-language packs in auto mode run only on documents that show that source (repair.detectors.evidence)."""

from __future__ import annotations

import pytest

from repair.api import Checker


@pytest.fixture(scope="module")
def auto():
    with Checker(source_language="auto", languagetool=False) as checker:
        yield checker


@pytest.mark.parametrize("text", [
    "The coalition picked her to lead the talks.\n",
    "There are three days to go before the vote.\n",
    "He bought a new phone. It works well.\n",
    "They played UNO all night.\n",
    "He studied at IE Business School and worked for Microsoft's IE team.\n",
    "Alger Hiss met the staff of Riyad Bank.\n",
])
def test_english_with_no_sign_of_a_source_is_left_alone(auto, text):
    assert [f.code for f in auto.check_text(text) if f.code[:2] in ("FR", "RU", "DE")] == []


def test_a_document_that_shows_french_gets_the_french_pack(auto):
    text = "The OSDH said 188 members prorégime perished. The army has succeeded in his mission.\n"
    codes = {f.code for f in auto.check_text(text)}
    assert {"FR001", "FR003", "FR013"} <= codes


def test_a_given_source_needs_no_evidence():
    with Checker(source_language="fr", languagetool=False) as checker:
        assert [f.code for f in checker.check_text("The EI claimed the attack.\n")] == ["FR001"]


def test_a_capitalised_word_next_to_another_is_a_name_not_the_packs_term():
    with Checker(source_language="fr", languagetool=False) as checker:
        text = "Environ Health Perspectives and the Lycée Français; Alger Hiss. Fighters fled to Alep.\n"
        found = [(f.code, text[f.start:f.end]) for f in checker.check_text(text) if f.code.startswith("FR")]
        assert found == [("FR005", "Alep")]


def test_fixing_away_the_signs_keeps_the_packs_remaining_findings(auto):
    text = "The OSDH said 188 members prorégime perished where a truce took effect there is one month.\n"
    result = auto.fix_text(text)  # safe fixes: OSDH -> SOHR, prorégime -> pro-regime; FR010 is unsafe
    assert "SOHR" in result.text and "pro-regime" in result.text
    assert "FR010" in {f.code for f in result.remaining}


def test_signs_of_one_text_do_not_carry_over_to_an_unrelated_one(auto):
    auto.check_text("The OSDH said 188 members prorégime perished.\n")
    assert [f.code for f in auto.check_text("There are three days to go before the vote.\n")] == []


def test_a_clean_text_after_its_damaged_version_of_the_same_path_inherits_nothing(auto):
    """Dataset records and API texts share a path ('<text>'): a clean original checked after its damaged version
    (most of its words the same) is judged on its own signs, whatever came before it."""
    damaged = ("The OSDH said 188 members prorégime perished. He studied at IE Business School and worked for "
               "Microsoft's IE team.\n")
    clean = damaged.replace("OSDH", "SOHR").replace("prorégime", "pro-regime")
    alone = [f.code for f in auto.check_text(clean)]
    assert {f.code for f in auto.check_text(damaged)} >= {"FR001", "FR003"}
    assert [f.code for f in auto.check_text(clean)] == alone == []


def test_terms_found_from_their_first_runs_are_those_a_search_of_the_text_finds():
    """evidence._term_matches_at tries a pack's term regex only where one of the terms' first runs of letters
    stands: the same matches as searching the whole text, on the corpus and on every term in odd places."""
    from repair.analysis import Analysis
    from repair.config import Settings
    from repair.detectors import evidence
    from repair.engine import Engine

    from conftest import CORPUS

    packs = {(d.pack.path, d.pack.name): d.pack for d in Engine(Settings(languagetool=False)).detectors
             if getattr(d, "pack", None) is not None and d.pack.source_language != "any"}
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(CORPUS.rglob("*.txt"))[:60]]
    compared = 0
    for pack in packs.values():
        regex, _, firsts = evidence._markers(pack)
        if regex is None or firsts is None:
            continue
        terms = [t for spec in pack.rules for t in getattr(spec, "terms", {})]
        shapes = ["{t}", " {t} ", "x{t}", "{t}x", "-{t}", "{t}-", "2{t}", "{t}2", "l'{t}", "{t}'s", "_{t}",
                  "({t})", "{t}{t}", "{t} {t}", "«{t}»", "{t}.", "\n{t}\n"]
        texts.append(" ".join(shape.format(t=term) for term in terms for shape in shapes))
        for text in texts:
            analysis = Analysis(text)
            words = analysis.distinct_words
            parts = frozenset(part for w in words if "'" in w or "’" in w for part in evidence._APOSTROPHE.split(w))
            present = evidence._present_runs(firsts, words, parts)
            expected = [(m.start(), m.end()) for m in evidence._term_matches(regex, text)]
            found = [(m.start(), m.end()) for m in evidence._term_matches_at(regex, text, present)] if present else []
            assert found == expected, (pack.name, text[:80])
            compared += bool(expected)
    assert compared >= 3
