"""repair review (issue 15): the decisions as data (repair.review), then the command through a real pseudo-terminal.

The seed article 003 has ten unsafe fixes, in this order: FR002 IE->IS, FR013 his->its, FR014 she->it, FR002 IU->IS,
FR004 fiefs->strongholds, FR012, FR004 Arc de Triomphe, FR015, FR010, FR016.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import stat
import sys

import pexpect
import pytest
from rich.console import Console

from conftest import CORPUS, ROOT
from repair.config import Settings
from repair.document import Document
from repair.engine import Engine
from repair.model import Applicability, Edit
from repair.report.review import show
from repair.review import Decision, Outcome, Reviewable, marked, plain, review_files, tally

SEED = CORPUS / "003_1374c92416c258b1.txt"
TEXT = SEED.read_text(encoding="utf-8")


def changed(text: str, *replacements: tuple[str, str]) -> str:
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


IE, SHE, IU, FIEFS, HIS = (("remove IE from", "remove IS from"), ("Palmyra where she restores", "Palmyra where it restores"),
                           ("for the IU in", "for the IS in"), ("main fiefs of EI", "main strongholds of EI"),
                           ("succeeded in his mission", "succeeded in its mission"))


@pytest.fixture(scope="module")
def seed_findings():
    return Engine(Settings(languagetool=False)).check(Document(SEED.name, TEXT))


def scripted(*answers: str):
    asked = []
    keys = iter(answers)

    def decide(proposal):
        asked.append((proposal.finding.code, proposal.number))
        return Decision(next(keys))

    return decide, asked


def test_accept_reject_accept_all_of_a_rule_then_quit(seed_findings):
    decide, asked = scripted("a", "n", "y", "y", "q")
    reviews = list(review_files([Reviewable("seed.txt", TEXT, seed_findings)], decide))
    assert asked == [("FR002", 1), ("FR013", 2), ("FR014", 3), ("FR004", 5), ("FR012", 6)]  # IU (4): accepted by 'a'
    assert reviews[0].text == changed(TEXT, IE, SHE, IU, FIEFS)
    counts = tally(reviews)
    assert counts["FR002"][Outcome.ACCEPTED] == 2 and counts["FR013"][Outcome.REJECTED] == 1
    assert counts["FR004"] == {Outcome.ACCEPTED: 1, Outcome.SKIPPED: 1}
    assert sum(c[Outcome.SKIPPED] for c in counts.values()) == 5  # FR012 (quit) and the four after it


def test_quit_stops_before_the_next_file_and_accept_all_carries_over(seed_findings):
    decide, asked = scripted("a", "s", "q")
    files = [Reviewable("one.txt", TEXT, seed_findings), Reviewable("two.txt", TEXT, seed_findings),
             Reviewable("three.txt", TEXT, seed_findings)]
    reviews = list(review_files(files, decide))
    assert [r.path for r in reviews] == ["one.txt", "two.txt"]  # the third is never read
    assert reviews[0].text == changed(TEXT, IE)  # 's' on FR013: the rest of one.txt left alone
    # two.txt: its IE fix accepted without asking ('a' in one.txt), 'q' on its first question (FR013): what was
    # accepted stays, the IU fix after it is skipped
    assert reviews[1].text == changed(TEXT, IE)
    assert asked == [("FR002", 1), ("FR013", 2), ("FR013", 2)]
    assert [o for code, o in reviews[1].outcomes if code == "FR002"] == [Outcome.ACCEPTED, Outcome.SKIPPED]


def test_a_fix_overlapping_an_accepted_one_is_not_asked(seed_findings):
    decide, asked = scripted("n", "y", "q")  # FR013 and FR014 both span "The army has succeeded in his ..."
    review = next(review_files([Reviewable("seed.txt", TEXT, seed_findings)], decide))
    assert asked == [("FR002", 1), ("FR013", 2), ("FR002", 4)]
    assert review.text == changed(TEXT, HIS)
    assert ("FR014", Outcome.SKIPPED) in review.outcomes


def test_safe_fixes_are_asked_only_with_include_safe(seed_findings):
    decide, asked = scripted(*"n" * 60)
    list(review_files([Reviewable("seed.txt", TEXT, seed_findings)], decide))
    assert len(asked) == 10
    decide, asked = scripted(*"n" * 60)
    list(review_files([Reviewable("seed.txt", TEXT, seed_findings)], decide, include_safe=True))
    safe = sum(1 for f in seed_findings if f.fix is not None and f.fix.applicability == Applicability.SAFE)
    assert safe > 10 and len(asked) > 10


def test_the_change_is_marked_in_its_line_cut_at_a_word():
    text = "First line.\n" + "word " * 40 + "the prorégime forces " + "word " * 40 + "\nLast line.\n"
    start = text.index("prorégime")
    pieces = marked(text, [Edit(start - 4, start + 9, "the pro-regime")])
    shown = plain(pieces)
    assert "[-prorégime-]{+pro-regime+}" in shown and "First" not in shown and "Last" not in shown
    assert shown.startswith("…word ") and shown.endswith(" word…")
    assert "[-his-]{+its+}" in plain(marked("in his mission", [Edit(0, 6, "in its")]))
    assert plain(marked("one two", [Edit(3, 4, "\n")])) == "one[- -]{+⏎+}two"


def test_plain_when_not_a_terminal(seed_findings):
    decide, _ = scripted("q")
    captured = []
    list(review_files([Reviewable("seed.txt", TEXT, seed_findings)], lambda p: captured.append(p) or Decision.QUIT))
    out = io.StringIO()
    show(captured[0], Console(file=out, force_terminal=False, width=200))
    assert "remove [-IE-]{+IS+} from" in out.getvalue() and "\x1b[" not in out.getvalue()


# --- the command, through a real pseudo-terminal ---------------------------------------------------------------

def spawn(*args: str, cwd) -> pexpect.spawn:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "CI")}
    env["TERM"] = "xterm-256color"
    env["PYTHONPATH"] = str(ROOT)
    return pexpect.spawn(sys.executable, ["-m", "repair", *args], cwd=str(cwd), env=env, encoding="utf-8",
                         timeout=60, dimensions=(60, 220))


PROMPT = r"Apply this fix \[y,n,a,s,q,\?\]\? "


def answer(child: pexpect.spawn, code: str, key: str) -> str:
    child.expect(rf"{code}\b.*?{PROMPT}")
    seen = child.before + child.after
    child.send(key)  # one key, no Enter: a terminal's answer is read key by key
    return seen


@pytest.mark.slow
def test_review_in_a_terminal_accept_reject_accept_all_quit(tmp_path):
    story = tmp_path / "seed.txt"
    shutil.copyfile(SEED, story)
    story.chmod(0o640)
    child = spawn("review", "--no-languagetool", "seed.txt", cwd=tmp_path)
    first = answer(child, "FR002", "a")  # IE -> IS, and every later FR002 without asking
    assert "\x1b[" in first  # coloured on a terminal
    assert re.search(r"remove .*IE.*IS.* from", first)
    answer(child, "FR013", "n")  # his -> its: rejected
    child.expect(rf"FR014\b.*?{PROMPT}")
    child.sendline("?")  # help, then the same question again (a key and Enter, from habit, works as well)
    child.expect("a - accept it and every later fix of the same rule")
    child.expect(PROMPT)
    child.sendline("y")  # she -> it
    skipped_iu = answer(child, "FR004", "y")  # fiefs -> strongholds (the IU fix was not asked: 'a')
    assert "'IU'" not in skipped_iu
    answer(child, "FR012", "q")  # quit midway: what was accepted is written
    child.expect(pexpect.EOF)
    output = child.before
    child.close()
    assert child.exitstatus == 0, output
    assert story.read_text(encoding="utf-8") == changed(TEXT, IE, SHE, IU, FIEFS)
    assert stat.S_IMODE(story.stat().st_mode) == 0o640
    rows = {line.split()[0]: line.split()[1:] for line in output.splitlines() if re.match(r"FR0\d\d ", line)}
    assert rows["FR002"] == ["2", "0", "0"] and rows["FR013"] == ["0", "1", "0"] and rows["FR004"] == ["1", "0", "1"]
    assert "Wrote 1 file" in output


@pytest.mark.slow
def test_fix_interactive_skips_a_file_keeps_line_endings_and_leaves_safe_fixes(tmp_path):
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(TEXT.replace("\n", "\r\n").encode("utf-8"))
    second = tmp_path / "second.txt"
    second.write_text(TEXT, encoding="utf-8")
    child = spawn("fix", "--interactive", "--no-languagetool", "crlf.txt", "second.txt", cwd=tmp_path)
    answer(child, "FR002", "y")
    answer(child, "FR013", "s")  # the rest of crlf.txt stays
    answer(child, "FR002", "n")  # second.txt: the first question
    answer(child, "FR013", "y")
    answer(child, "FR002", "q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert crlf.read_bytes() == changed(TEXT, IE).replace("\n", "\r\n").encode("utf-8")  # safe fixes left alone
    assert second.read_text(encoding="utf-8") == changed(TEXT, HIS)


def test_review_apply_safe_from_a_pipe_writes_the_safe_fixes_and_quits_plain(tmp_path):
    """--apply-safe: the safe fixes as `repair fix` makes them, then the unsafe ones asked on that text; read from
    a pipe (no terminal) the marks are plain and the end of the input counts as q."""
    from conftest import run_repair

    story = tmp_path / "seed.txt"
    shutil.copyfile(SEED, story)
    expected = run_repair("fix", "--no-languagetool", "-", "--stdin-filename", "seed.txt", cwd=tmp_path,
                          input=SEED.read_bytes()).stdout_bytes.decode("utf-8")
    assert "(IS)" in expected and " IE " in expected  # the safe fixes only
    done = run_repair("review", "--apply-safe", "--no-languagetool", "seed.txt", cwd=tmp_path, input=b"y\n")
    assert done.code == 0, done.stderr
    assert "remove [-IE-]{+IS+} from" in done.stdout and "\x1b[" not in done.stdout
    assert story.read_text(encoding="utf-8") == changed(expected, IE)
    assert "Wrote 1 file" in done.stdout


@pytest.mark.slow
def test_a_file_changed_during_the_review_is_not_overwritten(tmp_path):
    story = tmp_path / "seed.txt"
    shutil.copyfile(SEED, story)
    child = spawn("review", "--no-languagetool", "seed.txt", cwd=tmp_path)
    answer(child, "FR002", "y")
    edited = TEXT.replace("Palmyra", "Tadmur", 1)
    story.write_text(edited, encoding="utf-8")  # its owner saves it meanwhile
    answer(child, "FR013", "q")
    child.expect(pexpect.EOF)
    output = child.before
    child.close()
    assert child.exitstatus == 1, output
    assert "changed while repair was fixing it" in output and "Wrote 0 files" in output
    assert story.read_text(encoding="utf-8") == edited
