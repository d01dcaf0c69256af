"""Score `repair check` on labelled sets: precision and recall per category, false alarms on clean text.

    python bench/eval.py [--eval-dir ../shared/eval] [--sets codemix,clean,mqm,docs,corpus,...] [--out bench/results/eval.md]

A finding matches a gold span when the spans overlap and the categories agree ("any" columns ignore the
category). Precision counts findings that match some gold span; recall counts gold spans some finding
matches. On clean records every finding is a false alarm, reported per 1,000 words. The engine runs through
the Python API with LanguageTool off, in "auto" source-language mode (as a user without --source-language)
and, for the codemix set, also with the record's source language given.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from repair.config import Settings  # noqa: E402
from repair.document import Document  # noqa: E402
from repair.engine import Engine  # noqa: E402

SETS = {
    "codemix": "demetr_codemix_dev.jsonl",
    "clean": "demetr_clean_dev.jsonl",
    "mqm": "mqm_dev.jsonl",
    "docs": "mqm_docs_dev.jsonl",
    "spelling": "demetr_spelling_dev.jsonl",
    "punct": "demetr_punct_dev.jsonl",
    "trafilatura": "trafilatura_lines_dev.jsonl",
}
DEFAULT_SETS = ("corpus", "codemix", "codemix-given", "clean", "mqm", "docs", "trafilatura")
#: on whole scraped pages: the findings that count as finding page furniture (issue 13)
FURNITURE_CATEGORIES = ("boilerplate", "markup", "duplication")
#: with --languagetool: the sets whose labels LanguageTool can meet (spelling, punctuation) and the clean ones
LANGUAGETOOL_SETS = ("corpus", "spelling", "punct", "clean")
LATIN_SOURCES = ("fr", "es", "de", "it", "pl", "cs")
WATCHED = ("untranslated", "terminology")


@dataclass
class Tally:
    findings: int = 0
    findings_matched: int = 0
    gold: int = 0
    gold_matched: int = 0

    def add(self, other: "Tally") -> None:
        self.findings += other.findings
        self.findings_matched += other.findings_matched
        self.gold += other.gold
        self.gold_matched += other.gold_matched

    @property
    def precision(self) -> float | None:
        return self.findings_matched / self.findings if self.findings else None

    @property
    def recall(self) -> float | None:
        return self.gold_matched / self.gold if self.gold else None


@dataclass
class SetResult:
    name: str
    records: int = 0
    words: int = 0
    clean_words: int = 0
    seconds: float = 0.0
    by_category: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    any_category: Tally = field(default_factory=Tally)
    by_source: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))  # untranslated, per source
    clean_alarms: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    clean_words_by_language: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    watched_alarms_by_language: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    clean_alarm_examples: list[str] = field(default_factory=list)
    signals: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))  # found, matched, clean
    #: spelling gold spans by the case of their first letter ("capitalised", "lowercase"): [gold, found]
    spelling_by_case: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    missed: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    #: scraped pages, per language and per half of the pages: [furniture strings, found, main-text strings, touched]
    furniture: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0, 0]))


def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    if a_start == a_end or b_start == b_end:
        return a_start <= b_end and b_start <= a_end
    return a_start < b_end and b_start < a_end


class Scorer:
    def __init__(self, languagetool: bool = False) -> None:
        self._engines: dict[tuple[str, str], Engine] = {}
        self.languagetool = languagetool

    def engine(self, language: str, source: str = "auto") -> Engine:
        key = (language, source)
        if key not in self._engines:
            self._engines[key] = Engine(Settings(languagetool=self.languagetool, language=language,
                                                 source_language=source, cache=False))
        return self._engines[key]

    def score(self, result: SetResult, record: dict, source: str = "auto") -> None:
        text = record["text"]
        engine = self.engine(record.get("language") or "en", source)
        # a scraped page's record is plain text whatever its id's extension (".html")
        fmt = "text" if "with_spans" in record else None
        findings = engine.check(Document(record.get("id", "<record>"), text, format=fmt))
        ignore = record.get("ignore") or []
        findings = [f for f in findings if not any(_overlap(f.start, f.end, s, e) for s, e in ignore)]
        gold = [e for e in record.get("errors", []) if e.get("category")]
        words = record.get("words") or len(text.split())
        result.records += 1
        result.words += words
        if record.get("clean"):
            result.clean_words += words
            language = record.get("language", "en")
            result.clean_words_by_language[language] += words
            for f in findings:
                result.clean_alarms[f.category.value] += 1
                if f.category.value in WATCHED:
                    result.watched_alarms_by_language[language] += 1
                if len(result.clean_alarm_examples) < 400:
                    result.clean_alarm_examples.append(f"{f.code} {f.category.value} {text[f.start:f.end]!r}: {f.message}")
        for f in findings:
            if f.code == "UNT001":
                signal = _signal(f.message)
                counts = result.signals[signal]
                counts[0] += 1
                counts[1] += any(_overlap(f.start, f.end, g["start"], g["end"]) for g in gold if g["category"] == "untranslated")
                counts[2] += bool(record.get("clean"))
        categories = {f.category.value for f in findings} | {g["category"] for g in gold}
        def accepted(g: dict) -> set[str]:  # corpus gold may accept a second category ("accept")
            return {g["category"], *g.get("accept", [])}

        for category in categories:
            tally = Tally()
            fs = [f for f in findings if f.category.value == category]
            gs = [g for g in gold if g["category"] == category]
            accepting = [g for g in gold if category in accepted(g)]
            tally.findings = len(fs)
            tally.findings_matched = sum(
                any(_overlap(f.start, f.end, g["start"], g["end"]) for g in accepting) for f in fs)
            tally.gold = len(gs)
            tally.gold_matched = sum(
                any(_overlap(f.start, f.end, g["start"], g["end"]) for f in findings if f.category.value in accepted(g))
                for g in gs)
            result.by_category[category].add(tally)
            if category == "untranslated" and record.get("source_language"):
                result.by_source[record["source_language"]].add(tally)
            for g in gs:
                found = any(_overlap(f.start, f.end, g["start"], g["end"]) for f in findings
                            if f.category.value in accepted(g))
                if category == "spelling":
                    case = "capitalised" if text[g["start"]:g["start"] + 1].isupper() else "lowercase"
                    result.spelling_by_case[case][0] += 1
                    result.spelling_by_case[case][1] += found
                if not found and len(result.missed) < 400:
                    result.missed.append(f"{category} [{record.get('source_language', '')}] {text[g['start']:g['end']]!r}")
            for f in fs:
                matched = any(_overlap(f.start, f.end, g["start"], g["end"]) for g in accepting)
                if not matched and gs and len(result.wrong) < 400:
                    result.wrong.append(f"{f.code} {text[f.start:f.end]!r}")
        any_tally = Tally(
            len(findings),
            sum(any(_overlap(f.start, f.end, g["start"], g["end"]) for g in gold) for f in findings),
            len(gold),
            sum(any(_overlap(f.start, f.end, g["start"], g["end"]) for f in findings) for g in gold),
        )
        result.any_category.add(any_tally)
        if "with_spans" in record:
            _score_furniture(result, record, findings)


def page_half(record_id: str) -> str:
    """The half of the scraped pages a page belongs to, by a hash of its id: tune on one, check on the other."""
    import hashlib

    return ("tune", "check")[int(hashlib.sha256(record_id.encode()).hexdigest(), 16) % 2]


def _score_furniture(result: SetResult, record: dict, findings: list) -> None:
    text = record["text"]
    hits = [f for f in findings if f.category.value in FURNITURE_CATEGORIES]
    language = record.get("language") or "?"
    for key in (language, "half:" + page_half(record["id"]), "all"):
        counts = result.furniture[key]
        for span in record["errors"]:
            counts[0] += 1
            found = any(_overlap(f.start, f.end, span["start"], span["end"]) for f in hits)
            counts[1] += found
            if not found and key == "all" and len(result.missed) < 400:
                result.missed.append(f"furniture [{language}] {text[span['start']:span['end']][:80]!r}")
        for span in record["with_spans"]:
            counts[2] += 1
            touching = [f for f in hits if _overlap(f.start, f.end, span["start"], span["end"])]
            counts[3] += bool(touching)
            if touching and key == "all" and len(result.wrong) < 400:
                result.wrong.append(f"main text touched by {touching[0].code} [{language}] "
                                    f"{text[span['start']:span['end']][:80]!r}")


def _signal(message: str) -> str:
    from repair.detectors.untranslated import SIGNAL_OPENINGS

    after = message.split(": ", 1)[-1]
    return next((signal for signal, opening in SIGNAL_OPENINGS.items() if after.startswith(opening)), "?")


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def corpus_records(corpus: Path) -> list[dict]:
    records = []
    for gold_path in sorted(corpus.glob("*.gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        text_path = corpus / gold.get("file", gold_path.name.replace(".gold.json", ".txt"))
        if not text_path.exists():
            continue
        text = Document.read(text_path).text
        records.append({
            "id": text_path.name, "language": gold.get("language", "en"),
            "source_language": gold.get("source_language", ""), "text": text,
            "errors": gold.get("errors", []), "clean": not gold.get("errors"), "words": len(text.split()),
        })
    return records


def run(eval_dir: Path, corpus: Path, wanted: tuple[str, ...], verbose: bool = False,
        languagetool: bool = False) -> list[SetResult]:
    scorer = Scorer(languagetool)
    results = []
    for name in wanted:
        base = name.removesuffix("-given")
        if base == "corpus":
            records = corpus_records(corpus)
        elif base in SETS and (eval_dir / SETS[base]).exists():
            records = load(eval_dir / SETS[base])
        else:
            print(f"skipped {name}: no data", file=sys.stderr)
            continue
        result = SetResult(name)
        started = time.perf_counter()
        for record in records:
            source = record.get("source_language", "auto") if name.endswith("-given") else "auto"
            scorer.score(result, record, source or "auto")
        result.seconds = time.perf_counter() - started
        results.append(result)
    return results


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def render(results: list[SetResult], verbose: bool = False, languagetool: bool = False) -> str:
    how = ("LanguageTool on (a real server on loopback). " if languagetool else "LanguageTool off. ")
    command = "python bench/eval.py" + (" --languagetool" if languagetool else "")
    lines = ["# repair evaluation", "", how + "A finding matches a gold span when they overlap and the "
             f"category agrees; 'any' ignores the category. Generated by `{command}`.", ""]
    lines += ["## Summary", "", "| set | records | words | seconds | P (any) | R (any) | untranslated P | untranslated R | "
              "clean words | untranslated+terminology alarms / 1k clean words | all alarms / 1k clean words |",
              "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in results:
        unt = r.by_category.get("untranslated", Tally())
        watched = sum(r.clean_alarms.get(c, 0) for c in WATCHED)
        total = sum(r.clean_alarms.values())
        per_k = (lambda n: f"{1000 * n / r.clean_words:.2f}") if r.clean_words else (lambda n: "–")
        lines.append(f"| {r.name} | {r.records} | {r.words} | {r.seconds:.1f} | {_pct(r.any_category.precision)} | "
                     f"{_pct(r.any_category.recall)} | {_pct(unt.precision)} | {_pct(unt.recall)} | {r.clean_words} | "
                     f"{per_k(watched)} | {per_k(total)} |")
    for r in results:
        lines += ["", f"## {r.name}", "", "| category | findings | matched | P | gold | found | R | clean alarms |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for category in sorted(set(r.by_category) | set(r.clean_alarms)):
            t = r.by_category.get(category, Tally())
            lines.append(f"| {category} | {t.findings} | {t.findings_matched} | {_pct(t.precision)} | {t.gold} | "
                         f"{t.gold_matched} | {_pct(t.recall)} | {r.clean_alarms.get(category, 0)} |")
        if len(r.clean_words_by_language) > 1:
            lines += ["", "Untranslated and terminology alarms on clean records, per target language:", "",
                      "| target | clean words | alarms | per 1k words |", "| --- | ---: | ---: | ---: |"]
            for language in sorted(r.clean_words_by_language):
                n, w = r.watched_alarms_by_language.get(language, 0), r.clean_words_by_language[language]
                lines.append(f"| {language} | {w} | {n} | {1000 * n / w:.2f} |")
        if r.spelling_by_case:
            lines += ["", "Spelling gold spans by case (found by a spelling finding):", "",
                      "| case | gold | found | R |", "| --- | ---: | ---: | ---: |"]
            for case, (n, found) in sorted(r.spelling_by_case.items()):
                lines.append(f"| {case} | {n} | {found} | {_pct(found / n if n else None)} |")
        if r.signals:
            lines += ["", "UNT001 by signal (what made the word foreign):", "",
                      "| signal | findings | matched gold | on clean records |", "| --- | ---: | ---: | ---: |"]
            for signal, (n, matched, clean) in sorted(r.signals.items()):
                lines.append(f"| {signal} | {n} | {matched} | {clean} |")
        if r.by_source:
            lines += ["", "Untranslated, per source language:", "", "| source | findings | P | gold | R |",
                      "| --- | ---: | ---: | ---: | ---: |"]
            latin = Tally()
            for source in sorted(r.by_source):
                t = r.by_source[source]
                if source in LATIN_SOURCES:
                    latin.add(t)
                lines.append(f"| {source} | {t.findings} | {_pct(t.precision)} | {t.gold} | {_pct(t.recall)} |")
            if latin.gold:
                lines.append(f"| Latin-script sources | {latin.findings} | {_pct(latin.precision)} | {latin.gold} | "
                             f"{_pct(latin.recall)} |")
        if r.furniture:
            lines += ["", "Scraped pages: furniture strings found and main-text strings touched by a boilerplate, "
                      "markup or duplication finding, per page language and per half of the pages "
                      "(scripts/train_furniture.py tunes on the first):", "",
                      "| pages | furniture | found | share found | main text | touched | share touched |",
                      "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
            order = sorted(r.furniture, key=lambda k: (k == "all", k.startswith("half:"), -r.furniture[k][0], k))
            for key in order:
                n, found, main, touched = r.furniture[key]
                lines.append(f"| {key} | {n} | {found} | {_pct(found / n if n else None)} | {main} | {touched} | "
                             f"{_pct(touched / main if main else None)} |")
        if verbose:
            for title, items in (("missed", r.missed), ("unmatched findings", r.wrong), ("clean alarms", r.clean_alarm_examples)):
                if items:
                    lines += ["", f"<details><summary>{title} ({len(items)} shown)</summary>", "", "```"]
                    lines += items[:200]
                    lines += ["```", "</details>"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", default=str(ROOT.parent / "shared" / "eval"))
    parser.add_argument("--corpus", default=str(ROOT / "corpus"))
    parser.add_argument("--sets", default=None, help="comma-separated; default: " + ",".join(DEFAULT_SETS))
    parser.add_argument("--languagetool", action="store_true",
                        help="LanguageTool on (a real server); default sets " + ",".join(LANGUAGETOOL_SETS))
    parser.add_argument("--out", default=None, help="default bench/results/eval.md (eval-languagetool.md)")
    parser.add_argument("--verbose", "-v", action="store_true", help="list misses and false alarms")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    sets = args.sets or ",".join(LANGUAGETOOL_SETS if args.languagetool else DEFAULT_SETS)
    out_name = "eval-languagetool.md" if args.languagetool else "eval.md"
    args.out = args.out or str(ROOT / "bench" / "results" / out_name)
    results = run(Path(args.eval_dir), Path(args.corpus), tuple(s for s in sets.split(",") if s),
                  languagetool=args.languagetool)
    report = render(results, args.verbose, args.languagetool)
    print(report)
    if args.out:
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(render(results, verbose=True, languagetool=args.languagetool), encoding="utf-8")
    print(f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
