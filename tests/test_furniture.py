"""The page-furniture classifier (repair/pagelines.py, repair/detectors/furniture.py) on whole pages."""

from __future__ import annotations

from repair.config import Settings
from repair.detectors import furniture
from repair.document import Document
from repair.engine import Engine
from repair.pagelines import FEATURES, main_block, page_language, page_lines

PAGE = furniture._MENU + furniture._ARTICLE + furniture._FOOTER


def _engine() -> Engine:
    return Engine(Settings(select=("FUR001", "FUR002", "FUR003"), languagetool=False))


def test_the_page_language_is_the_one_whose_stop_words_cover_most_words():
    assert page_language("der hafen bleibt geschlossen und die fähren liegen im hafen".split()) == "de"
    assert page_language("the harbour stays closed and the ferries are in port".split()) == "en"


def test_every_line_gets_every_signal_and_the_main_block_is_the_prose():
    lines = page_lines(PAGE)
    assert len(lines) == len([line for line in PAGE.split("\n") if line.strip()])
    assert all(len(line.features) == len(FEATURES) for line in lines)
    prose = FEATURES.index("in_main_block")
    inside = [line.text for line in lines if line.features[prose]]
    assert inside[0].startswith("The harbour stayed closed") and inside[-1].startswith("Fishermen")
    assert main_block([(3, 0.0, False, False), (20, 0.4, True, True), (2, 0.0, False, False)]) == (1, 1)


def test_the_words_of_a_page_interface_are_a_signal_in_every_language_and_prose_lacks_them():
    page = ("Kommentar schreiben\nArtikel teilen\nDrukuj\nPartager sur Facebook\n"
            + furniture._ARTICLE)
    ui = FEATURES.index("ui_share")
    shares = {line.text: line.features[ui] for line in page_lines(page)}
    assert shares["Kommentar schreiben"] == 0.5 and shares["Artikel teilen"] == 1.0 and shares["Drukuj"] == 1.0
    assert shares["Partager sur Facebook"] == 2 / 3  # "sur" is not the interface's
    assert all(shares[line] == 0.0 for line in furniture._ARTICLE.splitlines())


def test_the_footer_of_a_page_is_found_and_the_article_is_not():
    doc = Document("page.txt", PAGE)
    found = {doc.text[f.start:f.end] for f in _engine().check(doc)}
    assert {"Share on Facebook", "Imprint", "Privacy", "Newsletter"} <= found
    assert not any(line in found for line in furniture._ARTICLE.splitlines())


def test_authored_formats_and_short_texts_are_left_to_their_own_rules():
    for name in ("page.md", "page.rst"):
        assert not [f for f in _engine().check(Document(name, PAGE)) if f.code in ("FUR001", "FUR002")]
    assert not _engine().check(Document("article.txt", furniture._ARTICLE))


def test_the_clean_markdown_and_html_of_the_corpus_get_no_furniture_finding():
    from conftest import CORPUS
    from repair.registry import all_rules

    codes = tuple(r.code for r in all_rules(Settings(languagetool=False)) if r.code.startswith("FUR"))
    engine = Engine(Settings(select=codes, languagetool=False))
    found = []
    for path in sorted((CORPUS / "clean").glob("*/*")):
        if path.suffix in (".md", ".html"):
            found += [(path.name, f.code, f.message) for f in engine.check(Document.read(path))]
    assert not found


def test_fixing_a_page_settles_and_a_second_fix_changes_nothing():
    # no signal depends on where the page ends: once its footer is gone, the article's last lines stay
    from repair.model import Applicability

    engine = _engine()
    page = PAGE + furniture._MAYBE
    once = engine.fix(Document("page.txt", page), Applicability.UNSAFE).text
    assert furniture._ARTICLE in once
    assert engine.fix(Document("page.txt", once), Applicability.UNSAFE).text == once


def test_the_same_line_scores_as_furniture_among_the_footer_and_as_text_inside_the_article():
    # the second stage reads the neighbours' scores and where the article lies, not only the line itself
    from repair.furniture_classifier import scored_lines, thresholds

    title, first, second, _ = furniture._ARTICLE.split("\n")
    line = "Weather on the coast"
    in_footer = furniture._MENU + furniture._ARTICLE + line + "\n" + furniture._FOOTER
    in_article = furniture._MENU + f"{title}\n{first}\n{line}\n{second}\n" + furniture._FOOTER
    unsafe, _ = thresholds()
    (footer_score,) = [score for page_line, score in scored_lines(in_footer) if page_line.text == line]
    (article_score,) = [score for page_line, score in scored_lines(in_article) if page_line.text == line]
    assert footer_score > unsafe >= article_score


