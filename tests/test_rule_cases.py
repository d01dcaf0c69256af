"""One case file per rule code, tests/cases/<CODE>.yaml, the way SQLFluff keeps its rule test cases.

A case file holds texts the rule must flag, with what fixing makes of them, and close calls it must leave alone:

    rule: FR010                # the file's own name
    language: en               # optional, default en (the target language)
    source_language: fr        # optional, default auto
    format: markdown           # optional, default text: the file format the texts are read as (repair.formats)
    settings:                  # optional: other settings of the Checker (repair.config.Settings field names;
      report_unused_suppressions: true   # `select` adds rules to the case's own, which alone is selected)
    run:                       # optional: the other files of the run, for a corpus-wide rule (FUR004): each case
      - "..."                  # text is checked as one more file of that run (gathered, combined, finished)
    fail:                      # at least one: texts the rule must flag
      - text: "..."
        fix: "..."             # the text after fixing with unsafe fixes allowed; without `fix`, fixing must
                               # leave the text as it is (a rule without a fix, or a display-only suggestion)
    pass:                      # at least one: texts the rule must not flag, which fixing leaves as they are
      - "..."

Every case runs through the public API (repair.api.Checker) with only its rule selected, and the settings of its
file; a file whose settings leave its rule inactive (a pack for another source language) fails, as its cases
would test nothing. LanguageTool's codes (LT100-LT400) run against the real LanguageTool server, which repair
starts on demand, in a repair home of this module's own so that the user's warm server is neither used nor
stopped: when it cannot run, their tests fail. They are skipped only when REPAIR_SKIP_LANGUAGETOOL=1 is set, like
every other LanguageTool test.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from repair.api import Checker
from repair.config import Settings
from repair.registry import all_rules

CASES = Path(__file__).resolve().parent / "cases"
LANGUAGETOOL_CODES = frozenset({"LT100", "LT200", "LT300", "LT400"})

_FILE_KEYS = {"rule", "language", "source_language", "format", "settings", "run", "fail", "pass"}
_REQUIRED_FILE_KEYS = {"rule", "fail", "pass"}
_FAIL_KEYS = {"text", "fix"}


@dataclass(frozen=True)
class Case:
    code: str
    kind: str  # "fail" or "pass"
    index: int
    text: str
    fix: str | None  # fail cases only: the expected fixed text; None: fixing changes nothing
    language: str
    source_language: str
    path: Path
    format: str = "text"
    settings: tuple = ()
    run: tuple = ()

    @property
    def id(self) -> str:
        return f"{self.code}-{self.kind}{self.index}"

    @property
    def languagetool(self) -> bool:
        return self.code in LANGUAGETOOL_CODES


def _problems(path: Path, data) -> list[str]:
    """Everything wrong with one case file, each message naming the file."""
    name = path.name
    if not isinstance(data, dict):
        return [f"{name}: the top level must be a mapping, not {type(data).__name__}"]
    problems = []
    unknown = sorted(set(data) - _FILE_KEYS, key=str)
    if unknown:
        problems.append(f"{name}: unknown key(s) {unknown} (known keys: {sorted(_FILE_KEYS)})")
    missing = sorted(_REQUIRED_FILE_KEYS - set(data))
    if missing:
        problems.append(f"{name}: missing key(s) {missing}")
    if "rule" in data and data["rule"] != path.stem:
        problems.append(f"{name}: rule is {data['rule']!r}, but the file is named for {path.stem!r}")
    if "settings" in data and not isinstance(data["settings"], dict):
        problems.append(f"{name}: settings must be a mapping of Settings fields")
    if "run" in data and not (isinstance(data["run"], list) and data["run"]
                              and all(isinstance(t, str) for t in data["run"])):
        problems.append(f"{name}: run must be a non-empty list of texts (the other files of the run)")
    for key in ("language", "source_language", "format"):
        if key in data and not (isinstance(data[key], str) and data[key]):
            problems.append(f"{name}: {key} must be a non-empty string")
    fail = data.get("fail")
    if "fail" in data and not (isinstance(fail, list) and fail):
        problems.append(f"{name}: fail must be a non-empty list")
    for index, item in enumerate(fail if isinstance(fail, list) else []):
        where = f"{name}: fail[{index}]"
        if not isinstance(item, dict):
            problems.append(f"{where} must be a mapping with 'text' (and optionally 'fix')")
            continue
        unknown = sorted(set(item) - _FAIL_KEYS, key=str)
        if unknown:
            problems.append(f"{where}: unknown key(s) {unknown} (known keys: {sorted(_FAIL_KEYS)})")
        if not isinstance(item.get("text"), str):
            problems.append(f"{where}: 'text' must be a string")
        elif not item["text"].endswith("\n"):
            problems.append(f"{where}: 'text' must end with a line break")
        if "fix" in item:
            if not isinstance(item["fix"], str):
                problems.append(f"{where}: 'fix' must be a string")
            elif item["fix"] == item.get("text"):
                problems.append(f"{where}: 'fix' equals 'text': leave 'fix' out when fixing changes nothing")
    passing = data.get("pass")
    if "pass" in data and not (isinstance(passing, list) and passing):
        problems.append(f"{name}: pass must be a non-empty list")
    for index, item in enumerate(passing if isinstance(passing, list) else []):
        if not isinstance(item, str):
            problems.append(f"{name}: pass[{index}] must be a string")
        elif not item.endswith("\n"):
            problems.append(f"{name}: pass[{index}] must end with a line break")
    return problems


def _load(path: Path) -> tuple[object, list[str]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        return None, [f"{path.name}: cannot be read as YAML: {error}"]
    return data, _problems(path, data)


FILES = sorted(CASES.glob("*.yaml"))
LOADED = {path: _load(path) for path in FILES}


def _cases() -> list[Case]:
    cases = []
    for path, (data, problems) in LOADED.items():
        if problems:
            continue  # test_case_file_is_valid reports it
        code = data["rule"]
        language = data.get("language", "en")
        source = data.get("source_language", "auto")
        settings = {k: tuple(v) if isinstance(v, list) else v for k, v in data.get("settings", {}).items()}
        extra = dict(format=data.get("format", "text"), settings=tuple(sorted(settings.items())),
                     run=tuple(data.get("run", ())))
        for index, item in enumerate(data["fail"]):
            cases.append(Case(code, "fail", index, item["text"], item.get("fix"), language, source, path, **extra))
        for index, text in enumerate(data["pass"]):
            cases.append(Case(code, "pass", index, text, None, language, source, path, **extra))
    return cases


def _params(kind: str) -> list:
    return [
        pytest.param(case, id=case.id, marks=[pytest.mark.languagetool] if case.languagetool else [])
        for case in _cases()
        if case.kind == kind
    ]


# ----------------------------------------------------------------------------------------------- the files


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_case_file_is_valid(path):
    _, problems = LOADED[path]
    assert not problems, "\n".join(problems)


def test_every_rule_code_has_a_case_file():
    codes = {rule.code for rule in all_rules(Settings(languagetool=False))} | LANGUAGETOOL_CODES
    files = {path.stem for path in FILES}
    missing = sorted(codes - files)
    extra = sorted(files - codes)
    assert not missing, f"rule codes without a case file in {CASES}: {', '.join(missing)}"
    assert not extra, f"case files for unknown rule codes: {', '.join(extra)}"
    for path in FILES:
        data, _ = LOADED[path]
        if isinstance(data, dict):
            assert isinstance(data.get("fail"), list) and data["fail"], f"{path.name}: no fail case"
            assert isinstance(data.get("pass"), list) and data["pass"], f"{path.name}: no pass case"


# ----------------------------------------------------------------------------------------------- LanguageTool


@pytest.fixture(scope="module")
def languagetool_home(tmp_path_factory):
    """A repair home of this module's own (REPAIR_HOME) for the LanguageTool server that repair starts on demand,
    so that these tests neither use nor stop the user's warm server. The server is stopped at the end."""
    if os.environ.get("REPAIR_SKIP_LANGUAGETOOL") == "1":
        pytest.skip("REPAIR_SKIP_LANGUAGETOOL=1: LanguageTool's rule cases not run")
    home = tmp_path_factory.mktemp("lt-home")
    yield home
    from repair.languagetool import server

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("REPAIR_HOME", str(home))
        server.stop()


