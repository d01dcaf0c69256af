"""What repair does not find yet, as strict expected failures: a fix that starts working is noticed here.

Each case is a gold annotation of the seed articles (LanguageTool off, as in the golden tests).
"""

from __future__ import annotations

import json

import pytest

from conftest import CORPUS
from repair.config import Settings
from repair.document import Document
from repair.engine import Engine

KNOWN_MISSES = [
    ("003_1374c92416c258b1", "by taking him the city", "needs the source sentence or a language model"),
    ("003_1374c92416c258b1", "the resumption of the old city", "a word-sense error ('reprise')"),
    ("003_1374c92416c258b1", "reduced dust funeral towers", "French word order; no rule describes it"),
    ("003_1374c92416c258b1", "UNESCO World Heritage of UNESCO", "a repeated name inside a phrase"),
]


#: once known misses, found since issue 13 (FUR003: a headline right below a caption that ends in the site's name)
FOUND = [
    ("000_9d2a160825c0186a", "First Images of Palmyra’s Ancient Artifacts Damaged by Daesh Revealed\n"),
    ("000_9d2a160825c0186a", "Palmyra Liberation: Syrian Army Officer Reveals Details of Operation\n"),
]


def _found(stem: str, text: str) -> bool:
    gold = json.loads((CORPUS / f"{stem}.gold.json").read_text(encoding="utf-8"))
    (error,) = [e for e in gold["errors"] if e["text"] == text]
    findings = Engine(Settings(languagetool=False)).check(Document.read(CORPUS / f"{stem}.txt"))
    categories = {error["category"], *error.get("accept", [])}
    return any(f.start < error["end"] and error["start"] < f.end and f.category.value in categories for f in findings)


@pytest.mark.parametrize("stem,text", FOUND, ids=[t[:30] for _, t in FOUND])
def test_related_headlines_on_the_seed_page_are_found(stem, text):
    assert _found(stem, text)


@pytest.mark.parametrize("stem,text,why", KNOWN_MISSES, ids=[t[:30] for _, t, _ in KNOWN_MISSES])
@pytest.mark.xfail(strict=True, reason="known miss")
def test_known_miss(stem, text, why):
    assert _found(stem, text)
