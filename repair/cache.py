"""A per-file result cache keyed by content, configuration, rule sets and tool version (as ruff's is).

Cached results have their own compact encoding (encode_results / decode_results), not the public JSON report's:
one list per finding, fields by position, as marshal bytes of plain data. CACHE_FORMAT names that encoding; it is
part of the table name, so a build with another encoding never reads these rows (it misses and recomputes).

No cache is ever unpickled: a `.repair_cache/` travels with a repository, and unpickling it would run whatever
code a planted file names. Everything cached is plain data, as marshal bytes (str, numbers, lists, dicts: no class
is built from them but the ones the reader makes) or JSON (dumps_data / loads_data for values with tuples, sets,
counters and repair's own data classes: only the classes the reader names are ever built). A row that does not
decode is a miss.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import sqlite3
from functools import lru_cache
from pathlib import Path
from collections import Counter
from dataclasses import fields, is_dataclass
from enum import Enum
from typing import Any, Callable, Iterator, Mapping, TypeVar

from repair.dirs import home
from repair.model import Applicability, Category, Edit, Finding, Fix, Severity
from repair.results import Located

T = TypeVar("T")

#: the version of the cached results' encoding: change it whenever encode_results changes
CACHE_FORMAT = 3  # 1 was the JSON v1 report's finding objects, 2 located_rows as JSON
_RESULTS = f"results_v{CACHE_FORMAT}"
_PARTS = "parts_v3"  # corpus-wide parts, as dumps_plain marshal bytes (v2: dumps_data JSON)
_DIGESTS = "digests_v1"  # files' content digests (payload) by path, with the stat they were taken at
_RECORDS = "records_v4"  # a run's corpus-wide record (runner), as marshal bytes of plain data (v1: no key index,
# v2: each file's share in it, v3: the key index and the share keys in it, not the files' digests)
_INDEXES = "record_indexes_v1"  # a record's key index (runner._key_index), by the record's key, with its digest
_META = "meta_v1"  # the cache's own state: the day it was last swept
#: the tables of rows with the day a run last used them (swept daily)
_ROW_TABLES = (_RESULTS, _PARTS, _DIGESTS, _RECORDS, _INDEXES)
#: the tables this code reads and writes; any other in the file is of an earlier layout, dropped at the next sweep
_TABLES = (*_ROW_TABLES, _META)
#: days a row is kept after a run last used it: a row of a file since edited, of an earlier version of repair, of
#: other settings or rule packs is never used again, and the cache would otherwise grow with every edit and every
#: upgrade (a corpus's whole results again)
KEEP_DAYS = 30


def _today() -> int:
    import time

    return int(time.time() // 86_400)

# enum members by their encoded value: a look-up is several times cheaper than calling the enum
_CATEGORY = {member.value: member for member in Category}
_SEVERITY = {member.value: member for member in Severity}
_APPLICABILITY = {int(member): member for member in Applicability}


def located_rows(located: list[Located]) -> list[list]:
    """A file's findings as plain rows (what the cache stores, and what a worker process hands back: cheaper to
    pickle than the data classes): per finding [code, name, category, severity, message, start, end, line,
    column, end_line, end_column, text, fix], fix None or [applicability, title, [[start, end, replacement],
    ...]]."""
    rows = []
    for item in located:
        f = item.finding
        fix = None
        if f.fix is not None:
            fix = [int(f.fix.applicability), f.fix.title, [[e.start, e.end, e.replacement] for e in f.fix.edits]]
        rows.append([f.code, f.name, f.category.value, f.severity.value, f.message, f.start, f.end,
                     item.line, item.column, item.end_line, item.end_column, item.text, fix])
    return rows


def located_from_rows(rows: list[list]) -> list[Located]:
    """The findings located_rows made. Raises ValueError (or KeyError, TypeError) on rows it did not make."""
    # Finding and Located are frozen: their __init__ sets each field through object.__setattr__, looked up anew
    # each time; their slots' own setters, bound once, build them in 60% of the time (a cached run decodes every
    # finding of every unchanged file)
    set_code, set_name, set_category, set_severity, set_message, set_start, set_end, set_fix = _FINDING_SETTERS
    set_finding, set_line, set_column, set_end_line, set_end_column, set_text = _LOCATED_SETTERS
    new = object.__new__
    category_of, severity_of, applicability_of = _CATEGORY, _SEVERITY, _APPLICABILITY
    located = []
    for code, name, category, severity, message, start, end, line, column, end_line, end_column, text, fix in rows:
        if fix is not None:
            fix = Fix(tuple([Edit(s, e, r) for s, e, r in fix[2]]), applicability_of[fix[0]], fix[1])
        finding = new(Finding)
        set_code(finding, code)
        set_name(finding, name)
        set_category(finding, category_of[category])
        set_severity(finding, severity_of[severity])
        set_message(finding, message)
        set_start(finding, start)
        set_end(finding, end)
        set_fix(finding, fix)
        item = new(Located)
        set_finding(item, finding)
        set_line(item, line)
        set_column(item, column)
        set_end_line(item, end_line)
        set_end_column(item, end_column)
        set_text(item, text)
        located.append(item)
    return located


_FINDING_SETTERS = tuple(getattr(Finding, name).__set__ for name in (
    "code", "name", "category", "severity", "message", "start", "end", "fix"))
_LOCATED_SETTERS = tuple(getattr(Located, name).__set__ for name in (
    "finding", "line", "column", "end_line", "end_column", "text"))
assert [f.name for f in fields(Finding)] == ["code", "name", "category", "severity", "message", "start", "end", "fix"]
assert [f.name for f in fields(Located)] == ["finding", "line", "column", "end_line", "end_column", "text"]


def encode_results(located: list[Located]) -> bytes:
    """A file's findings as the cache stores them: located_rows as marshal bytes."""
    return marshal.dumps(located_rows(located))