@pytest.fixture
def languagetool(languagetool_home, monkeypatch):
    """LanguageTool's cases run with the private home; a server that cannot start fails them (see _ran)."""
    monkeypatch.setenv("REPAIR_HOME", str(languagetool_home))
    return languagetool_home


# ----------------------------------------------------------------------------------------------- the cases


@pytest.fixture(scope="module")
def checkers():
    """One Checker per (rule, language, source language), reused by that rule's cases."""
    made: dict[tuple, Checker] = {}

    def checker_for(case: Case) -> Checker:
        key = (case.code, case.language, case.source_language, case.settings)
        if key not in made:
            settings = dict(case.settings)
            select = (case.code, *settings.pop("select", ()))  # rules the case's rule needs beside it (SUP001)
            made[key] = Checker(select=select, language=case.language, source_language=case.source_language,
                                languagetool=case.languagetool, cache=False, **settings)
        return made[key]

    yield checker_for
    for checker in made.values():
        checker.close()


def _checker(case: Case, checkers, request) -> Checker:
    if case.languagetool:
        request.getfixturevalue("languagetool")
    checker = checkers(case)
    selected = getattr(checker.engine, "selected_codes", None)
    assert selected is None or case.code in selected, (
        f"{case.path.name}: {case.code} does not run with language={case.language!r}, "
        f"source_language={case.source_language!r}: its cases would test nothing")
    return checker


