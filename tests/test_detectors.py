"""Built-in detectors on real text from the seed articles and on known damage patterns."""

from __future__ import annotations

import pytest

from conftest import CORPUS
from repair.config import Settings
from repair.document import Document
from repair.engine import Engine
from repair.model import Applicability

SPUTNIK = (CORPUS / "000_9d2a160825c0186a.txt").read_text(encoding="utf-8")
AFP = (CORPUS / "003_1374c92416c258b1.txt").read_text(encoding="utf-8")


def check(text: str, select: str, language: str = "en"):
    engine = Engine(Settings(languagetool=False, select=tuple(select.split(",")), language=language))
    return engine.check(Document("t.txt", text))


def fix(text: str, select: str, unsafe: bool = False) -> str:
    engine = Engine(Settings(languagetool=False, select=tuple(select.split(","))))
    return engine.fix(Document("t.txt", text), Applicability.UNSAFE if unsafe else Applicability.SAFE).text


@pytest.mark.parametrize("bad,good", [
    ("The cafÃ© opened.", "The café opened."),
    ("Syriaâ€™s army", "Syria’s army"),
    ("â€œPalmyraâ€\x9d", "“Palmyra”"),
])
def test_mojibake_is_found_and_undone(bad, good):
    findings = check(bad, "ENC")
    assert findings and "ftfy" in findings[0].message
    assert fix(bad, "ENC") == good


def test_correct_accents_and_curly_quotes_are_left_alone():
    assert check("Syria’s “café” in Kobanî and São Paulo — naïve résumé.", "ENC") == []


def test_suspect_lines_are_the_lines_with_a_suspect_character():
    """ENC finds its lines by searching the text for the characters: the lines Document.lines gives that hold one,
    also with CR LF line ends, a last line without a line break and blank lines."""
    from repair.detectors.encoding import _SUSPECT, _suspect_lines

    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    texts += ["cafÃ©\r\nplain\r\n\r\nâ€™ end\r", "no line break Ã©", "\n\nÃ\n", "plain\n", "", "Ã"]
    texts += [t.replace("\n", "\r\n") for t in texts]
    for text in texts:
        doc = Document("t.txt", text)
        expected = [(start, line) for start, _, line in doc.lines() if _SUSPECT.search(line)]
        assert list(_suspect_lines(doc)) == expected
    assert list(_suspect_lines(Document("t.txt", "a\r\nbÃ©\r\nc"))) == [(3, "bÃ©")]


def test_compiled_sequence_matcher_gives_difflibs_opcodes():
    """ENC001's changed stretches come from cydifflib's SequenceMatcher: difflib's opcodes (the reference) on the
    corpus's damaged lines as ftfy fixes them, and on strings made to tie (repeated letters, swapped halves)."""
    import difflib
    import random

    import ftfy
    from cydifflib import SequenceMatcher

    from repair.detectors.encoding import _changes, _ftfy_config, _matcher, _suspect_lines, may_need_ftfy

    assert _matcher() is SequenceMatcher
    config = _ftfy_config()
    pairs = []
    for path in sorted(CORPUS.rglob("*.txt")):
        for _, line in _suspect_lines(Document("t.txt", path.read_text(encoding="utf-8"))):
            if may_need_ftfy(line):
                fixed, _ = ftfy.fix_and_explain(line, config=config)
                pairs.append((line, fixed))
    pairs += [(bad, ftfy.fix_and_explain(bad, config=config)[0]) for bad in (
        "The cafÃ© opened in Palmyra.", "Syriaâ€™s army and â€œPalmyraâ€\x9d", "ﬁrst ﬁnal ﬁx", "（ねが）い")]
    rng = random.Random(3)
    for _ in range(300):
        a = "".join(rng.choice("abé ") for _ in range(rng.randrange(0, 40)))
        b = list(a)
        for _ in range(rng.randrange(1, 5)):
            at = rng.randrange(len(b) + 1)
            b[at:at + rng.randrange(0, 3)] = rng.choice(["", "a", "Ã©", "ab", "  "])
        pairs.append((a, "".join(b)))
    pairs.append(("ab" * 50 + "x", "x" + "ba" * 50))
    assert sum(line != fixed for line, fixed in pairs) > 50
    for line, fixed in pairs:
        assert SequenceMatcher(None, line, fixed, autojunk=False).get_opcodes() == \
            difflib.SequenceMatcher(None, line, fixed, autojunk=False).get_opcodes(), (line, fixed)
    assert _changes("The cafÃ© opened, cafÃ© closed", "The café opened, café closed") == [(7, 9, "é"), (21, 23, "é")]


