"""Benchmark: LanguageTool alone against `repair check` with LanguageTool.

Same texts, same machine, same run:

1. LanguageTool alone, two baselines, the same number of concurrent requests repair uses, on a freshly started
   server (cold) and again (warm):
   - naive: every document POSTed to the server's own /v2/check, one request per document;
   - batched: the documents' paragraphs joined into requests as repair joins them (make_batches: blank-line
     separated, up to BATCH_CHARS a request), so the two sides send LanguageTool the same amount of work.
2. `repair check --select LT` (LanguageTool rules only) as a subprocess, its wall time and its own CPU time
   (what repair adds: the server's work is in the server's process):
   - warm: server already running, empty caches;
   - re-run: the unchanged corpus again (result cache and paragraph cache filled);
   - paragraph cache only: a project folder without a result cache, the home's paragraph cache filled;
   - cold: no server running and empty caches (includes starting Java).
3. Peak memory: the Java server's peak RSS and repair's own peak RSS.

Texts: the seed articles in corpus/*.txt and the English documents of
../shared/eval/mqm_docs_dev.jsonl. Every repair run and server has a home folder of its own (REPAIR_HOME,
holding a link to the machine's word table). Writes bench/results/languagetool.md.

    python bench/languagetool_bench.py [--limit N] [--workers N]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from repair.languagetool import LANGUAGETOOL_VERSION, server  # noqa: E402

SEEDS = ROOT / "corpus"
MQM_DOCS = ROOT.parent / "shared" / "eval" / "mqm_docs_dev.jsonl"
RESULTS = ROOT / "bench" / "results" / "languagetool.md"


def home(folder: Path) -> str:
    """A repair home folder of its own (REPAIR_HOME) with a link to the machine's word table: building the table
    is not what is measured."""
    from repair.wordlists import lexicon

    table = lexicon().path
    lexicon().zipf("the", "en")  # builds the table if this machine has none yet
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / table.name).exists():
        (folder / table.name).symlink_to(table)
    return str(folder)


def peak_memory_bytes(pid: int) -> int | None:
    """A process's peak resident memory (Linux: VmHWM; elsewhere its resident memory now)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return server.memory_bytes(pid)


def load_texts(limit: int | None) -> list[tuple[str, str]]:
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    if MQM_DOCS.exists():
        for line in MQM_DOCS.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            if record.get("language") == "en":
                safe = "".join(ch if ch.isalnum() else "_" for ch in record["id"])[:80]
                texts.append((f"mqm_{safe}.txt", record["text"]))
    return texts[:limit] if limit else texts


def words(texts) -> int:
    return sum(len(text.split()) for _, text in texts)


def lt_alone(url: str, texts, workers: int) -> float:
    def check(text: str) -> None:
        data = urllib.parse.urlencode({"language": "en-US", "text": text}).encode()
        with urllib.request.urlopen(url + "/v2/check", data=data, timeout=600) as response:
            json.loads(response.read())

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(check, [text for _, text in sorted(texts, key=lambda t: -len(t[1]))]))
    return time.perf_counter() - began


def lt_batched(url: str, texts, workers: int) -> float:
    """The documents' paragraphs joined into requests as repair joins them, sent with `workers` at once."""
    from repair.detectors.languagetool import join_batch, make_batches, paragraphs

    todo = [(f"{name}:{start}", "en-US", text) for name, document in texts for start, text in paragraphs(document)]
    requests = [join_batch(members) for _, members in make_batches(todo, workers)]

    def check(text: str) -> None:
        data = urllib.parse.urlencode({"language": "en-US", "text": text}).encode()
        with urllib.request.urlopen(url + "/v2/check", data=data, timeout=600) as response:
            json.loads(response.read())

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(check, requests))
    return time.perf_counter() - began


_MEASURE = r"""
import resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
elapsed = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{code} {elapsed} {usage.ru_maxrss} {usage.ru_utime + usage.ru_stime}")
"""

def repair_check(corpus: Path, env: dict, extra: list[str], cwd: Path) -> tuple[int, float, int]:
    """Exit code, seconds, peak RSS (KiB) of the largest process of the `repair check` run; its CPU seconds
    (repair's processes, not the server's) in LAST_CPU."""
    global LAST_CPU  # noqa: PLW0603 (a script's last measurement)
    cwd.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-c", _MEASURE, sys.executable, "-m", "repair", "check", str(corpus),
               "--select", "LT", "--format", "json", *extra]
    done = subprocess.run(command, env={**env, "PYTHONPATH": str(ROOT)}, cwd=cwd, capture_output=True, text=True,
                          timeout=3600)
    out = done.stdout.split()
    if len(out) != 4:
        raise SystemExit(f"repair check failed: {done.stderr[-500:]}")
    LAST_CPU = float(out[3])
    return int(out[0]), float(out[1]), int(out[2])


