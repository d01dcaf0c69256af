"""Say what is happening (issue 15): on a terminal, a line when the word table is built and a progress bar for a
run that lasts; in a pipe, nothing. The LanguageTool start line: tests/test_allowlist.py (the README's example run
on a terminal starts a managed server). Both tests build the word table in a fresh home (about 20 s each)."""

from __future__ import annotations

import pytest
from conftest import CORPUS, run_repair, run_repair_on_terminal

STORY = "The EI claimed the attack on Sunday.\n"
OPTIONS = ("--source-language", "fr", "--no-languagetool", "--no-cache")


@pytest.mark.slow
def test_on_a_terminal_the_word_table_build_is_said_and_a_long_run_shows_progress(tmp_path):
    (tmp_path / "story.txt").write_text(STORY, encoding="utf-8")
    env = {"REPAIR_HOME": str(tmp_path / "home")}
    first = run_repair_on_terminal("check", "story.txt", *OPTIONS, cwd=tmp_path, env=env)
    assert first.code == 1 and "FR001" in first.stdout, first.stderr
    assert "repair: building the word table" in first.stderr
    # the table is there now; the corpus (117 files) takes seconds: a bar, and no word about the table
    corpus = run_repair_on_terminal("check", str(CORPUS), *OPTIONS, env=env)
    assert corpus.code == 1 and "word table" not in corpus.stderr
    assert "checking" in corpus.stderr and "/117" in corpus.stderr


@pytest.mark.slow
def test_in_a_pipe_nothing_is_said(tmp_path):
    (tmp_path / "story.txt").write_text(STORY, encoding="utf-8")
    result = run_repair("check", "story.txt", *OPTIONS, cwd=tmp_path,
                        env={"REPAIR_HOME": str(tmp_path / "home")})
    assert result.code == 1 and "FR001" in result.stdout
    assert result.stderr == ""
