"""Word frequencies from the wordfreq package (its data ships in the wheel: nothing is downloaded).

wordfreq's own lookup loads a whole language's list on first use (0.3-1 s each), too slow for a tool that
starts per file. So the lists are copied once into a compact SQLite table under the user cache folder, one
row per word with a byte of Zipf frequency (x10) per language, and looked up in batches: a document's
unique words cost one query. The table is rebuilt when the wordfreq version or LANGUAGES changes.

Zipf frequency: log10 of occurrences per billion words; 7 is 'the', 3 is once per million words, 0 unknown.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from repair.dirs import home
from repair.languages import word_table_languages

#: languages in the table, in the order of their byte in each row (repair.languages: the profiles with a word table)
LANGUAGES = word_table_languages()
INDEX = {lang: i for i, lang in enumerate(LANGUAGES)}
#: the lowest Zipf frequency kept: every English word (to know what English is), commoner words elsewhere
MIN_ZIPF = {"en": 1.0}
MIN_ZIPF_OTHER = 1.8
_SCHEMA_VERSION = 2
_BATCH = 400


def cache_folder() -> Path:
    return home()


def _wordfreq_version() -> str:
    """wordfreq's installed version: from the name of its dist-info folder beside the package when there is
    one (importlib.metadata costs more start-up time than the rest of a small run's imports), else asked."""
    try:
        import importlib.util

        spec = importlib.util.find_spec("wordfreq")
        if spec is not None and spec.origin:
            site = Path(spec.origin).parent.parent
            found = [p.name for p in site.glob("wordfreq-*.dist-info")]
            if len(found) == 1:
                return found[0][len("wordfreq-"):-len(".dist-info")]
        from importlib.metadata import version

        return version("wordfreq")
    except Exception:  # pragma: no cover - metadata missing in odd installs
        return "unknown"


def _table_path() -> Path:
    langs = "-".join(LANGUAGES)
    import hashlib

    tag = hashlib.sha1(f"{langs}|{MIN_ZIPF}|{MIN_ZIPF_OTHER}|{_SCHEMA_VERSION}".encode()).hexdigest()[:10]
    return cache_folder() / f"wordfreq-{_wordfreq_version()}-{tag}.sqlite"


def build_table(path: Path) -> None:
    """Write the table from wordfreq's lists (a few seconds, once per machine and wordfreq version)."""
    import math

    from wordfreq import get_frequency_dict

    rows: dict[str, bytearray] = {}
    width = len(LANGUAGES)
    log10 = math.log10
    for i, lang in enumerate(LANGUAGES):
        least = 10 ** (MIN_ZIPF.get(lang, MIN_ZIPF_OTHER) - 9)  # compare frequencies, not logarithms: faster
        for word, freq in get_frequency_dict(lang, wordlist="best").items():
            if freq < least:
                continue
            row = rows.get(word)
            if row is None:
                row = rows[word] = bytearray(width)
            row[i] = max(1, min(255, round((log10(freq) + 9) * 10)))
    import tempfile  # (only when writing: tempfile's import costs a run ~5 ms)

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        connection = sqlite3.connect(tmp)
        connection.execute("PRAGMA journal_mode=OFF")
        connection.execute("CREATE TABLE w (word TEXT PRIMARY KEY, z BLOB NOT NULL) WITHOUT ROWID")
        connection.executemany("INSERT INTO w VALUES (?, ?)", ((w, bytes(r)) for w, r in sorted(rows.items())))
        connection.commit()
        connection.close()
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


class Lexicon:
    """Zipf frequencies per language for many words at once."""

    languages: tuple[str, ...] = LANGUAGES
    index: dict[str, int] = INDEX

    def __init__(self, path: Path | None = None):
        self.path = path or _table_path()
        self._memo: dict[str, bytes | None] = {}
        self._derived: dict[str, dict[str, Any]] = {}
        self._local = threading.local()
        self._fallback = False

    def memo(self, name: str) -> dict[str, Any]:
        """A named store of facts derived from the table (per language: the common words sorted so far, ...),
        kept with the table they come from and shared by every document of the process."""
        store = self._derived.get(name)
        if store is None:
            store = self._derived[name] = {}
        return store

    def _connection(self) -> sqlite3.Connection | None:
        connection = getattr(self._local, "connection", None)
        if connection is not None or self._fallback:
            return connection
        for attempt in range(2):
            if not self.path.exists():
                try:
                    _build_locked(self.path)
                except (OSError, sqlite3.Error):
                    self._fallback = True  # read-only home, full disk: slower, same answers
                    return None
            try:
                connection = sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True,
                                             check_same_thread=False)
                connection.execute("SELECT word, z FROM w LIMIT 1").fetchall()
            except sqlite3.Error:  # not a database, truncated, no table: a damaged table is rebuilt once
                if attempt or not _remove_damaged(self.path):
                    self._fallback = True
                    return None
                continue
            self._local.connection = connection
            return connection
        self._fallback = True
        return None

    def _query(self, connection: sqlite3.Connection, ordered: list[str]) -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        for i in range(0, len(ordered), _BATCH):
            chunk = ordered[i : i + _BATCH]
            marks = ",".join("?" * len(chunk))
            found.update(connection.execute(f"SELECT word, z FROM w WHERE word IN ({marks})", chunk))
        return found

    def rows(self, words: Iterable[str]) -> dict[str, bytes | None]:
        """The frequency row of each word (lowercase keys); None for words no language knows."""
        words = words if isinstance(words, (set, frozenset, dict)) else list(words)
        memo = self.load(words)
        return {w: memo.get(w) for w in words}

    def load(self, words: Iterable[str]) -> dict[str, bytes | None]:
        """The memo of rows, holding every word of `words` (until the next call): look words up with .get()."""
        memo = self._memo
        wanted = set(words).difference(memo)
        if wanted:
            if len(memo) + len(wanted) > 500_000:
                memo.clear()
                wanted = set(words)
            memo.update(self._fetch(wanted))
        return memo

    def peek(self, words: Iterable[str]) -> dict[str, bytes | None]:
        """The rows of `words`, like rows(), without keeping those not yet in memory: for one-off look-ups (the
        ~50 x length neighbours of a word) that would crowd out the rows the documents' words reuse."""
        memo = self._memo
        found = {w: memo[w] for w in words if w in memo}
        wanted = set(words).difference(found)
        if wanted:
            found.update(self._fetch(wanted))
        return found

    def _fetch(self, wanted: set[str]) -> dict[str, bytes | None]:
        connection = self._connection()
        found: dict[str, bytes] | None = None
        if connection is not None:
            try:
                found = self._query(connection, sorted(wanted))
            except sqlite3.Error:  # damage deeper in the file: the answers come from wordfreq from now on
                self._local.connection = None
                self._fallback = True
        if found is None:
            return {word: _row_from_wordfreq(word) for word in wanted}
        return {word: found.get(word) for word in wanted}

    def at_least(self, language: str, least: int) -> dict[str, int] | None:
        """The words whose byte (Zipf x10) in `language` is `least` or more, with that byte: a few thousand words,
        taken from the table once per machine and kept beside it as plain text (word, tab, byte), then once per
        process in memory. None without a readable table (the caller then asks the words it needs)."""
        store = self.memo("at-least")
        key = (language, least)
        if key not in store:
            store[key] = self._read_at_least(language, least)
        return store[key]

    def _read_at_least(self, language: str, least: int) -> dict[str, int] | None:
        index = INDEX.get(language)
        if index is None:
            return {}
        stored = self.path.with_name(f"{self.path.stem}.{language}-{least}.tsv")
        try:
            lines = stored.read_text(encoding="utf-8").split("\n")
            return {word: int(byte) for word, byte in (line.split("\t") for line in lines if line)}
        except (OSError, ValueError):
            pass  # not there yet (or damaged): from the table
        connection = self._connection()
        if connection is None:
            return None
        try:
            found = {word: z[index] for word, z in connection.execute(
                "SELECT word, z FROM w WHERE substr(z, ?, 1) >= ?", (index + 1, bytes([least])))}
        except sqlite3.Error:
            return None
        if any("\t" in word or "\n" in word for word in found):
            return found  # (no such word in wordfreq's lists: they are split at spaces) not stored as lines
        from repair.home_data import replace_file

        # (no writable home: the next run reads the table again)
        replace_file(stored, "".join(f"{word}\t{byte}\n" for word, byte in sorted(found.items())).encode("utf-8"))
        return found

    def zipf(self, word: str, language: str) -> float:
        row = self.rows([word])[word]
        index = INDEX.get(language)
        if row is None or index is None:
            return 0.0
        return row[index] / 10


