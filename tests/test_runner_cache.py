"""Runner and result cache: hits on unchanged content, invalidation, --no-cache, and jobs=2 == jobs=1."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from conftest import validate_report
from repair import rulesets
from repair.cache import (CACHE_FORMAT, PackCache, ResultCache, content_digest, decode_results, encode_results,
                          file_digest, result_key)
from repair.config import Settings
from repair.engine import Engine
from repair.model import Applicability, Category, Edit, Finding, Fix, Severity
from repair.results import Located
from repair.runner import RunOptions, Runner

DAMAGED = (
    "Palmyra liberated by the Syrian army\n\n"
    "The cafÃ© opened in Palmyra &amp; the city.\n"
    "Fighters fled to Raqqa. Raqqa is their capital.\n"
    "Subscribe\n"
)


@pytest.fixture(autouse=True)
def _repair_home(tmp_path, monkeypatch):
    """A repair home of the test's own (an empty pack cache), with a link to the machine's word table (building
    it would take seconds)."""
    from repair.dirs import ENVIRONMENT_VARIABLE
    from repair.wordlists import lexicon

    table = lexicon().path
    lexicon().zipf("the", "en")  # builds the table if this machine has none yet
    home = tmp_path / "home"
    home.mkdir()
    (home / table.name).symlink_to(table)
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, str(home))


def make_files(folder: Path, count: int = 6) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        path = folder / f"f{number:02d}.txt"
        extra = "The road to Raqa is cut.\n" if number % 2 else f"Line {number} of the text is here.\n"
        path.write_text(DAMAGED + extra, encoding="utf-8")
        paths.append(str(path))
    return paths


def settings(tmp_path: Path, **values) -> Settings:
    return Settings(languagetool=False, cache_dir=str(tmp_path / "cache"), **values)


def run(tmp_path: Path, paths: list[str], jobs: int = 1, use_cache: bool = True, **values):
    return Runner(settings(tmp_path, **values), RunOptions(use_cache=use_cache, jobs=jobs)).run(paths)


def summary(results) -> list:
    return [(r.path, [(l.finding.code, l.line, l.column, l.finding.message) for l in r.located], r.error)
            for r in results]


def test_unchanged_files_are_answered_from_the_cache(tmp_path):
    paths = make_files(tmp_path / "docs")
    first = run(tmp_path, paths)
    assert not any(r.cached for r in first)
    assert any(r.located for r in first)
    second = run(tmp_path, paths)
    assert all(r.cached for r in second)
    assert summary(second) == summary(first)


def test_a_changed_file_is_checked_again_and_only_it(tmp_path):
    paths = make_files(tmp_path / "docs")
    run(tmp_path, paths)
    Path(paths[0]).write_text("Clean text.\n", encoding="utf-8")
    again = run(tmp_path, paths)
    assert not again[0].cached and again[0].located == []
    # f00's names took part in the corpus-wide data: the other files depend on it through CON001
    fresh = run(tmp_path, paths, use_cache=False)
    assert summary(again) == summary(fresh)


def test_settled_files_are_not_hashed_again_and_an_edit_that_keeps_size_and_times_is_seen(tmp_path, monkeypatch):
    """A file's digest is recorded with its stat: a re-run hashes only the files whose stat changed. An edit
    that keeps the size and puts the modification time back still changes the status change time."""
    import os

    import repair.cache as cache_module

    monkeypatch.setattr(ResultCache, "SETTLED_NS", 0)  # every file counts as settled at once
    paths = make_files(tmp_path / "docs")
    first = run(tmp_path, paths)
    hashed: list[str] = []
    original = cache_module.file_digest
    monkeypatch.setattr(cache_module, "file_digest", lambda path, *a: hashed.append(path) or original(path, *a))
    assert all(r.cached for r in run(tmp_path, paths)) and hashed == []
    before = os.stat(paths[0])
    text = Path(paths[0]).read_text(encoding="utf-8")
    Path(paths[0]).write_text(text.replace("Clean", "CLEAN", 1) if "Clean" in text else text[::-1], encoding="utf-8")
    os.utime(paths[0], ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(paths[0]).st_size == before.st_size and os.stat(paths[0]).st_mtime_ns == before.st_mtime_ns
    again = run(tmp_path, paths)
    assert hashed == [paths[0]] and not again[0].cached and all(r.cached for r in again[1:])
    assert summary(again) == summary(run(tmp_path, paths, use_cache=False)) != summary(first)


def test_configuration_change_invalidates(tmp_path):
    paths = make_files(tmp_path / "docs")
    run(tmp_path, paths)
    other = run(tmp_path, paths, ignore=("MRK",))
    assert not any(r.cached for r in other)
    assert all(l.finding.code[:3] != "MRK" for r in other for l in r.located)
    assert all(r.cached for r in run(tmp_path, paths, ignore=("MRK",)))


def test_rule_pack_change_invalidates(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    pack = rules / "extra.yaml"
    rule = """pack: extra
