"""CON001/CON002: names and terms written several ways, in one document and across the files of a run."""

from __future__ import annotations

import json
from pathlib import Path

from repair.config import Settings
from repair.detectors.consistency import NameConsistencyDetector, name_key
from repair.document import Document
from repair.engine import Engine

from conftest import run_repair

ROOT = Path(__file__).resolve().parent.parent
SPUTNIK = ROOT / "corpus" / "000_9d2a160825c0186a.txt"
AFP = ROOT / "corpus" / "003_1374c92416c258b1.txt"


def test_name_keys_ignore_what_transliterations_vary_in():
    assert name_key("Raqa") == name_key("Raqqa")
    assert name_key("Deir Ezzor") == name_key("Deir ez-Zor")
    assert name_key("Bashar Assad") == name_key("Bashar al-Assad")
    assert name_key("Damascus") != name_key("Idlib")


def check(text: str, corpus=None):
    engine = Engine(Settings(languagetool=False, select=("CON",)), corpus=corpus)
    return [(f.code, text[f.start:f.end], f.fix.edits[0].replacement) for f in engine.check(Document("t.txt", text))]


def test_one_document_prefers_the_glossary_then_the_majority():
    sputnik = SPUTNIK.read_text(encoding="utf-8")
    assert ("CON001", "Bashar Assad", "Bashar al-Assad") in check(sputnik)
    text = "Fighters fled to Raqa. The road to Raqa is cut, and Raqqa is besieged.\n"
    assert [r for _, _, r in check(text)] == ["Raqqa", "Raqqa"]  # FR005's glossary form, though in the minority


def test_established_names_are_not_variants():
    assert check("Shanxi and Shaanxi are two provinces; Shanxi is to the east.\n") == []


def test_corpus_wide_findings_reach_every_file_they_touch():
    detector = NameConsistencyDetector()
    from repair.detectors.base import Context

    ctx = Context()
    parts = [detector.gather(Document(str(p), p.read_text(encoding="utf-8")), ctx) for p in (SPUTNIK, AFP)]
    corpus = {"NameConsistencyDetector": NameConsistencyDetector.merge(parts)}
    afp = AFP.read_text(encoding="utf-8")
    found = check(afp, corpus)
    assert ("CON001", "Raqa", "Raqqa") in found
    assert ("CON001", "Deir Ezzor", "Deir ez-Zor") in found
    assert check(afp) == [("CON002", "jihadis", "jihadists")]  # alone, the AFP story is consistent in its names


