"""Fixes: non-overlapping edits in one pass, repeated until stable, mapped back to the original text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from repair.fixer import ConvergenceError, MAX_PASSES, OffsetMap, apply_edits, fix_text, select_fixes
from repair.model import Applicability, Category, Edit, Finding, Fix, Severity


def finding(code: str, start: int, end: int, replacement: str, level=Applicability.SAFE) -> Finding:
    return Finding(code, code.lower(), Category.STYLE, Severity.WARNING, "m", start, end,
                   Fix.replace(start, end, replacement, level, "t"))


def test_overlapping_fixes_are_skipped_not_merged():
    chosen = select_fixes([finding("B001", 2, 6, "x"), finding("A001", 0, 4, "y"), finding("C001", 6, 8, "z")],
                          Applicability.SAFE)
    assert [f.code for f in chosen] == ["A001", "C001"]


def test_threshold_keeps_unsafe_and_display_only_fixes_out():
    findings = [finding("A001", 0, 1, "x", Applicability.UNSAFE), finding("B001", 2, 3, "y", Applicability.DISPLAY_ONLY)]
    assert select_fixes(findings, Applicability.SAFE) == []
    assert [f.code for f in select_fixes(findings, Applicability.UNSAFE)] == ["A001"]


def test_insertions_at_the_same_point_conflict():
    chosen = select_fixes([finding("A001", 3, 3, "a"), finding("B001", 3, 3, "b")], Applicability.SAFE)
    assert len(chosen) == 1


def test_fix_repeats_until_stable_and_records_original_offsets():
    # each pass removes one "ab" pair; the text shrinks until no pair is left
    def detect(text: str):
        index = text.find("ab")
        return [finding("P001", index, index + 2, "")] if index != -1 else []

    result = fix_text("x", "aaabbb!", detect)
    assert result.text == "!"
    assert [(e.original_start, e.original_end) for e in result.applied] == [(2, 4), (1, 5), (0, 6)]


def test_a_rule_that_never_settles_is_dropped_and_named():
    def detect(text: str):
        found = [finding("LOOP01", 0, 0, "x")]
        if "b" in text:
            found.append(finding("GOOD01", text.index("b"), text.index("b") + 1, "B"))
        return found

    result = fix_text("doc.txt", "abc", detect)
    assert result.text == "aBc" and result.dropped == ["LOOP01"]


def test_rules_whose_fixes_undo_each_other_are_dropped_when_the_text_comes_back():
    # "grey" -> "gray" by one rule, "gray" -> "grey" by another: the third text is the first again (the passes'
    # texts are told apart by their digests, not kept)
    def detect(text: str):
        found = [finding("GOOD01", 0, 1, "T")] if text.startswith("t") else []
        for code, old, new in (("US01", "grey", "gray"), ("GB01", "gray", "grey")):
            at = text.find(old)
            if at != -1:
                found.append(finding(code, at, at + len(old), new))
        return found

    result = fix_text("doc.txt", "the grey sky", detect)
    assert result.text == "The grey sky" and result.dropped == ["GB01", "US01"]


def test_failing_to_converge_names_the_rules():
    calls = []

    def detect(text: str):  # a new rule each time: dropping the ones that kept changing never settles it
        calls.append(1)
        return [finding(f"LOOP{len(calls):02d}", 0, 0, "x")]

    with pytest.raises(ConvergenceError) as raised:
        fix_text("doc.txt", "abc", detect)
    assert "LOOP" in str(raised.value) and str(MAX_PASSES) in str(raised.value)


def test_offset_map_through_two_passes():
    offsets = OffsetMap()
    offsets.push([Edit(0, 2, "")])        # "xxabc" -> "abc"
    offsets.push([Edit(1, 1, "ZZ")])      # "abc" -> "aZZbc"
    assert offsets.to_original(3) == 3    # "b" in the final text is "b" of the original
    assert offsets.to_original(0) == 2


words = st.lists(st.sampled_from(["EI", "Raqa", "the", "army", "prorégime", "Subscribe\n", " ", "\n", "OSDH", "(", ")"]),
                 max_size=30)


@settings(max_examples=40, deadline=None)
@given(words)
def test_fixing_is_idempotent_on_generated_text(parts):
    from repair.config import Settings
    from repair.document import Document
    from repair.engine import Engine

    engine = _engine()
    once = engine.fix(Document("t.txt", "".join(parts))).text
    assert engine.fix(Document("t.txt", once)).text == once


_ENGINE = None


def _engine():
    global _ENGINE
    if _ENGINE is None:
        from repair.config import Settings
        from repair.engine import Engine

        _ENGINE = Engine(Settings(languagetool=False))
    return _ENGINE


def test_apply_edits_in_any_order():
    assert apply_edits("abcdef", [Edit(4, 5, "E"), Edit(0, 1, "A")]) == "AbcdEf"
