"""What both executors run: a worker (one `repair.api.Checker`, the per-document cache) that checks or fixes
batches of records, the gather step of corpus-wide checks, and a shard's outputs and marker.

The executors differ only in who runs these pieces: `local` hands whole shards to worker processes (or, with
fewer shards than two per worker, reads and writes in the main process and hands them batches of records);
`ray` hands whole shards to Ray actors. Each shard is read, checked and written by `run_piece`, so both write
the same files and their findings are the same.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from repair.api import Checker
from repair.config import Settings
from repair.datasets import io
from repair.document import Document
from repair.model import Applicability

#: file names in the output folder
JOB_FILE = "_job.json"
CORPUS_FILE = "_corpus.json"
SHARDS = "_shards"  # one marker per finished shard: its piece and its counts
FINDINGS = "findings"
DATA = "data"
SUMMARY_FILE = "summary.json"


@dataclass(frozen=True)
class Job:
    """What a dataset run does, the same on every worker (small and picklable: it travels to them)."""

    settings: Settings
    fix: bool = False
    unsafe: bool = False
    text_field: str = "text"
    id_field: str = "id"
    findings_format: str = "jsonl"  # jsonl | parquet
    cache_dir: str | None = None  # the per-document result cache (None: off)

    @property
    def threshold(self) -> Applicability:
        return Applicability.UNSAFE if self.unsafe else Applicability.SAFE

    def identity(self) -> dict:
        """What the outputs depend on: an output folder holds shards of one job only."""
        from repair import __version__

        return {"command": "fix" if self.fix else "check", "unsafe": self.unsafe, "text_field": self.text_field,
                "id_field": self.id_field, "findings_format": self.findings_format,
                "settings": self.settings.fingerprint(), "version": __version__}


# --- the worker ---------------------------------------------------------------------------------------------------
@dataclass
class Outcome:
    """One record's result: finding rows (JSON v1 fields), the applied rule codes and the fixed text (fix)."""

    findings: list[dict] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    fixed: str | None = None  # None: unchanged
    error: str | None = None
    notices: list[str] = field(default_factory=list)
    cached: bool = False
    skipped: bool = False  # LanguageTool was on but could not run for this record


#: what a worker is handed for a record: (id, text, format)
Item = tuple[Any, str, str]


class Worker:
    """Checks or fixes records with one Checker, built once (with the corpus-wide data when there is some)."""

    def __init__(self, job: Job, corpus: object = None, languagetool_url: str | None = None):
        from dataclasses import replace

        settings = job.settings if languagetool_url is None else replace(job.settings,
                                                                         languagetool_url=languagetool_url)
        self.job = job
        self.checker = Checker(settings)
        if corpus is not None:
            self.checker.engine.with_corpus(corpus)
        # what lives for the whole run (modules, detectors, word lists, corpus-wide data) is not walked by every
        # garbage collection again (as the file runner does: that walk cost a quarter of a run's time)
        import gc

        gc.freeze()
        self.cache = None
        if job.cache_dir:
            from repair.cache import ResultCache

            try:
                self.cache = ResultCache(Path(job.cache_dir))
            except OSError:
                self.cache = None

    def close(self) -> None:
        self.checker.close()
        if self.cache is not None:
            self.cache.close()

    # -- checking and fixing ----------------------------------------------------------------------------------------
    def process(self, items: list[Item]) -> list[Outcome]:
        from repair.cache import content_digest, result_key

        engine = self.checker.engine
        keys: list[str | None] = [None] * len(items)
        found: dict = {}
        if self.cache is not None:
            fingerprint = engine.fingerprint() + engine.corpus_fingerprint()  # no shares here: all of it
            keys = [result_key(content_digest(text.encode("utf-8", "surrogatepass")), f"{fingerprint}|{fmt}|record")
                    for _, text, fmt in items]
            found = self.cache.get_many([k for k in keys if k is not None])
        outcomes: list[Outcome | None] = [None] * len(items)
        todo: list[int] = []
        for index, key in enumerate(keys):
            located = found.get(key) if key is not None else None
            if located is not None and (not self.job.fix or not _fixable(located, self.job.threshold)):
                outcomes[index] = Outcome(_rows(items[index][0], located), cached=True)
            else:
                todo.append(index)
        docs = [Document(f"<record {items[i][0]}>", items[i][1], format=items[i][2]) for i in todo]
        if engine.prefetching and docs:
            engine.prefetch(docs)  # LanguageTool: the paragraphs of the whole batch in shared requests
        fresh = []
        for index, doc in zip(todo, docs):
            outcome, located = self._one(items[index][0], doc)
            outcomes[index] = outcome
            if keys[index] is not None and outcome.error is None and not outcome.notices and outcome.fixed is None:
                fresh.append((keys[index], located))
        if self.cache is not None and fresh:
            self.cache.put_many(fresh)
        return outcomes  # type: ignore[return-value]

    def _one(self, identity: Any, doc: Document):
        from repair.fixer import ConvergenceError
        from repair.results import locate

        engine = self.checker.engine
        engine.notices.clear()
        located: list = []
        outcome = Outcome()
        try:
            if self.job.fix:
                result = self.checker.fix(doc, unsafe=self.job.unsafe)
                located = locate(doc.with_text(result.text), result.remaining)
                if result.changed:
                    outcome.fixed = result.text
                    outcome.codes = [edit.code for edit in result.applied]
                if result.dropped:
                    outcome.notices.append(f"record {identity}: not fixed, their fixes undo each other or never "
                                           f"settle: {', '.join(result.dropped)}")
            else:
                located = locate(doc, self.checker.check(doc))
        except ConvergenceError as error:
            outcome.error = f"record {identity}: {error}"
        outcome.notices += [n.message for n in engine.notices]
        outcome.skipped = any(n.source == "languagetool" for n in engine.notices)
        outcome.findings = _rows(identity, located)
        return outcome, located

    # -- corpus-wide data -------------------------------------------------------------------------------------------
    def gather(self, items: list[Item]) -> "Partial":
        engine = self.checker.engine
        return Partial.of(engine.corpus_detectors,
                          [engine.gather(Document(f"<record {identity}>", text, format=fmt))
                           for identity, text, fmt in items])


