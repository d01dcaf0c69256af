"""The diff reporter: hunks name the rules whose edits they hold; the terminal view highlights changed words."""

from __future__ import annotations

import subprocess

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rich.console import Console

from conftest import CORPUS, run_repair

from repair.config import Settings
from repair.document import Document
from repair.engine import Engine
from repair.model import Applicability
from repair.report.diff import _edit_opcodes, hunks, print_diff, split_lines, unified_diff
from repair.results import FileResult

FAR_APART = (
    "Deir Ezzor fell.\n" + "".join(f"Paragraph {n} of plain text stays as it is.\n" for n in range(12)) + "Share Post\n"
)


def fixed(text: str) -> FileResult:
    outcome = Engine(Settings(languagetool=False, source_language="fr")).fix(Document("story.txt", text))
    return FileResult("story.txt", original=outcome.original, fixed=outcome.text, applied=outcome.applied)


def test_each_hunk_names_only_its_own_rules():
    diff = unified_diff(fixed(FAR_APART))
    headers = [line for line in diff.splitlines() if line.startswith("@@")]
    assert headers == ["@@ -1,4 +1,4 @@ FR005", "@@ -11,4 +11,3 @@ WEB101"]
    assert "-Deir Ezzor fell.\n+Deir ez-Zor fell.\n" in diff


def test_rules_of_a_later_pass_are_attributed_to_the_original_lines():
    # pass 1 removes the site suffix; pass 2 then sees two equal lines and removes one
    text = "Intro.\n\nArmy and militias fight for Palmyra - Sputnik International\nArmy and militias fight for Palmyra\n"
    diff = unified_diff(fixed(text))
    header = next(line for line in diff.splitlines() if line.startswith("@@"))
    assert header.endswith("DUP001, WEB102")


def test_no_change_no_diff():
    assert unified_diff(fixed("Nothing to repair here.\n")) == ""


def test_terminal_diff_highlights_the_changed_words():
    console = Console(record=True, force_terminal=True, width=120, color_system="standard")
    print_diff(fixed("The prorégime forces advanced.\n"), console)
    lines = console.export_text(clear=False).splitlines()
    assert "-The prorégime forces advanced." in lines and "+The pro-regime forces advanced." in lines
    styled = console.export_text(styles=True)
    assert "\x1b[1;30;42mpro-regime" in styled or "42mpro-regime" in styled


SEED = "003_1374c92416c258b1.txt"


def corpus_fixed(path) -> FileResult:
    text = path.read_text(encoding="utf-8")
    outcome = Engine(Settings(languagetool=False)).fix(Document(path.name, text))
    return FileResult(path.name, original=outcome.original, fixed=outcome.text, applied=outcome.applied)


def test_each_change_sits_with_its_own_line_after_a_removed_line():
    """Issue 15: a fix that removes a line (the duplicated title) no longer shifts the pairing: the (EI) line is
    followed by its own (IS) line, not by the next paragraph's."""
    lines = unified_diff(corpus_fixed(CORPUS / SEED)).splitlines()
    removed = next(i for i, line in enumerate(lines) if line.startswith("-The Syrian army supported"))
    assert "(EI)" in lines[removed]
    assert lines[removed + 1] == "+" + lines[removed][1:].replace("(EI)", "(IS)")
    assert lines[removed - 2:removed] == ["-The Syrian regime retook the city of Palmyra", "-"]
    # every removed line with an EI is followed by its own line, with IS (and the line's other fixes)
    for index, line in enumerate(lines):
        if line.startswith("-") and " EI " in line:
            added = lines[index + 1]
            assert added.startswith("+" + line[1:20]) and " IS " in added, lines[index:index + 2]


@pytest.mark.parametrize("name", [p.name for p in sorted(CORPUS.glob("*.txt"))]
                         + [f"formats/{p.name}" for p in sorted((CORPUS / "formats").glob("*.*"))
                            if not p.name.endswith((".json", ".expected"))])
def test_the_diff_placed_by_the_edits_applies_with_patch(tmp_path, name):
    """The hunks come from the applied edits (no line matcher needed) and patch turns the original into the
    fixed text."""
    result = corpus_fixed(CORPUS / name)
    if result.original == result.fixed:
        return
    assert _edit_opcodes(result, split_lines(result.original), split_lines(result.fixed)) is not None
    (tmp_path / result.path).write_text(result.original, encoding="utf-8", newline="")
    applied = subprocess.run(["patch", "-p1", "--no-backup-if-mismatch", "-s"], cwd=tmp_path,
                             input=unified_diff(result).encode("utf-8"), capture_output=True)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert (tmp_path / result.path).read_bytes().decode("utf-8") == result.fixed


@pytest.mark.parametrize("text", [
    "One.\nTwo (EI).\nShare Post\nThree.\n",  # a removed line after a changed one
    "Share Post\nShare Post\nThe group (EI) struck.\n",  # removed lines before a change, then no context
    "The group (EI) struck.",  # no line break at the end
    "Title\n\nTitle\n\nThe group (EI) struck.\n\nThe group (EI) struck again.\n",  # duplicate removed
    # pass 2 (HS002) rewrites what pass 1 (MRK002) removed: the edits' lengths misplace the blank line between
    "Run it <pre><code class=Python> print(1) </code></pre> and see.\n\nThen <pre><code class=Python> print(2) "
    "</code></pre> again.\n\nThe end.\n",
])
def test_small_texts_diff_by_their_edits_and_apply(tmp_path, text):
    result = fixed(text)
    assert result.original != result.fixed
    assert _edit_opcodes(result, split_lines(result.original), split_lines(result.fixed)) is not None
    (tmp_path / "story.txt").write_text(text, encoding="utf-8", newline="")
    applied = subprocess.run(["patch", "-p1", "--no-backup-if-mismatch", "-s"], cwd=tmp_path,
                             input=unified_diff(result).encode("utf-8"), capture_output=True)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert (tmp_path / "story.txt").read_bytes().decode("utf-8") == result.fixed


