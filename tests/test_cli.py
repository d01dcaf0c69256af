"""The command line as a user runs it: exit codes, formats, stdin, fixing in place without losing anything."""

from __future__ import annotations

import codecs
import json
import os
import stat
import subprocess

from conftest import CORPUS, run_repair, validate_report

DAMAGED = (
    "The Syrian army inflicted a defeat on the Islamic State group (EI).\n"
    "Share Post\n"
    "The prorégime forces advanced towards Raqa.\n"
)
FIXED = "The Syrian army inflicted a defeat on the Islamic State group (IS).\nThe pro-regime forces advanced towards Raqqa.\n"
CLEAN = "The Syrian army retook the ancient city of Palmyra on Sunday, a military source said.\n"
NO_LT = "--no-languagetool"


def write(tmp_path, name: str, content: str | bytes):
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return path


def test_clean_file_exits_zero(tmp_path):
    write(tmp_path, "clean.txt", CLEAN)
    result = run_repair("check", "clean.txt", NO_LT, cwd=tmp_path)
    assert result.code == 0, result.stdout + result.stderr
    assert "All clear" in result.stdout


def test_findings_exit_one_and_name_their_codes(tmp_path):
    write(tmp_path, "story.txt", DAMAGED)
    result = run_repair("check", "story.txt", NO_LT, cwd=tmp_path)
    assert result.code == 1
    assert "story.txt:1:64: FR001 [terminology]" in result.stdout
    assert "story.txt:2:1: WEB101 [boilerplate]" in result.stdout
    assert "FR003" in result.stdout and "FR005" in result.stdout


def test_usage_errors_exit_two(tmp_path):
    write(tmp_path, "story.txt", DAMAGED)
    assert run_repair("check", "story.txt", "--format", "yaml", NO_LT, cwd=tmp_path).code == 2
    unknown = run_repair("check", "story.txt", "--select", "NOPE", NO_LT, cwd=tmp_path)
    assert unknown.code == 2 and "NOPE" in unknown.stderr
    missing = run_repair("check", "absent.txt", NO_LT, cwd=tmp_path)
    assert missing.code == 2 and "absent.txt" in missing.stderr


def test_bad_configuration_exits_two_naming_file_and_key(tmp_path):
    write(tmp_path, "story.txt", DAMAGED)
    write(tmp_path, "repair.toml", "selcet = ['FR']\n")
    result = run_repair("check", "story.txt", NO_LT, cwd=tmp_path)
    assert result.code == 2
    assert "repair.toml" in result.stderr and "'selcet'" in result.stderr


def test_select_and_ignore_take_codes_prefixes_and_categories(tmp_path):
    write(tmp_path, "story.txt", DAMAGED)
    only_boilerplate = run_repair("check", "story.txt", "--select", "boilerplate", "--format", "json", NO_LT, cwd=tmp_path)
    codes = {f["code"] for f in only_boilerplate.json()["files"][0]["findings"]}
    assert codes == {"WEB101"}
    no_french = run_repair("check", "story.txt", "--ignore", "FR,WEB101", NO_LT, cwd=tmp_path)
    assert no_french.code == 0, no_french.stdout


def test_stdin_is_checked_and_fixed_as_a_filter():
    checked = run_repair("check", "-", NO_LT, input=DAMAGED.encode())
    assert checked.code == 1 and "-:1:64: FR001" in checked.stdout
    fixed = run_repair("fix", "-", NO_LT, input=DAMAGED.encode())
    assert fixed.stdout_bytes.decode() == FIXED


def test_fix_diff_writes_nothing_and_names_the_rules(tmp_path):
    path = write(tmp_path, "story.txt", DAMAGED)
    result = run_repair("fix", "--diff", "story.txt", NO_LT, cwd=tmp_path)
    assert result.code == 1
    assert path.read_text(encoding="utf-8") == DAMAGED
    header = next(line for line in result.stdout.splitlines() if line.startswith("@@"))
    assert "FR001" in header and "FR003" in header and "FR005" in header and "WEB101" in header
    assert "-Share Post" in result.stdout and "+The pro-regime forces advanced towards Raqqa." in result.stdout
    # as ruff: the patch alone on stdout (`repair fix --diff > fixes.patch` applies), the summary on stderr
    assert result.stdout.startswith("--- a/story.txt") and "Would fix" not in result.stdout
    assert "Would fix 4 issues in 1 file" in result.stderr
    subprocess.run(["patch", "-p1", "--quiet"], input=result.stdout, text=True, cwd=tmp_path, check=True)
    assert path.read_text(encoding="utf-8") == FIXED


def test_fix_diff_as_json_matches_the_schema(tmp_path):
    write(tmp_path, "story.txt", DAMAGED)
    data = run_repair("fix", "--diff", "story.txt", "--format", "json", NO_LT, cwd=tmp_path).json()
    validate_report(data)
    entry = data["files"][0]
    assert {e["code"] for e in entry["edits"]} == {"FR001", "FR003", "FR005", "WEB101"}
    assert entry["diff"].startswith("--- a/story.txt")


