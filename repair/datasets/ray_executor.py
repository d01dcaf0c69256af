"""The Ray executor: a pool of Ray actors, one per worker (one per CPU of the cluster), each with one Checker built
once for the run. The driver hands out shard descriptions, one at a time per actor, to whichever actor is free
(`ray.wait`); an actor reads its shard itself (a compressed JSONL shard: its bytes come with it, read by the
driver as one stream), checks it and writes its outputs under the names the plan gave them, then the shard's
marker. A killed actor is restarted by Ray and its shard sent again (max_restarts, max_task_retries): the retried
shard overwrites its own outputs, so every record is written exactly once.

Why actors and not Ray Data's map_batches over the shard list: the same actors and the same retries, without
Ray Data's operators (its stats, autoscaling and locality actors and the driver's streaming executor cost 15 CPU
seconds on a 40,000-record run, a quarter of the run on 2 cores; see BENCHMARKS.md). Ray Data's readers are no
use here: each shard is read by the actor that checks it, from a path every node sees.

Corpus-wide checks: map (each shard's gathered data, combined in the actor), reduce (the driver combines the
shards' partials in plan order and finishes the total, as a one-machine run does with files' shares), map (the
check, with the finished data shipped once through the object store).

LanguageTool: one warm server per node, started and kept by an actor pinned to that node; every worker on the
node talks to it (its URL goes to the workers of that node), never one server per task.

`--ray-address` joins an existing cluster (the inputs and the output folder must be paths every node sees, and
repair installed on every node); without it a local cluster with one CPU per worker is started for the run, its
workers at normal priority (Ray's default, nice 15, starves them on a machine with other work).
"""

from __future__ import annotations

import logging
import pickle
from pathlib import Path
from typing import Callable, Iterator

from repair.datasets import io
from repair.datasets.core import Job, Partial, Worker, gather_piece, run_piece


def _init_ray(address: str | None, workers: int) -> bool:
    """Connect to (or start) a cluster; True when this call started it."""
    import ray

    if ray.is_initialized():
        return False
    import os

    # Ray's C++ core logs a warning per actor pool at error level on the driver's stderr (constructor arguments
    # in the object store); the run's own errors come back as Python exceptions
    os.environ.setdefault("RAY_BACKEND_LOG_LEVEL", "fatal")
    options: dict = dict(include_dashboard=False, log_to_driver=False, logging_level=logging.WARNING,
                         configure_logging=True)
    if address:
        ray.init(address=address, **options)
    else:
        # Ray starts its workers at nice 15 (below its own daemons): on a machine with other work, a run's
        # workers then get a fraction of the CPU the local executor's get. A cluster started for the run is the
        # run's own: its workers run at the priority of the command that started it.
        os.environ.setdefault("RAY_worker_niceness", "0")
        ray.init(num_cpus=max(1, workers), **options)
    return True


class _Shards:
    """A Ray actor: reads, gathers or checks (or fixes) and writes whole shards with one Worker (one Checker),
    built once. The corpus-wide data comes with the first check (as a reference, fetched once)."""

    def __init__(self, job: Job, languagetool_urls: dict | None = None):
        import ray

        url = None
        if languagetool_urls:
            url = languagetool_urls.get(ray.get_runtime_context().get_node_id())
        self.worker = Worker(job, languagetool_url=url)
        self.corpus: str | None = None  # the object id of the corpus-wide data the engine has

    def gather(self, piece: dict, data: bytes | None) -> bytes:
        return pickle.dumps(gather_piece(self.worker, io.Piece.from_dict(piece), data))

    def check(self, piece: dict, data: bytes | None, out: str, corpus: list) -> int:
        """`corpus`: [a reference to the corpus-wide data, or None] (in a list, so that Ray does not fetch it
        for every shard)."""
        import ray

        reference = corpus[0]
        if reference is not None and reference.hex() != self.corpus:
            self.worker.checker.engine.with_corpus(ray.get(reference))
            self.corpus = reference.hex()
        return run_piece(self.worker, io.Piece.from_dict(piece), Path(out), data=data)["records"]


