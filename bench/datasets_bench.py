"""Dataset throughput: the local executor and Ray at 1 and 2 workers on the same JSONL dataset in the same run,
Ray's overhead, and peak memory on a JSONL file larger than the memory the run may use.

    python bench/datasets_bench.py            # 40,000 records (built from corpus/ and ../shared/eval), a 400 MB file
    python bench/datasets_bench.py --quick    # 10,000 records, a 320 MB file

Every figure is a real command line in a fresh process: `repair check DATA --no-languagetool --no-cache -q -o
OUT --jobs N [--executor ray]`. "wall" is the whole command (Ray: starting the local cluster included); "run" is
the time inside the run (gathering corpus-wide data and checking, from out/summary.json), without start-up;
"CPU s" is user + system time of every process of the command (Ray's daemons and actors included: the process
tree is sampled every 0.1 s). The four configurations run interleaved, once per repetition, so that a change in
the machine's load hits them alike; the best repetition (by run time) is shown, and the least CPU time.
Writes bench/results/datasets.md and .json, and the table in BENCHMARKS.md between the datasets markers.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import datasets_build  # noqa: E402

OPTIONS = ["--no-languagetool", "--no-cache", "-q"]


def _load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


_WRAPPER = """
import json, resource, subprocess, sys, time
import psutil
child = subprocess.Popen(sys.argv[1:])
root = psutil.Process(child.pid)
seen = {}  # (pid, start time) -> its last user + system time: Ray's actors are not this process's descendants'
# children by the time they end (the raylet's), so the tree is sampled rather than read from RUSAGE_CHILDREN
series = []  # (clock time, CPU time of the tree so far)
while child.poll() is None:
    try:
        tree = [root] + root.children(recursive=True)
    except psutil.Error:
        tree = []
    for process in tree:
        try:
            times = process.cpu_times()
            seen[(process.pid, process.create_time())] = times.user + times.system
        except psutil.Error:
            pass
    series.append((time.time(), sum(seen.values())))
    time.sleep(0.1)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"maxrss_kb": usage.ru_maxrss, "cpu": max(sum(seen.values()), usage.ru_utime + usage.ru_stime),
                  "series": series}), file=sys.stderr)
sys.exit(child.returncode)
"""


def run_once(data: Path, executor: str, workers: int, extra=(), limit_bytes: int | None = None) -> dict:
    out = Path(tempfile.mkdtemp(prefix="repair-bench-"))
    shutil.rmtree(out)
    # a small parent per run, so that the peak resident set is that of this run's processes only
    command = [sys.executable, "-c", _WRAPPER, sys.executable, "-m", "repair", "check", str(data), *OPTIONS,
               "-o", str(out), "--jobs", str(workers), "--executor", executor, *extra]

    def limit():
        if limit_bytes:
            resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))

    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, preexec_fn=limit,
                          env={**os.environ, "RAY_BACKEND_LOG_LEVEL": "fatal"})
    wall = time.perf_counter() - started
    usage = json.loads(done.stderr.decode().strip().splitlines()[-1])
    if done.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.decode()[-2000:]}")
    summary = json.loads((out / "summary.json").read_text())
    run = summary["check_seconds"] + summary["gather_seconds"]
    # the CPU time of the command's processes while the run lasted (from its start to the last shard's marker):
    # what the run costs on a machine of its own, without the start-up (Python imports, Ray's cluster)
    ended = max(path.stat().st_mtime for path in (out / "_shards").iterdir())
    in_run = _cpu_at(usage["series"], ended) - _cpu_at(usage["series"], ended - run)
    shutil.rmtree(out, ignore_errors=True)
    return {"executor": executor, "workers": workers, "wall": wall, "run": run, "records": summary["records"],
            "words": summary["words"], "findings": summary["findings"],
            "peak_rss_mb": usage["maxrss_kb"] / 1024, "cpu": usage["cpu"], "cpu_run": in_run}


def _cpu_at(series: list, moment: float) -> float:
    """The process tree's CPU time at a moment, from the samples (the first sample after it: it is cumulative)."""
    for clock, cpu in series:
        if clock >= moment:
            return cpu
    return series[-1][1] if series else 0.0


