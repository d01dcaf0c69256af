"""Build dataset records for the dataset tests and benchmark, from the repository's corpus/ and ../shared/eval.

`records(minimum)` returns at least `minimum` records ({"id", "text", "source"}), deterministically:
- with ../shared/eval present: its English records first (DEMETR sets, MQM English targets, the trafilatura
  page extracts), then the repository's texts;
- without it (a clone elsewhere): only files from the repository (corpus/ articles, their expected fixes, the
  clean human references and Markdown/HTML pages), their paragraphs and lines, then windows of two and three
  consecutive lines, until there are enough. Nothing is skipped: the dataset is always built.

A few records write one name in two spellings in different records (Zelensky / Zelenskyy): corpus-wide consistency
(CON001) is reported only when the records are checked together.

    python bench/datasets_build.py OUT.jsonl [--records N] [--repeat K]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"

CROSS_RECORD = [
    "President Zelensky spoke to reporters in Kyiv on Monday.",
    "Zelensky said the talks would go on next week.",
    "A statement from Zelenskyy's office followed on Tuesday.",
    "Fighters reached Raqqa on Monday, a monitoring group said.",
    "The road to Raqqa was cut by the fighting on Tuesday morning.",
]


def eval_available() -> bool:
    return (EVAL / "demetr_codemix_dev.jsonl").is_file()


def _eval_records() -> list[dict]:
    out: list[dict] = []
    for name in ("demetr_codemix_dev", "demetr_spelling_dev", "demetr_punct_dev", "demetr_clean_dev",
                 "mqm_docs_dev", "mqm_dev", "trafilatura_lines_dev"):
        path = EVAL / f"{name}.jsonl"
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8").split("\n"):
            if not line.strip():
                continue
            data = json.loads(line)
            if data.get("language") not in (None, "en") or not isinstance(data.get("text"), str):
                continue
            out.append({"id": data["id"], "text": data["text"], "source": f"eval/{name}"})
    return out


def _repository_files() -> list[Path]:
    corpus = ROOT / "corpus"
    files = sorted(corpus.glob("*.txt")) + sorted(corpus.glob("*.expected")) + sorted((corpus / "formats").glob("*.md"))
    files += sorted((corpus / "clean").rglob("*.txt")) + sorted((corpus / "clean").rglob("*.md"))
    files += sorted((corpus / "clean").rglob("*.html"))
    return files


def _repository_records(minimum: int) -> list[dict]:
    out: list[dict] = []
    files = _repository_files()
    texts = [(path, path.read_text(encoding="utf-8")) for path in files]
    for path, text in texts[:6]:  # the seed articles and their fixed versions, whole
        out.append({"id": f"repo/{path.relative_to(ROOT)}", "text": text, "source": "repository/file"})
    for path, text in texts:  # paragraphs
        for number, paragraph in enumerate(p for p in text.split("\n\n") if p.strip()):
            out.append({"id": f"repo/{path.relative_to(ROOT)}#p{number}", "text": paragraph,
                        "source": "repository/paragraph"})
    window = 1
    while len(out) < minimum and window <= 6:  # lines, then windows of consecutive lines
        for path, text in texts:
            lines = [line for line in text.splitlines() if line.strip()]
            for start in range(0, max(0, len(lines) - window + 1)):
                out.append({"id": f"repo/{path.relative_to(ROOT)}#l{start}w{window}",
                            "text": "\n".join(lines[start:start + window]), "source": f"repository/lines{window}"})
        window += 1
    return out


def records(minimum: int = 2000, use_eval: bool | None = None, repository_share: float = 0.25) -> list[dict]:
    """Exactly `minimum` records (more only when `minimum` is below the fixed cross-record ones): a quarter from
    the repository's files, the rest from ../shared/eval, or all from the repository without it."""
    use_eval = eval_available() if use_eval is None else use_eval
    out = [{"id": f"cross/{i}", "text": text, "source": "cross-record"} for i, text in enumerate(CROSS_RECORD)]
    wanted = max(0, minimum - len(out))
    repository = _repository_records(wanted)
    if use_eval:
        evaluation = _eval_records()
        from_repository = max(wanted - len(evaluation), int(wanted * repository_share))
        out += repository[:from_repository] + evaluation[:wanted - from_repository]
    else:
        out += repository[:wanted]
    if len(out) < minimum:
        raise RuntimeError(f"only {len(out)} records could be built (wanted {minimum})")
    return out


def write_jsonl(path: Path, rows: list[dict], repeat: int = 1) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        for copy in range(repeat):
            for row in rows:
                row = dict(row, id=f"{row['id']}@{copy}") if repeat > 1 else row
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out")
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--no-eval", action="store_true", help="only the repository's files")
    args = parser.parse_args()
    rows = records(args.records, use_eval=False if args.no_eval else None)
    write_jsonl(Path(args.out), rows, args.repeat)
    print(f"{len(rows) * args.repeat} records ({'with' if eval_available() and not args.no_eval else 'without'} "
          f"../shared/eval) -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
