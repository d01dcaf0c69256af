"""Every rule's bad and good examples, run through the engine with only that rule selected."""

from __future__ import annotations

from pathlib import Path

import pytest

from repair.config import Settings
from repair.document import Document
from repair.engine import Engine
from repair.model import Applicability
from repair.registry import all_rules

def _needs_a_file_format(code: str) -> bool:
    """Rules whose examples only mean something in a file format with comments (SUP001), or in a run of several
    files (a corpus-wide rule, FUR004): their case files (tests/cases/<CODE>.yaml, with a `format` or a `run`)
    run them; here every example is one plain-text document."""
    import yaml

    path = Path(__file__).resolve().parent / "cases" / f"{code}.yaml"
    data = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.is_file() else {}
    return "format" in data or "run" in data


RULES = [rule for rule in all_rules(Settings(languagetool=False))
         if not rule.code.startswith("LT") and not _needs_a_file_format(rule.code)]


def _engine_for(rule) -> Engine:
    language = rule.target_languages[0] if rule.target_languages else "en"
    source = rule.source_languages[0] if rule.source_languages else "auto"
    return Engine(Settings(select=(rule.code,), languagetool=False, language=language, source_language=source))


def test_every_rule_has_examples_and_docs():
    for rule in RULES:
        assert rule.examples, f"{rule.code} has no example"
        assert rule.summary and rule.name, f"{rule.code} has no summary or name"


def test_codes_are_unique():
    codes = [rule.code for rule in RULES]
    assert len(codes) == len(set(codes))


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_bad_example_is_flagged_and_fixed_to_the_good_one(rule):
    engine = _engine_for(rule)
    for example in rule.examples:
        bad = Document("example.txt", example.bad)
        flagged = [f for f in engine.check(bad) if f.code == rule.code]
        assert flagged, f"{rule.code}: bad example not flagged: {example.bad!r}"
        if rule.fix is not None and rule.fix != Applicability.DISPLAY_ONLY:
            fixed = engine.fix(bad, Applicability.UNSAFE).text
            assert fixed == example.good, f"{rule.code}: fix gave {fixed!r}"
        good = Document("example.txt", example.good)
        assert not [f for f in engine.check(good) if f.code == rule.code], f"{rule.code}: good example flagged"
