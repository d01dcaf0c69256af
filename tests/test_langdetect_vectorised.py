"""repair.detectors.langdetect_vectorised gives langdetect's own answers, bit for bit: langdetect (pure Python)
is the reference, run on the same texts with the same seed."""

from __future__ import annotations

import re

import pytest
from langdetect import DetectorFactory, detect_langs
from langdetect.lang_detect_exception import LangDetectException

from repair.detectors.langdetect_profiles import install
from repair.detectors.langdetect_vectorised import probabilities
from repair.detectors.language_segments import langdetect_language

from conftest import CORPUS


def _reference(text: str):
    DetectorFactory.seed = 0
    try:
        return [(found.lang, found.prob) for found in detect_langs(text)]
    except LangDetectException as error:
        return ("error", error.code)


def _vectorised(text: str, vectorised: bool | None = True):
    DetectorFactory.seed = 0
    try:
        return probabilities(text, vectorised)
    except LangDetectException as error:
        return ("error", error.code)


def _corpus_texts() -> list[str]:
    """Sentences and paragraphs of the scraped articles (English, with French, German, Arabic, Russian left in),
    of every length: what LNG001 asks about, and longer."""
    texts = []
    for path in sorted([*CORPUS.rglob("*.txt"), *CORPUS.rglob("*.md")]):
        article = path.read_text(encoding="utf-8", errors="replace")
        paragraphs = [p.strip() for p in article.split("\n") if len(p.strip()) > 3]
        texts += paragraphs[:2]
        texts += [s.strip() for s in re.split(r"(?<=[.!?])\s+", " ".join(paragraphs)) if len(s.strip()) > 3][:5]
    return texts


EDGE_CASES = [
    "Die Verhandlungen werden nächste Woche in Genf fortgesetzt, sagte er.",
    "La bataille de Raqa a commencé hier, selon l'OSDH et les médias d'État.",
    "THE NATO SUMMIT IN BRUSSELS ENDED WITH A JOINT STATEMENT ON UKRAINE",
    "aBCd EFgh iJKL mnOP: capitals in odd places, ABBA and McDonald's",
    "Visit https://example.com/path?q=1 or write to press@example.org for details",
    "Хорошо, сказал он, переговоры продолжатся на следующей неделе в Женеве.",
    "東京で会議が開かれた。 参加者は百人を超えた。",
    "서울에서 회의가 열렸다 참가자는 백 명을 넘었다",
    "Tiếng Việt có dấu: người Việt Nam nói tiếng Việt.",
    "Şeful statului a declarat că negocierile vor continua săptămâna viitoare.",
    "     spaces    between   words     and\ttabs\nand lines     ",
    "12345 67890 !!! ???",
    "",
    "x",
]


@pytest.mark.parametrize("texts", [EDGE_CASES, _corpus_texts()], ids=["edge-cases", "corpus"])
def test_same_languages_and_probabilities_as_langdetect(texts):
    install()
    assert len(texts) >= 10
    different = [(t, _reference(t), _vectorised(t)) for t in texts if _reference(t) != _vectorised(t)]
    assert not different, different[:3]


def test_the_detector_reads_its_answer_from_it():
    install()
    lang, prob = langdetect_language("Die Verhandlungen werden nächste Woche in Genf fortgesetzt, sagte er.")
    assert lang == "de" and prob > 0.99
    assert (lang, prob) == tuple(_reference("Die Verhandlungen werden nächste Woche in Genf fortgesetzt, sagte er.")[0])
    assert langdetect_language("12345 !!!") == ("", 0.0)


def test_either_scoring_gives_langdetects_answers():
    """The numpy scoring, the plain-Python loop and the choice between them (by the process's count) agree."""
    install()
    for text in EDGE_CASES + _corpus_texts()[:40]:
        assert _vectorised(text, True) == _vectorised(text, False) == _vectorised(text, None) == _reference(text)


_GERMAN_LINE = "The talks went on.\\nDie Verhandlungen werden nächste Woche in Genf fortgesetzt, sagte er heute.\\n"


def _lng001_in_a_fresh_process(before: str = "") -> list[str]:
    """LNG001's codes on a two-line text checked in a new Python process (after `before`), and whether that
    process imported numpy."""
    import os
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from repair.api import check_text\n"
        f"{before}"
        f"text = '{_GERMAN_LINE}'\n"
        "print(sorted({f.code for f in check_text(text, select=['LNG001'], languagetool=False)}), 'numpy' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ))
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_a_small_files_check_does_not_import_numpy():
    """A check that asks langdetect about a few sentences scores them in plain Python: numpy's import
    (about 0.1 s) would cost more than it saves. The sentence is found all the same."""
    assert _lng001_in_a_fresh_process() == ["['LNG001']", "False"]


