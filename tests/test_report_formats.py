"""Every output format, byte for byte, on one small fixed input (LanguageTool off): text, json, github and sarif of
`repair check`, and the diff (text) of `repair fix --diff`. The expected outputs are files in
tests/snapshots/formats/; the SARIF output is also validated against the SARIF 2.1.0 schema (tests/schemas/).

When an output is meant to change (a new rule, a reworded message), regenerate the files and review their diff:

    REPAIR_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest -q tests/test_report_formats.py
    git diff tests/snapshots/

The tool's version is stored as @VERSION@, so that a release does not change the snapshots.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from conftest import ROOT, run_repair, validate_report
from repair import __version__

SNAPSHOTS = ROOT / "tests" / "snapshots" / "formats"
SARIF_SCHEMA = ROOT / "tests" / "schemas" / "sarif-schema-2.1.0.json"
UPDATE = bool(os.environ.get("REPAIR_UPDATE_SNAPSHOTS"))

#: findings of several kinds: safe fixes (terminology, boilerplate, untranslated, encoding, markup, spacing), an
#: unsafe one (FR010), none (SCR001, columns past CJK text); a file without a final newline; an unreadable file
INPUT: dict[str, bytes] = {
    "story.txt": (
        "The Syrian army inflicted a defeat on the Islamic State group (EI).\n"
        "Share Post\n"
        "The prorégime forces advanced towards Raqa, where a truce took effect there is one month.\n"
        "The cafÃ© opened in Palmyra &amp; the city.\n"
        "Fighters fled to Raqqa.  Raqqa is their capital.\n"
        "Cyanuric acid and 三聚氰胺 were both found.\n"
    ).encode("utf-8"),
    # two signs of a French source (a French spelling and a French acronym): the French pack applies in auto mode
    "brief.txt": "Deir Ezzor fell on Sunday, the OSDH said.".encode("utf-8"),
    "image.txt": b"\x89PNG\r\n\x1a\n\x00\x00",
}

#: snapshot file -> the command that writes it
COMMANDS: dict[str, tuple[str, ...]] = {
    "check.txt": ("check", "--format", "text"),
    "check.json": ("check", "--format", "json"),
    "check.github": ("check", "--format", "github"),
    "check.sarif": ("check", "--format", "sarif"),
    "check.html": ("check", "--format", "html"),
    "fix-diff.txt": ("fix", "--diff"),
}

_TOOL_VERSION = re.compile(r'("name":\s*"repair",\s*"version":\s*")' + re.escape(__version__) + '"')


def _written(folder: Path) -> Path:
    for name, data in INPUT.items():
        (folder / name).write_bytes(data)
    return folder


def _output(tmp_path: Path, command: tuple[str, ...]) -> str:
    result = run_repair(*command, "--no-languagetool", "--no-cache", *INPUT, cwd=_written(tmp_path))
    assert result.code == 1, result.stderr  # findings, and a file that cannot be read
    if command[:2] == ("fix", "--diff"):  # the patch on stdout, the findings left and the summary on stderr
        assert result.stdout.startswith("--- a/") and "Would fix" not in result.stdout and "Would fix" in result.stderr
        return result.stdout + result.stderr
    assert result.stderr == ""
    return _TOOL_VERSION.sub(r'\1@VERSION@"', result.stdout)


@pytest.mark.parametrize("snapshot", list(COMMANDS))
def test_output_matches_its_snapshot(tmp_path, snapshot):
    output = _output(tmp_path, COMMANDS[snapshot])
    path = SNAPSHOTS / snapshot
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(output.encode("utf-8"))
    assert path.exists(), f"no snapshot {path.name}: run with REPAIR_UPDATE_SNAPSHOTS=1 (see this file's docstring)"
    assert output == path.read_bytes().decode("utf-8")


def test_the_snapshots_cover_every_format():
    from repair.report import FORMATS

    assert {command[command.index("--format") + 1] for command in COMMANDS.values() if "--format" in command} \
        == set(FORMATS)


@pytest.mark.parametrize("snapshot", ["check.txt", "check.json", "check.html", "fix-diff.txt"])
def test_output_file_holds_what_standard_output_gets(tmp_path, snapshot):
    """-o writes the report to a file (atomically, through a temporary file beside it); the terminal gets one
    line saying where. An existing report is replaced."""
    folder = _written(tmp_path)
    target = folder / "out" / "report"
    target.parent.mkdir()
    target.write_text("an older report")
    result = run_repair(*COMMANDS[snapshot], "--no-languagetool", "--no-cache", *INPUT, "-o", str(target), cwd=folder)
    assert result.code == 1 and result.stdout == ""
    assert result.stderr == f"repair: report written to {target} (11 findings in 3 files)\n" \
        if snapshot.startswith("check") else result.stderr.startswith(f"repair: report written to {target} (")
    written = _TOOL_VERSION.sub(r'\1@VERSION@"', target.read_text(encoding="utf-8"))
    assert written == (SNAPSHOTS / snapshot).read_text(encoding="utf-8")
    assert sorted(p.name for p in target.parent.iterdir()) == ["report"]  # no temporary file left


def test_output_file_refuses_a_folder(tmp_path):
    result = run_repair("check", "--no-languagetool", "--no-cache", *INPUT, "-o", str(tmp_path), cwd=_written(tmp_path))
    assert result.code == 2 and "a folder" in result.stderr


def test_json_snapshot_matches_the_v1_schema():
    validate_report(json.loads((SNAPSHOTS / "check.json").read_text(encoding="utf-8")))


def test_sarif_output_matches_the_sarif_2_1_0_schema(tmp_path):
    import jsonschema

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")
    validator = jsonschema.Draft4Validator(schema)
    document = json.loads(run_repair("check", "--format", "sarif", "--no-languagetool", "--no-cache", "story.txt",
                                     cwd=_written(tmp_path)).stdout)
    validator.validate(document)
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    # every result points at its rule's metadata; the rules carry their registry summary, not just their code
    assert [rule["id"] for rule in rules] == sorted({result["ruleId"] for result in run["results"]})
    assert all(rules[result["ruleIndex"]]["id"] == result["ruleId"] for result in run["results"])
    assert all(rule["shortDescription"]["text"] != rule["id"] for rule in rules)
    # and the validator does catch a broken document
    broken = json.loads(json.dumps(document))
    del broken["runs"][0]["tool"]["driver"]["name"]
    assert not validator.is_valid(broken)