def _fixable(located, threshold: Applicability) -> bool:
    return any(item.finding.fix is not None and item.finding.fix.applicability >= threshold for item in located)


def _rows(identity: Any, located) -> list[dict]:
    from repair.report.json_report import finding_data

    return [{"id": identity, **finding_data(item)} for item in located]


class Partial:
    """Corpus-wide data gathered from some records, in their order, not yet finished: per detector, the
    combined shares (`Detector.combine`) of consecutive groups of records. Partials of consecutive shards
    `extend` each other in plan order; `finish` combines the whole corpus's shares and finishes them
    (`Detector.finish`), as the file runner does: combine is associative and drops nothing, so any grouping
    gives the same corpus."""

    def __init__(self) -> None:
        self.records = 0
        self.shares: dict[str, list] = {}

    @classmethod
    def of(cls, detectors: Iterable, parts: list[Mapping[str, Any]]) -> "Partial":
        """The partial of consecutive records, from their gathered parts (Engine.gather), one share per detector."""
        partial = cls()
        partial.records = len(parts)
        for detector in detectors:
            mine = [part[detector.name] for part in parts if part.get(detector.name) is not None]
            partial.shares[detector.name] = [detector.combine(mine)] if mine else []
        return partial

    def extend(self, other: "Partial") -> None:
        self.records += other.records
        for name, shares in other.shares.items():
            self.shares.setdefault(name, []).extend(shares)

    def compact(self, detectors: Iterable) -> "Partial":
        """The same data as one share per detector (a shard's partial travels smaller)."""
        for detector in detectors:
            shares = self.shares.get(detector.name)
            if shares and len(shares) > 1:
                self.shares[detector.name] = [detector.combine(shares)]
        return self

    def finish(self, detectors: Iterable) -> dict | None:
        """The corpus-wide data a run gives its engine (None for a single record, as for a single file)."""
        if self.records < 2:
            return None
        return {d.name: d.finish(d.combine(self.shares.get(d.name, []))) for d in detectors}


def items_of(batch: io.Batch) -> list[Item]:
    return [(r.id, r.text, r.format) for r in batch.records if r.text is not None]


