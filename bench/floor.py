"""The floor of the benchmark: what any checker written in Python must spend at least on the same files.

    python bench/floor.py FILE_OR_FOLDER...

Reads every file (UTF-8), splits it into words with one compiled pattern (\\w+), and looks each word, case-folded,
up once in a set (the terms of repair's rule packs). Prints the number of words and of hits: nothing else. A
checker cannot do less than this and still look at every word.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORD = re.compile(r"\w+")


def terms() -> frozenset[str]:
    """The words of every term of the built-in packs' substitution rules, case-folded (read as plain YAML)."""
    import yaml

    words: set[str] = set()
    for pack in sorted((ROOT / "rules").glob("*.yaml")):
        for rule in yaml.safe_load(pack.read_text(encoding="utf-8")).get("rules", []):
            for term in (rule.get("terms") or {}):
                words.update(w.casefold() for w in WORD.findall(str(term)))
    return frozenset(words)


def files(paths: list[str]):
    for path in paths:
        if os.path.isdir(path):
            for folder, _, names in sorted(os.walk(path)):
                for name in sorted(names):
                    yield os.path.join(folder, name)
        else:
            yield path


def main(paths: list[str]) -> None:
    known = terms()
    words = hits = 0
    for path in files(paths):
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
        for word in WORD.findall(text):
            words += 1
            if word.casefold() in known:
                hits += 1
    print(f"{words} words, {hits} hits")


if __name__ == "__main__":
    main(sys.argv[1:])
