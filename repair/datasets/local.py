"""The local executor: this process reads the shards and writes their outputs; worker processes (one per core,
each with its own Checker) check batches of records. At most a few batches per worker are in flight, so memory
stays flat however large the input."""

from __future__ import annotations

from collections import deque
from pathlib import Path
from typing import Callable, Iterator

from repair.datasets import io
from repair.datasets.core import Job, Outcome, Partial, ShardSink, Worker, items_of

_WORKER: Worker | None = None


def _init(job: Job, corpus: object) -> None:
    global _WORKER
    from multiprocessing.util import Finalize

    _WORKER = Worker(job, corpus)
    Finalize(_WORKER, _WORKER.close, exitpriority=10)


def _process(items) -> list[Outcome]:
    assert _WORKER is not None
    return _WORKER.process(items)


def _gather(items) -> Partial:
    assert _WORKER is not None
    return _WORKER.gather(items)


class LocalExecutor:
    name = "local"

    def __init__(self, job: Job, workers: int = 1):
        self.job = job
        self.workers = max(1, workers)

    def _map(self, function, corpus: object, tasks: Iterator) -> Iterator:
        """(task, function(items of task)) in order; tasks are (payload, items) pairs, consumed lazily."""
        global _WORKER
        if self.workers == 1:
            _WORKER = Worker(self.job, corpus)
            try:
                for payload, items in tasks:
                    yield payload, function(items)
            finally:
                _WORKER.close()
                _WORKER = None
            return
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        window = self.workers * 3  # batches in flight: enough to keep every worker busy, never the whole input
        context = multiprocessing.get_context("forkserver") if _threads_running() else None
        with ProcessPoolExecutor(self.workers, mp_context=context, initializer=_init,
                                 initargs=(self.job, corpus)) as pool:
            pending: deque = deque()
            try:
                for payload, items in tasks:
                    pending.append((payload, pool.submit(function, items)))
                    if len(pending) >= window:
                        payload, future = pending.popleft()
                        yield payload, future.result()
                while pending:
                    payload, future = pending.popleft()
                    yield payload, future.result()
            except BaseException:
                for _, future in pending:
                    future.cancel()
                raise

    def gather(self, pieces: list[io.Piece], on_records: Callable[[int], None] | None = None) -> Partial:
        job = self.job
        total = Partial()

        def tasks():
            for piece in pieces:
                for batch in io.read_piece(piece, job.text_field, job.id_field):
                    yield len(batch.records), items_of(batch)

        for count, partial in self._map(_gather, None, tasks()):
            total.extend(partial)
            if on_records:
                on_records(count)
        return total

    def check(self, pieces: list[io.Piece], corpus: object, out: Path,
              on_records: Callable[[int], None] | None = None) -> None:
        job = self.job
        sinks: dict[int, ShardSink] = {}

        def tasks():
            for piece in pieces:
                sinks[piece.index] = ShardSink(out, piece, job)
                batches = io.read_piece(piece, job.text_field, job.id_field, all_columns=job.fix)
                batch = next(batches, None)
                if batch is None:
                    yield (piece, io.Batch([]), True), []
                    continue
                for following in batches:
                    yield (piece, batch, False), items_of(batch)
                    batch = following
                yield (piece, batch, True), items_of(batch)

        try:
            for (piece, batch, last), outcomes in self._map(_process, corpus, tasks()):
                sink = sinks[piece.index]
                sink.add(batch, outcomes)
                if last:
                    sink.commit()
                    del sinks[piece.index]
                if on_records:
                    on_records(len(batch.records))
        finally:
            for sink in sinks.values():  # interrupted: what was begun is dropped, the next run does it again
                sink.abort()

    def close(self) -> None:
        pass


def _threads_running() -> bool:
    import threading

    return threading.active_count() > 1