# --- a shard's outputs ----------------------------------------------------------------------------------------------
def new_stats() -> dict:
    return {"records": 0, "words": 0, "findings": 0, "by_code": Counter(), "by_category": Counter(),
            "by_severity": Counter(), "fixable": 0, "changed": 0, "edits": 0, "edits_by_code": Counter(),
            "errors": 0, "error_examples": [], "notices": [], "cached": 0, "languagetool_skipped": 0,
            "seconds": 0.0}


class ShardSink:
    """Writes a shard's findings (and fixed records) as its batches come, then its marker."""

    def __init__(self, out: Path, piece: io.Piece, job: Job):
        self.out, self.piece, self.job = out, piece, job
        self.started = time.perf_counter()
        suffix = ".parquet" if job.findings_format == "parquet" else ".jsonl"
        self.findings = io.findings_writer(out / FINDINGS / f"{piece.name}{suffix}", job.findings_format)
        self.data = None
        if job.fix:
            path = out / DATA / f"{piece.name}{io.data_suffix(piece)}"
            self.data = io.ParquetRows(path) if piece.kind == "parquet" else io.JsonLines(path, piece.compression
                                                                                          if piece.kind == "jsonl" else "")
        self.stats = new_stats()

    def add(self, batch: io.Batch, outcomes: list[Outcome]) -> None:
        stats = self.stats
        results = iter(outcomes)
        texts: list[str] = []
        codes: list[list[str]] = []
        for record in batch.records:
            stats["records"] += 1
            outcome = next(results) if record.text is not None else None
            if outcome is None:
                stats["errors"] += 1
                if len(stats["error_examples"]) < 5:
                    stats["error_examples"].append(f"record {record.id}: {record.error}")
                self._copy(record)
                texts.append(record.text)
                codes.append([])
                continue
            stats["words"] += len(record.text.split())
            stats["cached"] += outcome.cached
            stats["languagetool_skipped"] += outcome.skipped
            for row in outcome.findings:
                self.findings.write_row(row)
                stats["findings"] += 1
                stats["by_code"][row["code"]] += 1
                stats["by_category"][row["category"]] += 1
                stats["by_severity"][row["severity"]] += 1
                stats["fixable"] += row["fix"] is not None and row["fix"]["applicability"] == "safe"
            if outcome.error:
                stats["errors"] += 1
                if len(stats["error_examples"]) < 5:
                    stats["error_examples"].append(outcome.error)
            for notice in outcome.notices:
                if notice not in stats["notices"] and len(stats["notices"]) < 20:
                    stats["notices"].append(notice)
            if outcome.fixed is not None:
                stats["changed"] += 1
                stats["edits"] += len(outcome.codes)
                stats["edits_by_code"].update(outcome.codes)
            if self.data is not None and self.piece.kind != "parquet":
                self._write(record, outcome)
            texts.append(outcome.fixed if outcome.fixed is not None else record.text)
            codes.append(sorted(set(outcome.codes)))
        if self.data is not None and self.piece.kind == "parquet":
            self.data.write_table(io.with_text_column(batch.table, self.job.text_field, texts, codes))

    def _copy(self, record: io.Record) -> None:
        if self.data is None or self.piece.kind == "parquet":
            return
        if record.raw is not None:
            self.data.write_line(record.raw)

    def _write(self, record: io.Record, outcome: Outcome) -> None:
        assert self.data is not None
        if self.piece.kind == "warc":
            row = {"id": record.id, "url": record.meta.get("url"),
                   "text": outcome.fixed if outcome.fixed is not None else record.text}
            if outcome.fixed is not None:
                row[io.CODES_COLUMN] = sorted(set(outcome.codes))
            self.data.write_row(row)
        elif outcome.fixed is None:
            self.data.write_line(record.raw)  # unchanged: the line as it was, byte for byte
        else:
            data = json.loads(record.raw)
            data[self.job.text_field] = outcome.fixed
            data[io.CODES_COLUMN] = sorted(set(outcome.codes))
            self.data.write_row(data)

    def commit(self) -> dict:
        self.findings.commit()
        if self.data is not None:
            self.data.commit()
        self.stats["seconds"] = time.perf_counter() - self.started
        io.write_json_atomically(self.out / SHARDS / f"{self.piece.name}.json",
                                 {"piece": self.piece.to_dict(), "stats": self.stats})
        return self.stats

    def abort(self) -> None:
        self.findings.abort()
        if self.data is not None:
            self.data.abort()