def test_lines_ftfy_is_skipped_on_are_lines_ftfy_leaves_alone():
    """ENC skips ftfy (and its import) on lines may_need_ftfy clears: every Unicode character it clears, between
    ASCII letters, spaces, digits and punctuation, is left alone by ftfy itself, and so is every run of up to
    four typographic marks and no-break spaces it clears; mojibake is never cleared."""
    import itertools
    import unicodedata

    import ftfy
    from repair.detectors.encoding import _SUSPECT, _ftfy_config, may_need_ftfy

    # every character of the BMP; past it, the assigned ones and every 97th of the rest (unassigned, private use)
    asked = [chr(c) for c in range(0x80, 0x110000)
             if c < 0x10000 or c % 97 == 0 or unicodedata.category(chr(c)) not in ("Cn", "Co")]
    cleared = [c for c in asked if not may_need_ftfy(f"a{c}a")]
    assert len(cleared) > 150_000 and {"ñ", "©", "€", "°", "\xa0", "\ue5c5"} <= set(cleared)
    assert not {"ﬁ", "Ã", "Â", "œ", "\x85", "\u200b", "\ufeff", "\u3000", "Ｐ", "\ufffc", "\u0301"} & set(cleared)
    config = _ftfy_config()
    for separator in ("a", " ", "1", ".", "'"):
        for chunk in range(0, len(cleared), 2000):
            line = separator.join(cleared[chunk:chunk + 2000]) + separator
            assert not may_need_ftfy(line)
            fixed, _ = ftfy.fix_and_explain(line, config=config)
            assert fixed == line, [c for c in cleared[chunk:chunk + 2000] if ftfy.fix_and_explain(f"a{c}a", config=config)[0] != f"a{c}a"]
    marks = "‘’“”–—…\xa0"
    runs = ["".join(run) for size in range(1, 5) for run in itertools.product(marks, repeat=size)]
    for separator in ("a", "A", " ", "1", ".", "'", "ab"):
        line = separator + separator.join(runs) + separator
        assert not may_need_ftfy(line) and not _SUSPECT.search(line)  # (not even a suspect line)
        assert ftfy.fix_and_explain(line, config=config)[0] == line
    for damaged in ("The cafÃ© opened.", "Syriaâ€™s army", "â€œPalmyraâ€\x9d", "Ã la carte", "ﬁrst", "Ｐalmyra",
                    "e\u0301t\u00e9", "“ñ”", "Â\xa0", "Ã\xa0", "\xa0€"):
        assert may_need_ftfy(damaged)


def test_russian_ui_string_is_foreign_script():
    findings = check(SPUTNIK, "SCR001")
    assert [SPUTNIK[f.start:f.end] for f in findings] == ["Заголовок открываемого материала"]


def test_cjk_word_in_english_sentence():
    text = "Cyanuric acid and 三聚氰胺 were both found in urine samples."
    (finding,) = check(text, "SCR001")
    assert text[finding.start:finding.end] == "三聚氰胺"


def test_single_greek_letters_are_symbols_not_untranslated_text():
    assert check("The α and β particles, and Δ as the change.", "SCR001") == []


def test_latin_text_in_russian_output_is_foreign():
    findings = check("Компания заявила, что the meeting was cancelled.", "SCR001", language="ru")
    assert findings and "Latin" in findings[0].message


def test_homoglyph_is_fixed_when_the_mapping_is_unambiguous():
    assert fix("The Syrian \u0430rmy advanced.", "SCR002") == "The Syrian army advanced."
    (finding,) = check("The Syrian \u0430rmy advanced.", "SCR002")
    assert finding.fix.applicability == Applicability.SAFE


def test_mixed_word_without_a_homoglyph_mapping_is_reported_without_a_fix():
    (finding,) = check("The ar\u0436my advanced.", "SCR002")
    assert finding.fix is None


def test_style_block_from_the_afp_page_is_removed_whole():
    fixed = fix(AFP, "MRK")
    assert "wpb_animate" not in fixed
    assert fixed.startswith("The Syrian regime retook the city of Palmyra")


def test_tags_and_entities():
    assert fix("Syria&#8217;s army &amp; its <b>allies</b>.", "MRK") == "Syria’s army & its allies."


def test_angle_brackets_in_prose_are_not_tags():
    assert check("If x<y and y>z then x<z; use <nothing> here.", "MRK") == []


def test_headline_printed_twice():
    findings = check(AFP, "DUP001")
    assert any(AFP[f.start:f.end] == "The Syrian regime retook the city of Palmyra" for f in findings)


def test_glued_words_at_element_boundary_but_not_camel_case_names():
    found = {f.message for f in check("Go to the mediabankSyrian army. See JavaScript, LinkedIn and PowerPoint.", "WEB001")}
    assert len(found) == 1 and "mediabank" in next(iter(found))