class _LanguageToolNode:
    """One per node: starts (or finds) the node's warm LanguageTool server, says where it listens, and keeps it
    from stopping idle while the run lasts (the workers talk to it by URL, which does not count as activity)."""

    def __init__(self) -> None:
        self._alive = False

    def url(self) -> str:
        from repair.languagetool import server
        from repair.languagetool.client import request_json

        info = server.ensure_running()
        try:  # a fresh JVM answers its first check slowly (it loads the language's rules): here, not in a worker
            request_json(info.url + "/v2/check", {"language": "en-US", "text": "This is a warm-up."}, 180)
        except Exception:
            pass
        if not self._alive:
            import threading

            self._alive = True
            threading.Thread(target=self._keep_warm, daemon=True).start()
        return info.url

    @staticmethod
    def _keep_warm() -> None:
        import time

        from repair.languagetool import server

        while True:
            time.sleep(30)
            server.touch_activity()


class RayExecutor:
    name = "ray"

    def __init__(self, job: Job, workers: int = 0, address: str | None = None):
        import ray

        self.job = job
        self.started = _init_ray(address, workers or _local_cpus())
        cpus = int(ray.cluster_resources().get("CPU", 1))
        self.workers = max(1, min(workers, cpus) if workers else cpus)
        self._nodes: list = []
        self._actors: list = []
        logging.getLogger("ray").setLevel(logging.WARNING)

    def _pool(self) -> list:
        """The actors, one per worker, started once for the run (gather and check): each builds its Checker once.
        A killed actor is restarted (its constructor runs again) and the shard it held is sent again
        (max_task_retries): the retried shard overwrites its own outputs, so it is written once."""
        if not self._actors:
            import ray

            actor = ray.remote(num_cpus=1, max_restarts=-1, max_task_retries=-1)(_Shards)
            urls = self._languagetool()
            self._actors = [actor.remote(self.job, urls) for _ in range(self.workers)]
        return self._actors

    def _map(self, method: str, pieces: list[io.Piece], *extra) -> Iterator[tuple[io.Piece, object]]:
        """(piece, the actors' result) as shards finish; one shard at a time per actor, so that a slow or killed
        actor holds up only its own shard and the shards left go to whichever actor is free."""
        import ray

        free = list(self._pool())
        queue = io.with_data(pieces)  # a compressed file's shards: their bytes, read here as one stream
        running: dict = {}
        while True:
            while free:
                following = next(queue, None)
                if following is None:
                    break
                piece, data = following
                actor = free.pop()
                running[getattr(actor, method).remote(piece.to_dict(), data, *extra)] = (piece, actor)
            if not running:
                return
            finished, _ = ray.wait(list(running), num_returns=1)
            for reference in finished:
                piece, actor = running.pop(reference)
                free.append(actor)
                yield piece, ray.get(reference)

    def gather(self, pieces: list[io.Piece], on_records: Callable[[int], None] | None = None) -> Partial:
        partials: dict[int, Partial] = {}
        for piece, blob in self._map("gather", pieces):
            partial = pickle.loads(blob)  # type: ignore[arg-type]
            partials[piece.index] = partial
            if on_records:
                on_records(piece.count or partial.records)
        total = Partial()
        for piece in pieces:  # the reduce: in plan order, whatever order the shards finished in
            total.extend(partials[piece.index])
        return total

    def check(self, pieces: list[io.Piece], corpus: object, out: Path,
              on_records: Callable[[int], None] | None = None) -> None:
        import ray

        if not pieces:
            return
        reference = ray.put(corpus) if corpus is not None else None
        for _, records in self._map("check", pieces, str(out), [reference]):
            if on_records:
                on_records(records)  # type: ignore[arg-type]

    def _languagetool(self) -> dict | None:
        """{node id: URL of its LanguageTool server} when LanguageTool is on and no server is given."""
        settings = self.job.settings
        if not settings.languagetool or settings.languagetool_url:
            return None
        from repair.engine import Engine

        if "languagetool" not in Engine(settings).services:
            return None
        import ray
        from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

        actor = ray.remote(num_cpus=0)(_LanguageToolNode)
        nodes = [node["NodeID"] for node in ray.nodes() if node.get("Alive")]
        self._nodes = [actor.options(scheduling_strategy=NodeAffinitySchedulingStrategy(node, soft=False),
                                     max_restarts=-1).remote() for node in nodes]
        urls = {}
        for node, handle in zip(nodes, self._nodes):
            try:
                urls[node] = ray.get(handle.url.remote())
            except Exception:  # that node's workers start their own (the detector's notice says why if it fails)
                pass
        return urls

    def close(self) -> None:
        import ray

        self._nodes = []
        self._actors = []  # their last handles: Ray stops them (on a cluster the run joined, too)
        if self.started and ray.is_initialized():
            ray.shutdown()


def _local_cpus() -> int:
    import os

    return os.cpu_count() or 1
