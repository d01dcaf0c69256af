"""A per-file result cache keyed by content, configuration, rule sets and tool version (as ruff's is).

Cached results have their own compact encoding (encode_results / decode_results), not the public JSON report's:
one JSON array per finding, fields by position. CACHE_FORMAT names that encoding; it is part of the table name,
so a build with another encoding never reads these rows (it misses and recomputes).
"""

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
from repair.model import Applicability, Category, Edit, Finding, Fix, Severity
from repair.results import Located

T = TypeVar("T")

#: the version of the cached results' encoding: change it whenever encode_results changes
CACHE_FORMAT = 2  # 1 was the JSON v1 report's finding objects
_RESULTS = f"results_v{CACHE_FORMAT}"

# enum members by their encoded value: a look-up is several times cheaper than calling the enum
_CATEGORY = {member.value: member for member in Category}
_SEVERITY = {member.value: member for member in Severity}
_APPLICABILITY = {int(member): member for member in Applicability}


def encode_results(located: list[Located]) -> str:
    """A file's findings as the cache stores them: per finding [code, name, category, severity, message, start,
    end, line, column, end_line, end_column, text, fix], fix null or [applicability, title, [[start, end,
    replacement], ...]]."""
    rows = []
    for item in located:
        f = item.finding
        fix = None
        if f.fix is not None:
            fix = [int(f.fix.applicability), f.fix.title, [[e.start, e.end, e.replacement] for e in f.fix.edits]]
        rows.append([f.code, f.name, f.category.value, f.severity.value, f.message, f.start, f.end,
                     item.line, item.column, item.end_line, item.end_column, item.text, fix])
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":"))


def decode_results(payload: str) -> list[Located]:
    """The findings encode_results stored. Raises ValueError (or KeyError, TypeError) on a payload it did not
    write."""
    located = []
    for code, name, category, severity, message, start, end, line, column, end_line, end_column, text, fix \
            in json.loads(payload):
        if fix is not None:
            fix = Fix(tuple([Edit(s, e, r) for s, e, r in fix[2]]), _APPLICABILITY[fix[0]], fix[1])
        finding = Finding(code, name, _CATEGORY[category], _SEVERITY[severity], message, start, end, fix)
        located.append(Located(finding, line, column, end_line, end_column, text))
    return located


def _decoded(payload: str) -> list[Located] | None:
    try:
        return decode_results(payload)
    except (ValueError, KeyError, TypeError):  # not ours (a damaged row): a miss
        return None


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
            self._connection.execute(
                f"CREATE TABLE IF NOT EXISTS {_RESULTS} (key TEXT PRIMARY KEY, payload TEXT NOT NULL)")
            self._connection.execute("CREATE TABLE IF NOT EXISTS parts (key TEXT PRIMARY KEY, payload BLOB NOT NULL)")
        return self._connection

    def get(self, key: str) -> list[Located] | None:
        try:
            row = self.connection.execute(f"SELECT payload FROM {_RESULTS} WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        return None if row is None else _decoded(row[0])

    def put_many(self, entries: list[tuple[str, list[Located]]]) -> None:
        if not entries:
            return
        rows = [(key, encode_results(located)) for key, located in entries]
        try:
            with self.connection:
                self.connection.execute("BEGIN")
                self.connection.executemany(f"INSERT OR REPLACE INTO {_RESULTS} (key, payload) VALUES (?, ?)", rows)
        except sqlite3.Error:
            pass  # a cache that cannot be written costs speed, never results

    def get_many(self, keys: list[str]) -> dict[str, list[Located]]:
        """Results for the keys that are cached (one query per 500 keys)."""
        found: dict[str, list[Located]] = {}
        for start in range(0, len(keys), 500):
            batch = keys[start:start + 500]
            try:
                rows = self.connection.execute(
                    f"SELECT key, payload FROM {_RESULTS} WHERE key IN ({','.join('?' * len(batch))})", batch).fetchall()
            except sqlite3.Error:
                return found
            for key, payload in rows:
                located = _decoded(payload)
                if located is not None:
                    found[key] = located
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