def test_glued_words_found_from_their_seams_are_those_of_the_whole_text_search():
    """WEB001's candidates, found from the seams (four lower-case letters, a capital), against _GLUE.finditer on
    the whole text: the corpus, and runs after a hashtag, a handle, a hyphen, an underscore, a digit or a
    non-ASCII letter, several seams in one run, a run whose start does not match."""
    from repair.detectors.web import _GLUE, _glue_matches

    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.rglob("*.txt"))]
    texts += ["#mediabankSyrian x @handleName -mediabankSyrian a_mediabankSyrian mediabankSyrian",
              "éabcdEf abcdeFgh abcdEFG abcdE abcdEfghIjk abcdEabcdE ﬁabcdEf 1abcdEf abcd1abcdEf Abcd",
              "McDonaldsHQ mediabankSyrian", "", "abcdE"]
    for text in texts:
        assert [(m.span(), m.groups()) for m in _glue_matches(text)] == \
            [(m.span(), m.groups()) for m in _GLUE.finditer(text)]
    assert [m.group(0) for m in _glue_matches("the mediabankSyrian army, #mediabankSyrian")] == ["mediabankSyrian"]


def test_sputnik_page_furniture_is_removed_by_safe_fixes():
    fixed = fix(SPUTNIK, "WEB1,DUP")
    for leftover in ("Subscribe\n", "Share Post", "Newsfeed", "log in or register", "loader", "Go to the mediabank",
                     "- Sputnik International", "Get the latest news"):
        assert leftover not in fixed, leftover
    assert fixed.count("Syrian army and militias fight for Palmyra\n") == 3  # one caption per photo, no copies
    assert "Kamal Alam told RT." in fixed  # the article itself is untouched


def test_lines_that_differ_only_in_code_are_no_repeat_but_a_repeated_headline_is():
    from repair.api import Checker

    checker = Checker(languagetool=False)
    markdown = "- PATCH version is `0`, and the version includes a segment.\n" \
               "- PATCH version is `1`, and the version includes a segment.\n"
    assert [f.code for f in checker.check_text(markdown, path="notes.md") if f.code.startswith("DUP")] == []
    headline = "# The regime retook the city of Palmyra\n\nThe regime retook the city of Palmyra\n\nText.\n"
    assert [f.code for f in checker.check_text(headline, path="story.md")] == ["DUP001"]


def test_a_far_repeat_in_markup_counts_only_when_written_alike():
    from repair.api import Checker

    checker = Checker(languagetool=False)
    toc = ("- [Respond to a request from a hook in the middle](#respond)\n\nOne.\n\nTwo.\n\nThree.\n\nFour.\n\n"
           "### Respond to a request from a hook in the middle\n\nText.\n")
    assert [f.code for f in checker.check_text(toc, path="hooks.md") if f.code.startswith("DUP")] == []
    caption = ("Syrian army and militias fight for Palmyra near the ancient city\n\nOne.\n\nTwo.\n\nThree.\n\nFour.\n\n"
               "Syrian army and militias fight for Palmyra near the ancient city\n")
    assert [f.code for f in checker.check_text(caption, path="page.md")] == ["DUP002"]


@pytest.mark.parametrize("first, again", [
    # a sentence running through wrapped lines: the same words opening two definitions
    ("This describes one of the major object states which\nan object can have.\n",
     "This describes one of the major object states which\na row can have.\n"),
    ("Most hooks are shared by every request made\nand **any mutation will impact all requests, potentially\n",
     "Most routes are shared by every request made\nand **any mutation will impact all requests, potentially\n"),
    # a lead-in to an example
    ("The above results in the following output:\n\n```html\n<p>a</p>\n```\n",
     "The above results in the following output:\n\n```html\n<p>b</p>\n```\n"),
])
def test_an_authors_repeated_line_in_markup_is_no_scraped_copy(first, again):
    from repair.api import Checker

    text = "# Guide\n\n" + first + "\nOne.\n\nTwo.\n\nThree.\n\nFour.\n\n" + again
    assert [f.code for f in Checker(languagetool=False).check_text(text, path="guide.md")
            if f.code.startswith("DUP")] == []
    # the same lines in plain text (a scraped page) are still repeats
    assert "DUP002" in [f.code for f in Checker(languagetool=False).check_text(
        text.replace("```html\n", "").replace("```\n", "").replace("**", "").replace("# ", ""), path="page.txt")]


