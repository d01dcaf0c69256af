"""One finding per problem (repair/precedence.py): where several rules see the same damage, one finding is reported.

Real lines from corpus/000 and corpus/003 through the public API, then the rules on hand-made findings."""

from __future__ import annotations

import pytest

from repair.api import Checker
from repair.model import Applicability, Category, Finding, Fix, Severity
from repair.precedence import one_per_problem

CREDIT = "© Sputnik / Mikhail Voskresenskiy\xa0/\xa0Go to the mediabankSyrian army and militias fight for Palmyra\n"
FILLER = "".join(f"Paragraph {i} talks about the weather in the valley and nothing else.\n" for i in range(12))


@pytest.fixture(scope="module")
def checker():
    with Checker(languagetool=False, cache=False, source_language="fr") as made:
        yield made


def _line_codes(text: str, findings, line_start: int) -> list[str]:
    line_end = text.index("\n", line_start)
    return sorted(f.code for f in findings if line_start <= f.start < line_end)


def test_a_repeated_photo_credit_line_is_one_finding(checker):
    """corpus/000 line 18: WEB103, DUP002 and WEB001 saw it; the safe removal of the credit stays, alone."""
    text = "Palmyra Victory Proves Syria Can Crush Terrorists\n\n" + CREDIT + FILLER + CREDIT
    findings = checker.check_text(text)
    second = text.rindex("©")
    assert _line_codes(text, findings, second) == ["WEB103"]
    assert _line_codes(text, findings, text.index("©")) == ["WEB103"]  # WEB001 (the glue at its edge) gone too
    assert checker.fix_text(text).text.count("Go to the mediabank") == 0


def test_a_repeated_line_subsumes_its_site_suffix(checker):
    text = "Syrian army and militias fight for Palmyra\nSyrian army and militias fight for Palmyra - Sputnik International\n"
    findings = checker.check_text(text)
    assert [f.code for f in findings] == ["DUP001"]
    assert checker.fix_text(text).text == "Syrian army and militias fight for Palmyra\n"


def test_a_safer_fix_inside_an_unsafe_removal_stays(checker):
    """DUP002 (unsafe) removes a far repeat; the safe HS001 inside it is still reported, and `repair fix` writes it."""
    line = "For over 10 months, Palmyra was under control of the terrorists, who destroyed its world-renown ruins.\n"
    text = line + FILLER + line
    findings = checker.check_text(text)
    assert _line_codes(text, findings, text.rindex("For over")) == ["DUP002", "HS001"]
    assert checker.fix_text(text).text.count("world-renowned") == 2


def test_on_one_span_the_finding_with_a_fix_wins(checker):
    """corpus/003: 'Sokhné' was FR005 (-> Sukhnah) and UNT002 (no fix) on the same word."""
    findings = checker.check_text("The army retook Sokhné on Sunday.\n")
    assert [f.code for f in findings] == ["FR005"]


# --- the rules on hand-made findings -------------------------------------------------------------------------------

def _finding(code: str, start: int, end: int, fix: tuple | None = None) -> Finding:
    made = None
    if fix is not None:
        edit_start, edit_end, replacement, level = fix
        made = Fix.replace(edit_start, edit_end, replacement, level, "t")
    return Finding(code, code.lower(), Category.BOILERPLATE, Severity.WARNING, "m", start, end, made)


SAFE, UNSAFE = Applicability.SAFE, Applicability.UNSAFE


def test_nested_removals_keep_the_safest_then_the_larger():
    line = _finding("AAA001", 0, 40, (0, 41, "", UNSAFE))
    part = _finding("BBB001", 0, 20, (0, 20, "", SAFE))
    assert one_per_problem([line, part]) == [part]
    same_safety_line = _finding("AAA001", 0, 40, (0, 41, "", SAFE))
    assert one_per_problem([same_safety_line, part]) == [same_safety_line]


def test_a_removal_subsumes_what_is_inside_and_what_touches_its_edge():
    removal = _finding("AAA001", 0, 20, (0, 20, "", SAFE))
    inside = _finding("BBB001", 5, 9, (5, 9, "x", SAFE))
    edge = _finding("CCC001", 15, 25, (20, 20, "\n", UNSAFE))
    outside = _finding("DDD001", 21, 25, (21, 25, "y", UNSAFE))
    assert one_per_problem([removal, inside, edge, outside]) == [removal, outside]


def test_a_less_safe_removal_does_not_hide_a_safer_fix():
    removal = _finding("AAA001", 0, 20, (0, 21, "", UNSAFE))
    inside = _finding("BBB001", 5, 9, (5, 9, "x", SAFE))
    report_only = _finding("CCC001", 10, 14)
    assert one_per_problem([removal, inside, report_only]) == [removal, inside]


def test_findings_that_do_not_overlap_all_stay():
    findings = [_finding("AAA001", 0, 5, (0, 5, "", SAFE)), _finding("BBB001", 6, 9), _finding("CCC001", 10, 14)]
    assert one_per_problem(findings) == findings
