"""Runner and result cache: hits on unchanged content, invalidation, --no-cache, and jobs=2 == jobs=1."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from repair import rulesets
from repair.cache import PackCache, ResultCache, file_digest, result_key, content_digest
from repair.config import Settings
from repair.runner import RunOptions, Runner

DAMAGED = (
    "Palmyra liberated by the Syrian army\n\n"
    "The cafÃ© opened in Palmyra &amp; the city.\n"
    "Fighters fled to Raqqa. Raqqa is their capital.\n"
    "Subscribe\n"
)


@pytest.fixture(autouse=True)
def _user_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("REPAIR_CACHE_HOME", str(tmp_path / "user-cache"))


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
    try:
        first = run(tmp_path, paths, rules=(str(rules),))
    except rulesets.RuleSetError as error:  # pragma: no cover - the schema moved on: the test needs a new pack
        pytest.skip(f"test pack no longer valid: {error}")
    assert any(l.finding.code == "XTR001" for r in first for l in r.located)
    assert all(r.cached for r in run(tmp_path, paths, rules=(str(rules),)))
    pack.write_text(rule.format(term="Raqqa"), encoding="utf-8")
    rulesets._cached_packs.cache_clear()
    second = run(tmp_path, paths, rules=(str(rules),))
    assert not any(r.cached for r in second)
    assert all("Palmyra the Great" in l.finding.message for r in second for l in r.located if l.finding.code == "XTR001")
    assert any(l.finding.code == "XTR001" and l.text == "Raqqa" for r in second for l in r.located)


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
    assert used and set(used) == {2}  # the parallel runs did use 2 workers


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
    rulesets._cached_packs.cache_clear()
    first = rulesets.packs_for()
    rulesets._cached_packs.cache_clear()
    cached = rulesets.packs_for()
    fresh = tuple(rulesets.load_packs([rulesets.builtin_rules_dir()]))
    assert cached == fresh == first
    rulesets._cached_packs.cache_clear()


@pytest.mark.slow
def test_cli_no_cache_and_cache(tmp_path):
    paths = make_files(tmp_path / "docs", 5)
    (tmp_path / "docs" / "repair.toml").write_text(f'cache-dir = "{tmp_path / "cache"}"\n', encoding="utf-8")
    command = [sys.executable, "-m", "repair", "check", "--no-languagetool", "--format", "json", str(tmp_path / "docs")]
    outputs = [subprocess.run(command + extra, capture_output=True, text=True).stdout
               for extra in (["--no-cache"], [], [], ["-j", "1"])]
    assert len({json.dumps(json.loads(o)["files"] if "files" in json.loads(o) else json.loads(o)) for o in outputs}) == 1
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
