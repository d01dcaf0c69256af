"""The diff reporter: hunks name the rules whose edits they hold; the terminal view highlights changed words."""

from __future__ import annotations

from rich.console import Console

from repair.config import Settings
from repair.document import Document
from repair.engine import Engine
from repair.report.diff import print_diff, unified_diff
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
