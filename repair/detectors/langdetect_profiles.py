"""langdetect's language profiles, built once per machine and kept as plain data in repair's home.

langdetect builds its table (n-gram -> a probability per language) from 55 JSON profiles every time a process
first asks it anything: about 0.5 s, more than the rest of a small file's check. Built once, the same table is
kept as two plain files: the languages and n-grams (JSON) and the probabilities (raw float64, row by row),
of which a run reads only the rows it uses, each once (os.pread; a memory map paged in the 64-128 KB around
each row read: 29 MB of the 38 MB table held for the 5 MB of rows that an 8 MB file's 480 sentences use). The
numbers are langdetect's own, bit for bit,
and the languages stay in the order langdetect read them (the order its folder lists them in, part of the key),
so its answers are the same. The n-grams are stored sorted, their rows in the same order, so that a run finds an
n-gram's row by bisection in the list as read: no dict of 87,000 n-grams to build (about 20 ms, more than the
check of a small file's few foreign sentences).
"""

from __future__ import annotations

import hashlib
import json
import os
from bisect import bisect_left
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Iterator

#: the version of the stored files' layout (change it when what is written changes)
_FORMAT = 2


#: rows kept once read (a row is 440 bytes: at most about 7 MB)
_KEPT_ROWS = 16_384


class _Rows(Mapping):
    """n-gram -> its row of probabilities (one per language), read from the stored table when first asked:
    `words` sorted, the table's rows in their order."""

    def __init__(self, words: list[str], descriptor: int, languages: int):
        self._words = words
        self._descriptor = descriptor  # the table file, open for the process's life
        self._languages = languages
        self._read: dict[str, memoryview] = {}
        self._grams: frozenset[str] | None = None

    def grams(self, build: bool) -> Any:
        """The n-grams as a set for fast membership once built (`build`: build it now), else this mapping."""
        if self._grams is None:
            if not build:
                return self
            self._grams = frozenset(self._words)
        return self._grams

    def _row(self, word: object) -> int:
        """The row of `word`, or -1 when the table has none."""
        row = bisect_left(self._words, word)
        return row if row < len(self._words) and self._words[row] == word else -1

    def table_rows(self, words: list[str]):
        """The rows of `words` as one numpy array (a row per word), for repair.detectors.langdetect_vectorised."""
        import numpy

        data = bytearray(b"".join([self[word] for word in words]))
        return numpy.frombuffer(data, dtype=numpy.float64).reshape(-1, self._languages)

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._row(word) >= 0

    def __getitem__(self, word: str) -> memoryview:
        row = self._read.get(word)
        if row is None:
            number = self._row(word)
            if number < 0:
                raise KeyError(word)
            size = 8 * self._languages
            data = os.pread(self._descriptor, size, size * number)
            if len(data) != size:
                raise ValueError("a damaged table")
            if len(self._read) >= _KEPT_ROWS:
                self._read.clear()
            row = self._read[word] = memoryview(data).cast("d")
        return row

    def __iter__(self) -> Iterator[str]:
        return iter(self._words)

    def __len__(self) -> int:
        return len(self._words)


def _key(profiles: str) -> str:
    """What the table depends on: langdetect's profiles (names in listing order, sizes, times) and this layout."""
    import sys

    digest = hashlib.sha256(f"{_FORMAT}|{sys.byteorder}|{os.path.realpath(profiles)}".encode())
    for name in os.listdir(profiles):  # the listing order is the language order: part of the key
        stat = os.stat(os.path.join(profiles, name))
        digest.update(f"|{name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def install() -> None:
    """Give langdetect its table from the stored files (stored first when there are none); its own loading
    when they cannot be read or written."""
    import langdetect.detector_factory as module

    if module._factory is not None:
        return
    try:
        from repair.dirs import home

        key = _key(module.PROFILES_DIRECTORY)
        folder = home()
        meta_path, table_path = folder / f"langdetect-{key}.json", folder / f"langdetect-{key}.f64"
        factory = _load(module, meta_path, table_path)
    except (OSError, ValueError):
        factory = None
    if factory is None:
        module.init_factory()
        try:
            _store(module._factory, meta_path, table_path)
        except (OSError, NameError, ValueError):
            pass  # no writable home: the next run builds the table again
        return
    module._factory = factory


def _load(module: Any, meta_path: Path, table_path: Path):
    if not meta_path.exists() or not table_path.exists():
        return None
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    languages, words = meta["languages"], meta["words"]
    descriptor = os.open(table_path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    if os.fstat(descriptor).st_size != 8 * len(languages) * len(words):
        os.close(descriptor)
        raise ValueError("a damaged table")
    factory = module.DetectorFactory()
    factory.langlist = list(languages)
    # (sorted as stored: files of another layout have another key, _FORMAT; checking the order would cost 10 ms)
    factory.word_lang_prob_map = _Rows(words, descriptor, len(languages))
    return factory


def _store(factory: Any, meta_path: Path, table_path: Path) -> None:
    import array

    from repair.home_data import replace_file

    words = sorted(factory.word_lang_prob_map)  # rows in this order: a run bisects the list (_Rows)
    table = array.array("d")
    for word in words:
        table.extend(factory.word_lang_prob_map[word])
    # the table first, the list last: a run finding the list finds a whole table
    if replace_file(table_path, table.tobytes()):
        replace_file(meta_path, json.dumps({"languages": factory.langlist, "words": words},
                                           ensure_ascii=False).encode("utf-8"))
        from repair.home_data import prune

        # the tables earlier versions of repair derived (37 MB each)
        prune(meta_path.parent, r"langdetect-([0-9a-f]+)\.(?:f64|json)", meta_path.stem[len("langdetect-"):])