description: test pack
target_language: en
rules:
  - code: XTR001
    name: extra-term
    kind: substitution
    category: terminology
    severity: warning
    message: "Write {{replacement!r}}, not {{match!r}}"
    terms: {{{term}: Palmyra the Great}}
    examples:
      - bad: "{term} fell."
        good: "Palmyra the Great fell."
"""
    pack.write_text(rule.format(term="Palmyra"), encoding="utf-8")
    paths = make_files(tmp_path / "docs", 2)
    # each run in a process of its own, as a user re-runs repair after editing a pack
    first = run_in_a_new_process(tmp_path, paths, rules=[str(rules)])  # an invalid pack fails here, loudly
    assert any(code == "XTR001" for _, _, found in first for code, _, _ in found)
    assert all(cached for _, cached, _ in run_in_a_new_process(tmp_path, paths, rules=[str(rules)]))
    pack.write_text(rule.format(term="Raqqa"), encoding="utf-8")
    second = run_in_a_new_process(tmp_path, paths, rules=[str(rules)])
    assert not any(cached for _, cached, _ in second)
    xtr = [(text, message) for _, _, found in second for code, text, message in found if code == "XTR001"]
    assert xtr and all("Palmyra the Great" in message for _, message in xtr)
    assert any(text == "Raqqa" for text, _ in xtr)


_RUN = """
import json, sys
from repair.config import Settings
from repair.runner import RunOptions, Runner

cache_dir, paths, rules = json.loads(sys.argv[1])
results = Runner(Settings(languagetool=False, cache_dir=cache_dir, rules=tuple(rules)), RunOptions(jobs=1)).run(paths)
print(json.dumps([[r.path, r.cached, [[l.finding.code, l.text, l.finding.message] for l in r.located]]
                  for r in results]))
