"""Issue 11: nothing lost, nothing hangs, nothing runs that should not. One test (or a few) per numbered item;
the slow end-to-end ones (a killed run, a LanguageTool that does not answer) are in tests/test_faults.py."""

from __future__ import annotations

import json
import os
import pickle
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, run_repair, validate_report
from repair.config import Settings
from repair.runner import RunOptions, Runner

NO_LT = "--no-languagetool"
DAMAGED = (
    "The Syrian army inflicted a defeat on the Islamic State group (EI).\n"
    "Share Post\n"
    "The prorégime forces advanced towards Raqa.\n"
)
FIXED = "The Syrian army inflicted a defeat on the Islamic State group (IS).\nThe pro-regime forces advanced towards Raqqa.\n"


@pytest.fixture(autouse=True)
def _repair_home(tmp_path, monkeypatch):
    """A repair home of the test's own, with a link to the machine's word table (building it takes seconds)."""
    from repair.dirs import ENVIRONMENT_VARIABLE
    from repair.wordlists import lexicon

    table = lexicon().path
    lexicon().zipf("the", "en")
    home = tmp_path / "home"
    home.mkdir()
    (home / table.name).symlink_to(table)
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, str(home))
    return home


def settings(tmp_path: Path, **values) -> Settings:
    return Settings(languagetool=False, cache_dir=str(tmp_path / "cache"), **values)


def run(tmp_path: Path, paths: list[str], **options):
    values = {"use_cache": False, "jobs": 1, **options}
    return Runner(settings(tmp_path), RunOptions(**values)).run(paths)


class _Planted:
    """Unpickling this creates a file: proof that a cache was unpickled."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


# --- 13. no pickle in any cache --------------------------------------------------------------------------------
def test_13_a_planted_pickle_in_the_project_cache_is_never_loaded(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    for number in range(3):  # several files: the corpus-wide detector (CON001) gathers per-file parts
        (docs / f"f{number}.txt").write_text(DAMAGED + f"The road to Raqa number {number}.\n", encoding="utf-8")
    first = run_repair("check", "docs", NO_LT, cwd=tmp_path)
    assert first.code == 1, first.stderr
    database = tmp_path / ".repair_cache" / "results.sqlite"
    marker = tmp_path / "executed"
    planted = pickle.dumps(_Planted(marker))
    with sqlite3.connect(database) as connection:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            connection.execute(f"UPDATE {table} SET payload = ?", (planted,))
    again = run_repair("check", "docs", NO_LT, cwd=tmp_path, env={"PYTHONPATH": str(Path(__file__).parent)})
    assert not marker.exists(), "the project's cache unpickled a planted payload"
    assert again.code == 1 and again.stdout == first.stdout


def test_13_the_pack_cache_in_the_home_folder_is_data_only(tmp_path, _repair_home):
    from repair.cache import PackCache
    from repair.rulesets import builtin_rules_dir, load_packs

    folders = (str(builtin_rules_dir()),)
    marker = tmp_path / "executed"
    packs = _repair_home / "packs"
    packs.mkdir()
    key = PackCache.key(folders)
    for suffix in (".pickle", ".json"):
        (packs / f"{key}{suffix}").write_bytes(pickle.dumps(_Planted(marker)))

    def build():
        return tuple(load_packs([Path(f) for f in folders]))

    loaded = PackCache.load_or_build(folders, build)
    assert not marker.exists(), "the pack cache unpickled a planted file"
    assert loaded == build()
    assert PackCache.load_or_build(folders, lambda: pytest.fail("not reused")) == build()  # the cache works
    json.loads((packs / f"{key}.json").read_text(encoding="utf-8"))  # what is written is plain JSON


def test_13_corpus_parts_round_trip_through_the_data_encoding():
    from collections import Counter

    from repair.cache import dumps_data, loads_data

    value = {"raqqa": Counter({"Raqqa": 3, "Raqa": 1}), "tuple": (1, "a", None), "set": frozenset({"x"}),
             "nested": [{"k": 1.5}], 3: True}
    again = loads_data(dumps_data(value))
    assert again == value and type(again["raqqa"]) is Counter and type(again["tuple"]) is tuple
    with pytest.raises(ValueError):
        loads_data('{"o": "os.system", "v": {}}')
