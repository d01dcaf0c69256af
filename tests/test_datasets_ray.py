"""`--executor ray` on a real local Ray cluster (2 CPUs, started by each run as a user's run starts it): the same
findings and fixed records as the local executor on >= 2,000 records built from corpus/ and ../shared/eval
(from the repository's files alone when the eval set is absent), corpus-wide consistency included; Parquet in
and out; a worker killed mid-run; the README's Ray and Dask examples."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from conftest import ROOT, run_repair

sys.path.insert(0, str(ROOT / "bench"))
import datasets_build  # noqa: E402

pytest.importorskip("ray")  # installed by `make install` (the ray extra): present in CI

pytestmark = pytest.mark.slow
# one publication: CON001 compares name spellings across records (corpus-wide gather -> reduce -> check)
OPTIONS = ("--no-languagetool", "--no-cache", "--source-language", "fr", "--one-publication")


def _write(path: Path, rows: list[dict]) -> Path:
    with open(path, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def _files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_the_builder_makes_2000_records_without_the_eval_set():
    rows = datasets_build.records(2000, use_eval=False)
    assert len(rows) == 2000 and all(r["source"].startswith(("repository", "cross")) for r in rows)
    if datasets_build.eval_available():
        rows = datasets_build.records(2000)
        sources = {r["source"].split("/")[0] for r in rows}
        assert {"eval", "repository"} <= sources


def test_ray_gives_the_local_findings_on_2000_records(tmp_path):
    """Ray reads the same records gzip-compressed: the driver reads the file as one stream and each actor gets
    its shard's bytes."""
    import gzip

    rows = datasets_build.records(2000)
    data = _write(tmp_path / "data.jsonl", rows)
    packed = tmp_path / "data.jsonl.gz"
    packed.write_bytes(gzip.compress(data.read_bytes()))
    local, ray = tmp_path / "local", tmp_path / "ray"
    done = run_repair("check", str(data), *OPTIONS, "-o", str(local), "-j", "2", "--shard-size", "250")
    assert done.code == 1, done.stderr
    done = run_repair("check", str(packed), *OPTIONS, "-o", str(ray), "-j", "2", "--shard-size", "250",
                      "--executor", "ray")
    assert done.code == 1, done.stderr
    assert "ray executor" in done.stderr
    local_files, ray_files = _files(local / "findings"), _files(ray / "findings")
    assert len(local_files) == 8 and local_files == ray_files
    findings = [json.loads(line) for blob in local_files.values() for line in blob.splitlines()]
    assert len(findings) > 300
    cross = [f for f in findings if f["code"] == "CON001" and str(f["id"]).startswith("cross/")]
    assert cross, "the corpus-wide check found the name spelled two ways in different records"
    summaries = [json.loads((folder / "summary.json").read_text()) for folder in (local, ray)]
    for key in ("records", "words", "findings", "by_rule", "by_category"):
        assert summaries[0][key] == summaries[1][key]
    assert summaries[1]["records"] == 2000 and summaries[1]["workers"] == 2


