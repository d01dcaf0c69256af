"""A text that quotes a damaged form, or shows it beside its correction, mentions it: its fix is not safe."""

from __future__ import annotations

from repair.api import Checker


def levels(text: str, **options) -> dict[str, str]:
    checker = Checker(languagetool=False, **options)
    return {text[f.start:f.end]: f.fix.applicability.label for f in checker.check_text(text) if f.fix}


def test_a_form_shown_beside_its_correction_or_alone_in_quotes_is_a_mention():
    text = 'Names drift (Raqa / Raqqa), acronyms too ("EI" for IS); the word "prorégime" is French.\n'
    found = levels(text, source_language="fr")
    assert found == {"Raqa": "unsafe", "EI": "unsafe", "prorégime": "unsafe"}
    # fix writes none of them; --unsafe-fixes still may
    assert Checker(languagetool=False, source_language="fr").fix_text(text).text == text


def test_the_same_words_in_running_text_keep_their_safe_fixes():
    text = "The EI fighters left Raqa for the prorégime lines.\n"
    assert levels(text, source_language="fr") == {"EI": "safe", "Raqa": "safe", "prorégime": "safe"}
    fixed = Checker(languagetool=False, source_language="fr").fix_text(text).text
    assert fixed == "The IS fighters left Raqqa for the pro-regime lines.\n"
