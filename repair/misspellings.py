"""Known misspellings of English words, from codespell's dictionary (the `codespell` package on PyPI).

codespell's dictionary.txt lists ~65,000 misspellings people actually make ('seprate->separate',
'compatiblity->compatibility'), grown from Wikipedia's list of common misspellings and the typos codespell's
users met in real code and documentation (the data files are CC BY-SA 3.0; only the data is read here, none of
codespell's code runs). A word on it is a slip of the keyboard; a word a speller does not know but that is not
on it may as well be a term the speller's dictionary lacks ('dicts', 'lexers', 'transpiled').

Read once per process, on first use, only when a decision needs it (a LanguageTool spelling match in technical
writing): about 20 ms.

>>> is_known_misspelling("seprate"), is_known_misspelling("Compatiblity"), is_known_misspelling("dicts")
(True, True, False)
"""

from __future__ import annotations

import importlib.util
import re
from functools import lru_cache
from pathlib import Path

__all__ = ["is_known_misspelling"]


def is_known_misspelling(word: str) -> bool:
    """Whether codespell's dictionary lists `word` (any case) as a misspelling."""
    return word.casefold() in _misspellings()


@lru_cache(maxsize=1)
def _misspellings() -> frozenset[str]:
    spec = importlib.util.find_spec("codespell_lib")  # finds the package's folder without importing its code
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("codespell is not installed: pip install 'codespell>=2.3,<3' (a dependency of repair)")
    folder = Path(next(iter(spec.submodule_search_locations)))
    data = (folder / "data" / "dictionary.txt").read_text(encoding="utf-8")
    return frozenset(re.findall(r"^(.*?)->", data.casefold(), re.MULTILINE))
