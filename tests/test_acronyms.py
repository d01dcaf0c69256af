"""ACR001/ACR002 and the acronym maps, on the AFP seed article's sentences."""

from __future__ import annotations

import pytest

from repair.config import Settings
from repair.detectors.acronyms import fits
from repair.document import Document
from repair.engine import Engine
from repair.model import Applicability

AFP = (
    "The Syrian army inflicted a crushing defeat on Sunday the Islamic State group (EI) by taking the city. "
    "The prorégime forces will only remove IE from the town of Al-Alianiyé. "
    "\"the highest death toll for the IU in a single battle\", according to the Syrian Observatory for Human "
    "Rights (OSDH). The two main fiefs of EI in Syria. The OSDH said. EI is also the target of an offensive.\n"
)


def run(text: str, source: str = "auto", select=("ACR",)):
    engine = Engine(Settings(languagetool=False, source_language=source, select=select))
    return engine, [(f.code, text[f.start:f.end], f.fix.edits[0].replacement if f.fix else None)
                    for f in engine.check(Document("t.txt", text))]


@pytest.mark.parametrize(
    "acronym, words, expected",
    [
        ("SOHR", "the Syrian Observatory for Human Rights".split(), True),
        ("OSDH", "the Syrian Observatory for Human Rights".split(), False),
        ("IS", "the Islamic State group".split(), True),
        ("EI", "the Islamic State group".split(), False),
        ("OECD", "Organisation for Economic Co-operation and Development".split(), True),
        ("WHO", "the World Health Organization".split(), True),
    ],
)
def test_fits_reads_an_acronym_from_its_definition(acronym, words, expected):
    assert fits(acronym, words) is expected


def test_packs_own_the_french_acronyms_when_they_apply():
    _, found = run(AFP)
    assert found == []  # FR001/FR002 report EI, IE, IU and OSDH with their fixes


def test_definition_mismatch_and_variants_when_no_pack_applies():
    engine, found = run(AFP, source="ru")
    assert ("ACR001", "EI", "IS") in found  # the definition "Islamic State group" confirms the map's EI -> IS
    assert ("ACR001", "OSDH", "SOHR") in found
    variants = {t: r for c, t, r in found if c == "ACR002"}
    assert variants == {"IE": "IS", "IU": "IS"}
    fixed = engine.fix(Document("t.txt", AFP), Applicability.UNSAFE).text
    assert "(SOHR)" in fixed and " IE " not in fixed and "the IU " not in fixed


def test_true_definitions_and_codes_are_not_flagged():
    text = (
        "The World Health Organization (WHO) and the Organisation for Economic Co-operation and Development "
        "(OECD) met. The price of the British Pound (GBP) fell. The US and the UN disagreed; the US left.\n"
    )
    _, found = run(text, source="ru")
    assert found == []


def test_maps_cover_french_russian_and_german():
    mapping = Engine(Settings(language="en", languagetool=False)).context.glossary.acronyms
    assert mapping["OSDH"] == "SOHR" and mapping["OTAN"] == "NATO"
    assert mapping["OON"] == "UN" and mapping["ООН"] == "UN"
    assert mapping["EZB"] == "ECB" and mapping["UNO"] == "UN"


def test_acronym_pattern_finds_what_its_plain_form_finds():
    """_ACRONYM (the letter first, the look-behind second: faster) against the plain pattern it stands for, on
    the corpus and on edges: the start of the text, a hyphen, an underscore, a digit or a non-ASCII letter
    beside the capitals, runs of 1, 6 and 7 capitals."""
    import re
    from pathlib import Path

    from repair.detectors.acronyms import _ACRONYM

    plain = re.compile(r"(?<![\w-])[A-Z]{2,6}(?![\w-])")
    root = Path(__file__).resolve().parent.parent / "corpus"
    texts = [AFP, "AB", "-AB", "xAB", "ABCDEF ABCDEFG", "ÉAB AÉ", "AB- (AB) 1AB AB1 _AB AB_ A B", ""]
    texts += [p.read_text(encoding="utf-8") for p in sorted(root.glob("*.txt"))]
    for text in texts:
        assert [(m.span(), m.group()) for m in _ACRONYM.finditer(text)] == \
            [(m.span(), m.group()) for m in plain.finditer(text)]
    assert _ACRONYM.findall("The OSDH and -EI, EI-x and IS.") == ["OSDH", "IS"]


def test_the_places_of_some_acronyms_are_those_of_every_acronym_found():
    """ACR002 reads the places of its variants with a pattern of them alone: the _ACRONYM matches that are one of
    them, in the corpus and in odd places (inside words, after hyphens and digits, longer runs, apostrophes)."""
    import re

    from repair.detectors import acronyms

    from conftest import CORPUS

    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(CORPUS.rglob("*.txt"))[:60]]
    texts.append("EI IE IEU xIE IE-x -IE 2IE IE2 l'IE IE's _IE (IE) IEIE IE\nIE. EIS SEI E I UNESCO UNESCOS IÉ ÉIE")
    checked = 0
    for text in texts:
        found = sorted(set(acronyms._ACRONYM.findall(text)))
        for chosen in (tuple(found[::2]), tuple(found[1::3]), ("EI", "IE", "IEU")):
            if not chosen:
                continue
            expected = [m.span() for m in acronyms._ACRONYM.finditer(text) if m.group(0) in chosen]
            assert [m.span() for m in acronyms._places_of(tuple(sorted(chosen))).finditer(text)] == expected
            checked += bool(expected)
    assert checked >= 8
