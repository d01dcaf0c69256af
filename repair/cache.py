"""A per-file result cache keyed by content, configuration, rule sets and tool version (as ruff's is)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

from repair.model import Located


def content_key(data: bytes, fingerprint: str) -> str:
    return hashlib.blake2b(data + fingerprint.encode(), digest_size=20).hexdigest()


class ResultCache:
    """SQLite in <cache dir>/results.sqlite; readers run in parallel, one writer commits in batches."""

    def __init__(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        gitignore = folder / ".gitignore"
        if not gitignore.exists():
            gitignore.write_text("*\n", encoding="utf-8")
        self.path = folder / "results.sqlite"
        self._connection: sqlite3.Connection | None = None

    @property
    def connection(self) -> sqlite3.Connection:
        if self._connection is None:
            self._connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self._connection.execute("PRAGMA journal_mode=WAL")
            self._connection.execute("PRAGMA synchronous=NORMAL")
            self._connection.execute("CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, payload TEXT NOT NULL)")
        return self._connection

    def get(self, key: str) -> list[Located] | None:
        try:
            row = self.connection.execute("SELECT payload FROM results WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        if row is None:
            return None
        return [Located.from_dict(item) for item in json.loads(row[0])]

    def put_many(self, entries: list[tuple[str, list[Located]]]) -> None:
        if not entries:
            return
        rows = [(key, json.dumps([item.to_dict() for item in located], ensure_ascii=False)) for key, located in entries]
        try:
            with self.connection:
                self.connection.execute("BEGIN")
                self.connection.executemany("INSERT OR REPLACE INTO results (key, payload) VALUES (?, ?)", rows)
        except sqlite3.Error:
            pass  # a cache that cannot be written costs speed, never results

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