def test_run_over_the_corpus_reports_cross_file_variants(tmp_path):
    for source in (SPUTNIK, AFP):
        (tmp_path / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    result = run_repair("check", ".", "--select", "CON", "--format", "json", "--no-languagetool", "--no-cache",
                        "--one-publication", cwd=tmp_path)
    by_file = {Path(f["path"]).name: [x["text"] for x in f["findings"]] for f in result.json()["files"]}
    assert "Raqa" in by_file[AFP.name] and "Bashar Assad" in by_file[SPUTNIK.name]
    # by default the files are separate publications: each is compared with itself only
    result = run_repair("check", ".", "--select", "CON", "--format", "json", "--no-languagetool", "--no-cache",
                        cwd=tmp_path)
    by_file = {Path(f["path"]).name: [x["text"] for x in f["findings"]] for f in result.json()["files"]}
    assert "Raqa" not in by_file.get(AFP.name, [])  # (the Sputnik story spells Assad two ways by itself)


def test_term_in_two_forms():
    text = "The jihadists fled. Jihadists regrouped. A handful of jihadis stayed.\n"
    assert check(text) == [("CON002", "jihadis", "jihadists")]
    assert check("A jihadist and two jihadists.\n") == []


def test_short_forms_in_one_pass_are_those_of_the_per_stem_patterns():
    """_short_forms_of (the endings found, each word read back to its start) against _short_forms, the
    reference pattern of one stem, on real text and on edges: a stem after a hyphen, a digit or a non-ASCII
    letter, 'iis', 'isis', capitals, stems of four letters (the shortest _term_variants reads)."""
    from repair.detectors.consistency import _short_forms, _short_forms_of

    edges = ("Jihadis, jihadi-led 3salafi éjihadi jihadiis JIHADIS Salafisis salafi_x salafi. is i Is mari "
             "Mari's marI communis communiS kalashnikovi Russi russis RUSSIS xrussi russ-i Thisis thisi")
    texts = [edges, SPUTNIK.read_text(encoding="utf-8"), AFP.read_text(encoding="utf-8"),
             (ROOT / "corpus" / "clean" / "wmt21-human-references-en.txt").read_text(encoding="utf-8")]
    stems = {"jihad", "salaf", "mari", "commun", "kalashnikov", "poli", "russ", "this"}
    total = 0
    for text in texts:
        expected = {}
        for stem in sorted(stems):
            found = [(m.start(), m.end(), m.group(0)) for m in _short_forms(stem).finditer(text)]
            if found:
                expected[stem] = found
        got = _short_forms_of(text, stems)
        assert {k: sorted(v) for k, v in got.items()} == {k: sorted(v) for k, v in expected.items()}
        total += sum(map(len, expected.values()))
    assert total > 10
    assert _short_forms_of(edges, {"jihad"})["jihad"][0][2] == "Jihadis"


def test_the_names_of_some_spellings_are_the_ones_a_search_of_the_whole_text_finds():
    """consistency._names searches only the runs of name characters that hold a wanted spelling: the same names
    at the same places as one _NAME search of the whole text, on every text of the corpus, for all of its names
    and for a few of them."""
    import random

    from conftest import CORPUS
    from repair.detectors.consistency import _NAME, _count_spellings, _names, _strip_titles

    def whole_text(text: str, spellings: set[str]) -> list[tuple[int, int, str]]:
        found = []
        for match in _NAME.finditer(text):
            name = _strip_titles(match.group())
            if name in spellings:
                found.append((match.end() - len(name), match.end(), name))
        return found

    generator = random.Random(5)
    texts = [path.read_text(encoding="utf-8") for path in sorted(CORPUS.rglob("*")) if path.suffix in (".txt", ".md")]
    texts.append("al-Assad and the President Bashar al-Assad met Abu Bakr al-Baghdadi's men; Mc Donald-Smith, eu-Abc")
    found = 0
    for text in texts:
        names = sorted({name for forms in _count_spellings(text).values() for name in forms})
        for spellings in (set(names), set(generator.sample(names, min(len(names), 3)))):
            expected = whole_text(text, spellings)
            assert list(_names(text, spellings)) == expected
            found += len(expected)
    assert found > 1000


def test_names_without_a_hyphen_before_a_capital_are_the_capitalised_ones():
    """On a text with no hyphen before a capital (no 'al-Assad'), _CAPITALISED_NAME finds what _NAME finds."""
    from conftest import CORPUS
    from repair.detectors.consistency import _CAPITALISED_NAME, _HYPHEN_CAPITAL, _NAME

    texts = [path.read_text(encoding="utf-8") for path in sorted(CORPUS.rglob("*")) if path.suffix in (".txt", ".md")]
    texts = [_HYPHEN_CAPITAL.sub("-x", text) for text in texts]  # (their names with a particle, without it)
    texts.append("Bashar al-assad, ez-zor, The President Bashar Assad and Deir Ezzor; well-known Mc Donald, eu Abc")
    assert sum(len(_NAME.findall(text)) for text in texts) > 1000
    for text in texts:
        assert not _HYPHEN_CAPITAL.search(text)
        assert _CAPITALISED_NAME.findall(text) == _NAME.findall(text)


def test_a_document_whose_names_have_a_key_each_is_skipped_as_it_has_no_finding(monkeypatch):
    """Without the run's spellings, CON001 counts a document's spellings only when two of its distinct names
    share a key: the same findings as counting them in every document, on the corpus and on texts made at random
    of its sentences with names respelled (doubled letters, particles, titles, case)."""
    import random

    from conftest import CORPUS
    from repair.detectors import consistency

    texts = [path.read_text(encoding="utf-8") for path in sorted(CORPUS.rglob("*")) if path.suffix in (".txt", ".md")]
    sentences = [s for text in texts for s in text.replace("\n", " ").split(". ") if s.strip()]
    respell = [lambda n: n, lambda n: n.replace("q", "qq", 1), lambda n: n.replace("ss", "s", 1),
               lambda n: "al-" + n, lambda n: "President " + n, lambda n: n.upper(), lambda n: n.replace(" ", "-", 1),
               lambda n: n.replace("-", " ", 1), lambda n: n.lower().title()]
    generator = random.Random(7)
    for _ in range(200):
        chosen = generator.sample(sentences, generator.randrange(1, 8))
        names = [n for s in chosen for n in consistency._name_matches(s)]
        extra = [f"Then {generator.choice(respell)(generator.choice(names))} spoke." for _ in range(3)] if names else []
        texts.append(". ".join(chosen + extra) + ".\n")
    engine = Engine(Settings(languagetool=False, select=("CON001",)))

    def findings(text: str) -> list:
        return [(f.start, f.end, f.message, f.fix) for f in engine.check(Document("t.txt", text))]

    skipped = reported = 0
    for text in texts:
        fast = findings(text)
        if consistency._one_spelling_each(consistency._name_matches(text)):
            skipped += 1
            assert fast == []
        with monkeypatch.context() as patch:
            patch.setattr(consistency, "_one_spelling_each", lambda matches: False)
            assert findings(text) == fast, text
        reported += bool(fast)
    assert skipped > 50 and reported > 20
