"""repair.parallel: a function over items shared between this process and real worker processes, in order."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor

import pytest

from repair.parallel import CHUNK, chunk_size, shared


def square_here(number: int) -> tuple[int, int]:
    """The item's square and the process that computed it."""
    return number * number, os.getpid()


def square_packed(number: int) -> str:
    """What a worker hands back for square_here: packed (as the runner's workers pack findings into rows)."""
    return f"{number * number} {os.getpid()}"


def unpacked(packed: str) -> tuple[int, int]:
    square, pid = packed.split()
    return int(square), int(pid)


def fails_on_seven(number: int) -> int:
    if number == 7:
        raise ValueError("seven")
    return number


def test_results_come_in_order_and_both_processes_take_items():
    items = list(range(300))
    with ProcessPoolExecutor(1) as pool:
        results = list(shared(pool, 1, square_here, items, square_packed, unpacked))
    assert [square for square, _ in results] == [n * n for n in items]
    workers = {pid for _, pid in results}
    assert os.getpid() in workers and len(workers) == 2  # this process and the worker each took a share


def test_two_workers_and_this_process_give_the_same_order():
    items = list(range(500))
    with ProcessPoolExecutor(2) as pool:
        results = list(shared(pool, 2, square_here, items))
    assert [square for square, _ in results] == [n * n for n in items]
    assert os.getpid() in {pid for _, pid in results} and len({pid for _, pid in results}) >= 2


def test_an_item_that_fails_fails_the_run_wherever_it_ran():
    with ProcessPoolExecutor(1) as pool, pytest.raises(ValueError, match="seven"):
        list(shared(pool, 1, fails_on_seven, list(range(40))))


@pytest.mark.parametrize("left", [0, 1, 7, 100, 1_000, 100_000])
def test_chunks_shrink_as_the_items_run_out(left):
    size = chunk_size(left, 2)
    assert 1 <= size <= CHUNK
    assert size == 1 or size * 2 * 4 <= left  # at most a quarter of each process's share of what is left


_WARM_UP = """
import sys
from pathlib import Path
from repair.config import Settings
from repair.document import Document
from repair.engine import Engine
engine = Engine(Settings(languagetool=False))
if sys.argv[1] == "warm":
    engine.expect_many()
before = set(sys.modules)
for path in sorted(Path("corpus").rglob("*.txt")):
    engine.check(Document.from_bytes(str(path), path.read_bytes()))
print(" ".join(sorted(set(sys.modules) - before)))
"""


@pytest.mark.parametrize("warm", [False, True])
def test_the_warm_up_before_the_fork_loads_what_checking_documents_loads(warm):
    """Engine.expect_many (called before worker processes are forked) checks the rules' examples: the modules
    the detectors import on their first documents (ftfy, the packs' automaton, the loan words, numpy...) are then
    imported already, and a forked worker inherits them instead of importing them again; without it, checking
    the corpus's documents imports them."""
    from conftest import ROOT, run_repair

    done = run_repair("warm" if warm else "cold", python_args=["-c", _WARM_UP], cwd=ROOT)
    assert done.code == 0, done.stderr
    imported = done.stdout.split()
    if warm:
        assert imported == []
    else:
        assert {"ftfy", "ahocorasick_rs", "repair.detectors.loans"} <= set(imported)


def test_a_long_run_in_one_process_expects_many_documents_without_the_fork_warm_up(tmp_path, monkeypatch):
    """--jobs 1 over many files: the detectors set up what pays over many documents (LNG001's numpy scoring) from
    the start; the warm-up on the rules' examples, only of use to forked workers, is not run."""
    from repair import runner as runner_module
    from repair.config import Settings
    from repair.engine import Engine
    from repair.runner import RunOptions, Runner

    calls = []
    monkeypatch.setattr(Engine, "expect_many", lambda self, warm_up=True: calls.append(warm_up))
    monkeypatch.setattr(runner_module, "LONG_RUN", 5)
    paths = []
    for number in range(6):
        path = tmp_path / f"f{number}.txt"
        path.write_text(f"The council met on day {number}.\n", encoding="utf-8")
        paths.append(str(path))
    settings = Settings(languagetool=False)
    Runner(settings, RunOptions(use_cache=False, jobs=1)).run(paths[:4])
    assert calls == []
    Runner(settings, RunOptions(use_cache=False, jobs=1)).run(paths)
    assert calls and set(calls) == {False}  # (the gather pass and the check pass each say so)
