"""bench/eval.py's matching and the word-frequency table it relies on."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from repair import wordlists

ROOT = Path(__file__).resolve().parent.parent


def load_eval():
    spec = importlib.util.spec_from_file_location("bench_eval", ROOT / "bench" / "eval.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_eval"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_scoring_matches_overlapping_spans_of_the_same_category():
    bench = load_eval()
    result = bench.SetResult("t")
    record = {
        "id": "r1", "language": "en", "source_language": "de", "clean": False, "words": 10,
        "text": "They hiked to the highest Gipfel of the range.",
        "errors": [{"start": 26, "end": 32, "category": "untranslated"}],
    }
    bench.Scorer().score(result, record)
    tally = result.by_category["untranslated"]
    assert (tally.findings, tally.findings_matched, tally.gold, tally.gold_matched) == (1, 1, 1, 1)
    assert result.by_source["de"].recall == 1.0


def test_clean_records_count_false_alarms_per_thousand_words():
    bench = load_eval()
    result = bench.SetResult("t")
    clean = {"id": "c", "language": "en", "clean": True, "words": 9, "errors": [],
             "text": "They hiked to the highest peak of the range."}
    bench.Scorer().score(result, clean)
    assert result.clean_words == 9 and sum(result.clean_alarms.values()) == 0
    assert "| t |" in bench.render([result])


@pytest.mark.parametrize("word, lang", [("the", "en"), ("semana", "es"), ("gipfel", "de"), ("trwa", "pl"), ("fiefs", "fr")])
def test_table_agrees_with_wordfreq(word, lang):
    from wordfreq import zipf_frequency

    assert abs(wordlists.zipf(word, lang) - zipf_frequency(word, lang)) <= 0.06


def test_unknown_words_and_languages_are_zero():
    assert wordlists.zipf("voskresenskiy", "en") == 0.0
    assert wordlists.zipf("the", "xx") == 0.0
    rows = wordlists.lexicon().rows(["zzqxv", "the"])
    assert rows["zzqxv"] is None and rows["the"] is not None


def test_scraped_pages_count_furniture_found_and_main_text_touched():
    bench = load_eval()
    result = bench.SetResult("t")
    text = "The harbour stays closed, the port authority said on Tuesday.\nTeilen Sie dies mit:\nKommentar schreiben\n"
    furniture = text.index("Teilen")
    main = 4  # "harbour"
    record = {"id": "trafilatura:page.html", "language": "de", "clean": False, "words": 14, "text": text,
              "errors": [{"start": furniture, "end": furniture + 20, "category": "boilerplate"}],
              "with_spans": [{"start": main, "end": main + 7}]}
    bench.Scorer().score(result, record)
    assert result.furniture["de"] == [1, 1, 1, 0]
    assert result.furniture["all"] == [1, 1, 1, 0]
    assert "| de | 1 | 1 | 1.000 | 1 | 0 | 0.000 |" in bench.render([result])
