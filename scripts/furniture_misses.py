"""List the page-furniture strings of the scraped dev pages that no finding overlaps, with their whole line.

    python scripts/furniture_misses.py [--eval-dir ../shared/eval] [--touched]

Prints one row per missed furniture string (language, half, the string, its line), grouped by language, and with
--touched the main-text strings a finding overlaps and the finding's code. A look at what the packs could name
(issue 13); the output is for reading, not for committing.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from eval import FURNITURE_CATEGORIES, Scorer, _overlap, load, page_half  # noqa: E402
from repair.document import Document  # noqa: E402


def line_of(text: str, start: int, end: int) -> str:
    begin = text.rfind("\n", 0, start) + 1
    stop = text.find("\n", end)
    return text[begin:stop if stop >= 0 else len(text)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", default=str(ROOT.parent / "shared" / "eval"))
    parser.add_argument("--touched", action="store_true")
    args = parser.parse_args(argv)
    scorer = Scorer()
    rows, touched, codes = [], [], Counter()
    tally: dict[tuple[str, str], list[int]] = {}  # (language, half): furniture, found, main text, touched
    for record in load(Path(args.eval_dir) / "trafilatura_lines_dev.jsonl"):
        text, language = record["text"], record.get("language") or "?"
        engine = scorer.engine(language)
        findings = [f for f in engine.check(Document(record["id"], text, format="text"))
                    if f.category.value in FURNITURE_CATEGORIES]
        half = page_half(record["id"])
        counts = [tally.setdefault(key, [0, 0, 0, 0]) for key in ((language, half), ("all", half), (language, "all"))]
        for span, hit in _hits(record["errors"], findings, counts, 0):
            if hit:
                codes[hit[0].code] += 1
            else:
                rows.append((language, half, text[span["start"]:span["end"]], line_of(text, span["start"], span["end"])))
        for span, hit in _hits(record["with_spans"], findings, counts, 2):
            if hit:
                touched.append((language, half, hit[0].code, text[span["start"]:span["end"]][:100]))
    for language, half, string, line in sorted(rows, key=lambda r: (r[0], r[1])):
        print(f"{language}\t{half}\t{string[:80]!r}\t{line[:160]!r}")
    for (language, half), (gold, found, main, hit) in sorted(tally.items()):
        print(f"{language:>4} {half:>5}: found {found}/{gold} = {found / max(gold, 1):.1%}, "
              f"touched {hit}/{main} = {hit / max(main, 1):.1%}")
    print("missed by language:", dict(Counter(r[0] for r in rows)))
    print("found by code:", dict(codes.most_common()))
    if args.touched:
        for row in touched:
            print("TOUCHED", *row, sep="\t")
    return 0


def _hits(spans: list[dict], findings: list, counts: list[list[int]], column: int):
    """Each labelled span with the findings on it, counted in every tally row: spans at `column`, hit ones next."""
    for span in spans:
        hit = [f for f in findings if _overlap(f.start, f.end, span["start"], span["end"])]
        for count in counts:
            count[column] += 1
            count[column + 1] += bool(hit)
        yield span, hit


if __name__ == "__main__":
    raise SystemExit(main())
