"""The allow list silences every rule (repair/allowlist.py), and the README's configuration example works as copied.

For each rule code, every finding its fail cases (tests/cases/<CODE>.yaml) produce is checked again with the
words it covers on the allow list: it must be gone. LanguageTool's codes are left to
tests/test_languagetool_server.py::test_allow_list (a real server); the engine's filter is the same for them.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, run_repair, run_repair_on_terminal
from test_rule_cases import LANGUAGETOOL_CODES, Case, _cases, _in_run

from repair.api import Checker

#: rules whose findings cover no word of the text: spacing (HS002 double spaces, HS003 a space inside brackets) and
#: suppression comments that suppress nothing (SUP001)
NOT_WORDS = frozenset({"HS002", "HS003", "SUP001"})
FAIL_CASES = [case for case in _cases()
              if case.kind == "fail" and case.code not in LANGUAGETOOL_CODES | NOT_WORDS]
CODES = sorted({case.code for case in FAIL_CASES})


def _checker(case: Case, allow: tuple[str, ...] = ()) -> Checker:
    settings = dict(case.settings)
    select = (case.code, *settings.pop("select", ()))
    allow = (*settings.pop("allow", ()), *allow)
    return Checker(select=select, language=case.language, source_language=case.source_language,
                   languagetool=False, cache=False, allow=allow, **settings)


def _whole_words(text: str, start: int, end: int) -> str:
    """The words a finding covers, whole (mojibake 'Ã©' is allowed as 'cafÃ©'), less the punctuation around them."""
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[start:end].strip().strip(".,;:!?\"'()[]«»“”‘’")


@pytest.mark.parametrize("code", CODES)
def test_allowed_words_are_never_reported(code):
    checked = 0
    for case in (c for c in FAIL_CASES if c.code == code):
        with _checker(case) as plain:
            _in_run(plain, case, case.text)  # a corpus-wide rule (FUR004): the other files of its run first
            found = [f for f in plain.check_text(case.text, format=case.format) if f.code == code]
        for finding in found[:2]:
            words = _whole_words(case.text, finding.start, finding.end)
            with _checker(case, allow=(words,)) as allowing:
                _in_run(allowing, case, case.text)
                again = [f for f in allowing.check_text(case.text, format=case.format)
                         if f.code == code and (f.start, f.end) == (finding.start, finding.end)]
            assert not again, f"{code}: allow = [{words!r}] did not silence {finding.message!r}"
            checked += 1
    assert checked, f"{code}: its fail cases gave no finding to allow"


def test_the_allow_list_silences_a_pack_rule_in_any_case(tmp_path):
    """The issue's example: allow = ["prorégime"] and FR003 (a pack's substitution), through the command line."""
    (tmp_path / "repair.toml").write_text('source-language = "fr"\nallow = ["prorégime"]\n', encoding="utf-8")
    (tmp_path / "story.txt").write_text("188 members Prorégime perished; the djihadistes fled.\n", encoding="utf-8")
    result = run_repair("check", "story.txt", "--no-languagetool", "--no-cache", "--format", "json", cwd=tmp_path)
    findings = [(f["code"], f["text"]) for f in result.json()["files"][0]["findings"]]
    assert findings == [("FR003", "djihadistes")], findings


def _readme_configuration() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Configuration"):]
    return re.search(r"```toml\n(.*?)```", section, re.DOTALL).group(1)


def _share_word_table(home: Path) -> None:
    """The word table of this machine, copied into a fresh home (its build is not what a test of it is about)."""
    from repair import wordlists

    wordlists.prepare()
    home.mkdir()
    shutil.copyfile(wordlists.table_path(), home / wordlists.table_path().name)


@pytest.mark.languagetool
@pytest.mark.slow
def test_the_readme_configuration_works_as_copied(tmp_path):
    """Copied into a project as it stands, the example runs every detector it turns on (LanguageTool included:
    a managed server in a home of this test's own, stopped at the end) and honours its allow list. On a terminal,
    the server's start is said."""
    config = _readme_configuration()
    assert "[tool.repair]" in config and 'allow = ["Sputnik"]' in config
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text(config, encoding="utf-8")
    (project / "story.txt").write_text("The EI claimed the attack, Sputnik reported.\n", encoding="utf-8")
    home = tmp_path / "home"
    env = {"REPAIR_HOME": str(home)}
    _share_word_table(home)
    try:
        result = run_repair_on_terminal("check", "story.txt", "--format", "json", cwd=project, env=env)
        assert "repair: starting LanguageTool (about 20 s, once; it stays warm for" in result.stderr
        assert result.code == 1, result.stderr
        data = result.json()
        assert data["summary"]["languagetool"] == {"status": "ok"}, data["summary"]
        codes = [(f["code"], f["text"]) for f in data["files"][0]["findings"]]
        assert ("FR001", "EI") in codes and not any(text == "Sputnik" for _, text in codes), codes
    finally:
        run_repair("languagetool", "stop", env=env)


def test_the_readme_configuration_is_valid_without_languagetool(tmp_path):
    """The same example, every key read and checked, in a run without Java (quick, no server)."""
    (tmp_path / "pyproject.toml").write_text(_readme_configuration(), encoding="utf-8")
    (tmp_path / "story.txt").write_text("The EI claimed the attack, Sputnik reported.\n", encoding="utf-8")
    result = run_repair("check", "story.txt", "--no-languagetool", "--format", "json", cwd=tmp_path)
    assert result.code == 1, result.stderr
    assert [f["code"] for f in json.loads(result.stdout)["files"][0]["findings"]] == ["FR001"]