def _row_from_wordfreq(word: str) -> bytes | None:
    from wordfreq import zipf_frequency

    values = bytes(max(0, min(255, round(zipf_frequency(word, lang) * 10))) for lang in LANGUAGES)
    return values if any(values) else None


def _build_locked(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with _locked(path):
        # a build killed half-way (kill -9) leaves its temporary file: only the lock's holder builds, so any
        # temporary file of this table is such a leftover
        for leftover in path.parent.glob(f"{path.name}*.tmp"):
            try:
                leftover.unlink()
            except OSError:
                pass
        if not path.exists():
            from repair import status  # (its logging set-up only when there is something to say)

            status.say("building the word table (once per machine and wordfreq version, about 20 s)")
            build_table(path)
            from repair.home_data import prune

            # the tables of earlier wordfreq versions or layouts (53 MB each), their word lists with them
            prune(path.parent, r"wordfreq-(.+?-[0-9a-f]+)\.(?:sqlite|[a-z]+-\d+\.tsv)", path.stem[len("wordfreq-"):])


class _locked:
    """The table's build lock (flock on <table>.lock): one process builds or removes it at a time."""

    def __init__(self, path: Path):
        self.lock_path = path.with_suffix(".lock")

    def __enter__(self):
        self.handle = open(self.lock_path, "w")
        try:
            import fcntl

            fcntl.flock(self.handle, fcntl.LOCK_EX)
        except ImportError:  # pragma: no cover - Windows: at worst two processes build the same file
            pass
        return self

    def __exit__(self, *exc) -> None:
        self.handle.close()


def _remove_damaged(path: Path) -> bool:
    """Remove a word table that SQLite cannot read (it is rebuilt next); whether it is gone."""
    import warnings

    try:
        with _locked(path):
            path.unlink(missing_ok=True)
    except OSError:
        return False
    warnings.warn(f"repair: the word table {path} was damaged; rebuilding it", RuntimeWarning, stacklevel=3)
    return True


def table_path() -> Path:
    """Where the word table of this machine's wordfreq is (in repair's home)."""
    return _table_path()


def prepare() -> None:
    """Build the word table now if it is missing (the command line does it before forking its workers, so that
    one process builds it and says so)."""
    path = _table_path()
    if not path.exists():
        try:
            _build_locked(path)
        except (OSError, sqlite3.Error):
            pass  # the lexicon falls back to wordfreq itself, as when it finds no table


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    return Lexicon()


def zipf(word: str, language: str) -> float:
    """Zipf frequency of a word (0 when unknown, 3 = once per million words... roughly, 7 = 'the')."""
    return lexicon().zipf(word.lower(), language)
