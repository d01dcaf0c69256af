"""Persistent cache of LanguageTool results, one row per checked paragraph.

The key is the sha256 of (paragraph text, LanguageTool language code, LanguageTool
version, enabled rules, disabled rules), so an unchanged paragraph is never sent
twice, across runs, and any change of version or rule selection misses the cache.
The value is the matches, offsets in code points relative to the paragraph.

SQLite in repair's home folder (``<home>/languagetool-cache.sqlite3``, see repair.dirs); WAL mode so
parallel runs can read and write it. Every error degrades to "not cached".
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from pathlib import Path
from typing import Iterable, Sequence

from repair.languagetool.client import RawMatch

SCHEMA = 1
FILE_NAME = "languagetool-cache.sqlite3"


def default_path() -> Path:
    """Where the paragraph cache lives: in repair's home folder (REPAIR_HOME)."""
    from repair.dirs import home

    return home() / FILE_NAME


def cache_key(text: str, language: str, version: str, enabled: Sequence[str] = (), disabled: Sequence[str] = ()) -> str:
    payload = json.dumps(
        [SCHEMA, text, language, version, sorted(enabled), sorted(disabled)],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class ParagraphCache:
    """The matches of checked paragraphs by cache_key; `None` as path: nothing is kept."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.hits = 0
        self.misses = 0
        self._db: sqlite3.Connection | None = None
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(str(path), timeout=10.0, isolation_level=None)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.execute(
                    "CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, matches TEXT NOT NULL, used INTEGER NOT NULL)"
                )
                self._db = db
            except sqlite3.Error:
                self._db = None

    @property
    def enabled(self) -> bool:
        return self._db is not None

    def get_many(self, keys: Iterable[str]) -> dict[str, list[RawMatch]]:
        found: dict[str, list[RawMatch]] = {}
        keys = list(dict.fromkeys(keys))
        if self._db is None or not keys:
            self.misses += len(keys)
            return found
        try:
            for start in range(0, len(keys), 500):
                chunk = keys[start:start + 500]
                marks = ",".join("?" * len(chunk))
                for key, matches in self._db.execute(f"SELECT key, matches FROM results WHERE key IN ({marks})", chunk):
                    found[key] = [RawMatch.from_json(m) for m in json.loads(matches)]
        except (sqlite3.Error, ValueError, TypeError):
            found = {}
        self.hits += len(found)
        self.misses += len(keys) - len(found)
        return found

    def put_many(self, rows: Iterable[tuple[str, list[RawMatch]]]) -> None:
        if self._db is None:
            return
        now = int(time.time())
        data = [(key, json.dumps([m.to_json() for m in matches], ensure_ascii=False), now) for key, matches in rows]
        if not data:
            return
        try:
            self._db.execute("BEGIN")
            self._db.executemany("INSERT OR REPLACE INTO results (key, matches, used) VALUES (?, ?, ?)", data)
            self._db.execute("COMMIT")
        except sqlite3.Error:
            try:
                self._db.execute("ROLLBACK")
            except sqlite3.Error:
                pass

    def clear(self) -> None:
        if self._db is not None:
            try:
                self._db.execute("DELETE FROM results")
            except sqlite3.Error:
                pass

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
