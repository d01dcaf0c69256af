"""SCR001 in a non-Latin target: Latin-script names and brands are left as Russian text keeps them."""

from repair.api import Checker


def test_latin_names_and_brands_in_russian_are_not_untranslated():
    with Checker(languagetool=False, language="ru", select=["SCR001"]) as checker:
        text = "Об этом сообщили газета The Mail on Sunday, агентство Press Trust of India и владельцы iPhone.\n"
        assert checker.check_text(text) == []
        english = "Он сказал: the government will fall soon, и ушёл.\n"
        assert [english[f.start:f.end] for f in checker.check_text(english)] == ["the government will fall soon"]


def test_a_latin_texts_mixed_words_are_found_from_their_letters_of_other_scripts():
    """In a Latin text SCR002 reads only the words holding a letter of another script: it finds what reading every
    word with a letter past ASCII finds (accented Latin, letters of no script of the table, digits of other
    scripts, marks)."""
    from repair.detectors import script
    from repair.document import Document
    from repair.engine import Engine
    from repair.config import Settings

    text = ("The Syrian аrmy met Sokhné's café crew. Βeta and Ωmega, naïve ΑΒΓ, Jérôme Οlympia, ፊደል word, "
            "x٣y ab\u0301c, Кофе and mоре, 東京 Tokyo東京, İstanbul ẞtraße, ℌilbert, ǅemal Νίκη.\n")
    detector = script.ScriptDetector()
    ctx = Engine(Settings(languagetool=False)).context
    scripts = script._other_scripts_in(text)
    found = [(f.start, f.end, f.message) for f in detector._mixed_words(text, "Latin", scripts)]

    everything = script._non_ascii_words
    try:  # the reference: every word with a letter past ASCII read
        script._non_ascii_words = lambda text, chars=None: everything(text)
        reference = [(f.start, f.end, f.message) for f in detector._mixed_words(text, "Latin", scripts)]
    finally:
        script._non_ascii_words = everything
    assert found == reference
    assert len(found) >= 5
    assert [f.code for f in detector.detect(Document("t.txt", text), ctx)].count("SCR002") == len(found)


def test_script_of_is_the_character_classes_of_the_script_ranges():
    """script_of compares code points with SCRIPT_RANGES instead of compiling a [ranges] class per script: the
    same script as the first class that matches, for every character of the BMP (every range lies there) and a
    spread of the others."""
    import re

    from repair.detectors.script import SCRIPT_RANGES, script_of

    classes = [(name, re.compile(f"[{chars}]")) for name, chars in SCRIPT_RANGES.items()]
    for point in [*range(0x10000), *range(0x10000, 0x110000, 997)]:
        char = chr(point)
        expected = next((name for name, pattern in classes if pattern.match(char)), None)
        assert script_of(char) == expected, hex(point)


def test_other_script_is_looked_up_by_code_point_as_the_class_of_those_scripts_matches():
    """_has_other_script answers from code points (no class of every other script compiled on Latin text): the
    same answer as searching for that class, for every character of the BMP and a spread of the others."""
    import re

    from repair.detectors.script import SCRIPT_RANGES, _has_other_script

    other = re.compile("[" + "".join(c for name, c in SCRIPT_RANGES.items() if name != "Latin") + "]")
    for point in [*range(0x10000), *range(0x10000, 0x110000, 997)]:
        char = chr(point)
        if 0xD800 <= point <= 0xDFFF:
            continue
        assert _has_other_script(f"Latin “text” {char}.") == (other.search(char) is not None), hex(point)


def test_a_latin_text_s_patterns_hold_the_scripts_it_holds_and_find_what_those_of_every_script_find(monkeypatch):
    """In a Latin text SCR001 and SCR002 compile their classes for the other scripts the text holds only (a class
    of every script is slow to compile): the same findings as with the classes of every other script, on the
    corpus's texts and on texts mixing scripts, punctuation and digits between them."""
    from pathlib import Path

    from repair.config import Settings
    from repair.detectors import script
    from repair.document import Document
    from repair.engine import Engine

    ctx = Engine(Settings(languagetool=False)).context
    corpus = Path(__file__).resolve().parent.parent / "corpus"
    texts = [path.read_text(encoding="utf-8") for path in sorted(corpus.rglob("*.txt"))]
    texts += ["Кофе, 東京 (Tokyo) 1, 2 и ещё — «мир» Ωmega ΑΒΓ; ሰላም ئىلان שָׁלוֹם 서울 カタカナ ไทย हिन्दी ქართ Հայ বাংলা.\n",
              "The Syrian аrmy: Кофе and mоре, 東京 Tokyo東京, x٣y.\n", "Only “quotes” — and dashes…\n"]
    every = frozenset(name for name in script.SCRIPT_RANGES if name != "Latin")
    with_scripts = [[(f.code, f.start, f.end, f.message) for f in script.ScriptDetector().detect(Document("t.txt", t), ctx)]
                    for t in texts]
    assert sum(map(len, with_scripts)) >= 8
    # the reference: the classes of every other script, whenever the text holds one
    monkeypatch.setattr(script, "_other_scripts_in", lambda text, real=script._other_scripts_in: real(text) and every)
    reference = [[(f.code, f.start, f.end, f.message) for f in script.ScriptDetector().detect(Document("t.txt", t), ctx)]
                 for t in texts]
    assert with_scripts == reference
    assert len(script._OTHER_LETTER) > 2  # (compiled for several sets of scripts)
