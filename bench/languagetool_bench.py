"""Benchmark: LanguageTool alone against `repair check` with LanguageTool.

Same texts, same machine, same run:

1. LanguageTool alone: every document POSTed to the server's own /v2/check (one
   request per document, the same number of concurrent requests repair uses), on a
   freshly started server (cold) and again (warm).
2. `repair check --select LT` (LanguageTool rules only) as a subprocess:
   - warm: server already running, empty caches;
   - re-run: the unchanged corpus again (caches filled);
   - cold: no server running and empty caches (includes starting Java).
3. Peak memory: the Java server's peak RSS and repair's own peak RSS.

Texts: /work/shared/seeds/*.txt and the English documents of
/work/shared/eval/mqm_docs_dev.jsonl. Writes bench/results/languagetool.md.

    python bench/languagetool_bench.py [--limit N] [--workers N]
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
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from repair.languagetool import LANGUAGETOOL_VERSION, server  # noqa: E402

SEEDS = Path("/work/shared/seeds")
MQM_DOCS = Path("/work/shared/eval/mqm_docs_dev.jsonl")
RESULTS = ROOT / "bench" / "results" / "languagetool.md"


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


_MEASURE = r"""
import resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"{code} {elapsed} {peak}")
"""


def repair_check(corpus: Path, env: dict, extra: list[str]) -> tuple[int, float, int]:
    """Exit code, seconds, peak RSS (KiB) of the repair process tree's largest process."""
    command = [sys.executable, "-c", _MEASURE, sys.executable, "-m", "repair", "check", str(corpus),
               "--select", "LT", "--format", "json", *extra]
    out = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600).stdout.split()
    return int(out[0]), float(out[1]), int(out[2])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="Use only the first N documents.")
    parser.add_argument("--workers", type=int, default=max(2, min(8, os.cpu_count() or 2)),
                        help="Concurrent requests for LanguageTool alone (repair's default is the same).")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()

    texts = load_texts(args.limit)
    total_words = words(texts)
    work = Path(tempfile.mkdtemp(prefix="lt-bench-"))
    corpus = work / "corpus"
    corpus.mkdir()
    for name, text in texts:
        (corpus / name).write_text(text, encoding="utf-8")
    cache = work / "cache"
    env = {**os.environ, "REPAIR_CACHE_DIR": str(cache), "REPAIR_LANGUAGETOOL_IDLE_MINUTES": "10"}
    os.environ["REPAIR_CACHE_DIR"] = str(cache)
    print(f"{len(texts)} documents, {total_words} words; LanguageTool {LANGUAGETOOL_VERSION}; "
          f"{os.cpu_count()} cores; work dir {work}", flush=True)

    rows: list[tuple[str, float, str]] = []

    def row(label: str, seconds: float, note: str = "") -> None:
        rows.append((label, seconds, note))
        print(f"{label:<46} {seconds:8.2f} s {total_words / seconds:9.0f} words/s  {note}", flush=True)

    try:
        # 1. LanguageTool alone
        began = time.perf_counter()
        info = server.ensure_running(timeout=180, idle_minutes=10)
        row("LanguageTool server start (Java)", time.perf_counter() - began)
        row("LanguageTool alone, cold JVM", lt_alone(info.url, texts, args.workers))
        lt_warm = lt_alone(info.url, texts, args.workers)
        row("LanguageTool alone, warm", lt_warm)
        lt_peak = server.peak_memory_bytes(info.pid)

        # 2. repair on the same server: warm server, empty caches
        code, repair_warm, peak_warm = repair_check(corpus, env, ["--no-cache"])
        # --no-cache turns off repair's file cache; the LanguageTool paragraph cache is in
        # REPAIR_CACHE_DIR and still empty here, so every paragraph is sent.
        row("repair check --select LT, warm server", repair_warm, f"exit {code}")
        lt_peak = max(lt_peak or 0, server.peak_memory_bytes(info.pid) or 0)
        code, rerun, _ = repair_check(corpus, env, [])
        code2, rerun2, _ = repair_check(corpus, env, [])
        row("repair re-run, unchanged corpus (1st re-run)", rerun, f"exit {code}")
        row("repair re-run, unchanged corpus (2nd re-run)", rerun2, f"exit {code2}")
        code, rerun_lt_cache, _ = repair_check(corpus, env, ["--no-cache"])
        row("repair re-run, LanguageTool paragraph cache only", rerun_lt_cache, f"exit {code}")

        # 3. cold: no server, empty caches
        server.stop()
        shutil.rmtree(cache, ignore_errors=True)
        code, repair_cold, peak_cold = repair_check(corpus, env, ["--no-cache"])
        row("repair check --select LT, cold (starts Java)", repair_cold, f"exit {code}")
        info = server.status()
        if info is not None:
            lt_peak = max(lt_peak or 0, server.peak_memory_bytes(info.pid) or 0)
    finally:
        server.stop()

    overhead = (repair_warm - lt_warm) / lt_warm * 100
    speedup = repair_warm / rerun
    lines = [
        "# LanguageTool benchmark",
        "",
        f"`python bench/languagetool_bench.py` on {time.strftime('%Y-%m-%d')}: {len(texts)} English documents "
        f"(seed articles + mqm_docs_dev), {total_words} words, LanguageTool {LANGUAGETOOL_VERSION}, "
        f"{os.cpu_count()} cores, {args.workers} concurrent requests.",
        "",
        "| run | seconds | words/s | note |",
        "| --- | ---: | ---: | --- |",
    ]
    lines += [f"| {label} | {seconds:.2f} | {total_words / seconds:.0f} | {note} |" for label, seconds, note in rows]
    lines += [
        "",
        f"- repair's overhead on top of LanguageTool (warm server, nothing cached): **{overhead:+.1f}%** (target < 10%)",
        f"- re-run of the unchanged corpus: **{speedup:.0f}x** faster than the first run (target >= 20x)",
        f"- re-run served by the LanguageTool paragraph cache alone (`--no-cache`): "
        f"{repair_warm / rerun_lt_cache:.0f}x faster",
        f"- peak memory: LanguageTool server {((lt_peak or 0) / 1_048_576):.0f} MB; "
        f"repair process {max(peak_warm, peak_cold) / 1024:.0f} MB",
        "",
        "LanguageTool alone = one POST per document to its own /v2/check, same concurrency. "
        "repair = `repair check DIR --select LT --format json` as a subprocess (Python start-up, reading files, "
        "paragraph splitting, caching and mapping included).",
    ]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines[-8:]))
    print(f"written {args.output}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