CONFIGURATIONS = (("local", 1), ("ray", 1), ("local", 2), ("ray", 2))


def throughput(data: Path, repeats: int) -> tuple[list[dict], list[dict]]:
    """The best run of each configuration (its least CPU time over the repetitions), and every run."""
    runs = []
    for repeat in range(repeats):
        for executor, workers in CONFIGURATIONS:  # interleaved: each repetition runs all four in turn
            result = run_once(data, executor, workers)
            result.update(repeat=repeat, load=_load())
            runs.append(result)
            print(f"  {executor} x{workers}: wall {result['wall']:.1f} s, run {result['run']:.1f} s, "
                  f"CPU {result['cpu']:.1f} s (in the run {result['cpu_run']:.1f} s), load {_load()}", file=sys.stderr)
    rows = []
    for executor, workers in CONFIGURATIONS:
        mine = [r for r in runs if r["executor"] == executor and r["workers"] == workers]
        best = dict(min(mine, key=lambda r: r["run"]))
        best["cpu"] = min(r["cpu"] for r in mine)
        best["cpu_run"] = min(r["cpu_run"] for r in mine)
        rows.append(best)
    return rows, runs


def memory(folder: Path, megabytes: int) -> dict:
    """A JSONL file larger than the address space the run may use (RLIMIT_AS on every process of the run)."""
    path = folder / "large.jsonl"
    rows = datasets_build.records(2000)
    # article-sized records (about 12 KB: 50 of the built records each), as a crawl's pages are
    texts = ["\n\n".join(r["text"] for r in rows[i:i + 50]) for i in range(0, len(rows), 50)]
    size = 0
    with open(path, "w", encoding="utf-8") as handle:
        copy = 0
        while size < megabytes * 1_000_000:
            for number, text in enumerate(texts):
                line = json.dumps({"id": f"{copy}.{number}", "text": text}, ensure_ascii=False) + "\n"
                handle.write(line)
                size += len(line.encode("utf-8"))
            copy += 1
    limit = int(max(300, megabytes * 0.5) * 1_000_000)  # less than the file (a Python process needs ~150 MB)
    result = run_once(path, "local", 2, extra=["--select", "ENC,MRK,DUP,SCR", "--shard-size", "50000"],
                      limit_bytes=limit)
    result.update(file_mb=path.stat().st_size / 1e6, limit_mb=limit / 1e6, select="ENC,MRK,DUP,SCR")
    path.unlink()
    return result