def decode_results(payload: bytes) -> list[Located]:
    """The findings encode_results stored. Raises ValueError (or KeyError, TypeError) on a payload it did not
    write."""
    if type(payload) is not bytes:
        raise TypeError("not a cached result")
    try:
        rows = marshal.loads(payload)
    except EOFError as error:
        raise ValueError(f"not a cached result: {error}") from error
    if type(rows) is not list:
        raise TypeError("not a cached result")
    return located_from_rows(rows)


def _decoded(payload: bytes) -> list[Located] | None:
    """The findings of a cached row, or None (a miss) when it is not a well-formed row this code wrote: its rows
    are checked as plain data (_well_formed_rows) before anything is built from them."""
    try:
        if type(payload) is not bytes:
            return None
        rows = marshal.loads(payload)
        if type(rows) is not list or not _well_formed_rows(rows):
            return None
        return located_from_rows(rows)
    except Exception:  # not ours (a damaged row, nested too deep, an unknown category...): a miss
        return None


_SEQUENCES = (list, tuple)


def _well_formed_rows(rows: list) -> bool:
    """Every row has located_rows' shape and every field the right type and range: a row that decodes but holds,
    say, a list as a message is a miss. Checked on the rows, before anything is built from them (a cached run
    reads every finding of every unchanged file: checking the built findings' fields cost half their building)."""
    sequences = _SEQUENCES
    for row in rows:
        if type(row) not in sequences or len(row) != 13:
            return False
        code, name, _, _, message, start, end, line, column, end_line, end_column, text, fix = row
        if not (type(code) is str and type(name) is str and type(message) is str and type(text) is str
                and type(start) is int and type(end) is int and type(line) is int and type(column) is int
                and type(end_line) is int and type(end_column) is int
                and 0 <= start <= end and line >= 0 and column >= 0 and end_line >= 0 and end_column >= 0):
            return False
        if fix is not None:
            if type(fix) not in sequences or len(fix) != 3 or type(fix[1]) is not str:
                return False
            for edit in fix[2]:
                if type(edit) not in sequences or len(edit) != 3:
                    return False
                edit_start, edit_end, replacement = edit
                if not (type(edit_start) is int and type(edit_end) is int and 0 <= edit_start <= edit_end
                        and type(replacement) is str):
                    return False
    return True