LAST_CPU = 0.0  # CPU seconds of the last repair_check


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=60, help="Use only the first N documents (0: all; default 60).")
    parser.add_argument("--rounds", type=int, default=3,
                        help="Alternate LanguageTool alone and repair this many times; the best of each is compared.")
    parser.add_argument("--warmup", type=int, default=3, help="LanguageTool-alone passes before measuring.")
    parser.add_argument("--workers", type=int, default=max(2, min(8, os.cpu_count() or 2)),
                        help="Concurrent requests for LanguageTool alone (repair's default is the same).")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()

    texts = load_texts(args.limit or None)
    total_words = words(texts)
    work = Path(tempfile.mkdtemp(prefix="lt-bench-"))
    corpus = work / "corpus"
    corpus.mkdir()
    for name, text in texts:
        (corpus / name).write_text(text, encoding="utf-8")
    base_env = {k: v for k, v in os.environ.items() if k != "REPAIR_HOME"}
    os.environ["REPAIR_HOME"] = home(work / "server")  # the benchmark's own warm server
    print(f"{len(texts)} documents, {total_words} words; LanguageTool {LANGUAGETOOL_VERSION}; "
          f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}; work dir {work}", flush=True)

    rows: list[tuple[str, float, str]] = []
    load_before = os.getloadavg()[0]

    def row(label: str, seconds: float, note: str = "", cpu: float | None = None) -> None:
        if cpu is not None:
            note = f"{note}; repair's own CPU {cpu:.2f} s ({cpu / seconds:.0%} of the wall time)".lstrip("; ")
        rows.append((label, seconds, note))
        print(f"{label:<52} {seconds:8.2f} s {total_words / seconds:8.0f} words/s  {note}", flush=True)

    peaks: list[int] = []
    try:
        began = time.perf_counter()
        info = server.ensure_running(timeout=180, idle_minutes=10)
        row("LanguageTool server start (Java, until it answers)", time.perf_counter() - began)
        row("LanguageTool alone, first pass (cold JVM)", lt_alone(info.url, texts, args.workers))
        for warmup in range(2, args.warmup + 1):
            row(f"LanguageTool alone, pass {warmup} (JIT warming)", lt_alone(info.url, texts, args.workers))
        alone, batched, warm, cpus = [], [], [], []
        for round_ in range(1, args.rounds + 1):
            batched.append(lt_batched(info.url, texts, args.workers))
            row(f"LanguageTool alone, batched as repair batches, warm (round {round_})", batched[-1])
            alone.append(lt_alone(info.url, texts, args.workers))
            row(f"LanguageTool alone, one request per document, warm (round {round_})", alone[-1])
            # repair on the same warm server; its caches empty (fresh cache dir and project dir)
            env = {**base_env, "REPAIR_HOME": home(work / f"cache{round_}")}
            code, seconds, peak = repair_check(corpus, env, ["--languagetool-url", info.url], work / f"run{round_}")
            warm.append(seconds)
            cpus.append(LAST_CPU)
            peaks.append(peak)
            row(f"repair check --select LT, warm server (round {round_})", seconds, f"exit {code}", LAST_CPU)
        batched.append(lt_batched(info.url, texts, args.workers))  # brackets the last repair round
        row(f"LanguageTool alone, batched, warm (after round {args.rounds})", batched[-1])
        alone.append(lt_alone(info.url, texts, args.workers))
        row(f"LanguageTool alone, one request per document, warm (after round {args.rounds})", alone[-1])
        lt_peak = peak_memory_bytes(info.pid) or 0
        # re-runs of the unchanged corpus, caches as the last round left them
        env = {**base_env, "REPAIR_HOME": home(work / f"cache{args.rounds}")}
        code, rerun, _ = repair_check(corpus, env, ["--languagetool-url", info.url], work / f"run{args.rounds}")
        row("repair re-run, unchanged corpus", rerun, f"exit {code}", LAST_CPU)
        # the paragraph cache alone: a project folder with no result cache (.repair_cache), the same home
        # (--no-cache would turn the paragraph cache off too: that was a fresh run)
        code, rerun_lt, _ = repair_check(corpus, env, ["--languagetool-url", info.url],
                                         work / "run-paragraph-cache-only")
        row("repair re-run, LanguageTool paragraph cache only (no result cache)", rerun_lt, f"exit {code}", LAST_CPU)
        server.stop()

        # cold: no server for this home folder, empty caches: repair starts Java itself
        cold_home = home(work / "cold")
        env = {**base_env, "REPAIR_HOME": cold_home}
        code, cold, peak = repair_check(corpus, env, [], work / "runcold")
        peaks.append(peak)
        row("repair check --select LT, cold (starts Java)", cold, f"exit {code}", LAST_CPU)
        code, cold_rerun, _ = repair_check(corpus, env, [], work / "runcold")
        row("repair re-run after the cold run", cold_rerun, f"exit {code}", LAST_CPU)
        os.environ["REPAIR_HOME"] = cold_home
        cold_info = server.status()
        if cold_info is not None:
            lt_peak = max(lt_peak, peak_memory_bytes(cold_info.pid) or 0)
    finally:
        server.stop()
        os.environ["REPAIR_HOME"] = str(work / "server")
        server.stop()

    # each repair round against the mean of the LanguageTool-alone runs just before and after it,
    # so that JIT warming and other load drift out; the median over rounds
    ratios = sorted(warm[i] / ((alone[i] + alone[i + 1]) / 2) for i in range(args.rounds))
    overhead = (ratios[len(ratios) // 2] - 1) * 100
    batched_ratios = sorted(warm[i] / ((batched[i] + batched[i + 1]) / 2) for i in range(args.rounds))
    batched_overhead = (batched_ratios[len(batched_ratios) // 2] - 1) * 100
    best_alone, best_batched, best_repair = min(alone), min(batched), min(warm)
    own_cpu = sorted(cpus)[len(cpus) // 2]
    lines = [
        "# LanguageTool benchmark",
        "",
        f"`python bench/languagetool_bench.py --limit {args.limit} --rounds {args.rounds} --warmup {args.warmup}` on "
        f"{time.strftime('%Y-%m-%d %H:%M')}: {len(texts)} English documents (seed articles + mqm_docs_dev), "
        f"{total_words} words, LanguageTool {LANGUAGETOOL_VERSION}, {os.cpu_count()} cores, "
        f"{args.workers} concurrent requests for LanguageTool alone; load average {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after (the machine is shared: numbers move with its load).",
        "",
        "| run | seconds | words/s | note |",
        "| --- | ---: | ---: | --- |",
    ]
    lines += [f"| {label} | {seconds:.2f} | {total_words / seconds:.0f} | {note} |" for label, seconds, note in rows]
    lines += [
        "",
        f"- LanguageTool alone, warm (best of {len(alone)}): one request per document "
        f"{total_words / best_alone:.0f} words/s, batched as repair batches {total_words / best_batched:.0f} words/s; "
        f"repair with LanguageTool, warm server (best of {args.rounds}): {total_words / best_repair:.0f} words/s",
        f"- repair against the batched baseline (the same requests' worth of work): **{batched_overhead:+.1f}%** "
        f"(median over rounds against the batched runs either side; per round: "
        f"{', '.join(f'{(r - 1) * 100:+.0f}%' for r in batched_ratios)}; target < 10%)",
        f"- repair against the naive baseline (one request per document): {overhead:+.1f}% (per round: "
        f"{', '.join(f'{(r - 1) * 100:+.0f}%' for r in ratios)}; batching is part of what repair does)",
        f"- repair's own CPU on a warm server (median over rounds): {own_cpu:.2f} s, "
        f"{own_cpu / best_repair:.0%} of its wall time: the rest is LanguageTool's work in the server",
        f"- re-run of the unchanged corpus: **{best_repair / rerun:.0f}x** faster than the first run on a warm "
        f"server, {cold / cold_rerun:.0f}x faster than a cold first run (target >= 20x)",
        f"- re-run served by the LanguageTool paragraph cache alone (no result cache): "
        f"{best_repair / rerun_lt:.0f}x faster",
        f"- peak memory: LanguageTool server {lt_peak / 1_048_576:.0f} MB resident; "
        f"repair (largest process) {max(peaks) / 1024:.0f} MB",
        "",
        "LanguageTool alone = POSTs to its own /v2/check (language en-US): one per document (naive), or the "
        "paragraphs joined as repair joins them (batched). repair = "
        "`repair check DIR --select LT --format json` as a subprocess: Python start-up, reading files, splitting "
        "and batching paragraphs, caching and mapping included. Rounds alternate the two so that load from other "
        "processes on the machine hits both alike.",
    ]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines[-11:]))
    print(f"written {args.output}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
