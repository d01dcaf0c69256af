"""A dataset run: plan the shards, skip those an earlier run finished, gather corpus-wide data when a
corpus-wide check is selected, check (or fix) the rest on the chosen executor, summarise."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Callable

from repair.datasets import core, io

EXECUTORS = ("local", "ray")


def make_executor(name: str, job: core.Job, workers: int, ray_address: str | None):
    if name == "ray":
        try:
            from repair.datasets.ray_executor import RayExecutor
        except ImportError as error:  # pragma: no cover - the extra is not installed
            raise io.DatasetError(f"--executor ray needs Ray: pip install 'repair[ray]' ({error})") from error
        return RayExecutor(job, workers, ray_address)
    if name == "local":
        from repair.datasets.local import LocalExecutor

        return LocalExecutor(job, workers or os.cpu_count() or 1)
    raise io.DatasetError(f"unknown executor {name!r}: use {' or '.join(EXECUTORS)}")


def run(paths: list[str], job: core.Job, out: Path, *, executor: str = "local", workers: int = 0,
        ray_address: str | None = None, shard_records: int = io.SHARD_RECORDS,
        progress: Callable[[str, int | None], Callable[[int], None]] | None = None) -> dict:
    """Run a job over dataset files into the output folder; the summary (also written to summary.json).

    `progress(phase, total)` gives a callback that is told how many records were done."""
    from repair.engine import Engine

    started = time.perf_counter()
    engine = Engine(job.settings)  # the selection and rule packs are checked before any work starts
    corpus_detectors = engine.corpus_detectors
    engine.close()
    pieces = io.plan(paths, shard_records)
    core.prepare_output(out, job, pieces, paths)
    io.remove_temporaries(out)
    todo = [piece for piece in pieces if core.finished(out, piece) is None]
    known = [piece.count for piece in todo]
    total = sum(known) if all(c is not None for c in known) else None  # type: ignore[misc]
    if not todo:
        return _finish(out, pieces, job, executor, 0, 0, started, 0.0, 0.0)
    if workers <= 0 and executor == "local" and sum(os.stat(p).st_size for p in paths) < 512 * 1024:
        workers = 1  # starting worker processes costs more than a small dataset's checks
    runner = make_executor(executor, job, workers, ray_address)
    gather_seconds = 0.0
    try:
        corpus = None
        if corpus_detectors:
            found, corpus = core.load_corpus(out)
            if not found:
                began = time.perf_counter()
                callback = progress("gathering", sum(p.count or 0 for p in pieces) or None) if progress else None
                corpus = runner.gather(pieces, callback).finish(corpus_detectors)
                gather_seconds = time.perf_counter() - began
                core.save_corpus(out, corpus)
        began = time.perf_counter()
        runner.check(todo, corpus, out, progress("fixing" if job.fix else "checking", total) if progress else None)
        check_seconds = time.perf_counter() - began
        workers_used = getattr(runner, "workers", workers)
    finally:
        runner.close()
    io.remove_temporaries(out)
    return _finish(out, pieces, job, executor, len(todo), workers_used, started, gather_seconds, check_seconds)


def _finish(out: Path, pieces, job, executor: str, ran: int, workers: int, started: float,
            gather_seconds: float, check_seconds: float) -> dict:
    summary = core.summarize(out, pieces, job, {
        "executor": executor, "workers": workers, "shards_run": ran, "shards_resumed": len(pieces) - ran,
        "seconds": round(time.perf_counter() - started, 3), "gather_seconds": round(gather_seconds, 3),
        "check_seconds": round(check_seconds, 3)})
    io.write_json_atomically(out / core.SUMMARY_FILE, summary)
    return summary


def findings_files(out: Path, pieces_or_none=None) -> list[Path]:
    """The findings shards of an output folder, in plan order."""
    return sorted((out / core.FINDINGS).glob("part-*"))


def data_files(out: Path) -> list[Path]:
    return sorted((out / core.DATA).glob("part-*"))
