"""The local executor: worker processes, one per core, each with its own Checker. With enough shards, each worker
reads, checks and writes whole shards (as Ray's actors do; a compressed file's shards come with their bytes, read
here as one stream); with fewer (a file of less than two shards per worker), this process reads the shards and
writes their outputs and the workers check batches of records. At most a few tasks per
worker are in flight, so memory stays flat however large the input."""

from __future__ import annotations

from collections import deque
from pathlib import Path
from typing import Callable, Iterator

from repair.datasets import io
from repair.datasets.core import Job, Outcome, Partial, ShardSink, Worker, gather_piece, items_of, run_piece

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


def _run_shard(task) -> dict:
    """A whole shard in a worker: read, check, write (as a Ray actor does)."""
    assert _WORKER is not None
    piece, data, out = task
    return run_piece(_WORKER, piece, out, data=data)


def _gather_shard(task) -> Partial:
    assert _WORKER is not None
    piece, data = task
    return gather_piece(_WORKER, piece, data)


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

        window = self.workers * 2  # tasks in flight: enough to keep every worker busy, never the whole input
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

    def _by_shard(self, pieces: list[io.Piece]) -> bool:
        """Whole shards to the workers when there are enough of them to keep every worker busy: this process
        then only hands them out (no records pass through it, but a compressed file's bytes). Else batches of
        records (a small file of one shard still uses every core)."""
        return self.workers > 1 and len(pieces) >= 2 * self.workers

    def _unordered(self, function, corpus: object, tasks: Iterator) -> Iterator:
        """(payload, function(argument)) as they finish; at most two tasks per worker submitted at a time (tasks
        are (payload, argument) pairs, consumed lazily)."""
        from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
        import multiprocessing

        context = multiprocessing.get_context("forkserver") if _threads_running() else None
        with ProcessPoolExecutor(self.workers, mp_context=context, initializer=_init,
                                 initargs=(self.job, corpus)) as pool:
            queue = iter(tasks)
            running: dict = {}
            try:
                for payload, argument in queue:
                    running[pool.submit(function, argument)] = payload
                    if len(running) >= self.workers * 2:
                        break
                while running:
                    finished, _ = wait(running, return_when=FIRST_COMPLETED)
                    for future in finished:
                        payload = running.pop(future)
                        yield payload, future.result()
                        following = next(queue, None)
                        if following is not None:
                            running[pool.submit(function, following[1])] = following[0]
            except BaseException:
                for future in running:
                    future.cancel()
                raise

    def gather(self, pieces: list[io.Piece], on_records: Callable[[int], None] | None = None) -> Partial:
        job = self.job
        total = Partial()
        if self._by_shard(pieces):
            partials = {}
            tasks = ((piece, (piece, data)) for piece, data in io.with_data(pieces))
            for piece, partial in self._unordered(_gather_shard, None, tasks):
                partials[piece.index] = partial
                if on_records:
                    on_records(piece.count or partial.records)
            for piece in pieces:  # the reduce, in plan order
                total.extend(partials[piece.index])
            return total

        def tasks():
            for piece, data in io.with_data(pieces):
                for batch in io.read_piece(piece, job.text_field, job.id_field, data=data):
                    yield len(batch.records), items_of(batch)

        for count, partial in self._map(_gather, None, tasks()):
            total.extend(partial)
            if on_records:
                on_records(count)
        return total

    def check(self, pieces: list[io.Piece], corpus: object, out: Path,
              on_records: Callable[[int], None] | None = None) -> None:
        job = self.job
        if self._by_shard(pieces):
            tasks = ((piece, (piece, data, out)) for piece, data in io.with_data(pieces))
            for piece, stats in self._unordered(_run_shard, corpus, tasks):
                if on_records:
                    on_records(stats["records"])
            return
        sinks: dict[int, ShardSink] = {}

        def tasks():
            for piece, data in io.with_data(pieces):
                sinks[piece.index] = ShardSink(out, piece, job)
                batches = io.read_piece(piece, job.text_field, job.id_field, all_columns=job.fix, data=data)
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
