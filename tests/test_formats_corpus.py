"""Issue 9, items 6 and 7: real Markdown and HTML, and the seed articles inside them.

- corpus/clean/markdown and corpus/clean/html hold human-written English documentation copied byte for byte from
  registry packages (corpus/tools/build_clean_markup.py, listed in corpus/clean/SOURCES): `repair fix` must change
  no byte of them and `repair check` must report at most 1 finding per 1,000 words over each folder, LanguageTool
  off, run by the command line as a new user would (a copy of the folder, no configuration file).
- corpus/formats holds the two seed articles in the prose of a Markdown file and of an HTML page, with their gold
  spans moved (corpus/tools/build_format_seeds.py): every gold span that repair finds in the plain text it must
  find in the Markdown and in the HTML too (same recall, no span lost), through the Python API.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from conftest import CORPUS, run_repair
from repair.api import Checker
from repair.document import Document

CLEAN = CORPUS / "clean"
FORMATS = CORPUS / "formats"
FOLDERS = {"markdown": ".md", "html": ".html"}
SEEDS = sorted(p.name.removesuffix(".gold.json") for p in CORPUS.glob("*.gold.json"))
NO_LT = "--no-languagetool"
#: repair's promise on clean text, in findings per 1,000 words
LIMIT = 1.0


def clean_files(folder: str) -> list[Path]:
    return sorted(p for p in (CLEAN / folder).iterdir() if p.is_file())


def words(paths: list[Path]) -> int:
    """Whitespace-separated tokens of the whole files: an upper bound of the words of prose, since it counts code,
    tags, attributes, scripts and styles as words too (about 1.35 times the prose of the Markdown folder and 1.9
    times that of the HTML one; SOURCES gives both counts). The limit it gives is that much more lenient than one
    on the words of prose."""
    return sum(len(p.read_text(encoding="utf-8").split()) for p in paths)


def copy_of(folder: str, tmp_path: Path) -> Path:
    """The folder copied into a directory with no configuration file and no repository around it."""
    copy = tmp_path / folder
    shutil.copytree(CLEAN / folder, copy)
    return copy


# --- the corpus and its sources: cheap checks that hold whatever the engine does ---------------------------------
@pytest.mark.parametrize("folder", FOLDERS)
def test_clean_markup_folders_are_listed_in_sources(folder):
    files = clean_files(folder)
    assert files and all(p.suffix == FOLDERS[folder] for p in files)
    listed = re.findall(rf"^\| {folder}/(\S+) \| (\S+) \| (\S+) \| (pypi|npm) \| (\S+) \| (\S+) \|$",
                        (CLEAN / "SOURCES").read_text(encoding="utf-8"), flags=re.M)
    assert sorted(row[0] for row in listed) == [p.name for p in files]
    assert {row[5] for row in listed} <= {"MIT", "BSD-2-Clause", "BSD-3-Clause", "Apache-2.0", "ISC", "PSF-2.0"}


def test_clean_markup_holds_at_least_100000_words():
    assert sum(words(clean_files(folder)) for folder in FOLDERS) >= 100_000


def _unescape(text: str, suffix: str) -> str:
    return html.unescape(text) if suffix == ".html" else re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)


@pytest.mark.parametrize("suffix", [".md", ".html"])
@pytest.mark.parametrize("name", SEEDS)
def test_moved_gold_points_at_the_same_text(name, suffix):
    plain = json.loads((CORPUS / f"{name}.gold.json").read_text(encoding="utf-8"))
    gold = json.loads((FORMATS / f"{name}{suffix}.gold.json").read_text(encoding="utf-8"))
    text = (FORMATS / f"{name}{suffix}").read_text(encoding="utf-8")
    assert gold["file"] == f"{name}{suffix}" and set(gold) == set(plain)
    assert len(gold["errors"]) == len(plain["errors"])
    for moved, error in zip(gold["errors"], plain["errors"]):
        assert set(moved) == set(error)
        assert [moved[k] for k in ("category", "accept", "note")] == [error[k] for k in ("category", "accept", "note")]
        assert text[moved["start"]:moved["end"]] == moved["text"]
        # the same text once unescaped; in HTML the line breaks that end a paragraph lie between two <p> elements,
        # so a span that ends with them ends at the </p>
        restored = _unescape(moved["text"], suffix)
        if restored != error["text"]:
            assert suffix == ".html" and text.startswith("</p>", moved["end"])
            assert error["text"].startswith(restored) and error["text"][len(restored):].strip("\n") == ""


# --- issue 9, item 6: clean Markdown and HTML ------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("folder", FOLDERS)
def test_fix_changes_no_byte_of_clean_markup(folder, tmp_path):
    files = clean_files(folder)
    copy = copy_of(folder, tmp_path)
    result = run_repair("fix", NO_LT, "--no-cache", "--format", "json", folder, cwd=tmp_path)
    assert result.code in (0, 1), result.stderr[-3000:]
    report = result.json()
    assert report["summary"]["files"] == len(files), "every file of the folder is read"
    changed = [p.name for p in files if (copy / p.name).read_bytes() != p.read_bytes()]
    diffs = "\n".join(f["diff"] for f in report["files"] if f.get("diff"))
    assert not changed, f"repair fix changed {len(changed)} files: {changed[:10]}\n{diffs[:4000]}"
    assert sorted(p.name for p in copy.iterdir()) == [p.name for p in files]


@pytest.mark.slow
@pytest.mark.parametrize("folder", FOLDERS)
def test_check_reports_at_most_one_finding_per_1000_words(folder, tmp_path):
    files = clean_files(folder)
    copy_of(folder, tmp_path)
    result = run_repair("check", NO_LT, "--no-cache", "--format", "json", folder, cwd=tmp_path)
    assert result.code in (0, 1), result.stderr[-3000:]
    report = result.json()
    assert report["summary"]["files"] == len(files), "every file of the folder is read"
    findings = [(f["path"], x["code"], x["text"][:60]) for f in report["files"] for x in f["findings"]]
    assert report["summary"]["findings"] == len(findings)
    total = words(files)
    by_code = Counter(code for _, code, _ in findings).most_common()
    assert len(findings) * 1000 <= LIMIT * total, (
        f"{len(findings)} findings in {total:,} words ({1000 * len(findings) / total:.2f} per 1,000): {by_code}\n"
        + "\n".join(map(str, findings[:40])))


# --- issue 9, item 7: the seed artifacts in Markdown and HTML --------------------------------------------------
def _matches(finding, error) -> bool:
    """A finding that shares a character with the gold span and has its category (or one it also accepts)."""
    categories = {error["category"], *error.get("accept", [])}
    return finding.start < error["end"] and error["start"] < finding.end and finding.category.value in categories


def found(path: Path, gold: dict) -> list[bool]:
    """Per gold span: whether repair (LanguageTool off) reports it."""
    with Checker(languagetool=False, language=gold["language"]) as checker:
        findings = checker.check(Document.read(path))
    return [any(_matches(f, error) for f in findings) for error in gold["errors"]]


@pytest.mark.parametrize("suffix", [".md", ".html"])
@pytest.mark.parametrize("name", SEEDS)
def test_seed_artifacts_are_found_in_markup_as_in_plain_text(name, suffix):
    plain_gold = json.loads((CORPUS / f"{name}.gold.json").read_text(encoding="utf-8"))
    gold = json.loads((FORMATS / f"{name}{suffix}.gold.json").read_text(encoding="utf-8"))
    in_plain = found(CORPUS / f"{name}.txt", plain_gold)
    in_markup = found(FORMATS / f"{name}{suffix}", gold)
    lost = [error["text"] for error, plain, markup in zip(gold["errors"], in_plain, in_markup) if plain and not markup]
    recall_plain, recall_markup = sum(in_plain) / len(in_plain), sum(in_markup) / len(in_markup)
    assert not lost and recall_markup >= recall_plain, (
        f"recall {recall_markup:.2f} in {name}{suffix}, {recall_plain:.2f} in the plain text; lost: {lost}")