def _ran(checker: Checker, case: Case) -> None:
    """A detector that could not run (LanguageTool down) must fail the case, not pass it by finding nothing."""
    notices = getattr(checker.engine, "notices", [])
    if notices:
        pytest.fail(f"{case.id}: {'; '.join(f'{n.source}: {n.message}' for n in notices)}")


def _in_run(checker: Checker, case: Case, text: str) -> None:
    """With a `run`: the corpus-wide data of the run's files and this text, as `repair check DIR` gathers it."""
    if not case.run:
        return
    from repair.document import Document

    engine = checker.engine
    docs = [Document(f"<run {i}>", t, format=case.format) for i, t in enumerate((*case.run, text))]
    parts = [engine.gather(doc) for doc in docs]
    engine.with_corpus({d.name: d.merge([part[d.name] for part in parts if d.name in part])
                        for d in engine.corpus_detectors})


def _flagged(checker: Checker, case: Case, text: str) -> list:
    _in_run(checker, case, text)
    findings = checker.check_text(text, format=case.format)
    _ran(checker, case)
    return [f for f in findings if f.code == case.code]


def _fixed(checker: Checker, case: Case, text: str) -> str:
    _in_run(checker, case, text)
    fixed = checker.fix_text(text, unsafe=True, format=case.format).text
    _ran(checker, case)
    return fixed


@pytest.mark.parametrize("case", _params("fail"))
def test_fail_case_is_flagged_and_fixed(case, checkers, request):
    checker = _checker(case, checkers, request)
    assert _flagged(checker, case, case.text), f"{case.path.name}: {case.code} did not flag {case.text!r}"
    fixed = _fixed(checker, case, case.text)
    if case.fix is None:
        assert fixed == case.text, f"{case.path.name}: no 'fix' given, but fixing {case.text!r} gave {fixed!r}"
    else:
        assert fixed == case.fix, f"{case.path.name}: fixing {case.text!r} gave {fixed!r}, not {case.fix!r}"
    again = _fixed(checker, case, fixed)
    assert again == fixed, f"{case.path.name}: fixing is not idempotent: {fixed!r} became {again!r}"


@pytest.mark.parametrize("case", _params("pass"))
def test_pass_case_is_left_alone(case, checkers, request):
    checker = _checker(case, checkers, request)
    flagged = _flagged(checker, case, case.text)
    spans = [case.text[f.start:f.end] for f in flagged]
    assert not flagged, f"{case.path.name}: {case.code} flagged {spans} in {case.text!r}"
    fixed = _fixed(checker, case, case.text)
    assert fixed == case.text, f"{case.path.name}: fixing {case.text!r} gave {fixed!r}"