def test_line_keys_skip_the_suffix_search_only_where_no_suffix_can_end_the_line():
    """duplication._keys looks for a site suffix only in keys holding a dash or bar between spaces, and splits only
    lines with odd white space: the same keys as the plain split and search on every line of the corpus and on
    suffixes after odd white space, with their words one space apart."""
    from repair.detectors.duplication import SITE_SUFFIX, _keys

    lines = [line for path in sorted(CORPUS.glob("*.txt")) for line in path.read_text(encoding="utf-8").splitlines()]
    lines += ["Headline - Reuters", "Headline  \u2013  Sputnik International", "a \u2014 B", "x |\tAFP", "x -\u00a0AFP ",
              "x\u2028-\u2028AFP", "well-known Reuters", "x -AFP", "x - afp", "", " ", "\u3000a\u3000b", "a\u00a0b", "one"]
    for line in lines:
        key = " ".join(line.split())
        bare = SITE_SUFFIX.sub("", key)
        assert _keys(line) == (key, bare)
        assert not bare or bare.count(" ") + 1 == len(bare.split())
    assert _keys("Headline -\u00a0Reuters") == ("Headline - Reuters", "Headline")
    assert _keys(" Two  words\t") == ("Two words", "Two words")


def test_lines_that_end_alike_nowhere_repeat_no_line(monkeypatch):
    """DUP compares only the lines that end in the three words another line ends in (with or without a site
    suffix), and skips a text without any: the same findings as the comparison of every line of every text, on
    the corpus and on texts made at random of its lines repeated with site suffixes, glued prefixes, odd white
    space and Markdown around them."""
    import random

    from repair.detectors import duplication

    lines = [line for path in sorted(CORPUS.rglob("*")) if path.suffix in (".txt", ".md")
             for line in path.read_text(encoding="utf-8").splitlines()]
    texts = [path.read_text(encoding="utf-8") for path in sorted(CORPUS.rglob("*")) if path.suffix in (".txt", ".md")]
    generator = random.Random(11)
    changes = [lambda l: l, lambda l: l + " - Reuters", lambda l: l + " \u2013 Sputnik International",
               lambda l: l + "  |  AFP News Agency Now", lambda l: "Photo: AFP" + l, lambda l: "  " + l.replace(" ", "\t "),
               lambda l: l.replace(" ", "\u00a0"), lambda l: l + "\r", lambda l: "# " + l, lambda l: l + " -",
               lambda l: l.rsplit(" ", 1)[0], lambda l: l + " - afp"]
    for _ in range(300):
        chosen = generator.sample(lines, generator.randrange(1, 12))
        chosen += [generator.choice(changes)(generator.choice(chosen)) for _ in range(generator.randrange(0, 4))]
        generator.shuffle(chosen)
        texts.append(generator.choice(["\n", "\n\n", "\n```\ncode\n```\n"]).join(chosen) + "\n")

    engine = Engine(Settings(languagetool=False, select=("DUP",)))

    def findings(text: str, name: str) -> list:
        return [(f.code, f.start, f.end, f.message, f.fix) for f in engine.check(Document(name, text))]

    skipped = 0
    for number, text in enumerate(texts):
        name = "t.md" if number % 3 == 0 else "t.txt"
        fast = findings(text, name)
        if not duplication._lines_that_may_repeat(text):
            skipped += 1
            assert fast == []
        with monkeypatch.context() as patch:
            patch.setattr(duplication, "_lines_that_may_repeat", lambda text: range(text.count("\n") + 1))
            assert findings(text, name) == fast, text
    assert skipped > 50 and sum(bool(findings(t, "t.txt")) for t in texts) > 100


def test_css_rules_are_the_ones_a_search_of_the_whole_text_finds():
    """markup._css_rules tries the CSS pattern only at the line starts a match can begin at: the same spans as
    finditer over the corpus and over texts made at random of selectors, braces, declarations, prose and breaks."""
    import random

    from repair.detectors.markup import _css_rule, _css_rules

    pattern = _css_rule()
    texts = [path.read_text(encoding="utf-8") for path in sorted(CORPUS.rglob("*")) if path.suffix in (".txt", ".md", ".html")]
    pieces = [".a", "#b", "div", "p", " ", "\n", "\n\n", "{", "}", ":", "color", ";", "red", ",", ">", "word", "The",
              "(", ")", '"', "@media", "\t", "-", "~", "+", "x{y:z}", ".c { a: b }", "h1, h2 {font: x}"]
    generator = random.Random(12)
    texts += ["".join(generator.choice(pieces) for _ in range(generator.randint(1, 30))) for _ in range(20000)]
    found = 0
    for text in texts:
        spans = [match.span() for match in pattern.finditer(text)]
        assert _css_rules(text) == spans, text
        found += len(spans)
    assert found > 500
