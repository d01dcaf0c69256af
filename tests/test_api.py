"""The documented Python API (README, "Python API"): what the CLI, the hooks and a distributed run call."""

from __future__ import annotations

from pathlib import Path

import pytest

import repair
from repair.api import Checker
from repair.document import Document

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def test_one_off_calls_check_and_fix_a_string():
    findings = repair.check_text("The EI claimed the attack.\n", source_language="fr", languagetool=False)
    assert [(f.code, f.start, f.end) for f in findings] == [("FR001", 4, 6)]
    assert findings[0].fix.edits[0].replacement == "IS"
    assert repair.fix_text("The cafÃ© opened.\n", languagetool=False) == "The café opened.\n"


def test_a_checker_is_reused_and_fixes_like_the_command_line():
    article = CORPUS / "003_1374c92416c258b1.txt"
    expected = article.with_suffix(".expected").read_text(encoding="utf-8")
    with Checker(languagetool=False) as checker:
        result = checker.fix(Document.read(article))
        assert result.text == expected
        assert result.applied and all(edit.code for edit in result.applied)
        # the same checker, another document: nothing carried over from the first
        assert checker.check_text("The council met on Monday and approved the budget.\n") == []


def test_check_many_answers_per_document_in_order():
    texts = ["The cafÃ© opened.\n", "All is well here.\n", "Syria&#8217;s army\n"]
    with Checker(languagetool=False) as checker:
        answers = checker.check_many([Document(f"{i}.txt", t) for i, t in enumerate(texts)])
    assert [[f.code for f in found] for found in answers] == [["ENC001"], [], ["MRK003"]]


def test_select_and_unknown_options():
    with Checker(select="ENC", languagetool=False) as checker:
        assert [f.code for f in checker.check_text("The EI said the cafÃ© was shut.\n", )] == ["ENC001"]
    with pytest.raises(TypeError):
        Checker(langauge="en")
    with pytest.raises(ValueError, match="unknown rule code"):
        Checker(select=["NOPE"], languagetool=False)