ONLY_UNSAFE = "The army has succeeded in his mission.\nThe Islamic State (IS) struck; the IE then fled.\n"


def test_diff_exit_code_as_ruff_unsafe_only_changes_count_with_unsafe_fixes(tmp_path):
    """Issue 15: with only unsafe fixes left, fix --diff prints no diff, exits 0 and says how many fixes
    --unsafe-fixes would make; with --unsafe-fixes the unsafe edits are the diff, exit 1, and the summary says how
    many of them are unsafe. Nothing is written either way."""
    from conftest import run_repair

    story = tmp_path / "story.txt"
    story.write_text(ONLY_UNSAFE, encoding="utf-8")
    args = ("fix", "--diff", "story.txt", "--no-languagetool", "--source-language", "fr")
    plain_run = run_repair(*args, cwd=tmp_path)
    assert plain_run.code == 0, plain_run.stdout + plain_run.stderr
    assert "+++ b/" not in plain_run.stdout
    assert "2 remaining (2 more fixes available with `--unsafe-fixes`, or one by one with `repair review`)." \
        in plain_run.stderr  # the summary on stderr, the patch alone on stdout (as ruff)
    unsafe_run = run_repair(*args, "--unsafe-fixes", cwd=tmp_path)
    assert unsafe_run.code == 1, unsafe_run.stdout + unsafe_run.stderr
    assert "+The army has succeeded in its mission." in unsafe_run.stdout
    assert "Would fix 2 issues (2 of them unsafe, with --unsafe-fixes) in 1 file; 0 remaining." in unsafe_run.stderr
    assert story.read_text(encoding="utf-8") == ONLY_UNSAFE


def _patched(old: str, result: FileResult) -> str:
    """The original with the hunks applied, as patch does (context and removed lines must match)."""
    lines = split_lines(old)
    out, position = [], 0
    for header, body in hunks(result):
        start = int(header.split()[1][1:].split(",")[0])
        count = header.split()[1][1:].split(",")
        first = start - 1 if len(count) == 1 or count[1] != "0" else start
        out.extend(lines[position:first])
        position = first
        for line in body:
            if line[0] in " -":
                assert lines[position] == line[1:], (lines[position], line)
                position += 1
            if line[0] in " +":
                out.append(line[1:])
    out.extend(lines[position:])
    return "".join(out)


LINES = ["Share Post\n", "The group (EI) struck.\n", "The prorégime forces moved.\n", "\n", "Title\n",
         "Plain words stay as they are.\n", "Deir Ezzor fell; Raqa held.\n", "Subscribe\n", "Title\n", "0\n",
         "The group (EI) struck.", "© Sputnik / Go to the mediabankSyrian army\n"]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(LINES), min_size=1, max_size=14), st.booleans())
# two adjacent removed lines, then a line removed in the next pass: its start maps after both (found in CI)
@example(["Plain words stay as they are.\n", "The group (EI) struck.\n", "Share Post\n", "Share Post\n",
          "Plain words stay as they are.\n", "\n"], False)
def test_the_hunks_turn_the_original_into_the_fixed_text(lines, unsafe):
    text = "".join(lines)
    outcome = Engine(Settings(languagetool=False, source_language="fr")).fix(
        Document("story.txt", text), Applicability.UNSAFE if unsafe else Applicability.SAFE)
    result = FileResult("story.txt", original=outcome.original, fixed=outcome.text, applied=outcome.applied)
    if outcome.text == text:
        return
    assert _edit_opcodes(result, split_lines(text), split_lines(outcome.text)) is not None  # placed by the edits
    assert _patched(text, result) == outcome.text


def test_fix_diff_reports_what_is_left_where_the_unchanged_file_has_it(tmp_path):
    """--diff writes nothing: a finding left after the fixes is reported at its line and column in the file as it
    is, not in the fixed text the diff describes (two lines removed above it would move it up)."""
    text = ("Share Post\nWritten by\nThe EI fighters left Raqa.\n"
            "There is one month, the army has succeeded in his mission.\n")
    (tmp_path / "s.txt").write_text(text, encoding="utf-8")
    args = ("s.txt", "--no-languagetool", "--no-cache", "--source-language", "fr")
    checked = run_repair("check", *args, "--format", "json", cwd=tmp_path).json()["files"][0]["findings"]
    diffed = run_repair("fix", "--diff", *args, "--format", "json", cwd=tmp_path).json()["files"][0]["findings"]
    left = [f for f in diffed if f["code"] == "FR013"]
    assert left and [(f["line"], f["column"], f["text"]) for f in left] == \
        [(f["line"], f["column"], f["text"]) for f in checked if f["code"] == "FR013"]
    assert left[0]["line"] == 4 and text[left[0]["start"]:left[0]["end"]] == left[0]["text"]
    edits = left[0]["fix"]["edits"]
    assert [text[e["start"]:e["end"]] for e in edits] == ["the army has succeeded in his"]
    plain = run_repair("fix", "--diff", *args, cwd=tmp_path)
    assert "s.txt:4:21: FR013" in plain.stderr
