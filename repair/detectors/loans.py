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
def english_loans() -> frozenset[str]:
    try:
        import zipfile

        from repair.languagetool import server

        jar = sorted(Path(server.find_installation().home).glob("language-en-*.jar"))[-1]
        with zipfile.ZipFile(jar) as archive:
            diacritics = archive.read("org/languagetool/rules/en/diacritics.txt").decode("utf-8")
            multiwords = archive.read("org/languagetool/resource/en/multiwords.txt").decode("utf-8")
    except Exception:  # no local LanguageTool jars
        return frozenset()
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
