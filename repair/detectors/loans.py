"""Loanwords and loan phrases of English: words of another language that English dictionaries list
(raison d'être, tête-à-tête, cause célèbre, coup d'état, force majeure, status quo).

From LanguageTool's own English data, in the language-en jar that repair installs from Maven Central:
`rules/en/diacritics.txt` (loanwords and their accented forms, from After the Deadline) and
`resource/en/multiwords.txt` (multi-word terms that its English speller accepts; the lowercase ones). Without the
jars (a remote LanguageTool, or none) the list is empty and nothing changes.

Keys are normalised: case-folded, accents removed, hyphens as spaces, typographic apostrophes straight.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

#: the longest loan phrase looked for, in words
MAX_WORDS = 5


def normalise(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("’", "'"))
    folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(folded.replace("-", " ").split())


@lru_cache(maxsize=1)
def words_of(loans: frozenset[str]) -> frozenset[str]:
    """Every word of the loan phrases: a word whose normalised form is one word outside this set is in none of
    them (a phrase's normalised form is its words' normalised forms joined by spaces)."""
    return frozenset(word for loan in loans for word in loan.split())


@lru_cache(maxsize=1)
def english_loans() -> frozenset[str]:
    """The list, read from the jar once per jar and kept in repair's home folder as a plain JSON list (a run reads
    that instead of unzipping and normalising the jar's files again)."""
    try:
        from repair.languagetool.installation import find_installation

        jar = sorted(Path(find_installation().home).glob("language-en-*.jar"))[-1]
        stat = jar.stat()
    except Exception:  # no local LanguageTool jars
        return frozenset()
    import hashlib
    import json

    from repair.dirs import home

    key = hashlib.sha256(f"{_FORMAT}|{jar.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    stored = home() / f"english-loans-{key}.json"
    try:
        loaded = json.loads(stored.read_text(encoding="utf-8"))
        if isinstance(loaded, list) and all(isinstance(t, str) for t in loaded):
            return frozenset(loaded)
    except (OSError, ValueError):
        pass  # not there yet, or damaged: read from the jar again
    try:
        loans = _read_loans(jar)
    except Exception:  # an unreadable jar
        return frozenset()
    from repair.home_data import replace_file

    # (no writable home: the next run reads the jar again)
    replace_file(stored, json.dumps(sorted(loans), ensure_ascii=False).encode("utf-8"))
    from repair.home_data import prune

    prune(stored.parent, r"english-loans-([0-9a-f]+)\.json", key)  # the lists of earlier versions or jars
    return loans


#: the version of the stored list's content (change it when _read_loans changes)
_FORMAT = 1


def _read_loans(jar: Path) -> frozenset[str]:
    import zipfile

    with zipfile.ZipFile(jar) as archive:
        diacritics = archive.read("org/languagetool/rules/en/diacritics.txt").decode("utf-8")
        multiwords = archive.read("org/languagetool/resource/en/multiwords.txt").decode("utf-8")
    loans: set[str] = set()
    for line in diacritics.splitlines():
        if line.startswith("#") or "=" not in line:
            continue
        plain, accented = line.split("#")[0].strip().split("=", 1)
        loans.update(normalise(t) for t in (plain, accented) if t.strip())
    for line in multiwords.splitlines():
        term = line.split("\t")[0].split("#")[0].strip()
        if term and not line.startswith("#") and term[:1].islower() and len(term.split()) <= MAX_WORDS:
            loans.add(normalise(term))
    return frozenset(t for t in loans if t)
