"""Clean-text benchmark: findings per 1,000 words, per rule, on text with nothing to find.

    python bench/clean.py [--modes off,on] [--source auto] [--out bench/results/clean.md] [--json FILE]
                          [--compare BEFORE.json] [--examples N]

Every finding on these sets is a false alarm (repair's promise: at most one per 1,000 words in every mode):

- `corpus/clean` (human reference translations, each file one document),
- `demetr_clean_dev` (the unperturbed machine translations of DEMETR, English, one record a document),
- the clean records of `mqm_dev` (MQM segments no rater marked: en, de, ru; one record a document).

`--modes`: `off` runs without LanguageTool, `on` with a real LanguageTool server (started when needed).
`--source`: `auto` (default, as a user without --source-language) or `given` (each record's source language).
The engine runs through the same API as the command line, settings as a new user has them (no cache).
`--json` saves the counts (per set, mode and rule) and `--compare` prints them against such a file.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from repair.config import Settings  # noqa: E402
from repair.document import Document  # noqa: E402
from repair.engine import Engine  # noqa: E402

#: the promise, and the issue's targets per mode (findings per 1,000 words)
LIMITS = {"on": 1.0, "off": 0.3}


def load_sets(eval_dir: Path, corpus: Path) -> dict[str, list[dict]]:
    """Set name -> records (id, language, source_language, text, words)."""
    sets: dict[str, list[dict]] = {}
    clean_files = sorted((corpus / "clean").glob("*.txt"))
    sets["corpus-clean"] = [
        {"id": path.name, "language": "en", "source_language": "", "text": text, "words": len(text.split())}
        for path in clean_files for text in [Document.read(path).text]
    ]
    demetr = eval_dir / "demetr_clean_dev.jsonl"
    if demetr.exists():
        sets["demetr-clean"] = [r for r in _jsonl(demetr) if r.get("clean")]
    mqm = eval_dir / "mqm_dev.jsonl"
    if mqm.exists():
        records = [r for r in _jsonl(mqm) if r.get("clean")]
        for language in sorted({r.get("language", "en") for r in records}):
            sets[f"mqm-clean-{language}"] = [r for r in records if r.get("language", "en") == language]
    return sets


def _jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


class Runner:
    def __init__(self, languagetool: bool, source: str) -> None:
        self.languagetool = languagetool
        self.source = source
        self._engines: dict[tuple[str, str], Engine] = {}

    def engine(self, language: str, source: str) -> Engine:
        key = (language, source)
        if key not in self._engines:
            self._engines[key] = Engine(Settings(languagetool=self.languagetool, language=language,
                                                 source_language=source, cache=False))
        return self._engines[key]

    def run(self, records: list[dict]) -> tuple[Counter, list[str], int, list[str]]:
        """Findings per rule, examples, words, notices."""
        counts: Counter = Counter()
        examples: list[str] = []
        words = 0
        by_engine: dict[tuple[str, str], list[dict]] = defaultdict(list)
        for record in records:
            source = (record.get("source_language") or "auto") if self.source == "given" else "auto"
            by_engine[(record.get("language", "en"), source)].append(record)
        notices: list[str] = []
        for (language, source), group in by_engine.items():
            engine = self.engine(language, source)
            docs = [Document(r.get("id", "<record>"), r["text"]) for r in group]
            if engine.prefetching:
                for i in range(0, len(docs), 200):
                    engine.prefetch(docs[i:i + 200])
                    for doc, record in zip(docs[i:i + 200], group[i:i + 200]):
                        words += self._one(engine, doc, record, counts, examples)
            else:
                for doc, record in zip(docs, group):
                    words += self._one(engine, doc, record, counts, examples)
            notices += [n.message for n in engine.notices]
        return counts, examples, words, notices

    @staticmethod
    def _one(engine: Engine, doc: Document, record: dict, counts: Counter, examples: list[str]) -> int:
        text = record["text"]
        for f in engine.check(doc):
            counts[f.code] += 1
            context = text[max(0, f.start - 40):f.end + 40].replace("\n", " ")
            examples.append(f"{f.code} [{record.get('id', '')}] {text[f.start:f.end]!r} | …{context}… | {f.message}")
        return record.get("words") or len(text.split())

    def close(self) -> None:
        for engine in self._engines.values():
            engine.close()


def measure(sets: dict[str, list[dict]], modes: tuple[str, ...], source: str) -> dict:
    """{"words": {set: n}, "counts": {mode: {set: {code: n}}}, "examples": {mode: {set: [...]}}}"""
    out: dict = {"source": source, "words": {}, "counts": {}, "examples": {}, "seconds": {}, "notices": {}}
    for mode in modes:
        runner = Runner(languagetool=(mode == "on"), source=source)
        out["counts"][mode], out["examples"][mode], out["seconds"][mode] = {}, {}, {}
        notices: list[str] = []
        try:
            for name, records in sets.items():
                started = time.perf_counter()
                counts, examples, words, found = runner.run(records)
                out["seconds"][mode][name] = round(time.perf_counter() - started, 1)
                out["words"][name] = words
                out["counts"][mode][name] = dict(counts)
                out["examples"][mode][name] = examples
                notices += [n for n in found if n not in notices]
        finally:
            runner.close()
        out["notices"][mode] = notices
    return out


def _per_k(n: int, words: int) -> str:
    return f"{1000 * n / words:.2f}" if words else "–"


def render(data: dict, before: dict | None = None, examples: int = 0) -> str:
    words = data["words"]
    names = list(words)
    lines = ["# Clean-text benchmark", "",
             "Findings per 1,000 words on text with nothing to find (every finding is a false alarm). "
             f"Source language: {data['source']}. Generated by `python bench/clean.py`.", ""]
    lines += ["| set | words |", "| --- | ---: |"] + [f"| {n} | {words[n]} |" for n in names] + [""]
    for mode in data["counts"]:
        limit = LIMITS.get(mode)
        title = {"on": "LanguageTool on", "off": "LanguageTool off"}.get(mode, mode)
        counts = data["counts"][mode]
        old = (before or {}).get("counts", {}).get(mode)
        lines += [f"## {title} (target: at most {limit} per 1,000 words)", ""]
        if data.get("notices", {}).get(mode):
            lines += [f"Notices: {'; '.join(data['notices'][mode])}", ""]
        header = "| rule | " + " | ".join(names) + " | all |"
        lines += [header, "| --- |" + " ---: |" * (len(names) + 1)]
        codes = sorted({c for n in names for c in counts.get(n, {})} | {c for n in names for c in (old or {}).get(n, {})})
        total_words = sum(words[n] for n in names)

        def cell(code: str | None, name: str | None) -> str:
            def value(table):
                if table is None:
                    return None
                sets = [name] if name else names
                n = sum((table.get(s, {}).get(code, 0) if code else sum(table.get(s, {}).values())) for s in sets)
                w = words[name] if name else total_words
                return n, w

            now = value(counts)
            text = f"{_per_k(*now)} ({now[0]})"
            if old is not None:
                was = value(old)
                text = f"{_per_k(*was)} → {text}"
            return text

        for code in codes:
            lines.append(f"| {code} | " + " | ".join(cell(code, n) for n in names) + f" | {cell(code, None)} |")
        lines.append("| **all** | " + " | ".join(cell(None, n) for n in names) + f" | {cell(None, None)} |")
        lines.append("")
        if examples:
            for name in names:
                shown = data["examples"][mode].get(name, [])[:examples]
                if shown:
                    lines += [f"<details><summary>{title}, {name}: first {len(shown)} findings</summary>", "", "```"]
                    lines += shown
                    lines += ["```", "</details>", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", default=str(ROOT.parent / "shared" / "eval"))
    parser.add_argument("--corpus", default=str(ROOT / "corpus"))
    parser.add_argument("--modes", default="off,on", help="off (LanguageTool off), on (LanguageTool on)")
    parser.add_argument("--source", choices=("auto", "given"), default="auto")
    parser.add_argument("--sets", default=None, help="comma-separated set names (default: all)")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "clean.md"))
    parser.add_argument("--json", default=None, help="save the counts and findings as JSON")
    parser.add_argument("--compare", default=None, help="a --json file of an earlier run: show before -> now")
    parser.add_argument("--examples", type=int, default=60, help="findings listed per set in the --out file")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    sets = load_sets(Path(args.eval_dir), Path(args.corpus))
    if args.sets:
        sets = {k: v for k, v in sets.items() if k in args.sets.split(",")}
    modes = tuple(m for m in args.modes.split(",") if m)
    data = measure(sets, modes, args.source)
    before = json.loads(Path(args.compare).read_text(encoding="utf-8")) if args.compare else None
    print(render(data, before))
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(render(data, before, args.examples), encoding="utf-8")
    if args.json:
        Path(args.json).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
