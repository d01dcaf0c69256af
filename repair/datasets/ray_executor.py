"""The Ray executor: the shards go through Ray Data (a streaming dataset of shard descriptions, mapped by a pool
of actors, one per worker, each with one Checker built once). An actor reads its shard itself, checks it and
writes its outputs under the names the plan gave them, then the shard's marker. Ray retries a task whose worker
died (the actor is restarted): the retried shard overwrites its own outputs, so every record is written exactly
once.

Corpus-wide checks: map (each shard's gathered data, combined in the actor), reduce (the driver combines the
shards' partials in plan order and finishes the total, as a one-machine run does with files' shares), map (the
check, with the finished data shipped once through the object store).

LanguageTool: one warm server per node, started and kept by an actor pinned to that node; every worker on the
node talks to it (its URL goes to the workers of that node), never one server per task.

`--ray-address` joins an existing cluster (the inputs and the output folder must be paths every node sees, and
repair installed on every node); without it a local cluster with one CPU per worker is started for the run.
"""

from __future__ import annotations

import json
import logging
import pickle
from pathlib import Path
from typing import Callable

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
        ray.init(num_cpus=max(1, workers), **options)
    return True


class _Shards:
    """Ray Data UDF: checks (or fixes) whole shards. One instance per actor: the Checker is built once."""

    def __init__(self, job: Job, corpus, out: str, languagetool_urls: dict | None = None):
        import ray

        if isinstance(corpus, ray.ObjectRef):
            corpus = ray.get(corpus)
        url = None
        if languagetool_urls:
            url = languagetool_urls.get(ray.get_runtime_context().get_node_id())
        self.worker = Worker(job, corpus, languagetool_url=url)
        self.out = Path(out)

    def __call__(self, batch: dict) -> dict:
        stats = []
        for text in batch["piece"]:
            piece = io.Piece.from_dict(json.loads(text))
            result = run_piece(self.worker, piece, self.out)
            stats.append(json.dumps({"index": piece.index, "records": result["records"]}))
        return {"done": stats}


class _Gather:
    """Ray Data UDF: the corpus-wide data of whole shards."""

    def __init__(self, job: Job):
        self.worker = Worker(job)

    def __call__(self, batch: dict) -> dict:
        indexes, partials = [], []
        for text in batch["piece"]:
            piece = io.Piece.from_dict(json.loads(text))
            indexes.append(piece.index)
            partials.append(pickle.dumps(gather_piece(self.worker, piece)))
        return {"index": indexes, "partial": partials}


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
        self._urls: dict | None = None
        import ray.data

        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False
        context.print_on_execution_start = False
        context.verbose_stats_logs = False
        logging.getLogger("ray").setLevel(logging.WARNING)
        logging.getLogger("ray.data").setLevel(logging.ERROR)  # "progress bars disabled": ours is shown instead

    def _dataset(self, pieces: list[io.Piece]):
        import ray.data

        rows = [{"piece": json.dumps(piece.to_dict())} for piece in pieces]
        return ray.data.from_items(rows, override_num_blocks=max(1, len(rows)))

    def _actors(self) -> dict:
        import ray.data

        # one shard at a time per actor: a slow or killed actor holds up only its own shard
        pool = ray.data.ActorPoolStrategy(size=self.workers, max_tasks_in_flight_per_actor=1)
        # Ray Data restarts a dead actor and retries its shard (max_restarts and max_task_retries are -1 for
        # actor pools): a killed worker costs the shard it held, which is written again whole
        return dict(batch_size=1, compute=pool, num_cpus=1)

    def gather(self, pieces: list[io.Piece], on_records: Callable[[int], None] | None = None) -> Partial:
        partials: dict[int, Partial] = {}
        dataset = self._dataset(pieces).map_batches(_Gather, fn_constructor_kwargs={"job": self.job},
                                                   **self._actors())
        counts = {piece.index: piece.count for piece in pieces}
        for row in dataset.iter_rows():
            partial = pickle.loads(row["partial"])
            partials[row["index"]] = partial
            if on_records:
                on_records(counts.get(row["index"]) or partial.records)
        total = Partial()
        for piece in pieces:  # the reduce: in plan order, whatever order the shards finished in
            total.extend(partials[piece.index])
        return total

    def check(self, pieces: list[io.Piece], corpus: object, out: Path,
              on_records: Callable[[int], None] | None = None) -> None:
        import ray

        if not pieces:
            return
        corpus_ref = ray.put(corpus)
        kwargs = {"job": self.job, "corpus": corpus_ref, "out": str(out), "languagetool_urls": self._languagetool()}
        dataset = self._dataset(pieces).map_batches(_Shards, fn_constructor_kwargs=kwargs, **self._actors())
        for row in dataset.iter_rows():
            if on_records:
                on_records(json.loads(row["done"])["records"])

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
        self._urls = urls
        return urls

    def close(self) -> None:
        import ray

        self._nodes = []
        if self.started and ray.is_initialized():
            ray.shutdown()


def _local_cpus() -> int:
    import os

    return os.cpu_count() or 1