# --- a data-only encoding for cached values (no pickle) ------------------------------------------------------
# JSON, with every dict, tuple, set, Counter, enum member and data class written as a one-key object naming what it
# is: {"d": [[key, value], ...]}, {"t": [...]}, {"s": [...]}, {"f": [...]}, {"C": [[key, count], ...]},
# {"e": [class name, value]}, {"o": [class name, [[field, value], ...]]}. Only classes in `types` are built on reading.
def _encode(value: Any) -> Any:
    if value is None or isinstance(value, (str, bool, int, float)) and not isinstance(value, Enum):
        return value
    if isinstance(value, list):
        return [_encode(item) for item in value]
    if isinstance(value, tuple):
        return {"t": [_encode(item) for item in value]}
    if isinstance(value, Counter):
        return {"C": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if isinstance(value, Mapping):
        return {"d": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if isinstance(value, frozenset):
        return {"f": [_encode(item) for item in value]}
    if isinstance(value, set):
        return {"s": [_encode(item) for item in value]}
    if isinstance(value, Enum):
        return {"e": [type(value).__name__, value.value]}
    if is_dataclass(value) and not isinstance(value, type):
        return {"o": [type(value).__name__, [[f.name, _encode(getattr(value, f.name))] for f in fields(value) if f.init]]}
    raise TypeError(f"cannot cache a {type(value).__name__}")


def dumps_data(value: Any) -> str:
    """A value as data-only JSON (see above); TypeError for what it cannot hold."""
    return json.dumps(_encode(value), ensure_ascii=False, separators=(",", ":"))


def loads_data(text: str | bytes, types: Mapping[str, type] | None = None) -> Any:
    """The value dumps_data wrote. Only the enum and data classes named in `types` are built; anything else
    (another class, an unknown tag, not JSON) raises ValueError."""
    types = types or {}

    def hook(obj: dict) -> Any:
        if len(obj) != 1:
            raise ValueError("not a cached value")
        (tag, data), = obj.items()
        if tag == "d":
            return {_hashable(k): v for k, v in data}
        if tag == "t":
            return tuple(data)
        if tag == "C":
            return Counter({_hashable(k): v for k, v in data})
        if tag in ("f", "s"):
            return (frozenset if tag == "f" else set)(_hashable(item) for item in data)
        if tag in ("e", "o"):
            name, payload = data
            cls = types.get(name)
            if cls is None:
                raise ValueError(f"not a class the cache may build: {name!r}")
            if tag == "e":
                if not (isinstance(cls, type) and issubclass(cls, Enum)):
                    raise ValueError(f"{name!r} is not an enum")
                return cls(payload)
            if not is_dataclass(cls) or not isinstance(payload, list):
                raise ValueError(f"{name!r} is not a data class")
            return cls(**{str(field_name): field_value for field_name, field_value in payload})
        raise ValueError(f"unknown tag {tag!r}")

    try:
        return json.loads(text, object_hook=hook)
    except (TypeError, KeyError, RecursionError) as error:
        raise ValueError(f"not a cached value: {error}") from error


def _hashable(value: Any) -> Any:
    if isinstance(value, list):
        raise ValueError("a list cannot be a key")
    return value


# --- plain data for marshal (no pickle) ---------------------------------------------------------------------
# marshal reads and writes str, int, float, bool, None, bytes, lists, tuples and dicts several times faster than
# JSON, and builds no class. Counters, tuples and sets become tagged tuples: ("C", {key: count}), ("t", [...]),
# ("s", [...]), ("f", [...]); dict keys must be str or int. A value that decodes to anything else is refused.
_PLAIN_ATOMS = (str, int, float, bool, type(None))
_INTS = frozenset((int,))
_new_counter = Counter.__new__


def to_plain(value: Any) -> Any:
    """A value as marshal-ready plain data (see above); TypeError for what it cannot hold."""
    kind = type(value)
    if kind in _PLAIN_ATOMS:
        return value
    if kind is list:
        return [item if type(item) in _PLAIN_ATOMS else to_plain(item) for item in value]
    if kind is dict or kind is Counter:
        if not all(type(key) is str or type(key) is int for key in value):
            raise TypeError("only str and int keys are plain")
        plain = {key: item if type(item) in _PLAIN_ATOMS else to_plain(item) for key, item in value.items()}
        return ("C", plain) if kind is Counter else plain
    if kind is tuple:
        return ("t", [to_plain(item) for item in value])
    if kind is set or kind is frozenset:
        return ("s" if kind is set else "f", [to_plain(item) for item in value])
    raise TypeError(f"cannot cache a {kind.__name__}")


def from_plain(value: Any) -> Any:
    """The value to_plain made; ValueError for anything it does not write."""
    kind = type(value)
    if kind in _PLAIN_ATOMS:
        return value
    if kind is list:
        return [item if type(item) in _PLAIN_ATOMS else from_plain(item) for item in value]
    if kind is dict:
        return {key: item if type(item) in _PLAIN_ATOMS else from_plain(item) for key, item in value.items()}
    if kind is tuple and len(value) == 2:
        tag, data = value
        if tag == "C" and type(data) is dict:
            # an empty Counter without its __init__ (it keeps no state of its own), filled with the counts as they
            # are when they are all ints (no per-key work): a share's names are thousands of tiny counters
            counter: Counter = _new_counter(Counter)
            dict.update(counter, data if _INTS.issuperset(map(type, data.values())) else from_plain(data))
            return counter
        if type(data) is list:
            if tag == "t":
                return tuple(from_plain(data))
            if tag in ("s", "f"):
                items = from_plain(data)
                if any(type(item) in (list, dict, Counter, set) for item in items):
                    raise ValueError("not a cached value")
                return (set if tag == "s" else frozenset)(items)
    raise ValueError("not a cached value")


def dumps_plain(value: Any) -> bytes:
    """A value as marshal bytes of plain data; TypeError for what to_plain cannot hold."""
    return marshal.dumps(to_plain(value))


def loads_plain(data: bytes) -> Any:
    """The value dumps_plain wrote; ValueError for anything else (not marshal, or not plain data)."""
    try:
        return from_plain(marshal.loads(data))
    except (EOFError, TypeError, RecursionError) as error:
        raise ValueError(f"not a cached value: {error}") from error


def content_digest(data: bytes) -> str:
    """Hash of a file's bytes (hashed in place: no copy of a large file)."""
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def file_digest(path: str, block: int = 1 << 20) -> str:
    """content_digest of a file, read in blocks (memory stays flat however large the file)."""
    from repair.files import open_regular  # a FIFO is refused, never read (it would hang the run)

    digest = hashlib.blake2b(digest_size=20)
    with open_regular(path) as handle:
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
        self.today = _today()

    @property
    def connection(self) -> sqlite3.Connection:
        if self._connection is None:
            self._connection = connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            # every row has the day a run last used it (`day`, days since 1970), for the daily sweep
            connection.execute(
                f"CREATE TABLE IF NOT EXISTS {_RESULTS} (key TEXT PRIMARY KEY, payload BLOB NOT NULL, day INTEGER)")
            # parts_v3: marshal bytes of plain data (the table `parts` held pickles and is never read)
            connection.execute(
                f"CREATE TABLE IF NOT EXISTS {_PARTS} (key TEXT PRIMARY KEY, payload BLOB NOT NULL, day INTEGER)")
            connection.execute(
                f"CREATE TABLE IF NOT EXISTS {_RECORDS} (key TEXT PRIMARY KEY, payload BLOB NOT NULL, day INTEGER)")
            connection.execute(f"CREATE TABLE IF NOT EXISTS {_INDEXES} "
                               "(key TEXT PRIMARY KEY, digest TEXT NOT NULL, payload BLOB NOT NULL, day INTEGER)")
            connection.execute(f"CREATE TABLE IF NOT EXISTS {_DIGESTS} "
                               "(path TEXT PRIMARY KEY, stat TEXT NOT NULL, payload TEXT NOT NULL, day INTEGER)")
            connection.execute(f"CREATE TABLE IF NOT EXISTS {_META} (name TEXT PRIMARY KEY, value INTEGER)")
            row = connection.execute(f"SELECT value FROM {_META} WHERE name = 'swept'").fetchone()
            if row is None or row[0] != self.today:
                try:
                    self._sweep()
                except sqlite3.Error:
                    pass  # (a read-only cache, another process sweeping) the next run sweeps
        return self._connection

    def _sweep(self) -> None:
        """Once a day: drop the rows no run used for KEEP_DAYS and the tables of earlier layouts; rows of a cache
        written before rows had a day count from today."""
        connection = self._connection
        assert connection is not None
        with connection:
            connection.execute("BEGIN IMMEDIATE")
            row = connection.execute(f"SELECT value FROM {_META} WHERE name = 'swept'").fetchone()
            if row is not None and row[0] == self.today:
                return  # another process swept first
            tables = [name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            for table in tables:
                if table not in _TABLES and not table.startswith("sqlite_"):
                    connection.execute(f'DROP TABLE "{table}"')
            for table in _ROW_TABLES:
                columns = [column[1] for column in connection.execute(f"PRAGMA table_info({table})")]
                if "day" not in columns:  # a table of a cache written before rows had a day
                    connection.execute(f"ALTER TABLE {table} ADD COLUMN day INTEGER")
                connection.execute(f"UPDATE {table} SET day = ? WHERE day IS NULL", (self.today,))
                connection.execute(f"DELETE FROM {table} WHERE day < ?", (self.today - KEEP_DAYS,))
            connection.execute(f"INSERT OR REPLACE INTO {_META} (name, value) VALUES ('swept', ?)", (self.today,))

    def _rows(self, table: str, columns: str, key_column: str, keys: list[str]) -> Iterator[tuple]:
        """The rows of `table` (`columns`) whose `key_column` is one of `keys`, one query per 500 keys; none more
        once a query fails (a damaged or locked cache: the rest are misses)."""
        for start in range(0, len(keys), 500):
            batch = keys[start:start + 500]
            try:
                rows = self.connection.execute(f"SELECT {columns} FROM {table} WHERE {key_column} IN "
                                               f"({','.join('?' * len(batch))})", batch).fetchall()
            except sqlite3.Error:
                return
            yield from rows

    def _used(self, table: str, column: str, keys: list[str]) -> None:
        """Mark rows a run used today (once a day per row: a re-run the same day writes nothing)."""
        if not keys:
            return
        try:
            with self.connection:
                self.connection.execute("BEGIN")
                for start in range(0, len(keys), 500):
                    batch = keys[start:start + 500]
                    self.connection.execute(f"UPDATE {table} SET day = ? WHERE {column} IN "
                                            f"({','.join('?' * len(batch))})", (self.today, *batch))
        except sqlite3.Error:
            pass  # (a read-only cache) the rows may be swept sooner: time, never results

    def get(self, key: str) -> list[Located] | None:
        try:
            row = self.connection.execute(f"SELECT payload, day FROM {_RESULTS} WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        if row is None:
            return None
        if row[1] != self.today:
            self._used(_RESULTS, "key", [key])
        return _decoded(row[0])

    def put_many(self, entries: list[tuple[str, list[Located]]]) -> None:
        if not entries:
            return
        rows = [(key, encode_results(located), self.today) for key, located in entries]
        try:
            connection = self.connection
            with connection:
                connection.execute("BEGIN")
                connection.executemany(f"INSERT OR REPLACE INTO {_RESULTS} (key, payload, day) VALUES (?, ?, ?)", rows)
        except sqlite3.Error:
            pass  # a cache that cannot be written costs speed, never results

    def get_many(self, keys: list[str]) -> dict[str, list[Located]]:
        """Results for the keys that are cached (one query per 500 keys)."""
        import gc

        found: dict[str, list[Located]] = {}
        # the findings built here hold no cycle: the collector, triggered again and again by their allocation,
        # would walk every object of the process to free none of them
        collecting = gc.isenabled()
        gc.disable()
        today = self.today
        used: list[str] = []  # found rows not yet marked used today
        try:
            for key, payload, day in self._rows(_RESULTS, "key, payload, day", "key", keys):
                located = _decoded(payload)
                if located is not None:
                    found[key] = located
                    if day != today:
                        used.append(key)
        finally:
            if collecting:
                gc.enable()
        self._used(_RESULTS, "key", used)
        return found

    #: a file whose modification or status change is this recent when it is hashed has its digest recorded for no
    #: later run: a change within the same clock tick would leave its stat as it was (git's "racy" files)
    SETTLED_NS = 2_000_000_000

    def file_digests(self, paths: list[str]) -> dict[str, str]:
        """content_digest of each file that can be read, by path: from the digest recorded with the file's stat
        (device, inode, size, modification and status change times: any write changes the last) when the stat is
        the same, else read and hashed (and recorded when settled). A path that cannot be read is left out."""
        import stat as stat_module
        import time

        recorded = self._recorded_digests(paths)
        digests: dict[str, str] = {}
        fresh: list[tuple[str, str, str, int]] = []
        settled_before = time.time_ns() - self.SETTLED_NS
        for path in paths:
            try:
                st = os.stat(path)
            except OSError:
                continue  # reported when the file is read
            signature = f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"
            known = recorded.get(path)
            if known is not None and known[0] == signature and stat_module.S_ISREG(st.st_mode):
                digests[path] = known[1]
                continue
            try:
                digests[path] = file_digest(path)
            except OSError:
                continue
            if max(st.st_mtime_ns, st.st_ctime_ns) < settled_before:
                fresh.append((path, signature, digests[path], self.today))
        if fresh:
            try:
                with self.connection:
                    self.connection.execute("BEGIN")
                    self.connection.executemany(
                        f"INSERT OR REPLACE INTO {_DIGESTS} (path, stat, payload, day) VALUES (?, ?, ?, ?)", fresh)
            except sqlite3.Error:
                pass
        return digests

    def _recorded_digests(self, paths: list[str]) -> dict[str, tuple[str, str]]:
        found: dict[str, tuple[str, str]] = {}
        used: list[str] = []
        for path, signature, digest, day in self._rows(_DIGESTS, "path, stat, payload, day", "path", paths):
            if type(signature) is str and type(digest) is str and len(digest) == 40:
                found[path] = (signature, digest)
                if day != self.today:
                    used.append(path)
        self._used(_DIGESTS, "path", used)
        return found

    # corpus-wide detectors' per-file gathered data, so that a re-run does not scan unchanged files again
    def get_parts(self, keys: list[str]) -> dict[str, object]:
        found: dict[str, object] = {}
        used: list[str] = []
        for key, payload, day in self._rows(_PARTS, "key, payload, day", "key", keys):
            if type(payload) is not bytes:
                continue  # not one this code wrote: a miss
            try:
                found[key] = loads_plain(payload)
            except ValueError:  # a damaged row: a miss
                continue
            if day != self.today:
                used.append(key)
        self._used(_PARTS, "key", used)
        return found

    def put_parts(self, entries: list[tuple[str, object]]) -> None:
        """Shares stored under their keys: those the plain encoding can hold (the others are gathered again)."""
        rows = []
        for key, part in entries:
            try:
                rows.append((key, dumps_plain(part), self.today))
            except (TypeError, ValueError):
                pass
        if not rows:
            return
        try:
            with self.connection:
                self.connection.execute("BEGIN")
                self.connection.executemany(f"INSERT OR REPLACE INTO {_PARTS} (key, payload, day) VALUES (?, ?, ?)",
                                            rows)
        except sqlite3.Error:
            pass

    # one record per run of a set of files (the runner's corpus-wide totals), as marshal bytes: read raw, the
    # reader decodes what it needs
    def get_record(self, key: str) -> bytes | None:
        try:
            row = self.connection.execute(f"SELECT payload, day FROM {_RECORDS} WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        if row is None or type(row[0]) is not bytes:
            return None
        if row[1] != self.today:
            self._used(_RECORDS, "key", [key])
            self._used(_INDEXES, "key", [key])
        return row[0]

    def put_record(self, key: str, payload: bytes, index: tuple[str, bytes] | None = None) -> None:
        """A record, and with `index` (its digest, its bytes) the record's index, in one transaction (a record is
        rewritten after every edit; its index only when it is made again)."""
        try:
            with self.connection:
                self.connection.execute("BEGIN")
                self.connection.execute(f"INSERT OR REPLACE INTO {_RECORDS} (key, payload, day) VALUES (?, ?, ?)",
                                        (key, payload, self.today))
                if index is not None:
                    self.connection.execute(f"INSERT OR REPLACE INTO {_INDEXES} (key, digest, payload, day) "
                                            "VALUES (?, ?, ?, ?)", (key, *index, self.today))
        except sqlite3.Error:
            pass

    def get_record_index(self, key: str, digest: str) -> bytes | None:
        """The index stored with the record under `key`, when it is the one of that digest (the record names the
        index it was made with), else None."""
        if not digest:
            return None
        try:
            row = self.connection.execute(f"SELECT digest, payload FROM {_INDEXES} WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        return row[1] if row is not None and row[0] == digest and type(row[1]) is bytes else None

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


# --- the parsed-rule-pack cache ----------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Sizes and modification times of repair's own modules, so that an edited install never reuses old data
    (one os.scandir walk: pathlib's rglob and a stat per file took 3 ms of every run)."""
    from repair import __version__

    stats: list[tuple[str, int, int]] = []

    def walk(folder: str, prefix: str) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir() and not entry.is_symlink():  # (as rglob: a linked folder is not entered)
                    if entry.name != "__pycache__":
                        walk(entry.path, prefix + entry.name + os.sep)
                elif entry.name.endswith(".py"):
                    info = entry.stat()
                    stats.append((prefix + entry.name, info.st_size, info.st_mtime_ns))

    walk(os.path.dirname(os.path.abspath(__file__)), "")
    return hashlib.sha256(repr((__version__, sorted(stats))).encode()).hexdigest()


class PackCache:
    """Rule packs after parsing and validation, as data-only JSON (dumps_data) under the repair home's packs/
    (repair.dirs); only repair's own rule classes are built when it is read.

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
            path = home() / "packs" / f"{cls.key(folders)}.json"
        except OSError:
            return build()
        types = _pack_types()
        try:
            return loads_data(path.read_bytes(), types)
        except Exception:  # missing, truncated, planted or from an incompatible build: rebuild
            pass
        value = build()
        try:
            data = dumps_data(value).encode("utf-8")
        except TypeError:  # not plain data: not kept
            return value
        from repair.home_data import prune_stale, replace_file

        if replace_file(path, data):
            prune_stale(path.parent)
        return value


def _pack_types() -> dict[str, type]:
    """The classes a cached rule pack is made of: the only ones the pack cache builds."""
    from repair import rulesets
    from repair.model import Example, RuleInfo

    kinds = [spec_class for spec_class, _ in rulesets.SPEC_KINDS.values()]
    return {cls.__name__: cls for cls in (rulesets.RulePack, RuleInfo, Example, Category, Severity, Applicability,
                                          *kinds)}
