"""A per-file result cache keyed by content, configuration, rule sets and tool version (as ruff's is)."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sqlite3
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Callable, TypeVar

from repair.dirs import home
from repair.model import Located

T = TypeVar("T")


def content_digest(data: bytes) -> str:
    """Hash of a file's bytes (hashed in place: no copy of a large file)."""
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def file_digest(path: str, block: int = 1 << 20) -> str:
    """content_digest of a file, read in blocks (memory stays flat however large the file)."""
    digest = hashlib.blake2b(digest_size=20)
    with open(path, "rb") as handle:
        while chunk := handle.read(block):
            digest.update(chunk)
    return digest.hexdigest()


def result_key(digest: str, fingerprint: str) -> str:
    """Cache key of a file's results: its content digest and the engine's fingerprint (settings, rule packs,
    version, code and corpus-wide data)."""
    return hashlib.blake2b(f"{digest}|{fingerprint}".encode(), digest_size=20).hexdigest()


def content_key(data: bytes, fingerprint: str) -> str:
    return result_key(content_digest(data), fingerprint)


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
            self._connection.execute("CREATE TABLE IF NOT EXISTS parts (key TEXT PRIMARY KEY, payload BLOB NOT NULL)")
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

    def get_many(self, keys: list[str]) -> dict[str, list[Located]]:
        """Results for the keys that are cached (one query per 500 keys)."""
        found: dict[str, list[Located]] = {}
        for start in range(0, len(keys), 500):
            batch = keys[start:start + 500]
            try:
                rows = self.connection.execute(
                    f"SELECT key, payload FROM results WHERE key IN ({','.join('?' * len(batch))})", batch).fetchall()
            except sqlite3.Error:
                return found
            for key, payload in rows:
                found[key] = [Located.from_dict(item) for item in json.loads(payload)]
        return found

    # corpus-wide detectors' per-file gathered data, so that a re-run does not scan unchanged files again
    def get_parts(self, keys: list[str]) -> dict[str, object]:
        found: dict[str, object] = {}
        for start in range(0, len(keys), 500):
            batch = keys[start:start + 500]
            try:
                rows = self.connection.execute(
                    f"SELECT key, payload FROM parts WHERE key IN ({','.join('?' * len(batch))})", batch).fetchall()
                for key, payload in rows:
                    found[key] = pickle.loads(payload)
            except (sqlite3.Error, pickle.PickleError, EOFError, AttributeError, ImportError):
                return found
        return found

    def put_parts(self, entries: list[tuple[str, object]]) -> None:
        if not entries:
            return
        rows = [(key, pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL)) for key, part in entries]
        try:
            with self.connection:
                self.connection.execute("BEGIN")
                self.connection.executemany("INSERT OR REPLACE INTO parts (key, payload) VALUES (?, ?)", rows)
        except sqlite3.Error:
            pass

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


# --- the parsed-rule-pack cache ----------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Sizes and modification times of repair's own modules, so that an edited install never reuses old data."""
    from repair import __version__

    package = Path(__file__).parent
    stats = sorted((str(p.relative_to(package)), p.stat().st_size, p.stat().st_mtime_ns) for p in package.rglob("*.py"))
    return hashlib.sha256(repr((__version__, stats)).encode()).hexdigest()


class PackCache:
    """Rule packs after parsing and validation, pickled under the repair home's packs/ (repair.dirs).

    The key is the bytes of every rule file (and schema) in the folders, in order, plus repair's code: any change
    to a pack, to the schema or to repair rebuilds. Packs that fail to load are never stored, so errors (with
    their file and line) are always reported. A cache that cannot be read or written costs time, never results.
    """

    @staticmethod
    def key(folders: tuple[str, ...]) -> str:
        digest = hashlib.sha256(code_fingerprint().encode())
        for folder in folders:
            digest.update(b"\0folder\0" + folder.encode())
            names = sorted(os.listdir(folder))
            for name in names:
                if name.endswith((".yaml", ".yml", ".json")):
                    digest.update(b"\0file\0" + name.encode() + b"\0")
                    digest.update(Path(folder, name).read_bytes())
        return digest.hexdigest()

    @classmethod
    def load_or_build(cls, folders: tuple[str, ...], build: Callable[[], T]) -> T:
        if os.environ.get("REPAIR_NO_PACK_CACHE") or not all(os.path.isdir(f) for f in folders):
            return build()
        try:
            path = home() / "packs" / f"{cls.key(folders)}.pickle"
        except OSError:
            return build()
        try:
            return pickle.loads(path.read_bytes())
        except Exception:  # missing, truncated or from an incompatible build: rebuild
            pass
        value = build()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".packs.", suffix=".tmp")
            with os.fdopen(descriptor, "wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        except OSError:
            pass
        return value
