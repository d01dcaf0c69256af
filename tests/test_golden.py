"""Golden cases from corpus/: the seed articles' gold annotations, their expected repaired text, clean negatives.

Set REPAIR_UPDATE_GOLDEN=1 to rewrite the expected texts after a reviewed change.
"""

from __future__ import annotations

import json
import os

import pytest

from conftest import CORPUS, corpus_articles
from repair.config import Settings
from repair.document import Document
from repair.engine import Engine
from repair.model import Severity

ARTICLES = corpus_articles()
CLEAN = sorted((CORPUS / "clean").glob("*.txt"))


def engine_for(gold: dict) -> Engine:
    return Engine(Settings(languagetool=False, language=gold["language"]))


def gold_of(article):
    return json.loads(article.with_name(article.name.removesuffix(".txt") + ".gold.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.name)
def test_safe_fixes_give_the_expected_text(article):
    gold = gold_of(article)
    expected_path = article.with_name(article.name.removesuffix(".txt") + ".expected")
    fixed = engine_for(gold).fix(Document.read(article)).text
    if os.environ.get("REPAIR_UPDATE_GOLDEN"):
        expected_path.write_text(fixed, encoding="utf-8", newline="")
    assert fixed == expected_path.read_bytes().decode("utf-8")


@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.name)
def test_fixing_twice_changes_nothing_more(article):
    engine = engine_for(gold_of(article))
    once = engine.fix(Document.read(article)).text
    assert engine.fix(Document(str(article), once)).text == once


# What the end-to-end issue requires `repair check corpus/` to flag, as (file, gold text) pairs.
MUST_FLAG = [
    ("000", "Заголовок открываемого материала"),
    ("003", '<style type="text/css">'),
    ("000", "Subscribe\n"), ("000", "Newsfeed\n"), ("000", "log in or register\n"), ("000", "loader\n"),
    ("003", "Share Post\n"), ("003", "Written by\n"),
    ("000", "© Sputnik / Mikhail Voskresenskiy / Go to the mediabank"), ("000", "© REUTERS / SANA/Handout"),
    ("003", "The Syrian regime retook the city of Palmyra"),
    ("000", "Syrian army and militias fight for Palmyra - Sputnik International"),
    ("003", "(EI)"), ("003", "IE"), ("003", "IU"), ("003", "OSDH"), ("003", "prorégime"), ("003", "Raqa"),
    ("003", "Deir Ezzor"),
]


def _matches(finding, error) -> bool:
    categories = {error["category"], *error.get("accept", [])}
    overlaps = finding.start < error["end"] and error["start"] < finding.end
    return overlaps and finding.category.value in categories


@pytest.mark.parametrize("prefix,needle", MUST_FLAG, ids=[f"{p}:{n[:24]}" for p, n in MUST_FLAG])
def test_listed_artifacts_are_flagged_with_the_gold_category(prefix, needle):
    article = next(a for a in ARTICLES if a.name.startswith(prefix))
    gold = gold_of(article)
    findings = engine_for(gold).check(Document.read(article))
    errors = [e for e in gold["errors"] if e["text"].replace("\u00a0", " ").startswith(needle)]
    assert errors, f"no gold annotation starts with {needle!r}"
    for error in errors:
        assert any(_matches(f, error) for f in findings), f"not flagged as {error['category']}: {error['text']!r}"


@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.name)
def test_gold_annotations_point_at_their_text(article):
    gold = gold_of(article)
    text = article.read_text(encoding="utf-8")
    for error in gold["errors"]:
        assert text[error["start"]:error["end"]] == error["text"]


@pytest.mark.parametrize("clean", CLEAN, ids=lambda p: p.name)
def test_clean_human_text_gets_no_error(clean):
    findings = Engine(Settings(languagetool=False)).check(Document.read(clean))
    errors = [f for f in findings if f.severity == Severity.ERROR]
    assert not errors, errors[:5]
