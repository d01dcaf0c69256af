"""The text report written for people (issue 15): quotes as text, cut at a word; unsafe fixes marked [?] and
counted; unreadable files said; --statistics, --show-fixes, --exit-zero, --version, -q and -qq."""

from __future__ import annotations

import pytest
from conftest import run_repair

from repair import __version__
from repair.quoting import quote, shorten

NO_LT = "--no-languagetool"
CREDIT = "© Sputnik / Mikhail Voskresenskiy\xa0/\xa0Go to the mediabankSyrian army and militias fight for Palmyra\n"
LONG = ("A general view shows part of a palace complex, which has been damaged by the fighting in the ancient city "
        "of Palmyra - Sputnik International\n")
STORY = ("The EI claimed the attack on Sunday; there is one month the town fell.\n" + CREDIT
         + "A general view shows part of a palace complex, which has been damaged by the fighting in the ancient city "
           "of Palmyra\n" + LONG)


@pytest.fixture
def story(tmp_path):
    (tmp_path / "story.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "image.txt").write_bytes(b"GIF89a\x00\x01\x02")
    return tmp_path


def test_quotes_are_text_with_invisible_characters_named():
    assert quote("Voskresenskiy\xa0/\xa0Go") == "'Voskresenskiy / Go'"  # between words: the space it reads as
    assert quote("\xa0") == "no-break space (U+00A0)"
    assert quote("x\u2060\u2060>") == "'x⟨word joiner U+2060 ×2⟩>'"
    assert quote("\u202eevil") == "'⟨right-to-left override U+202E⟩evil'"  # never acted on by a terminal


def test_a_long_quote_is_cut_at_a_word_with_an_ellipsis():
    cut = shorten(LONG, 60)
    assert cut == "A general view shows part of a palace complex, which has…"
    assert LONG.startswith(cut[:-1] + " ")
    assert shorten("one two", 60) == "one two"


def test_the_report_reads_as_text(story):
    result = run_repair("check", "story.txt", "image.txt", "--source-language", "fr", NO_LT, "--no-cache", cwd=story)
    out = result.stdout
    assert result.code == 1
    assert "\\x" not in out and "\\u" not in out
    assert "Photo credit '© Sputnik / Mikhail Voskresenskiy / Go to the mediabank'" in out
    assert "'A general view shows part of a palace complex, which has…'" in out  # not "which has bee'"
    assert "FR001 [terminology] French acronym 'EI': in English it is 'IS' [*]" in out
    unsafe = [line for line in out.splitlines() if line.endswith(" [?]")]
    assert any(" FR010 " in line for line in unsafe), out
    assert f"{len(unsafe)} more fix{'es' if len(unsafe) > 1 else ''} available with `repair fix --unsafe-fixes`" in out
    assert "image.txt: error:" in out and "1 file could not be read (see above): not checked." in out
    assert "All clear" not in out


def test_one_finding_per_photo_credit_line(story):
    out = run_repair("check", "story.txt", "--source-language", "fr", NO_LT, "--no-cache", cwd=story).stdout
    assert [line.split(": ")[1].split()[0] for line in out.splitlines() if line.startswith("story.txt:2:")] == ["WEB103"]


def test_statistics_count_per_rule(story):
    result = run_repair("check", "story.txt", "--source-language", "fr", NO_LT, "--no-cache", "--statistics", cwd=story)
    lines = result.stdout.splitlines()
    assert "1  FR001   [*]     french-acronym" in lines, lines
    assert not any(line.startswith("story.txt:") for line in lines)
    assert result.code == 1 and lines[-2].startswith("Found ")


def test_show_fixes_and_exit_zero(story):
    result = run_repair("check", "story.txt", "--source-language", "fr", NO_LT, "--no-cache", "--show-fixes",
                        "--exit-zero", cwd=story)
    assert result.code == 0
    lines = result.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if " FR001 " in line)
    assert lines[at + 1] == "    fix (safe): Replace with 'IS'"
    fixed = run_repair("fix", "--diff", "story.txt", "--source-language", "fr", NO_LT, "--no-cache", "--show-fixes",
                       cwd=story)
    assert "Would fix in story.txt:" in fixed.stderr and "    1 × FR001 (Replace with 'IS')" in fixed.stderr


def test_quiet_prints_findings_only_and_twice_nothing(story):
    once = run_repair("check", "story.txt", "--source-language", "fr", NO_LT, "--no-cache", "-q", cwd=story)
    assert once.code == 1 and once.stdout and all(line.startswith("story.txt:") for line in once.stdout.splitlines())
    twice = run_repair("check", "story.txt", "--source-language", "fr", NO_LT, "--no-cache", "-qq", cwd=story)
    assert twice.code == 1 and twice.stdout == "" and twice.stderr == ""


def test_version():
    result = run_repair("--version")
    assert result.code == 0 and result.stdout == f"repair {__version__}\n"


@pytest.mark.parametrize("quiet", [0, 1])
def test_the_plain_text_is_the_terminal_lines_joined(story, quiet):
    """render_notes writes the finding lines directly (a cached run reports thousands): the same text as the
    segments the terminal prints, for every mark, an unreadable file and a path and message with control
    characters in them."""
    from repair.config import Settings
    from repair.model import Applicability, Category, Finding, Fix, Severity
    from repair.report import text
    from repair.results import Display, FileResult, Located, Report
    from repair.runner import RunOptions, Runner

    results = Runner(Settings(source_language="fr", languagetool=False), RunOptions(use_cache=False)).run(
        [str(story / "story.txt"), str(story / "image.txt")])
    marks = {text._mark(item) for result in results for item in result.located}
    assert {"[*]", "[?]"} <= marks and any(result.error for result in results)
    odd = Finding("ENC001", "mojibake", Category.ENCODING, Severity.ERROR, "bad\x1b[2J \u202eevil", 0, 3,
                  Fix((), Applicability.DISPLAY_ONLY, "shown only"))
    results.append(FileResult("we\nird\x1b.txt", located=[Located(odd, 1, 1, 1, 4, "bad")]))
    report = Report(results, display=Display(quiet=quiet))
    expected = "".join("".join(part for part, _ in line) + "\n" for line in text.report_lines(report))
    assert text.render_notes(report) == expected
    assert "we\\nird\\x1b.txt:1:1: ENC001 [encoding] bad\\x1b[2J \\u202eevil\n" in expected


def test_printable_escapes_exactly_what_the_pattern_names():
    """printable skips the pattern on ASCII text with nothing unprintable (most paths and messages): the same as
    the substitution for every character alone and between letters."""
    from repair.report import _UNPRINTABLE, _escape, printable

    for point in [*range(0x3000), 0x202E, 0x2066, 0x2069, 0xFEFF, 0x1F600]:
        for text in (chr(point), f"a{chr(point)}b"):
            assert printable(text) == _UNPRINTABLE.sub(_escape, text), hex(point)
    assert printable("story.txt: FR001 'EI'") == "story.txt: FR001 'EI'"
    assert printable("a\x1b[2Jb\n") == "a\\x1b[2Jb\\n"