"""


def run_in_a_new_process(tmp_path: Path, paths: list[str], rules: list[str]) -> list:
    """[path, cached, [[code, text, message], ...]] per file, from a run in a new Python process."""
    done = subprocess.run([sys.executable, "-c", _RUN, json.dumps([str(tmp_path / "cache"), paths, rules])],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_no_cache_neither_reads_nor_writes(tmp_path):
    paths = make_files(tmp_path / "docs")
    results = run(tmp_path, paths, use_cache=False)
    assert not (tmp_path / "cache").exists()
    assert not any(r.cached for r in results)
    run(tmp_path, paths)
    assert not any(r.cached for r in run(tmp_path, paths, use_cache=False))
    assert not any(r.cached for r in run(tmp_path, paths, cache=False))


def test_jobs_2_gives_the_results_of_jobs_1_in_the_same_order(tmp_path, monkeypatch):
    monkeypatch.setattr(Runner, "PARALLEL_MIN_BYTES", 0)  # small files: use the workers all the same
    used = []
    import concurrent.futures

    real = concurrent.futures.ProcessPoolExecutor

    class Spy(real):
        def __init__(self, *args, **kwargs):
            used.append(args[0] if args else kwargs.get("max_workers"))
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Spy)
    paths = make_files(tmp_path / "docs", 12)
    paths.append(str(tmp_path / "missing.txt"))
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01binary")
    paths.append(str(tmp_path / "binary.txt"))
    one = run(tmp_path, paths, jobs=1, use_cache=False)
    two = run(tmp_path, paths, jobs=2, use_cache=False)
    assert [r.path for r in two] == paths
    assert summary(two) == summary(one)
    assert one[-2].error and one[-1].error
    # and with the cache: cold with 2 workers, warm with 1
    cold = run(tmp_path, paths, jobs=2)
    warm = run(tmp_path, paths, jobs=1)
    assert summary(cold) == summary(one) == summary(warm)
    assert all(r.cached for r in warm[:-2])
    assert used and set(used) == {1}  # the parallel runs did use a worker process beside the run's own


def test_small_runs_stay_in_one_process(tmp_path, monkeypatch):
    import concurrent.futures

    def forbidden(*args, **kwargs):
        raise AssertionError("a few small files must not start workers")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", forbidden)
    paths = make_files(tmp_path / "docs", 6)
    assert len(run(tmp_path, paths, jobs=2, use_cache=False)) == 6


def test_fix_ignores_cached_results_that_have_fixes(tmp_path):
    paths = make_files(tmp_path / "docs", 1)
    run(tmp_path, paths)
    options = RunOptions(fix=True, write=True, use_cache=True, jobs=1)
    fixed = Runner(settings(tmp_path), options).run(paths)
    assert not fixed[0].cached and fixed[0].written
    assert "cafÃ©" not in Path(paths[0]).read_text(encoding="utf-8")


def test_keys_hash_content_without_copying(tmp_path):
    data = b"some text\n" * 1000
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    assert file_digest(str(path), block=7) == content_digest(data)
    assert result_key(content_digest(data), "fp") != result_key(content_digest(data), "fp2")


def _finding(code: str, start: int, end: int, fix: Fix | None, category=Category.TERMINOLOGY,
             severity=Severity.WARNING, message: str = "a message") -> Finding:
    return Finding(code, code.lower(), category, severity, message, start, end, fix)


#: every shape a cached finding takes: no fix, one edit, several edits, each applicability, text beyond ASCII
LOCATED = [
    Located(_finding("SCR001", 0, 4, None, Category.UNTRANSLATED, Severity.ERROR, "Han text '三聚氰胺'"),
            1, 1, 1, 5, "三聚氰胺"),
    Located(_finding("FR001", 10, 12, Fix.replace(10, 12, "IS", Applicability.SAFE, "Replace with 'IS'")),
            2, 3, 2, 5, "EI"),
    Located(_finding("WEB101", 20, 31, Fix((Edit(20, 25, ""), Edit(28, 31, "x\ny")), Applicability.UNSAFE, "Remove"),
                     Category.BOILERPLATE, Severity.INFO, 'quotes " and \\ and \u2028'), 3, 1, 4, 4, "Share\nPost"),
    Located(_finding("LT100", 40, 40, Fix.replace(40, 40, "é", Applicability.DISPLAY_ONLY, "")), 5, 1, 5, 1, ""),
]


def test_cached_results_come_back_equal(tmp_path):
    assert decode_results(encode_results(LOCATED)) == LOCATED
    assert decode_results(encode_results([])) == []
    cache = ResultCache(tmp_path / "cache")
    cache.put_many([("a", LOCATED), ("b", LOCATED[:1]), ("c", [])])
    assert cache.get("a") == LOCATED
    assert cache.get_many(["a", "b", "c", "missing"]) == {"a": LOCATED, "b": LOCATED[:1], "c": []}
    cache.close()
    reopened = ResultCache(tmp_path / "cache")
    assert reopened.get("b") == LOCATED[:1]
    reopened.close()


def test_cached_results_are_not_the_public_json(tmp_path):
    """The cache has its own encoding: a row in another encoding (the JSON report's, say) is a miss, not an error."""
    from repair.report.json_report import finding_data

    v1 = json.dumps([finding_data(item) for item in LOCATED])
    with pytest.raises((ValueError, KeyError, TypeError)):
        decode_results(v1)
    cache = ResultCache(tmp_path / "cache")
    cache.put_many([("good", LOCATED)])
    cache.close()
    with sqlite3.connect(tmp_path / "cache" / "results.sqlite") as connection:
        tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        table = next(name for name in tables if name.startswith("results"))
        assert str(CACHE_FORMAT) in table  # the encoding's version names the table
        connection.execute(f"INSERT INTO {table} (key, payload) VALUES ('damaged', ?), ('v1', ?)", ("[[1, 2", v1))
    cache = ResultCache(tmp_path / "cache")
    assert cache.get("damaged") is None and cache.get("v1") is None
    assert cache.get_many(["good", "damaged", "v1"]) == {"good": LOCATED}
    cache.close()


def test_a_row_with_a_field_of_the_wrong_type_or_range_is_a_miss(tmp_path):
    """A row that decodes as marshal but is not what located_rows writes (a planted or damaged cache) is a miss,
    field by field; the well-formed rows beside it are read."""
    import marshal

    from repair.cache import located_rows

    good = located_rows(LOCATED)
    broken = {
        "message a list": [0, 4, ["a"]],  # (field index, value) pairs applied to the first row
        "name a number": [1, 7],
        "start negative": [5, -1],
        "start after end": [5, 9],
        "line a float": [7, 1.0],
        "column negative": [8, -2],
        "end line a string": [9, "2"],
        "text bytes": [11, b"x"],
        "row too short": None,
        "fix title a number": ["fix", 1, 5],
        "fix edit reversed": ["edit", [12, 10, "IS"]],
        "fix edit replacement a number": ["edit", [10, 12, 5]],
        "fix applicability unknown": ["fix", 0, 99],
        "category unknown": [2, "no such category"],
    }  # the first row is SCR001 at 0-4 without a fix, the second FR001 with one
    entries = []
    for label, change in broken.items():
        rows = marshal.loads(marshal.dumps(good))
        if change is None:
            rows[0] = rows[0][:12]
        elif change[0] == "fix":
            rows[1][12][change[1]] = change[2]
        elif change[0] == "edit":
            rows[1][12][2][0] = change[1]
        else:
            rows[0][change[0]] = change[1]
        entries.append((label, marshal.dumps(rows)))
    cache = ResultCache(tmp_path / "cache")
    cache.put_many([("good", LOCATED)])
    with cache.connection:
        cache.connection.executemany(f"INSERT INTO results_v{CACHE_FORMAT} (key, payload) VALUES (?, ?)", entries)
    assert cache.get_many(["good", *broken]) == {"good": LOCATED}
    assert all(cache.get(label) is None for label in broken)
    cache.close()


def test_a_run_closes_its_engine(tmp_path, monkeypatch):
    closed = []
    real_close = Engine.close

    def close(engine):
        closed.append(engine)
        real_close(engine)

    monkeypatch.setattr(Engine, "close", close)
    paths = make_files(tmp_path / "docs", 2)
    runner = Runner(settings(tmp_path), RunOptions(use_cache=False, jobs=1))
    runner.run(paths)
    assert closed == [runner.engine]

    def interrupt(result):
        raise KeyboardInterrupt

    runner = Runner(settings(tmp_path), RunOptions(use_cache=False, jobs=1))
    with pytest.raises(KeyboardInterrupt):
        runner.run(paths, on_result=interrupt)  # an interrupted run closes it too
    assert closed[-1] is runner.engine and len(closed) == 2


def test_cache_survives_a_corrupt_database(tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / "results.sqlite").write_bytes(b"not a database" * 100)
    cache = ResultCache(folder)
    assert cache.get("x") is None
    assert cache.get_many(["x"]) == {}
    cache.put_many([])


def test_pack_cache_reuses_and_rebuilds(tmp_path):
    folder = tmp_path / "packs"
    folder.mkdir()
    (folder / "a.yaml").write_text("one", encoding="utf-8")
    calls = []

    def build():
        calls.append(1)
        return ("built", len(calls))

    assert PackCache.load_or_build((str(folder),), build) == ("built", 1)
    assert PackCache.load_or_build((str(folder),), build) == ("built", 1)
    (folder / "a.yaml").write_text("two", encoding="utf-8")
    assert PackCache.load_or_build((str(folder),), build) == ("built", 2)

    def broken():
        raise rulesets.RuleSetError("a.yaml:3: bad")

    (folder / "a.yaml").write_text("three", encoding="utf-8")
    for _ in range(2):  # an error is never cached: it is raised every time
        with pytest.raises(rulesets.RuleSetError):
            PackCache.load_or_build((str(folder),), broken)


def test_builtin_packs_from_the_cache_equal_fresh_ones(tmp_path):
    folders = (str(rulesets.builtin_rules_dir()),)
    calls = []

    def build():
        calls.append(1)
        return tuple(rulesets.load_packs([Path(f) for f in folders]))

    built = PackCache.load_or_build(folders, build)  # the test's own home: an empty pack cache
    cached = PackCache.load_or_build(folders, build)
    assert len(calls) == 1  # the second came from the cache
    assert cached == built == tuple(rulesets.load_packs([rulesets.builtin_rules_dir()])) == rulesets.packs_for()


@pytest.mark.slow
def test_cli_no_cache_and_cache(tmp_path):
    paths = make_files(tmp_path / "docs", 5)
    (tmp_path / "docs" / "repair.toml").write_text(f'cache-dir = "{tmp_path / "cache"}"\n', encoding="utf-8")
    command = [sys.executable, "-m", "repair", "check", "--no-languagetool", "--format", "json", str(tmp_path / "docs")]
    runs = [subprocess.run(command + extra, capture_output=True, text=True)
            for extra in (["--no-cache"], [], [], ["-j", "1"])]
    assert [done.returncode for done in runs] == [1, 1, 1, 1], runs[0].stderr
    reports = [json.loads(done.stdout) for done in runs]
    for report in reports:
        validate_report(report)
    assert [f["path"] for f in reports[0]["files"]] == sorted(paths)
    assert all(f["findings"] for f in reports[0]["files"])
    # uncached, cold cache, warm cache, warm cache in one process: the same report
    assert reports[1] == reports[0] and reports[2] == reports[0] and reports[3] == reports[0]
    assert not (tmp_path / "docs" / ".repair_cache").exists()  # the cache-dir of repair.toml was used
    assert (tmp_path / "cache" / "results.sqlite").exists()


def test_a_path_given_twice_is_answered_twice(tmp_path):
    paths = make_files(tmp_path / "docs", 3)
    twice = paths + paths[:1]
    first = run(tmp_path, twice)
    second = run(tmp_path, twice)
    assert [r.path for r in first] == [r.path for r in second] == twice
    assert summary(first) == summary(second)


def test_corpus_wide_data_is_reused_and_follows_changes(tmp_path):
    paths = make_files(tmp_path / "docs", 4)
    cold = run(tmp_path, paths)
    warm = run(tmp_path, paths)
    assert summary(cold) == summary(warm) and all(r.cached for r in warm)
    # a new spelling in one file changes what the others are told (CON001 across the run)
    Path(paths[0]).write_text(DAMAGED + "The road to Rakka is cut.\n", encoding="utf-8")
    changed = run(tmp_path, paths)
    assert summary(changed) == summary(run(tmp_path, paths, use_cache=False))


def _publication(folder: Path, count: int = 12) -> list[str]:
    """Files of one publication: all name Palmyra the same way; every third also writes Marbuk (a town no pack
    names), the others Homs; one writes Mar-buk (so CON001 reports it across the run: Marbuk is commoner)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        place = "Mar-buk" if number == 1 else "Marbuk" if number % 3 == 0 else "Homs"
        path = folder / f"p{number:02d}.txt"
        path.write_text(f"Article {number}. Fighters left Palmyra for {place} on Monday.\n"
                        f"The road to {place} was cut again.\n", encoding="utf-8")
        paths.append(str(path))
    return paths


@pytest.mark.parametrize("edit, rechecked", [
    # a plain sentence: only the edited file
    ("Article 5. A plain sentence about the weather.\n", {5}),
    # one more use of a name's commonest spelling: its counts change, not its forms nor which is commonest
    ("Article 5. Fighters left Palmyra for Marbuk on Monday.\n", {5}),
    # a third spelling: the edited file, and the one file that writes a form other than the commonest (its
    # message lists the forms); the files writing the commonest form have nothing to report either way
    ("Article 5. Fighters reached Marbukk on Monday.\n", {1, 5}),
    # another spelling becomes the commonest: every file writing the name (findings move to the other form)
    ("Article 5." + " Mar-buk fell." * 8 + "\n", {0, 1, 3, 5, 6, 9}),
])
def test_an_edit_rechecks_only_the_files_whose_findings_can_change(tmp_path, edit, rechecked):
    paths = _publication(tmp_path / "docs")
    cold = run(tmp_path, paths, one_publication=True)
    assert any(l.finding.code == "CON001" and "this run" in l.finding.message for r in cold for l in r.located)
    Path(paths[5]).write_text(edit, encoding="utf-8")
    again = run(tmp_path, paths, one_publication=True)
    assert {number for number, r in enumerate(again) if not r.cached} == rechecked
    assert summary(again) == summary(run(tmp_path, paths, use_cache=False, one_publication=True))


def test_each_files_dependency_digest_is_computed_once(tmp_path, monkeypatch):
    """The gather pass computes each file's dependency digest from its share; checking the file from the same
    bytes keys its result with that digest (not gathered and digested again), and a re-run answers every file
    from the cache under it."""
    paths = _publication(tmp_path / "docs")
    digested: list[dict] = []
    dependency = Engine.corpus_dependency
    monkeypatch.setattr(Engine, "corpus_dependency",
                        lambda self, parts: digested.append(parts) or dependency(self, parts))
    cold = run(tmp_path, paths, one_publication=True)
    assert len(digested) == len(paths)
    again = run(tmp_path, paths, one_publication=True)
    assert all(result.cached for result in again) and summary(again) == summary(cold)
    assert summary(cold) == summary(run(tmp_path, paths, use_cache=False, one_publication=True))


def test_an_edited_file_is_read_once_for_its_share_and_its_check(tmp_path, monkeypatch):
    """An edit gathers the edited file's new share and checks it from the same reading (the document kept, not
    read and analysed again); the findings are those of a run without the cache."""
    from repair import runner

    paths = _publication(tmp_path / "docs")
    run(tmp_path, paths, one_publication=True)
    reads: list[str] = []
    real_read = runner._read
    monkeypatch.setattr(runner, "_read", lambda path: reads.append(path) or real_read(path))
    Path(paths[5]).write_text("Article 5. Fighters reached Marbukk on Monday.\n", encoding="utf-8")
    again = run(tmp_path, paths, one_publication=True)
    assert reads.count(paths[5]) == 1 and not runner._PREPARED
    assert summary(again) == summary(run(tmp_path, paths, use_cache=False, one_publication=True))


@pytest.mark.parametrize("use_cache", [False, True])
def test_a_cold_run_reads_each_file_once_for_its_share_and_its_check(tmp_path, monkeypatch, use_cache):
    """The gather pass keeps the documents it read in this process (runner.PREPARED_MAX_CHARS) and each is
    checked from that reading, not read, parsed and analysed again; past the limit the rest are read again. The
    findings are those of a run that reads every file twice."""
    from repair import runner

    paths = _publication(tmp_path / "docs")
    twice = summary(run(tmp_path, paths, use_cache=False, one_publication=True))
    reads: list[str] = []
    real_read = runner._read
    monkeypatch.setattr(runner, "_read", lambda path: reads.append(path) or real_read(path))
    results = run(tmp_path, paths, use_cache=use_cache, one_publication=True)
    assert sorted(reads) == sorted(paths) and not runner._PREPARED
    assert summary(results) == twice
    reads.clear()
    size = len(Path(paths[0]).read_text(encoding="utf-8"))
    monkeypatch.setattr(runner, "PREPARED_MAX_CHARS", 3 * size)  # the first three files kept, no more
    assert summary(run(tmp_path, paths, use_cache=False, one_publication=True)) == twice
    assert Counter(reads) == Counter({path: 1 if number < 3 else 2 for number, path in enumerate(paths)})


def test_an_edit_reads_the_shares_of_the_edited_files_only(tmp_path, monkeypatch):
    """The run's record holds the combined totals: an edit takes the old share out and puts the new one in,
    without reading the other files' shares (but those of the files whose dependency digest it recomputes, when
    the corpus data changed); the findings are those of a run without the cache, edit after edit (a spelling
    added, made the commonest, then gone again)."""
    paths = _publication(tmp_path / "docs")
    run(tmp_path, paths, one_publication=True)
    requested: list[str] = []
    original = ResultCache.get_parts
    monkeypatch.setattr(ResultCache, "get_parts", lambda self, keys: requested.extend(keys) or original(self, keys))
    digested: list[dict] = []
    dependency = Engine.corpus_dependency
    monkeypatch.setattr(Engine, "corpus_dependency",
                        lambda self, parts: digested.append(parts) or dependency(self, parts))
    for edit in ("Article 5. Fighters reached Marbukk on Monday.\n", "Article 5." + " Mar-buk fell." * 8 + "\n",
                 "Article 5. A plain sentence about the weather.\n"):
        Path(paths[5]).write_text(edit, encoding="utf-8")
        again = run(tmp_path, paths, one_publication=True)
        # the edited file's old and new shares, and at most those of the other files whose digest was computed
        # again (from their shares, or as they were checked again): never every file's
        others = len(digested) - 1  # (the edited file's digest, from its share)
        assert requested and len(requested) <= 2 + others and len(requested) < len(paths), (requested, others)
        requested.clear()
        digested.clear()
        assert summary(again) == summary(run(tmp_path, paths, use_cache=False, one_publication=True))


def test_an_edit_that_changes_the_corpus_data_digests_only_the_files_that_read_what_changed(tmp_path, monkeypatch):
    """A third spelling of Marbuk changes the run's data for that name only: the dependency digests of the files
    that write Homs are kept from the record (their shares are not even decoded), also when Homs gets a second
    spelling that stays the rarer (they write the preferred one: they read nothing of the name either way), not
    when the other spelling becomes the commonest; the findings are those of a run without the cache, edit after
    edit (the edited file's own keys are read again whatever the index says)."""
    from repair.names import name_key

    paths = _publication(tmp_path / "docs")
    run(tmp_path, paths, one_publication=True)
    digested: list[set] = []
    original = Engine.corpus_dependency
    monkeypatch.setattr(Engine, "corpus_dependency", lambda self, parts: digested.append(
        set((parts or {}).get("NameConsistencyDetector", {}))) or original(self, parts))
    marbuk, palmyra = name_key("Marbuk"), name_key("Palmyra")
    for edit, homs_files_kept in (("Article 5. Fighters reached Marbukk on Monday.\n", True),
                                  ("Article 5. Fighters reached Homs.\n", True),
                                  ("Article 5. Fighters reached Marbukk and Homms on Monday.\n", True),
                                  ("Article 5." + " Homms fell." * 16 + "\n", False)):
        Path(paths[5]).write_text(edit, encoding="utf-8")
        again = run(tmp_path, paths, one_publication=True)
        assert summary(again) == summary(run(tmp_path, paths, use_cache=False, one_publication=True))
        assert digested
        # the files writing Homs (and Palmyra) read nothing that changed, unless another spelling of Homs becomes
        # the preferred one
        homs_files = [keys for keys in digested if marbuk not in keys and palmyra in keys]
        assert (not homs_files) == homs_files_kept
        digested.clear()


@pytest.mark.parametrize("detector_class", [cls for cls in __import__("repair.registry", fromlist=["x"])
                                            .builtin_detector_classes() if cls.keyed])
def test_a_keyed_detector_updates_a_key_from_that_key_alone(tmp_path, detector_class):
    """A `keyed` detector's total is updated by the runner key by key (only the keys of the edited files' shares
    are decoded): replace_shares on the touched keys alone gives those keys of the whole update, and finish on
    them gives those keys of the whole corpus data, for shares of real files (the corpus, a publication)."""
    from repair.document import Document

    engine = Engine(Settings(languagetool=False, one_publication=True))
    detector = next(d for d in engine.corpus_detectors if type(d) is detector_class)
    corpus = Path(__file__).resolve().parent.parent / "corpus"
    texts = [path.read_text(encoding="utf-8") for path in sorted(corpus.rglob("*.txt"))[:40]]
    texts += [Path(path).read_text(encoding="utf-8") for path in _publication(tmp_path / "docs")]
    shares = [detector.gather(Document(f"f{n}.txt", text), engine.context) for n, text in enumerate(texts)]
    total = detector.combine(shares)
    assert len(total) > 50
    for edit in (0, 3, len(shares) - 2):
        removed, added = [shares[edit], shares[edit + 1]], [shares[-1], shares[edit]]
        whole = detector.replace_shares(total, removed, added)
        assert whole == detector.combine([s for n, s in enumerate(shares) if n not in (edit, edit + 1)] + added)
        touched = set().union(*removed, *added)
        part = detector.replace_shares({key: total[key] for key in touched if key in total}, removed, added)
        assert part == {key: value for key, value in whole.items() if key in touched}
        kept = {key: value for key, value in detector.finish(total).items() if key not in touched}
        assert {**kept, **detector.finish(part)} == detector.finish(whole)


def test_changed_keys_name_every_share_whose_dependency_changes(tmp_path):
    """For every corpus-wide detector that names keys: when an edit changes the corpus data, each share whose
    `depends_on` differs between the two has one of its `corpus_keys` among the `changed_keys` (a file the index
    leaves out would keep a stale result); real shares, edits that add a spelling, make it the commonest, drop
    a name."""
    from repair.document import Document

    engine = Engine(Settings(languagetool=False, one_publication=True))
    corpus = Path(__file__).resolve().parent.parent / "corpus"
    texts = [path.read_text(encoding="utf-8") for path in sorted(corpus.rglob("*.txt"))[:40]]
    texts += [Path(path).read_text(encoding="utf-8") for path in _publication(tmp_path / "docs")]
    extra = ["Fighters reached Marbukk.\n", "Mar-buk fell. " * 9 + "\n", "Homms and Palmira and Raqa.\n", ""]
    for detector in engine.corpus_detectors:
        if detector.corpus_keys(None) is None:
            continue
        shares = [detector.gather(Document(f"f{n}.txt", text), engine.context) for n, text in enumerate(texts)]
        old = detector.finish(detector.combine(shares))
        for text in extra:
            edited = shares[:-1] + [detector.gather(Document("edit.txt", text), engine.context)]
            new = detector.finish(detector.combine(edited))
            changed = detector.changed_keys(old, new, engine.context)
            for share in shares[:-1]:
                if detector.depends_on(share, old, engine.context) != detector.depends_on(share, new, engine.context):
                    assert set(detector.corpus_keys(share)) & changed, (detector.name, text)
            old = new


@pytest.mark.parametrize("damage", ["deleted", "another digest"])
def test_without_the_record_s_own_index_an_edit_digests_every_file_again(tmp_path, monkeypatch, damage):
    """The key index is stored beside the run's record (an edit rewrites the record, not the index) and names the
    digest of the index it was made with: without that index (deleted, or another run's), an edit that changes
    the corpus data recomputes every file's dependency digest, and the findings are those of a run without the
    cache."""
    from repair.cache import _INDEXES

    paths = _publication(tmp_path / "docs")
    run(tmp_path, paths, one_publication=True)
    with sqlite3.connect(tmp_path / "cache" / "results.sqlite") as database:
        changed = database.execute(f"DELETE FROM {_INDEXES}" if damage == "deleted" else
                                   f"UPDATE {_INDEXES} SET digest = 'another'").rowcount
    database.close()
    assert changed == 1
    digested = []
    original = Engine.corpus_dependency
    monkeypatch.setattr(Engine, "corpus_dependency", lambda self, parts: digested.append(1) or original(self, parts))
    Path(paths[5]).write_text("Article 5. Fighters reached Marbukk on Monday.\n", encoding="utf-8")
    again = run(tmp_path, paths, one_publication=True)
    assert len(digested) >= len(paths)
    assert summary(again) == summary(run(tmp_path, paths, use_cache=False, one_publication=True))


def test_a_damaged_run_record_is_combined_again(tmp_path):
    paths = _publication(tmp_path / "docs")
    cold = run(tmp_path, paths, one_publication=True)
    database = sqlite3.connect(tmp_path / "cache" / "results.sqlite")
    with database:
        from repair.cache import _RECORDS

        damaged = database.execute(f"UPDATE {_RECORDS} SET payload = ?", (b"\xff\x00not marshal",)).rowcount
        assert damaged == 1
        database.execute(f"DELETE FROM results_v{CACHE_FORMAT}")
    database.close()
    assert summary(run(tmp_path, paths, one_publication=True)) == summary(cold)


@pytest.mark.parametrize("detector_class, parts", [
    ("NameConsistencyDetector", [{"palmyra": Counter({"Palmyra": 2})}, {"palmyra": Counter({"Palmira": 1}),
                                                                         "homs": Counter({"Homs": 1})},
                                 {}, {"homs": Counter({"Homs": 3, "Hums": 1})}]),
    ("PageTemplateDetector", [{"pages": 1, "lines": {"a": 1, "b": 1}, "digests": {"x": 1}},
                              {"pages": 1, "lines": {"a": 1}, "digests": {"y": 1}},
                              {"pages": 0, "lines": {}, "digests": {}},
                              {"pages": 1, "lines": {"b": 1, "c": 1}, "digests": {"x": 1}}]),
])
def test_replacing_shares_gives_what_combining_gives(detector_class, parts):
    from repair.detectors.consistency import NameConsistencyDetector
    from repair.detectors.page_template import PageTemplateDetector

    detector = {"NameConsistencyDetector": NameConsistencyDetector,
                "PageTemplateDetector": PageTemplateDetector}[detector_class]()
    total = detector.combine(parts)
    before = json.dumps(total, sort_keys=True)
    for index in range(len(parts)):
        for new in parts:  # each share replaced by each other one (and by itself)
            expected = detector.combine(parts[:index] + [new] + parts[index + 1:])
            assert detector.replace_shares(total, [parts[index]], [new]) == expected
    assert detector.replace_shares(total, parts, []) == detector.combine([])
    assert json.dumps(total, sort_keys=True) == before  # the total itself is left as it is


def test_plain_data_round_trips_and_refuses_what_it_did_not_write():
    from repair.cache import dumps_plain, loads_plain
    import marshal

    value = {"a": Counter({"x": 2}), "b": [1, 2.5, None, True, ("t", [1])], "c": (1, "2"), "d": {3, 4},
             "e": frozenset({"f"})}
    assert loads_plain(dumps_plain(value)) == value
    assert type(loads_plain(dumps_plain(value))["a"]) is Counter
    with pytest.raises(TypeError):
        dumps_plain({"a": Edit(0, 1, "")})
    with pytest.raises(TypeError):
        dumps_plain({("tuple", "key"): 1})
    for foreign in (marshal.dumps(("X", [1])), marshal.dumps(b"bytes"), marshal.dumps((1, 2, 3)), b"\xff\x00",
                    marshal.dumps(compile("1", "f", "eval"))):
        with pytest.raises(ValueError):
            loads_plain(foreign)


_FORKED = """
import json, os, sys
import repair.runner as runner_module
from repair.config import Settings
from repair.engine import Engine
from repair.runner import RunOptions, Runner

built = []


class Counted(Engine):
    def __init__(self, *args, **kwargs):
        with open(sys.argv[1], "a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()}\\n")
        super().__init__(*args, **kwargs)


runner_module.Engine = Counted
Runner.PARALLEL_MIN_BYTES = 0
settings = Settings(languagetool=False, one_publication=True)
results = Runner(settings, RunOptions(use_cache=False, jobs=int(sys.argv[2]))).run(sys.argv[3:])
print(json.dumps({"parent": os.getpid(), "findings": [[(l.finding.code, l.line, l.column, l.finding.message)
                                                      for l in r.located] for r in results]}))
"""


def test_forked_workers_use_the_runs_engine_and_find_what_built_ones_find(tmp_path):
    """Workers forked by a run whose detectors hold no service (and with no other thread) build no engine of
    their own: the run's is theirs, and they find what one process finds. (A fresh interpreter: threads other
    tests leave behind would rightly make the run build engines per worker.)"""
    paths = make_files(tmp_path / "docs", 12)
    outputs = {}
    for jobs in (1, 2):
        built = tmp_path / f"built{jobs}"
        done = subprocess.run([sys.executable, "-c", _FORKED, str(built), str(jobs), *paths], capture_output=True,
                              text=True, check=True)
        outputs[jobs] = json.loads(done.stdout)
        assert set(built.read_text().split()) == {str(outputs[jobs]["parent"])}  # the Runner's engine only
    assert outputs[1]["findings"] == outputs[2]["findings"]
    assert any(outputs[2]["findings"])
