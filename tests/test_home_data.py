"""The repair home keeps derived data between runs; what earlier versions derived does not pile up in it."""

from __future__ import annotations

import os

from repair.home_data import prune


def _write(folder, name, age_days):
    path = folder / name
    path.write_bytes(b"x")
    when = 1_700_000_000 - age_days * 86_400
    os.utime(path, (when, when))
    return path


def test_prune_keeps_the_current_key_and_the_newest_other(tmp_path):
    for key, age in (("aaaa", 30), ("bbbb", 3), ("cccc", 300), ("dddd", 90)):
        _write(tmp_path, f"langdetect-{key}.f64", age)
        _write(tmp_path, f"langdetect-{key}.json", age)
    _write(tmp_path, "langdetect-notes.txt", 500)  # not of the family: kept
    _write(tmp_path, "english-loans-eeee.json", 500)  # another family: kept
    prune(tmp_path, r"langdetect-([0-9a-f]+)\.(?:f64|json)", "cccc")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "english-loans-eeee.json",
        "langdetect-bbbb.f64", "langdetect-bbbb.json",  # the newest other version's (another version in use)
        "langdetect-cccc.f64", "langdetect-cccc.json",  # the current one's, however old
        "langdetect-notes.txt",
    ]


def test_prune_of_a_folder_that_is_not_there_is_nothing(tmp_path):
    prune(tmp_path / "absent", r"x-(\w+)", "y")


def test_storing_a_langdetect_table_removes_those_of_earlier_versions(tmp_path):
    """A new version of repair derives its langdetect table (37 MB) in the home: the tables of the versions before
    the last one go."""
    import langdetect.detector_factory as module

    from repair.detectors.langdetect_profiles import _store

    for key, age in (("0dd1", 40), ("0dd2", 20)):
        _write(tmp_path, f"langdetect-{key}.f64", age)
        _write(tmp_path, f"langdetect-{key}.json", age)
    own = module.DetectorFactory()
    own.load_profile(module.PROFILES_DIRECTORY)
    _store(own, tmp_path / "langdetect-abc123.json", tmp_path / "langdetect-abc123.f64")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "langdetect-0dd2.f64", "langdetect-0dd2.json", "langdetect-abc123.f64", "langdetect-abc123.json"]


def test_writing_derived_data_clears_what_was_written_long_ago(tmp_path, monkeypatch):
    """A folder of small derived files (the config tables, pattern facts, rule packs) keeps what was written
    within STALE_DAYS; a write there (a miss: after an upgrade) removes the older ones."""
    import time

    from repair import home_data

    monkeypatch.setenv("REPAIR_HOME", str(tmp_path))
    monkeypatch.delenv("REPAIR_NO_PACK_CACHE", raising=False)
    folder = tmp_path / "config"
    folder.mkdir()
    old, recent = folder / "old.json", folder / "recent.json"
    for path, age in ((old, home_data.STALE_DAYS + 1), (recent, home_data.STALE_DAYS - 1)):
        path.write_text("{}")
        when = time.time() - age * 86_400
        os.utime(path, (when, when))
    home_data.write("config", "new", {"table": 1})
    assert sorted(p.name for p in folder.iterdir()) == ["new.json", "recent.json"]
    assert home_data.read("config", "new") == {"table": 1}