def run_piece(worker: Worker, piece: io.Piece, out: Path, on_records: Callable[[int], None] | None = None,
              data: bytes | None = None) -> dict:
    """Read, check (or fix) and write one shard in this process (what a Ray actor does); `data`: its bytes when
    they were read already (`io.with_data`)."""
    job = worker.job
    sink = ShardSink(out, piece, job)
    try:
        for batch in io.read_piece(piece, job.text_field, job.id_field, all_columns=job.fix, data=data):
            sink.add(batch, worker.process(items_of(batch)))
            if on_records:
                on_records(len(batch.records))
        return sink.commit()
    except BaseException:
        sink.abort()
        raise


def gather_piece(worker: Worker, piece: io.Piece, data: bytes | None = None) -> Partial:
    partial = Partial()
    job = worker.job
    for batch in io.read_piece(piece, job.text_field, job.id_field, data=data):
        partial.extend(worker.gather(items_of(batch)))
    return partial.compact(worker.checker.engine.corpus_detectors)


# --- the output folder ------------------------------------------------------------------------------------------------
def prepare_output(out: Path, job: Job, pieces: list[io.Piece], inputs: list[str]) -> None:
    """Create the output folder, or check that it holds shards of this same job (a resumed run)."""
    import os

    identity = dict(job.identity(), inputs=[
        {"path": os.path.abspath(p), "size": os.stat(p).st_size, "mtime_ns": os.stat(p).st_mtime_ns} for p in inputs],
        shards=[piece.to_dict() for piece in pieces])
    job_file = out / JOB_FILE
    if job_file.exists():
        try:
            previous = json.loads(job_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            previous = None
        if previous != json.loads(json.dumps(identity)):
            raise io.DatasetError(
                f"{out}: holds the output of another run (other inputs, settings or command); "
                "give a new output folder, or delete this one")
    elif out.exists() and any(out.iterdir()):
        raise io.DatasetError(f"{out}: not empty and not a repair dataset output; give a new or empty folder")
    for sub in (FINDINGS, SHARDS) + ((DATA,) if job.fix else ()):
        (out / sub).mkdir(parents=True, exist_ok=True)
    if not job_file.exists():
        io.write_json_atomically(job_file, identity)


def finished(out: Path, piece: io.Piece) -> dict | None:
    """The counts of a shard already written, or None."""
    try:
        marker = json.loads((out / SHARDS / f"{piece.name}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return marker["stats"] if marker.get("piece") == piece.to_dict() else None


def load_corpus(out: Path) -> tuple[bool, object]:
    from repair.cache import loads_data

    try:
        return True, loads_data((out / CORPUS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False, None


def save_corpus(out: Path, corpus: object) -> None:
    from repair.cache import dumps_data

    try:
        text = dumps_data(corpus)
    except TypeError:
        return
    temporary = out / f".{CORPUS_FILE}.tmp"
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(out / CORPUS_FILE)


def summarize(out: Path, pieces: list[io.Piece], job: Job, run: dict) -> dict:
    """The run's summary from every shard's marker (shards of an earlier, interrupted run included)."""
    total = new_stats()
    for piece in pieces:
        stats = finished(out, piece) or {}
        for key, value in stats.items():
            if isinstance(total.get(key), Counter):
                total[key].update(value)
            elif key in ("error_examples", "notices"):
                total[key] += [v for v in value if v not in total[key]][:20 - len(total[key])]
            elif key in total:
                total[key] += value
    summary = {
        "command": "fix" if job.fix else "check",
        "records": total["records"], "words": total["words"], "findings": total["findings"],
        "by_category": dict(sorted(total["by_category"].items())),
        "by_rule": dict(sorted(total["by_code"].items())),
        "by_severity": dict(sorted(total["by_severity"].items())),
        "fixable": total["fixable"], "errors": total["errors"], "error_examples": total["error_examples"],
        "notices": total["notices"],
        "cached": total["cached"], "languagetool_skipped": total["languagetool_skipped"],
        "shards": len(pieces),
        **run,
    }
    if job.fix:
        summary.update(changed=total["changed"], edits=total["edits"],
                       edits_by_rule=dict(sorted(total["edits_by_code"].items())))
    return summary
