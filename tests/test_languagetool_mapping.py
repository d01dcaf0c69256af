"""Fast unit tests of the LanguageTool mapping, on responses recorded from LanguageTool 6.8.

These never stand in for the real-server tests (tests/test_languagetool_server.py);
they pin down the conversion and mapping logic.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from repair.detectors.base import Context
from repair.languagetool import LANGUAGETOOL_VERSION
from repair.detectors.languagetool import LanguageToolDetector, join_batch, make_batches, paragraphs, split_batch
from repair.detectors.languagetool_mapping import SAFE_RULES, applicability_of, category_of, code_of, message_of
from repair.languagetool.cache import ParagraphCache, cache_key
from repair.languagetool.client import RawMatch, parse_matches, utf16_to_codepoints
from repair.model import Applicability, Category

ROOT = Path(__file__).resolve().parents[1]

# Recorded from LanguageTool 6.8, language=en-US (replacements trimmed to 3).
ASTRAL_TEXT = "😀 𝒳 He is a ultraradical member ( OSDH) of the the group."
ASTRAL_RESPONSE = [
    {"message": "Use “an” instead of ‘a’ if the following word starts with a vowel sound, e.g. ‘an article’, ‘an hour’.",
     "replacements": [{"value": "an"}], "offset": 12, "length": 1,
     "rule": {"id": "EN_A_VS_AN", "issueType": "misspelling", "category": {"id": "MISC"}}},
    {"message": "Possible spelling mistake found.", "replacements": [], "offset": 14, "length": 12,
     "rule": {"id": "MORFOLOGIK_RULE_EN_US", "issueType": "misspelling", "category": {"id": "TYPOS"}}},
    {"message": "Don’t put a space after the opening parenthesis.", "replacements": [{"value": "("}],
     "offset": 34, "length": 2,
     "rule": {"id": "COMMA_PARENTHESIS_WHITESPACE", "issueType": "whitespace", "category": {"id": "TYPOGRAPHY"}}},
    {"message": "Possible spelling mistake found.",
     "replacements": [{"value": "OUDH"}, {"value": "OSD"}, {"value": "SDH"}], "offset": 36, "length": 4,
     "rule": {"id": "MORFOLOGIK_RULE_EN_US", "issueType": "misspelling", "category": {"id": "TYPOS"}}},
    {"message": "Possible typo: you repeated a word.", "replacements": [{"value": "the"}], "offset": 45, "length": 7,
     "rule": {"id": "ENGLISH_WORD_REPEAT_RULE", "issueType": "duplication", "category": {"id": "MISC"}}},
]


def test_utf16_offsets_become_code_points():
    matches = parse_matches(ASTRAL_TEXT, ASTRAL_RESPONSE)
    spans = [ASTRAL_TEXT[m.start:m.end] for m in matches]
    assert spans == ["a", "ultraradical", "( ", "OSDH", "the the"]


def test_span_containing_an_astral_character_keeps_its_length():
    text = "Send 𝒳𝒴 now"  # two astral characters: 4 UTF-16 units, 2 code points
    response = [{"message": "m", "replacements": [], "offset": 5, "length": 4,
                 "rule": {"id": "X", "issueType": "misspelling", "category": {"id": "TYPOS"}}}]
    [match] = parse_matches(text, response)
    assert text[match.start:match.end] == "𝒳𝒴"


def test_utf16_conversion_table():
    text = "a😀b𝒳c"
    convert = utf16_to_codepoints(text)
    units = text.encode("utf-16-le")
    for index in range(len(text) + 1):
        assert convert(len(text[:index].encode("utf-16-le")) // 2) == index
    assert convert(len(units) // 2) == len(text)
    assert utf16_to_codepoints("plain ascii")(7) == 7


@pytest.mark.parametrize(
    "rule_id, category_id, issue_type, expected",
    [
        ("MORFOLOGIK_RULE_EN_US", "TYPOS", "misspelling", Category.SPELLING),
        ("FR_SPELLING_RULE", "TYPOS", "misspelling", Category.SPELLING),
        ("GERMAN_SPELLER_RULE", "TYPOS", "misspelling", Category.SPELLING),
        ("UPPERCASE_SENTENCE_START", "CASING", "typographical", Category.SPELLING),
        ("EN_A_VS_AN", "MISC", "misspelling", Category.GRAMMAR),
        ("ENGLISH_WORD_REPEAT_RULE", "MISC", "duplication", Category.GRAMMAR),
        ("HE_VERB_AGR", "GRAMMAR", "grammar", Category.GRAMMAR),
        ("COMMA_PARENTHESIS_WHITESPACE", "TYPOGRAPHY", "whitespace", Category.PUNCTUATION),
        ("CONSECUTIVE_SPACES", "TYPOGRAPHY", "typographical", Category.PUNCTUATION),
        ("UNPAIRED_BRACKETS", "PUNCTUATION", "typographical", Category.PUNCTUATION),
        ("VERY_UNIQUE", "REDUNDANCY", "style", Category.STYLE),
        ("EN_COLLOQUIAL", "STYLE", "style", Category.STYLE),
        ("SOMETHING_NEW", "SOME_NEW_CATEGORY", "uncategorized", Category.GRAMMAR),
    ],
)
def test_categories(rule_id, category_id, issue_type, expected):
    assert category_of(rule_id, category_id, issue_type) is expected


def test_codes():
    assert code_of("MORFOLOGIK_RULE_EN_US", "TYPOS", "misspelling") == "LT100"
    assert code_of("EN_A_VS_AN", "MISC", "misspelling") == "LT200"
    assert code_of("COMMA_PARENTHESIS_WHITESPACE", "TYPOGRAPHY", "whitespace") == "LT300"
    assert code_of("VERY_UNIQUE", "REDUNDANCY", "style") == "LT400"


def test_only_reviewed_rules_with_one_suggestion_are_safe():
    assert applicability_of("EN_A_VS_AN", ("an",)) is Applicability.SAFE
    assert applicability_of("COMMA_PARENTHESIS_WHITESPACE", ("(",)) is Applicability.SAFE
    # a reviewed rule with two suggestions: never take the first
    assert applicability_of("EN_A_VS_AN", ("an", "a")) is Applicability.DISPLAY_ONLY
    # one suggestion, but the rule is not on the list
    assert applicability_of("MORFOLOGIK_RULE_EN_US", ("sentence",)) is Applicability.DISPLAY_ONLY
    assert applicability_of("VERY_UNIQUE", ("unique",)) is Applicability.DISPLAY_ONLY
    assert applicability_of("EN_A_VS_AN", ()) is None
    assert "MORFOLOGIK_RULE_EN_US" not in SAFE_RULES


def test_message_keeps_languagetool_rule_id():
    assert message_of("EN_A_VS_AN", "Use “an”  instead\nof ‘a’.", ("an",)) == "[EN_A_VS_AN] Use “an” instead of ‘a’."
    assert "Suggestions: “x”, “y”" in message_of("R", "m", ("x", "y"))


def _findings(text: str, response: list, allow: frozenset[str] = frozenset()):
    detector = LanguageToolDetector(url="http://127.0.0.1:9")
    return detector.to_findings(parse_matches(text, response), text, Context(allow=allow))


def test_findings_from_recorded_response():
    findings = _findings(ASTRAL_TEXT, ASTRAL_RESPONSE)
    by_rule = {f.message.split("]")[0][1:]: f for f in findings}
    a_an = by_rule["EN_A_VS_AN"]
    assert (a_an.code, ASTRAL_TEXT[a_an.start:a_an.end]) == ("LT200", "a")
    assert a_an.fix.applicability is Applicability.SAFE and a_an.fix.edits[0].replacement == "an"
    bracket = by_rule["COMMA_PARENTHESIS_WHITESPACE"]
    assert (bracket.code, ASTRAL_TEXT[bracket.start:bracket.end]) == ("LT300", "( ")
    assert bracket.fix.applicability is Applicability.SAFE
    spelling = [f for f in findings if f.code == "LT100"]
    # "OSDH", capitalised, with no frequent word one edit away, is taken for a name; "ultraradical", for which
    # the speller has no suggestion at all, is a rare word (ultra + radical), not a slip of the keyboard
    assert spelling == []


def test_allow_list_silences_spelling_only():
    findings = _findings(ASTRAL_TEXT, ASTRAL_RESPONSE, allow=frozenset({"OSDH", "Ultraradical"}))
    assert [f for f in findings if f.code == "LT100"] == []
    assert any(f.code == "LT200" for f in findings)  # a/an is not a misspelling


def _speller_match(offset: int, length: int, replacements: list[str]) -> dict:
    return {"message": "Possible spelling mistake found.", "replacements": [{"value": r} for r in replacements],
            "offset": offset, "length": length,
            "rule": {"id": "MORFOLOGIK_RULE_EN_US", "issueType": "misspelling", "category": {"id": "TYPOS"}}}


def test_unknown_capitalised_words_are_names_inside_a_sentence_and_at_its_start():
    text = "Kamal Alam told RT. Alam added that the armmy won."
    response = [_speller_match(6, 4, ["Adam", "Alan"]), _speller_match(20, 4, ["Adam", "Alan"]),
                _speller_match(40, 5, ["army", "arm"])]
    spelled = [text[f.start:f.end] for f in _findings(text, response)]
    assert spelled == ["armmy"]  # Alam: no frequent word is one edit away, other languages know it
    armmy = _findings(text, response)[-1]
    assert armmy.fix.applicability is Applicability.DISPLAY_ONLY  # several suggestions: shown, never applied


def test_allow_list_multiword_term():
    text = "They fled to Deir ez-Zor."
    response = [{"message": "Possible spelling mistake found.", "replacements": [{"value": "ex"}], "offset": 18,
                 "length": 2,
                 "rule": {"id": "MORFOLOGIK_RULE_EN_US", "issueType": "misspelling", "category": {"id": "TYPOS"}}}]
    assert len(_findings(text, response)) == 1
    assert _findings(text, response, allow=frozenset({"Deir ez-Zor"})) == []


def test_paragraph_offsets():
    text = "First para\nsame para.\n\n\nSecond.\n  \nThird"
    parts = paragraphs(text)
    assert [t for _, t in parts] == ["First para\nsame para.", "Second.", "Third"]
    for start, part in parts:
        assert text[start:start + len(part)] == part


def test_long_paragraph_is_cut_at_line_ends():
    lines = [f"Line number {i} is here." for i in range(400)]
    text = "\n".join(lines)
    parts = paragraphs(text, max_chars=1000)
    assert len(parts) > 5
    assert all(len(part) <= 1000 for _, part in parts)
    assert "".join(part for _, part in parts) == text
    for start, part in parts:
        assert text[start:start + len(part)] == part


def test_cache_key_covers_text_language_version_and_rules():
    base = cache_key("text", "en-US", "6.8")
    assert base == cache_key("text", "en-US", "6.8")
    assert len({base, cache_key("text ", "en-US", "6.8"), cache_key("text", "en-GB", "6.8"),
                cache_key("text", "en-US", "6.9"), cache_key("text", "en-US", "6.8", enabled=("X",)),
                cache_key("text", "en-US", "6.8", disabled=("X",))}) == 6


def test_paragraph_cache_round_trip(tmp_path):
    cache = ParagraphCache(tmp_path / "c.sqlite3")
    match = RawMatch(1, 3, "R", "C", "misspelling", "msg", ("a", "b"))
    cache.put_many([("k1", [match]), ("k2", [])])
    cache.close()
    again = ParagraphCache(tmp_path / "c.sqlite3")
    assert again.get_many(["k1", "k2", "k3"]) == {"k1": [match], "k2": []}
    assert (again.hits, again.misses) == (2, 1)


def test_pinned_version_matches_pom():
    pom = (ROOT / "languagetool" / "pom.xml").read_text()
    assert re.search(r"<languagetool.version>(.*?)</languagetool.version>", pom).group(1) == LANGUAGETOOL_VERSION


def test_detector_is_secondary_with_four_rules():
    assert LanguageToolDetector.secondary is True
    assert [r.code for r in LanguageToolDetector.rules] == ["LT100", "LT200", "LT300", "LT400"]
    assert [r.category for r in LanguageToolDetector.rules] == [
        Category.SPELLING, Category.GRAMMAR, Category.PUNCTUATION, Category.STYLE]


def test_batches_group_paragraphs_and_keep_every_worker_busy():
    todo = [(f"k{i}", "en", "x" * 900) for i in range(20)]
    batches = make_batches(todo, workers=4, max_chars=20000, min_chars=1000)
    assert len(batches) >= 4
    assert [key for _, members in batches for key, _ in members] == [f"k{i}" for i in range(20)]
    # languages are never mixed in one request
    mixed = make_batches([("a", "en", "x"), ("b", "fr", "y"), ("c", "fr", "z")], workers=1)
    assert [(language, [k for k, _ in members]) for language, members in mixed] == [("en", ["a"]), ("fr", ["b", "c"])]


def test_split_batch_maps_matches_back_to_paragraphs():
    members = [("a", "He is a error."), ("b", "😀 a ultraradical"), ("c", "End")]
    joined = join_batch(members)
    found = lambda word, after=0: joined.index(word, after)  # noqa: E731
    raw = [
        RawMatch(found("a error"), found("a error") + 1, "EN_A_VS_AN", "MISC", "misspelling", "m", ("an",)),
        RawMatch(found("a ultra"), found("a ultra") + 1, "EN_A_VS_AN", "MISC", "misspelling", "m", ("an",)),
        RawMatch(len("He is a error."), len("He is a error.") + 1, "SEP", "X", "x", "in the separator", ()),
        RawMatch(found("End"), len(joined) + 5, "LONG", "X", "x", "runs past the end", ()),
    ]
    parts = dict(split_batch(members, raw))
    assert [("He is a error."[m.start:m.end], m.rule_id) for m in parts["a"]] == [("a", "EN_A_VS_AN")]
    assert [("😀 a ultraradical"[m.start:m.end]) for m in parts["b"]] == ["a"]
    assert [("End"[m.start:m.end], m.rule_id) for m in parts["c"]] == [("End", "LONG")]


def test_a_doubled_particle_is_not_a_safe_fix():
    assert applicability_of("ENGLISH_WORD_REPEAT_RULE", ["the"]) is Applicability.SAFE
    # human text: "and was taken in in the church" (a phrasal verb, then a preposition)
    assert applicability_of("ENGLISH_WORD_REPEAT_RULE", ["in"]) is Applicability.UNSAFE


def test_a_names_leading_dot_is_not_a_misplaced_full_stop():
    from repair.detectors.languagetool import _dotted_name

    def dotted(text: str) -> bool:
        start = text.index(" .")
        return _dotted_name(text, start, start + 2)

    assert dotted("Changes to the .listen() method") and dotted("Add a .dockerignore file")
    assert dotted("about .5 seconds") and dotted("the .NET runtime")
    assert not dotted("It was good .It was bad.") and not dotted("It ended .")


def test_american_and_british_spellings_are_variants_not_misspellings():
    from repair.detectors.languagetool import _variant_spelling

    assert _variant_spelling("behaviour", "en") and _variant_spelling("behavior", "en-GB")
    assert not _variant_spelling("behaviuor", "en") and not _variant_spelling("behaviour", "de")


def _speller(text: str, word: str, suggestions=("x",)) -> RawMatch:
    start = text.index(word)
    return RawMatch(start, start + len(word), "MORFOLOGIK_RULE_EN_US", "TYPOS", "misspelling",
                    "Possible spelling mistake found.", tuple(suggestions))


@pytest.mark.parametrize("technical, word, suggestions, kept", [
    (True, "seprate", ("separate",), True),  # a misspelling people are known to make (codespell's list)
    (True, "lexers", ("levers",), False),  # technical writing: the speller's dictionary lacks its terms
    (True, "dicts", ("diets",), False),
    (False, "seprate", ("separate",), True),
    (False, "bool", ("book",), True),  # prose without code: the speller is judged as before
])
def test_in_technical_writing_the_speller_is_believed_on_known_misspellings(technical, word, suggestions, kept):
    text = f"The {word} are read once and kept in a table for later use."
    findings = LanguageToolDetector().to_findings([_speller(text, word, suggestions)], text, Context(),
                                                  technical=technical)
    assert bool(findings) == kept


@pytest.mark.parametrize("word", ["CommonJS", "reqId", "ORMs", "uTidylib", "CLexer"])
def test_words_with_inner_capitals_are_names_not_typos(word):
    text = f"It loads the {word} module first."
    assert not LanguageToolDetector().to_findings([_speller(text, word, ("Commons",))], text, Context())


def test_a_quoted_bracket_is_named_not_used():
    text = "Matching up to the first '}' character is not enough. A stray ( bracket is."
    brace, stray = text.index("}"), text.index("( b")
    matches = [RawMatch(at, at + 1, "EN_UNPAIRED_BRACKETS", "PUNCTUATION", "typographical", "Unpaired symbol", ())
               for at in (brace, stray)]
    assert [f.start for f in LanguageToolDetector().to_findings(matches, text, Context())] == [stray]


def test_a_word_repeated_from_a_heading_into_its_paragraph_is_no_slip():
    text = "Enable logging\nLogging is off by default. It is is on in tests."
    first = text.index("logging\nLogging")
    second = text.index("is is")
    matches = [RawMatch(first, first + len("logging\nLogging"), "ENGLISH_WORD_REPEAT_RULE", "MISC", "duplication",
                        "Possible typo: you repeated a word.", ("logging",)),
               RawMatch(second, second + 5, "ENGLISH_WORD_REPEAT_RULE", "MISC", "duplication",
                        "Possible typo: you repeated a word.", ("is",))]
    assert [f.start for f in LanguageToolDetector().to_findings(matches, text, Context())] == [second]
