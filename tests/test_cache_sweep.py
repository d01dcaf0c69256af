"""The result cache does not grow without end: rows no run used for KEEP_DAYS, and tables of earlier layouts, go
at the first run of a day; rows a run uses are kept."""

from __future__ import annotations

import sqlite3

from repair import cache as cache_module
from repair.cache import KEEP_DAYS, ResultCache
from repair.runner import RunOptions, Runner
from repair.config import Settings


def _run(folder, cache_dir):
    """A run over the folder's files; whether each result came from the cache."""
    paths = sorted(str(path) for path in folder.iterdir())
    results = Runner(Settings(languagetool=False, cache_dir=str(cache_dir)), RunOptions()).run(paths)
    return [result.cached for result in results]


def _rows(path, table):
    with sqlite3.connect(path) as connection:
        return connection.execute(f"SELECT key, day FROM {table}").fetchall()


def test_rows_no_run_used_for_keep_days_go_and_used_ones_stay(tmp_path, monkeypatch):
    folder = tmp_path / "texts"
    folder.mkdir()
    kept, edited = folder / "kept.txt", folder / "edited.txt"
    kept.write_text("The minister spoke on Tuesday.\n", encoding="utf-8")
    edited.write_text("The council met on Monday.\n", encoding="utf-8")
    cache_dir = tmp_path / "cache"
    day = 20_000
    monkeypatch.setattr(cache_module, "_today", lambda: day)
    _run(folder, cache_dir)
    database = cache_dir / "results.sqlite"
    first = dict(_rows(database, cache_module._RESULTS))
    assert len(first) == 2 and set(first.values()) == {day}

    # the next day: one file edited (its old row is never used again), the other answered from the cache
    day += 1
    edited.write_text("The council met on Wednesday.\n", encoding="utf-8")
    _run(folder, cache_dir)
    second = dict(_rows(database, cache_module._RESULTS))
    assert len(second) == 3 and sorted(second.values()) == [day - 1, day, day]

    # KEEP_DAYS later the row of the old text goes; the two rows runs keep using stay
    day += KEEP_DAYS
    _run(folder, cache_dir)
    third = dict(_rows(database, cache_module._RESULTS))
    assert sorted(third) == sorted(key for key, used in second.items() if used == day - KEEP_DAYS)
    assert set(third.values()) == {day}
    assert _run(folder, cache_dir) == [True, True]


def test_a_cache_written_before_rows_had_a_day_keeps_its_rows_and_drops_old_layouts(tmp_path):
    database = tmp_path / "results.sqlite"
    with sqlite3.connect(database) as connection:
        connection.execute(f"CREATE TABLE {cache_module._RESULTS} (key TEXT PRIMARY KEY, payload BLOB NOT NULL)")
        connection.execute(f"INSERT INTO {cache_module._RESULTS} VALUES ('k', ?)",
                           (cache_module.encode_results([]),))
        connection.execute("CREATE TABLE results_v2 (key TEXT PRIMARY KEY, payload BLOB NOT NULL)")
        connection.execute("CREATE TABLE records_v3 (key TEXT PRIMARY KEY, payload BLOB NOT NULL)")
    cache = ResultCache(tmp_path)
    assert cache.get_many(["k"]) == {"k": []}
    cache.close()
    with sqlite3.connect(database) as connection:
        tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "results_v2" not in tables and "records_v3" not in tables
        assert connection.execute(f"SELECT day FROM {cache_module._RESULTS}").fetchall() == [
            (cache_module._today(),)]