def test_ray_fixes_parquet_like_the_local_executor(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = datasets_build.records(600)
    table = pa.table({"id": [r["id"] for r in rows], "text": [r["text"] for r in rows],
                      "source": [r["source"] for r in rows]})
    data = tmp_path / "data.parquet"
    pq.write_table(table, data, row_group_size=100)
    outputs = {}
    for executor in ("local", "ray"):
        out = tmp_path / executor
        done = run_repair("fix", str(data), *OPTIONS, "-o", str(out), "--executor", executor, "-j", "2",
                          "--shard-size", "200")
        assert done.code in (0, 1), done.stderr
        outputs[executor] = out
    for sub in ("data", "findings"):
        names = sorted(p.name for p in (outputs["local"] / sub).iterdir())
        assert names == sorted(p.name for p in (outputs["ray"] / sub).iterdir()) and len(names) == 3
        for name in names:
            a = pq.read_table(outputs["local"] / sub / name) if name.endswith(".parquet") else None
            b = pq.read_table(outputs["ray"] / sub / name) if name.endswith(".parquet") else None
            if a is not None:
                assert a.equals(b), name
            else:
                assert (outputs["local"] / sub / name).read_bytes() == (outputs["ray"] / sub / name).read_bytes()
    fixed = pq.read_table(outputs["ray"] / "data").to_pylist()
    assert [r["id"] for r in fixed] == [r["id"] for r in rows]
    assert sum(1 for r in fixed if r["repair_codes"]) > 20


def _ray_workers(tag: str) -> list:
    import psutil

    found = []
    for process in psutil.process_iter(["cmdline"]):
        try:
            line = " ".join(process.info["cmdline"] or [])
            if "_Shards" in line and process.environ().get("REPAIR_TEST_TAG") == tag:
                found.append(process)
        except (psutil.Error, OSError):
            continue
    return found


def test_a_worker_killed_mid_run(tmp_path):
    """SIGKILL to a Ray worker while it checks a shard: Ray restarts it and retries the shard; the job
    completes and every record is in the output exactly once, as in a local run."""
    rows = datasets_build.records(2000)
    data = _write(tmp_path / "data.jsonl", rows)
    out, local = tmp_path / "ray", tmp_path / "local"
    assert run_repair("fix", str(data), *OPTIONS, "-o", str(local), "--shard-size", "50", "-j", "2").code in (0, 1)
    tag = uuid.uuid4().hex
    process = subprocess.Popen(
        [sys.executable, "-m", "repair", "fix", str(data), *OPTIONS, "-o", str(out), "--shard-size", "50",
         "-j", "2", "--executor", "ray"], cwd=ROOT, env={**os.environ, "REPAIR_TEST_TAG": tag},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    killed = None
    try:
        deadline = time.time() + 240
        while time.time() < deadline and process.poll() is None:
            done = len(list((out / "_shards").glob("*.json"))) if (out / "_shards").is_dir() else 0
            workers = _ray_workers(tag) if done >= 2 else []
            if workers:
                killed = done
                workers[0].send_signal(signal.SIGKILL)
                break
            time.sleep(0.02)
        stdout, stderr = process.communicate(timeout=300)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert killed is not None and killed < 40, "a worker was killed before the run ended"
    assert process.returncode in (0, 1), stderr.decode()
    fixed = [json.loads(line) for path in sorted((out / "data").iterdir()) for line in path.read_bytes().splitlines()]
    ids = [r["id"] for r in fixed]
    assert len(ids) == 2000 and len(set(ids)) == 2000 and ids == [r["id"] for r in rows]
    assert _files(out / "data") == _files(local / "data")
    assert _files(out / "findings") == _files(local / "findings")
    assert not [p for p in out.rglob(".*tmp*")], "no temporary file left"


def _readme_examples() -> dict[str, str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Corpus builders"):]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    return {name: next(b for b in blocks if marker in b) for name, marker in
            (("ray", "import ray"), ("dask", "import dask"))}


@pytest.mark.parametrize("name", ["ray", "dask"])
def test_readme_examples_run(tmp_path, name):
    """The README's Ray and Dask examples, as written, on a small dataset: the same findings as the CLI."""
    rows = [{"id": r["id"], "text": r["text"]} for r in datasets_build.records(200)]
    _write(tmp_path / "data.jsonl", rows)
    code = _readme_examples()[name]
    script = tmp_path / f"example_{name}.py"
    script.write_text(code + "\nimport json as _j\n\nif __name__ == '__main__':\n"
                      "    print(_j.dumps(sorted([(str(r['id']), r['code'], int(r['start'])) for r in findings])))\n",
                      encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, timeout=240,
                          env={**os.environ, "RAY_BACKEND_LOG_LEVEL": "fatal"})
    assert done.returncode == 0, done.stderr.decode()[-3000:]
    got = json.loads(done.stdout.decode().strip().splitlines()[-1])
    cli = run_repair("check", str(tmp_path / "data.jsonl"), "--no-languagetool", "--no-cache", "--format", "json",
                     "--source-language", "fr")
    expected = []
    for line in cli.stdout.splitlines():
        row = json.loads(line)
        if row["code"] != "CON001":  # the examples check records one by one: no corpus-wide data
            expected.append([str(row["id"]), row["code"], row["start"]])
    got = [g for g in got if g[1] != "CON001"]
    assert sorted(got) == sorted(expected) and len(expected) > 50


@pytest.mark.languagetool
def test_languagetool_one_server_per_node(tmp_path):
    """LanguageTool on: the run's node gets one warm server (started by its LanguageTool actor) that both workers
    use; the findings are those of the local executor on the same server. A private home folder: the user's
    warm server is not touched."""
    import psutil

    from repair import dirs
    from repair.languagetool import server

    if os.environ.get("REPAIR_SKIP_LANGUAGETOOL") == "1":
        pytest.skip("REPAIR_SKIP_LANGUAGETOOL=1")
    home = tmp_path / "home"
    home.mkdir()
    for table in dirs.home().glob("wordfreq-*.sqlite"):
        (home / table.name).symlink_to(table)
    env = {dirs.ENVIRONMENT_VARIABLE: str(home)}
    rows = [r for r in datasets_build.records(300) if len(r["text"]) < 2000][:120]
    data = _write(tmp_path / "data.jsonl", rows)

    def servers() -> set[int]:
        found = set()
        for process in psutil.process_iter():
            try:
                if server.SERVER_CLASS in process.cmdline() and Path(process.cwd()) == home:
                    found.add(process.pid)
            except psutil.Error:
                continue
        return found

    seen: set[int] = set()
    running = True

    def watch() -> None:  # every LanguageTool server of this home that runs during the Ray run
        while running:
            seen.update(servers())
            time.sleep(0.5)

    import threading

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        # a machine as loaded as CI's shared one: a request may take longer than the default 30 s
        ray = run_repair("check", str(data), "--no-cache", "--select", "LT", "-o", str(tmp_path / "ray"),
                         "--executor", "ray", "-j", "2", "--shard-size", "30", "--languagetool-timeout", "120",
                         env=env)
        running = False
        watcher.join()
        assert ray.code in (0, 1), ray.stderr
        assert len(seen) == 1, f"one LanguageTool server for the node, not one per worker: {seen}"
        local = run_repair("check", str(data), "--no-cache", "--select", "LT", "-o", str(tmp_path / "local"),
                           "-j", "2", "--shard-size", "30", "--languagetool-timeout", "120", env=env)
        assert local.code in (0, 1), local.stderr
        assert _files(tmp_path / "ray" / "findings") == _files(tmp_path / "local" / "findings")
        summary = json.loads((tmp_path / "ray" / "summary.json").read_text())
        assert summary["findings"] > 0 and not summary["notices"], summary["notices"]
    finally:
        running = False
        run_repair("languagetool", "stop", env=env)