def test_the_article_is_the_run_of_lines_the_first_stage_finds_most_like_text():
    from repair.furniture_classifier import article_span

    # menu (furniture log-odds > 0), then the article with one unsure line in it, then the footer
    assert article_span([3, 2, -1, -2, 0.5, -3, 4, 5], 0.0) == (2, 5)
    assert article_span([1, 1, 1], 0.0) == (0, -1)


def test_a_site_name_ending_a_line_is_found_as_the_suffix_search_finds_it():
    """_ends_in_site_name tries only the line's last dash or bar: the same answer as SITE_SUFFIX.search on every
    line of the corpus, and on suffixes after odd white space and dashes."""
    from pathlib import Path

    from repair.detectors.duplication import SITE_SUFFIX

    corpus = Path(__file__).resolve().parent.parent / "corpus"
    lines = [line.strip() for path in sorted(corpus.rglob("*.txt"))
             for line in path.read_text(encoding="utf-8").splitlines()]
    lines += ["Headline - Reuters", "Headline  \u2013  Sputnik International", "a \u2014 B", "x |\tAFP", "x -\u00a0AFP",
              "x\u2028-\u2028AFP", "well-known Reuters", "x -AFP", "x - afp", "- Reuters", " - Reuters", "a - B - c",
              "a - B-C", "a - B | C D", "a - One Two Three Four", "a - One Two Three Four Five", "a | B.C. & D'E",
              "a -- B", "a - B -", "a \u2013 B \u2014 C", "|", "-", "a - B\u00a0"]
    assert sum(bool(SITE_SUFFIX.search(line)) for line in lines) > 10
    for line in lines:
        assert furniture._ends_in_site_name(line) == bool(SITE_SUFFIX.search(line)), line


def test_a_text_holds_a_line_ending_in_a_site_name_when_the_whole_text_search_finds_one(monkeypatch):
    """FUR003 reads a text's lines only when _SITE_NAME_ENDING_A_LINE finds a line that _ends_in_site_name:
    found in every text one of whose lines ends so (after odd white space, before a carriage return), and the
    same findings as reading the lines of every text of the corpus."""
    import re
    from pathlib import Path

    corpus = Path(__file__).resolve().parent.parent / "corpus"
    texts = [path.read_text(encoding="utf-8") for path in sorted(corpus.rglob("*")) if path.suffix in (".txt", ".md")]
    lines = [line for text in texts for line in text.split("\n")]
    lines += ["Headline - Reuters", "Headline  \u2013  Sputnik International ", "a \u2014 B\r", "x |\tAFP",
              "x -\u00a0AFP", "x\u2028-\u2028AFP", "well-known Reuters", "x -AFP", "- Reuters", " - Reuters",
              "a - B - c", "a - B-C", "a - B | C D", "a - One Two Three Four", "a - One Two Three Four Five",
              "a | B.C. & D'E", "a - B -", "a \u2013 B \u2014 C", "|", "-", "a - B\u00a0", "\ta\u3000-\u3000B\t"]
    assert all((re.match(r"\s", chr(c)) is not None) == chr(c).isspace() for c in range(0x110000))
    ending = 0
    for line in lines:
        if furniture._ends_in_site_name(line.strip()):
            ending += 1
            assert furniture._SITE_NAME_ENDING_A_LINE.search(f"First line.\n{line}\nNext line\n"), line
            assert furniture._SITE_NAME_ENDING_A_LINE.search(line), line
    assert ending > 10
    detector = furniture.FurnitureDetector()
    texts += ["The army took the city on Sunday after three weeks of fighting in the desert around it.\n"
              f"{caption}\nFirst Images of the Ancient Artifacts Damaged by Daesh Revealed\nMore text.\n"
              for caption in lines[-22:]]
    found = 0
    for text in texts:
        doc = Document("t.txt", text)
        fast = [(f.start, f.end, f.message) for f in detector._teasers(doc, set())]
        with monkeypatch.context() as patch:
            patch.setattr(furniture, "_SITE_NAME_ENDING_A_LINE", re.compile(""))
            assert [(f.start, f.end, f.message) for f in detector._teasers(doc, set())] == fast
        found += len(fast)
    assert found > 5
