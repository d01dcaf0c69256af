"""The rule packs as data: valid, no duplicates, no replacement that is itself flagged; bad files cite file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from repair.config import Settings
from repair.document import Document
from repair.engine import Engine
from repair.rulesets import BoilerplateSpec, RuleSetError, SubstitutionSpec, builtin_rules_dir, load_pack, load_packs

PACKS = load_packs([builtin_rules_dir()])


def test_shipped_packs_load_and_cover_the_needed_languages():
    names = {pack.name for pack in PACKS}
    assert {"fr-en-news", "ru-en-news", "web-leftovers", "house-style"} <= names


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.name)
def test_no_duplicate_terms_within_a_rule(pack):
    for spec in pack.rules:
        if not isinstance(spec, SubstitutionSpec):
            continue
        keys = [k if spec.case_sensitive else k.casefold() for k in spec.terms]
        assert len(keys) == len(set(keys)), f"{spec.info.code} has duplicate terms"


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.name)
def test_no_replacement_is_itself_flagged_by_the_same_pack(pack):
    source = pack.source_language if pack.source_language != "any" else "auto"
    engine = Engine(Settings(languagetool=False, source_language=source, select=tuple(s.info.code for s in pack.rules)))
    for spec in pack.rules:
        if not isinstance(spec, SubstitutionSpec):
            continue
        for term, replacement in spec.terms.items():
            if not replacement:
                continue
            sentence = f"They said {replacement} was there."
            flagged = engine.check(Document("t.txt", sentence))
            assert not flagged, f"{spec.info.code}: replacement {replacement!r} of {term!r} is flagged: {flagged}"


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.name)
def test_boilerplate_lines_are_unique(pack):
    for spec in pack.rules:
        if not isinstance(spec, BoilerplateSpec):
            continue
        lines = [" ".join(line.split()).casefold() for line in spec.lines]
        assert len(lines) == len(set(lines)), f"{spec.info.code} lists a line twice"


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "mine.yaml"
    path.write_text(body, encoding="utf-8")
    return path


VALID_RULE = """pack: mine
description: test pack
rules:
  - code: MY001
    name: my-rule
    kind: substitution
    category: style
    severity: info
    message: "use {replacement}"
    terms:
      colour: color
    examples:
      - bad: colour
        good: color
"""


def test_a_valid_user_pack_loads(tmp_path):
    pack = load_pack(_write(tmp_path, VALID_RULE))
    assert pack.rules[0].info.code == "MY001"


def test_unknown_key_is_an_error_citing_file_and_line(tmp_path):
    path = _write(tmp_path, VALID_RULE.replace("    severity: info\n", "    severity: info\n    colour: red\n"))
    with pytest.raises(RuleSetError) as raised:
        load_pack(path)
    message = str(raised.value)
    assert f"{path}:" in message and "colour" in message
    assert message.split(":")[1] == "4", message  # the rule that holds the unknown key starts on line 4


def test_bad_regular_expression_cites_its_line(tmp_path):
    body = VALID_RULE.replace("    kind: substitution\n", "    kind: pattern\n").replace(
        "    terms:\n      colour: color\n", "    pattern: \"(unclosed\"\n    replacement: x\n")
    path = _write(tmp_path, body)
    with pytest.raises(RuleSetError) as raised:
        load_pack(path)
    assert f"{path}:10:" in str(raised.value) and "regular expression" in str(raised.value)


def test_duplicate_key_is_an_error(tmp_path):
    path = _write(tmp_path, VALID_RULE.replace("      colour: color\n", "      colour: color\n      colour: hue\n"))
    with pytest.raises(RuleSetError, match=r"mine.yaml:12: duplicate key 'colour'"):
        load_pack(path)


def test_wrong_enum_value_is_reported(tmp_path):
    path = _write(tmp_path, VALID_RULE.replace("category: style", "category: stile"))
    with pytest.raises(RuleSetError, match=r"mine.yaml:\d+: rules/0/category"):
        load_pack(path)


def test_a_code_used_twice_across_packs_is_an_error(tmp_path):
    first = tmp_path / "a.yaml"
    first.write_text(VALID_RULE, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(VALID_RULE.replace("pack: mine", "pack: other"), encoding="utf-8")
    with pytest.raises(RuleSetError, match="MY001 is already used"):
        load_packs([tmp_path])


def test_terms_that_look_like_booleans_stay_words(tmp_path):
    path = _write(tmp_path, VALID_RULE.replace("      colour: color\n", "      NO: number\n      ON: upon\n"))
    pack = load_pack(path)
    assert set(pack.rules[0].terms) == {"NO", "ON"}


def test_the_schema_and_the_model_name_the_same_values():
    """rules.schema.json and repair.model / repair.rulesets are written apart: nothing else ties them."""
    import json

    from repair.model import Applicability, Category, Severity
    from repair.rulesets import SPEC_KINDS

    schema = json.loads((builtin_rules_dir() / "rules.schema.json").read_text(encoding="utf-8"))
    rule = schema["$defs"]["rule"]["properties"]
    assert set(rule["category"]["enum"]) == {c.value for c in Category}
    assert set(rule["severity"]["enum"]) == {s.value for s in Severity}
    assert set(rule["applicability"]["enum"]) == {a.label for a in Applicability}
    assert set(rule["kind"]["enum"]) == set(SPEC_KINDS)


def test_each_kind_decodes_to_its_typed_spec(tmp_path):
    from repair.rulesets import PatternSpec

    pack = load_pack(_write(tmp_path, VALID_RULE))
    spec = pack.rules[0]
    assert isinstance(spec, SubstitutionSpec) and spec.kind == "substitution"
    assert spec.terms == {"colour": "color"} and spec.case_sensitive is False
    packs = load_packs([builtin_rules_dir()])
    kinds = {type(spec) for pack in packs for spec in pack.rules}
    assert kinds == {SubstitutionSpec, PatternSpec, BoilerplateSpec}


def test_doubled_space_pattern_finds_what_its_plain_form_finds():
    """HS002 is written to open with its two spaces (a literal re finds fast) instead of its look-behind: the same
    spans as the plain form on the corpus and on random runs of blanks, tabs and letters."""
    import random
    import re

    pack = load_pack(builtin_rules_dir() / "house-style.yaml")
    (written,) = next(spec for spec in pack.rules if spec.info.code == "HS002").patterns
    pattern, plain = re.compile(written), re.compile(r"(?<=\S)  +(?=\S)")
    rng = random.Random(2)
    texts = [path.read_text(encoding="utf-8") for path in sorted(Path("corpus").rglob("*.txt"))]
    texts += ["".join(rng.choice(" \t\na b\u00a0\u3000  ") for _ in range(5_000)) for _ in range(20)]
    found = 0
    for text in texts:
        spans = [m.span() for m in pattern.finditer(text)]
        assert spans == [m.span() for m in plain.finditer(text)]
        found += len(spans)
    assert found > 1_000
