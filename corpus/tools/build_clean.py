"""Writes corpus/clean/wmt21-human-references-en.txt from ../shared/eval/mqm_dev.jsonl (see corpus/clean/SOURCES).

One human reference per document (the reference system with the most unmarked segments), its segments that no
rater marked, in order, a paragraph each.
"""

from __future__ import annotations

import collections
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT.parent / "shared" / "eval" / "mqm_dev.jsonl"
TARGET = ROOT / "corpus" / "clean" / "wmt21-human-references-en.txt"


def build() -> None:
    documents: dict = collections.defaultdict(lambda: collections.defaultdict(list))
    with SOURCE.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            origin = record["origin"]
            if record["language"] == "en" and origin.get("is_reference") and record["clean"]:
                documents[(origin["testset"], origin["doc_id"])][origin["system"]].append((origin["seg_id"], record["text"]))
    parts = []
    for key in sorted(documents):
        systems = documents[key]
        best = max(sorted(systems), key=lambda name: len(systems[name]))
        parts.append("\n\n".join(text for _, text in sorted(systems[best])))
    text = "\n\n".join(parts) + "\n"
    TARGET.write_text(text, encoding="utf-8")
    print(f"{TARGET.name}: {len(text.split())} words from {len(parts)} documents")


if __name__ == "__main__":
    build()
