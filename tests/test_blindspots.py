"""LanguageTool advice on text it could not see (inline markup blanked in the prose view) and spelling findings
on a file's own terms are dropped (repair/blindspots.py); everything else stays."""

from __future__ import annotations

import doctest

from repair import blindspots, formats
from repair.model import Applicability, Category, Finding, Fix, Severity

MARKDOWN = ("Pass an `int` value to the lexer. The lexer reads tokens. Our lexer is fast.\n\n"
            "Install it with `pip install fastify`, then load fastify-auth.\n\n"
            "This sentence has a a doubled word and a speling slip.\n")


def finding(text: str, word: str, category: Category, occurrence: int = 0) -> Finding:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(word, start + 1)
    code = {Category.SPELLING: "LT100", Category.GRAMMAR: "LT200"}[category]
    return Finding(code, "languagetool", category, Severity.WARNING, "advice", start, start + len(word),
                   Fix.replace(start, start + len(word), word, Applicability.SAFE, "advice"))


def test_doctests():
    assert doctest.testmod(blindspots).failed == 0


def test_advice_next_to_inline_code_is_dropped_other_advice_kept():
    layout = formats.parse(MARKDOWN, "markdown")
    beside_code = finding(MARKDOWN, "an", Category.GRAMMAR)  # 'an `int`' reads 'an       value'
    doubled = finding(MARKDOWN, "a a", Category.GRAMMAR)
    kept = blindspots.drop_blind([beside_code, doubled], MARKDOWN, layout)
    assert kept == [doubled]


def test_spelling_of_the_files_own_terms_is_dropped_a_slip_is_kept():
    layout = formats.parse(MARKDOWN, "markdown")
    lexer = finding(MARKDOWN, "lexer", Category.SPELLING)  # three uses: the file's term
    package = finding(MARKDOWN, "fastify-auth", Category.SPELLING)  # 'fastify' stands in the file's code
    slip = finding(MARKDOWN, "speling", Category.SPELLING)
    assert blindspots.drop_blind([lexer, package, slip], MARKDOWN, layout) == [slip]


def test_plain_text_keeps_a_misspelling_used_twice_drops_one_used_three_times():
    text = "The recieve step failed. A second recieve step failed. The Raqqa report, the Raqqa map.\n"
    layout = formats.parse(text, "text")
    twice = finding(text, "recieve", Category.SPELLING)
    assert blindspots.drop_blind([twice], text, layout) == [twice]
    thrice = text + "Then recieve again.\n"
    assert blindspots.drop_blind([finding(thrice, "recieve", Category.SPELLING)], thrice, layout) == []
