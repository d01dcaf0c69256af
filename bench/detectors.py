"""Time each detector of the default selection (LanguageTool off) on the same files: where a run's time goes.

    python bench/detectors.py [FILES_OR_FOLDERS...] [--limit N]

Prints words per CPU-second for each detector alone and for all together, single process, no cache (CPU time, not wall: the figures hold on a busy machine).

Each detector is timed from the state a run starts in: its patterns compiled and word lists open (a warm-up on the
rules' own examples, never on the timed files), but no result of an earlier pass at hand: the word caches of the
process (the lexicon's derived stores, the detectors' lru_caches) are emptied before each timed pass, so a detector
never answers the timed text from what it remembered of that same text.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> list[tuple[str, float, float]]:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="*", default=[str(ROOT / "bench" / "out" / "corpus" / "000")])
    parser.add_argument("--limit", type=int, default=300)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from repair.config import Settings
    from repair.document import Document
    from repair.engine import Engine
    from repair.files import collect

    files = collect(args.paths, ("*.txt", "*.md"), ())[: args.limit]
    docs = [Document.read(f) for f in files]
    words = sum(len(d.text.split()) for d in docs)
    engine = Engine(Settings(languagetool=False))
    warm_up = [example.bad for d in engine.detectors for r in d.rules for example in r.examples]
    rows = []
    for detector in engine.detectors:
        name = type(detector).__name__
        code = ",".join(r.code for r in detector.rules[:2]) + ("…" if len(detector.rules) > 2 else "")
        for text in warm_up:  # lazy word lists, compiled patterns: from other texts than the timed ones
            list(detector.detect(Document("warm-up.txt", text), engine.context))
        forget_results()
        start = time.process_time()
        for doc in docs:
            list(detector.detect(Document(doc.path, doc.text), engine.context))
        elapsed = time.process_time() - start
        rows.append((f"{name} ({code})", elapsed, words / elapsed if elapsed else float("inf")))
    forget_results()
    start = time.process_time()
    for doc in docs:
        engine.check(Document(doc.path, doc.text))
    elapsed = time.process_time() - start
    rows.sort(key=lambda r: -r[1])
    total = sum(r[1] for r in rows)
    print(f"{len(docs)} files, {words:,} words")
    print(f"{'detector':60s} {'seconds':>8s} {'share':>6s} {'words/s':>12s}")
    for name, seconds, rate in rows:
        print(f"{name[:60]:60s} {seconds:8.2f} {seconds / total:6.1%} {rate:12,.0f}")
    print(f"{'Engine.check (all)':60s} {elapsed:8.2f} {'':6s} {words / elapsed:12,.0f}")
    return rows


def forget_results() -> None:
    """Empty what the process remembers of texts it has seen: the lexicon's derived stores and every functools
    cache of words or texts in repair's modules (a real run starts without them); loaders of one thing
    (maxsize=1: the word table, the loan list) stay loaded."""
    from repair.wordlists import lexicon

    lexicon()._derived.clear()
    for name, module in list(sys.modules.items()):
        if name == "repair" or name.startswith("repair."):
            for value in list(vars(module).values()):
                if callable(getattr(value, "cache_clear", None)) and getattr(value, "__module__", "") == name \
                        and value.cache_info().maxsize != 1:
                    value.cache_clear()


if __name__ == "__main__":
    main()