def test_a_long_run_scores_with_numpy_from_its_first_sentence():
    """A run that shares many documents with worker processes says so before it forks them
    (Engine.expect_many): every process then scores with numpy from its first sentence, rather than each scoring
    its first 64 the slower way, and finds the same."""
    before = ("from repair.config import Settings\nfrom repair.engine import Engine\n"
              "Engine(Settings(languagetool=False)).expect_many()\n")
    assert _lng001_in_a_fresh_process(before) == ["['LNG001']", "True"]


def test_the_stored_table_holds_langdetects_own_numbers(monkeypatch):
    """Every n-gram's row read from repair's stored table (os.pread, a row at a time; numpy rows for the
    vectorised scoring) is the row langdetect builds from its JSON profiles, bit for bit, in its language order."""
    import langdetect.detector_factory as module
    from langdetect.detector_factory import DetectorFactory as Factory

    monkeypatch.setattr(module, "_factory", None)
    install()  # in a home without the table (a fresh machine): langdetect's own loading, and the table stored
    monkeypatch.setattr(module, "_factory", None)
    install()  # the stored table
    stored = module._factory
    own = Factory()
    own.load_profile(module.PROFILES_DIRECTORY)
    assert stored.langlist == own.langlist
    rows = stored.word_lang_prob_map
    assert set(rows) == set(own.word_lang_prob_map)
    for gram, expected in own.word_lang_prob_map.items():
        assert list(rows[gram]) == expected, gram
    sample = sorted(own.word_lang_prob_map)[::997]
    assert rows.table_rows(sample).tolist() == [own.word_lang_prob_map[g] for g in sample]


def test_the_stored_table_gives_langdetects_own_rows(tmp_path):
    """The table as stored in the home and read back (n-grams sorted, found by bisection) holds every n-gram of
    langdetect's own table with its row bit for bit, the languages in langdetect's order, and nothing else."""
    import langdetect.detector_factory as module

    from repair.detectors.langdetect_profiles import _load, _store

    own = module.DetectorFactory()
    own.load_profile(module.PROFILES_DIRECTORY)
    _store(own, tmp_path / "meta.json", tmp_path / "table.f64")
    stored = _load(module, tmp_path / "meta.json", tmp_path / "table.f64").word_lang_prob_map
    assert len(stored) == len(own.word_lang_prob_map) > 80_000
    assert _load(module, tmp_path / "meta.json", tmp_path / "table.f64").langlist == own.langlist
    assert all(list(stored[word]) == row for word, row in own.word_lang_prob_map.items())
    assert sorted(stored) == sorted(own.word_lang_prob_map)
    for absent in ("", "zzzz", "\U0010ffff", " q\u0300"):
        assert absent not in stored and absent not in own.word_lang_prob_map
        with pytest.raises(KeyError):
            stored[absent]
    assert 0 not in stored


def test_texts_scored_together_get_their_own_answers():
    """A document's many sentences scored in one numpy loop (probabilities_many: each text's trials, draws and
    convergence its own) get langdetect's own answer each, None where langdetect raises; and the detector's
    batch gives the one-at-a-time answers."""
    from repair.detectors.langdetect_vectorised import probabilities_many
    from repair.detectors.language_segments import BATCH, langdetect_languages

    install()
    texts = EDGE_CASES + _corpus_texts()[:60]
    DetectorFactory.seed = 0
    together = probabilities_many(texts)
    expected = [_reference(text) for text in texts]
    assert [("error", 5) if found is None else found for found in together] == expected
    assert any(found is None for found in together) and sum(found is not None for found in together) > 50
    assert len(texts) >= BATCH
    assert langdetect_languages(texts) == [langdetect_language(text) for text in texts]


def test_the_set_of_ngrams_is_built_only_in_a_process_that_checks_many_documents(monkeypatch):
    """A process that scores many texts answers n-gram look-ups from a set (~4 MB) only when it checks many
    documents; one large file keeps its peak memory low and looks them up in the stored table."""
    from repair.detectors import langdetect_vectorised as vectorised

    class StoredTable:  # what _membership asks of langdetect_profiles._Rows
        def grams(self, build):
            return {"the"} if build else self

    table = StoredTable()
    monkeypatch.setattr(vectorised, "_MANY_DOCUMENTS", [False])
    monkeypatch.setattr(vectorised, "_SCORED", [vectorised._SCALAR_TEXTS + 100])
    assert vectorised._membership(table) is table
    vectorised.expect_many_documents()
    assert vectorised._membership(table) == {"the"}
