"""A function over many items, shared between this process and worker processes, the results in the items' order.

This process takes the items one at a time, the workers take chunks of them (a pool's `submit`), and whoever is
free takes the next: a run of `--jobs 2` is this process and one worker, so no process only waits and hands
results on while two others work (three processes on two cores), and nothing is handed back for this process's
share. Chunks shrink as the items run out (a chunk is at most a share of what is left), so the two finish
together; each worker has at most `AHEAD` chunks given and not finished, so the last of them are small.
"""

from __future__ import annotations

import sys
from collections import deque
from typing import Any, Callable, Iterator

#: chunks a worker has been given and not finished: one it works on, one waiting, so it never waits for this
#: process (busy with an item of its own) to hand it the next
AHEAD = 2
#: the most items in one chunk (a chunk's results travel back together)
CHUNK = 64
#: a chunk is at most this share of the items left per process (guided scheduling: large chunks first, small last)
SHARE = 4
#: seconds this process's thread runs on before a pool's thread that waits for the GIL gets it (Python's default
#: 5 ms: a worker's next chunk and its results wait on the pool's threads, which wait on this busy process)
SWITCH_INTERVAL = 0.0005


def chunk_size(left: int, processes: int) -> int:
    """The size of the next chunk when `left` items are not yet given out to `processes` processes."""
    return max(1, min(CHUNK, left // (processes * SHARE)))


def each(function: Callable[[Any], Any], items: list) -> list:
    """What a worker runs for a chunk (a module-level function: a pool pickles it by name)."""
    return [function(item) for item in items]


def shared(pool: Any, workers: int, function: Callable[[Any], Any], items: list,
           sent: Callable[[Any], Any] | None = None, unpack: Callable[[Any], Any] | None = None) -> Iterator[Any]:
    """function(item) for every item, in order: here, or in `pool`'s `workers` worker processes, where `sent`
    runs instead (function when None) and `unpack` turns what it hands back into function's result."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(min(interval, SWITCH_INTERVAL))
    try:
        yield from _shared(pool, workers, function, items, sent or function, unpack)
    finally:
        sys.setswitchinterval(interval)


def _shared(pool: Any, workers: int, function: Callable[[Any], Any], items: list, sent: Callable[[Any], Any],
            unpack: Callable[[Any], Any] | None) -> Iterator[Any]:
    # in order: a chunk given to a worker (its future), or the results of items done here (a list)
    units: deque = deque()
    given = 0
    total = len(items)
    chunks = 0
    finished: list = []  # the chunks workers have finished (appended by the pool's thread: one atomic append)
    while given < total or units:
        # keep every worker supplied
        while given < total and chunks - len(finished) < workers * AHEAD:
            size = chunk_size(total - given, workers + 1)
            future = pool.submit(each, sent, items[given:given + size])
            future.add_done_callback(finished.append)
            units.append(future)
            given += size
            chunks += 1
        # hand on what is ready, in order
        while units and (isinstance(units[0], list) or units[0].done()):
            unit = units.popleft()
            if isinstance(unit, list):
                yield from unit
            elif unpack is None:
                yield from unit.result()
            else:
                for result in unit.result():
                    yield unpack(result)
        if given < total:  # the next item, here
            result = function(items[given])
            given += 1
            if units and isinstance(units[-1], list):
                units[-1].append(result)
            else:
                units.append([result])
        elif units:  # nothing left to give out: wait for the first chunk still in a worker
            units[0].result()
