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


def test_a_list_of_forms_of_one_correction_is_a_mention():
    listed = "Acronyms drift under several garbled forms (EI, IE, IU).\n"
    assert levels(listed, source_language="fr")["EI"] == "unsafe"
    assert Checker(languagetool=False, source_language="fr").fix_text(listed).text == listed
    # two damaged names in a row are two slips, each fixed
    names = "The regime now threatens Raqa and Deir Ezzor, the last strongholds of the EI.\n"
    assert levels(names, source_language="fr") == {"Raqa": "safe", "Deir Ezzor": "safe", "EI": "safe"}


def test_interface_words_in_quotes_and_language_tags_are_not_untranslated():
    text = ('Interface words such as "Kommentar", "teilen" and "suscríbete" are listed per language, in en, de,\n'
            'fr, es; en-GB is chosen for British spelling, and the sets cover en/de/ru.\n')
    found = Checker(languagetool=False).check_text(text)
    assert [f.code for f in found if f.category.value == "untranslated"] == []
    bare = text.replace('"', "")  # the same words used, not quoted, are reported
    assert {bare[f.start:f.end] for f in Checker(languagetool=False).check_text(bare)} >= {"Kommentar", "teilen"}
    running = "The editor wrote that the Kommentar was long, en la calle es difícil.\n"
    assert {running[f.start:f.end] for f in Checker(languagetool=False).check_text(running)} >= {"en la", "es difícil"}


def test_the_same_words_in_running_text_keep_their_safe_fixes():
    text = "The EI fighters left Raqa for the prorégime lines.\n"
    assert levels(text, source_language="fr") == {"EI": "safe", "Raqa": "safe", "prorégime": "safe"}
    fixed = Checker(languagetool=False, source_language="fr").fix_text(text).text
    assert fixed == "The IS fighters left Raqqa for the pro-regime lines.\n"


def test_a_plural_ending_and_a_files_own_package_name_are_not_untranslated():
    text = "CSS class(es) used for the link.\n\nErrors are handled by [avvio](https://github.com/mcollina/avvio).\n" \
           "The avvio loader boots the plugins.\n"
    found = Checker(languagetool=False).check_text(text, path="guide.md")
    assert [f for f in found if f.code.startswith("UNT")] == []
    plain = "The avvio loader boots the plugins in order, then avvio starts.\n"
    assert {plain[f.start:f.end] for f in Checker(languagetool=False).check_text(plain)} == {"avvio"}


def test_a_camel_case_name_the_file_writes_in_its_code_is_no_glued_words():
    text = "#### removeContentTypeParser\n\nCall `fastify.removeContentTypeParser('text/plain')` to drop one.\n"
    found = Checker(languagetool=False).check_text(text, path="parsers.md")
    assert [f.code for f in found if f.code == "WEB001"] == []
    scraped = "The caption ended in the mediabankSyrian army and militias fight for Palmyra.\n"
    assert "WEB001" in {f.code for f in Checker(languagetool=False).check_text(scraped, path="page.md")}
