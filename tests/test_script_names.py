"""SCR001 in a non-Latin target: Latin-script names and brands are left as Russian text keeps them."""

from repair.api import Checker


def test_latin_names_and_brands_in_russian_are_not_untranslated():
    with Checker(languagetool=False, language="ru", select=["SCR001"]) as checker:
        text = "Об этом сообщили газета The Mail on Sunday, агентство Press Trust of India и владельцы iPhone.\n"
        assert checker.check_text(text) == []
        english = "Он сказал: the government will fall soon, и ушёл.\n"
        assert [english[f.start:f.end] for f in checker.check_text(english)] == ["the government will fall soon"]