def table(rows: list[dict], mem: dict | None, dataset: dict) -> str:
    local = {r["workers"]: r for r in rows if r["executor"] == "local"}
    lines = [
        f"Dataset: {dataset['records']:,} records, {dataset['words']:,} words, {dataset['mb']:.1f} MB of JSONL "
        f"({dataset['source']}); all detectors but LanguageTool, `--no-cache`, best of {dataset['repeats']}.",
        "",
        "| executor | workers | wall s | records/s (wall) | words/s (wall) | run s | records/s (run) | words/s (run) "
        "| CPU s | CPU s in the run | vs local, same workers: wall / run / CPU / CPU in the run |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in sorted(rows, key=lambda r: (r["executor"], r["workers"])):
        base = local[r["workers"]]
        versus = "–" if r["executor"] == "local" else \
            " / ".join(f"{r[key] / base[key] - 1:+.0%}" for key in ("wall", "run", "cpu", "cpu_run"))
        lines.append(f"| {r['executor']} | {r['workers']} | {r['wall']:.1f} | {r['records'] / r['wall']:,.0f} | "
                     f"{r['words'] / r['wall']:,.0f} | {r['run']:.1f} | {r['records'] / r['run']:,.0f} | "
                     f"{r['words'] / r['run']:,.0f} | {r['cpu']:.1f} | {r['cpu_run']:.1f} | {versus} |")
    if mem:
        lines += ["", f"Peak memory: a {mem['file_mb']:,.0f} MB JSONL file checked (`--select {mem['select']}`, "
                      f"local, 2 workers) with every process of the run limited to {mem['limit_mb']:,.0f} MB of "
                      f"address space (RLIMIT_AS): completed in {mem['wall']:.0f} s, {mem['records']:,} records, "
                      f"{mem['words']:,} words; the largest resident set of one of its processes "
                      f"{mem['peak_rss_mb']:,.0f} MB."]
    lines += ["", "CPU s: user + system time of every process of the command, Ray's daemons and actors included "
                  "(the least over the repetitions: CPU time is what the load of other work changes least); "
                  "in the run: the same from the run's start to its last shard (start-up left out), what sets "
                  "the run's time on a machine of its own with every worker busy. "
                  f"Every run, in order: {dataset['runs_note']}."]
    lines += ["", f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {os.cpu_count()} cores, "
                  f"Python {sys.version.split()[0]}, load average {dataset['load_start']} at the start and "
                  f"{_load()} at the end, by `python bench/datasets_bench.py{' --quick' if dataset['quick'] else ''}`."]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--records", type=int)
    parser.add_argument("--repeats", type=int)
    parser.add_argument("--memory-mb", type=int)
    parser.add_argument("--no-memory", action="store_true")
    parser.add_argument("--reuse-memory", action="store_true",
                        help="take the memory figure from bench/results/datasets.json (measured by an earlier run)")
    parser.add_argument("--no-write", action="store_true", help="print the table; leave the results and BENCHMARKS.md")
    parser.add_argument("--eval-dir", type=Path, help="the eval set (default ../shared/eval next to the repository)")
    args = parser.parse_args()
    records = args.records or (10_000 if args.quick else 40_000)
    repeats = args.repeats or (1 if args.quick else 2)
    load_start = _load()
    if args.eval_dir:
        datasets_build.EVAL = args.eval_dir.resolve()
    folder = Path(tempfile.mkdtemp(prefix="repair-bench-data-"))
    try:
        base = datasets_build.records(2000)
        data = folder / "data.jsonl"
        datasets_build.write_jsonl(data, base, repeat=max(1, records // len(base)))
        count = len(base) * max(1, records // len(base))
        words = sum(len(r["text"].split()) for r in base) * max(1, records // len(base))
        dataset = {"records": count, "words": words, "mb": data.stat().st_size / 1e6, "repeats": repeats,
                   "source": "corpus/ and ../shared/eval" if datasets_build.eval_available() else "corpus/ only",
                   "load_start": load_start, "quick": args.quick}
        print(f"dataset: {count:,} records, {words:,} words", file=sys.stderr)
        rows, runs = throughput(data, repeats)
        dataset["runs_note"] = "; ".join(f"{r['executor']} x{r['workers']} run {r['run']:.1f} s CPU {r['cpu']:.1f} s ({r['cpu_run']:.1f} s in the run) "
                                         f"(load {r['load'].split('/')[0]})" for r in runs)
        if args.reuse_memory:
            mem = json.loads((HERE / "results" / "datasets.json").read_text(encoding="utf-8"))["memory"]
        else:
            mem = None if args.no_memory else memory(folder, args.memory_mb or (320 if args.quick else 400))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    text = table(rows, mem, dataset)
    print(text)
    if not args.no_write:
        results = HERE / "results"
        results.mkdir(exist_ok=True)
        (results / "datasets.md").write_text(text + "\n", encoding="utf-8")
        (results / "datasets.json").write_text(json.dumps({"dataset": dataset, "rows": rows, "runs": runs,
                                                           "memory": mem},
                                                          indent=1), encoding="utf-8")
        benchmarks = ROOT / "BENCHMARKS.md"
        content = benchmarks.read_text(encoding="utf-8")
        begin, end = "<!-- datasets:begin -->", "<!-- datasets:end -->"
        if begin in content and end in content:
            head, rest = content.split(begin, 1)
            _, tail = rest.split(end, 1)
            benchmarks.write_text(f"{head}{begin}\n{text}\n{end}{tail}", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