def test_fix_keeps_bom_crlf_and_mode_and_is_idempotent(tmp_path):
    original = DAMAGED.replace("\n", "\r\n")
    path = write(tmp_path, "story.txt", codecs.BOM_UTF8 + original.encode("utf-8"))
    os.chmod(path, 0o640)
    result = run_repair("fix", "story.txt", NO_LT, cwd=tmp_path)
    assert result.code == 0, result.stdout + result.stderr
    data = path.read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    assert data[3:].decode("utf-8") == FIXED.replace("\n", "\r\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    again = run_repair("fix", "story.txt", NO_LT, cwd=tmp_path)
    assert path.read_bytes() == data and "Fixed 0 issues" in again.stdout
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".repair-tmp")]


def test_utf16_file_keeps_its_encoding(tmp_path):
    path = write(tmp_path, "story.txt", codecs.BOM_UTF16_LE + DAMAGED.encode("utf-16-le"))
    run_repair("fix", "story.txt", NO_LT, cwd=tmp_path)
    assert path.read_bytes() == codecs.BOM_UTF16_LE + FIXED.encode("utf-16-le")


def test_binary_and_undecodable_files_get_a_clear_message_and_stay_untouched(tmp_path):
    binary = write(tmp_path, "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    latin1 = write(tmp_path, "old.txt", "Le régime EI\n".encode("latin-1"))
    result = run_repair("fix", "image.txt", "old.txt", NO_LT, cwd=tmp_path)
    assert "image.txt: error: binary file" in result.stdout
    assert "old.txt: error: not valid UTF-8 (byte 0xe9 at offset 4)" in result.stdout
    assert result.code == 1
    assert binary.read_bytes() == b"\x89PNG\r\n\x1a\n\x00\x00\x00"
    assert latin1.read_bytes() == "Le régime EI\n".encode("latin-1")


def test_folders_recurse_into_text_files_and_honour_gitignore(tmp_path):
    (tmp_path / ".git").mkdir()
    write(tmp_path, ".gitignore", "ignored/\n*.skip.txt\n")
    (tmp_path / "docs").mkdir()
    (tmp_path / "ignored").mkdir()
    write(tmp_path, "docs/a.txt", DAMAGED)
    write(tmp_path, "docs/b.skip.txt", DAMAGED)
    write(tmp_path, "ignored/c.txt", DAMAGED)
    write(tmp_path, "docs/data.json", '{"x": "EI"}')
    data = run_repair("check", ".", "--format", "json", NO_LT, cwd=tmp_path).json()
    assert [f["path"] for f in data["files"]] == ["docs/a.txt"]


def test_json_report_for_the_corpus_matches_the_schema():
    result = run_repair("check", "corpus/", "--format", "json", NO_LT, "--no-cache")
    data = result.json()
    validate_report(data)
    assert data["summary"]["findings"] == sum(len(f["findings"]) for f in data["files"])
    first = data["files"][0]["findings"][0]
    assert first["line"] >= 1 and first["column"] >= 1
    text = (CORPUS / os.path.basename(data["files"][0]["path"])).read_text(encoding="utf-8")
    for finding in data["files"][0]["findings"]:
        assert text[finding["start"]:finding["end"]] == finding["text"]


def test_sarif_and_github_formats(tmp_path):
    write(tmp_path, "story.txt", DAMAGED)
    sarif = json.loads(run_repair("check", "story.txt", "--format", "sarif", NO_LT, cwd=tmp_path).stdout)
    run = sarif["runs"][0]
    assert sarif["version"] == "2.1.0" and run["columnKind"] == "unicodeCodePoints"
    assert {r["ruleId"] for r in run["results"]} >= {"FR001", "WEB101"}
    assert all(r["ruleIndex"] < len(run["tool"]["driver"]["rules"]) for r in run["results"])
    github = run_repair("check", "story.txt", "--format", "github", NO_LT, cwd=tmp_path).stdout.splitlines()
    assert any(line.startswith("::error file=story.txt,line=1,col=64,") and "FR001" in line for line in github)


def test_rules_and_rule_commands():
    listing = run_repair("rules")
    assert listing.code == 0
    assert any(line.split()[:4] == ["FR001", "french-acronym", "terminology", "error"] for line in listing.stdout.splitlines())
    explained = run_repair("rule", "FR010")
    assert explained.code == 0
    assert "Bad:" in explained.stdout and "there is one month" in explained.stdout and "a month ago" in explained.stdout
    assert run_repair("rule", "XX999").code == 2


def test_user_rule_folder_from_configuration(tmp_path):
    (tmp_path / "desk").mkdir()
    write(tmp_path, "desk/desk.yaml", """pack: desk
description: our desk's terms
rules:
  - code: DSK001
    name: desk-term
    kind: substitution
    category: style
    severity: warning
    message: "Write {replacement}"
    terms:
      Daesh: the Islamic State group
    examples:
      - bad: Daesh fled.
        good: The Islamic State group fled.
""")
    write(tmp_path, "repair.toml", 'rules = ["desk"]\nselect = ["DSK"]\n')
    write(tmp_path, "story.txt", "Daesh militants fled east.\n")
    result = run_repair("fix", "--diff", "story.txt", NO_LT, cwd=tmp_path)
    assert "+The Islamic State group militants fled east." in result.stdout, result.stdout + result.stderr


SHARED_OPTIONS = ("--select", "--ignore", "--format", "--language", "--source-language", "--config", "--no-cache",
                  "--jobs", "--quiet", "--no-languagetool", "--languagetool-url", "--fail-on", "--output-file")


def test_check_and_fix_share_their_options():
    check = run_repair("check", "--help", env={"COLUMNS": "200"}).stdout
    fix = run_repair("fix", "--help", env={"COLUMNS": "200"}).stdout
    for option in SHARED_OPTIONS:
        assert option in check and option in fix, option
    assert "Output format: text, json, github, sarif or html." in check
    assert "Output format: text, json, github, sarif or html." in fix
    assert "--output-file" in check and "--output-file" in fix
    assert "--unsafe-fixes" in fix and "--diff" in fix
    assert "--unsafe-fixes" not in check and "--diff" not in check


def test_fix_honours_the_shared_options(tmp_path):
    path = write(tmp_path, "story.txt", DAMAGED)
    result = run_repair("fix", "--diff", "story.txt", "--select", "FR003", "--jobs", "1", "--quiet", NO_LT, cwd=tmp_path)
    header = next(line for line in result.stdout.splitlines() if line.startswith("@@"))
    assert header.endswith(" FR003"), result.stdout
    unknown = run_repair("fix", "story.txt", "--format", "yaml", NO_LT, cwd=tmp_path)
    assert unknown.code == 2
    assert "unknown format 'yaml': use text, json, github, sarif or html" in unknown.stderr
    assert path.read_text(encoding="utf-8") == DAMAGED


def test_a_plain_check_runs_without_typer_or_rich(tmp_path):
    """The pre-commit case, `repair check FILE`, is parsed by repair.cli's fast path: typer and rich (as much
    start-up time as the check itself) are not imported."""
    import subprocess
    import sys

    write(tmp_path, "story.txt", DAMAGED)
    probe = ("import sys\nsys.argv = ['repair', 'check', 'story.txt', '--no-languagetool', '--no-cache']\n"
             "from repair.cli import main\ntry:\n    main()\nexcept SystemExit as done:\n"
             "    print(done.code, 'typer' in sys.modules, 'rich' in sys.modules, 'click' in sys.modules, "
             "file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True,
                          env={**os.environ, "NO_COLOR": "1"})
    assert done.stderr.split()[-4:] == ["1", "False", "False", "False"], done.stderr
    assert "story.txt:1:64: FR001 [terminology]" in done.stdout


def test_the_fast_path_and_typer_read_the_same_command_lines(tmp_path):
    """Every form of option the fast path takes gives what typer gives (output, errors, exit code); what it does
    not take (a value that is no number, an unknown option) goes to typer and gets typer's message."""
    write(tmp_path, "story.txt", DAMAGED)
    write(tmp_path, "clean.txt", CLEAN)
    lines = [
        ["check", "story.txt", "clean.txt", NO_LT, "--no-cache", "--select", "FR", "--select", "WEB,ENC",
         "--format", "json"],
        ["check", NO_LT, "--no-cache", "--jobs=1", "story.txt", "--format=github"],
        ["check", NO_LT, "--no-cache", "-j", "1", "-q", "--fail-on", "error", "--ignore", "FR001", "--", "story.txt"],
        ["fix", "--diff", "--unsafe-fixes", NO_LT, "--no-cache", "story.txt"],
        ["check", NO_LT, "--one-publication", "story.txt", "clean.txt", "--format", "sarif", "--no-cache"],
        ["check", NO_LT, "--language", "xx", "story.txt"],
        ["check", NO_LT, "--jobs", "two", "story.txt"],
        ["check", NO_LT, "--bogus", "story.txt"],
    ]
    typer_only = "import sys\nfrom repair.typer_app import main\nsys.argv[0] = 'repair'\nmain(sys.argv[1:])\n"
    for argv in lines:
        fast = run_repair(*argv, cwd=tmp_path)
        slow = run_repair(*argv, cwd=tmp_path, python_args=["-c", typer_only])
        assert (fast.code, fast.stdout) == (slow.code, slow.stdout), argv
        assert fast.stderr.replace("python -m repair", "repair") == slow.stderr, argv
