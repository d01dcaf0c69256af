"""Datasets on one machine (issue 14): JSONL (plain, gzip, zstd), Parquet and WET inputs; findings rows; `fix`
writes a new dataset; a record gets the findings a file with its text gets; an interrupted run resumes."""

from __future__ import annotations

import gzip
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, run_repair

sys.path.insert(0, str(ROOT / "bench"))
import datasets_build  # noqa: E402

pa = pytest.importorskip("pyarrow")  # installed by `make install` (the datasets extra): never skipped in CI
import pyarrow.parquet as pq  # noqa: E402

NO_LT = ("--no-languagetool", "--no-cache", "--source-language", "fr")

RECORDS = [
    {"id": "a", "text": "The EI claimed the attack on Monday.", "lang": "en"},
    {"id": "b", "text": "A clean sentence with nothing wrong in it.", "lang": "en"},
    {"id": "c", "text": "The cafÃ© opened in Raqqa.\nShare Post", "lang": "en"},
    {"id": "d", "text": "Fighters reached Raqa on Tuesday.", "lang": "en"},
]


def write_jsonl(path: Path, rows, opener=open) -> Path:
    with opener(path, "wb") as handle:
        for row in rows:
            handle.write((json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8"))
    return path


def rows_of(folder: Path) -> list[dict]:
    out = []
    for path in sorted(folder.glob("part-*")):
        if path.suffix == ".parquet":
            out += pq.read_table(path).to_pylist()
        else:
            opener = gzip.open if path.name.endswith(".gz") else open
            with opener(path, "rb") as handle:
                out += [json.loads(line) for line in handle if line.strip()]
    return out


def test_jsonl_check_findings_rows_and_summary(tmp_path):
    data = write_jsonl(tmp_path / "data.jsonl", RECORDS)
    out = tmp_path / "out"
    result = run_repair("check", str(data), *NO_LT, "-o", str(out))
    assert result.code == 1, result.stderr
    rows = rows_of(out / "findings")
    codes = {(row["id"], row["code"]) for row in rows}
    assert ("a", "FR001") in codes and ("c", "ENC001") in codes and ("c", "WEB101") in codes
    assert not any(row["id"] == "b" for row in rows)
    # the finding fields of JSON v1, with the record's id first
    assert list(rows[0])[:2] == ["id", "code"] and {"line", "column", "fix", "text", "category"} <= set(rows[0])
    summary = json.loads((out / "summary.json").read_text())
    assert summary["records"] == 4 and summary["findings"] == len(rows)
    assert summary["by_rule"]["FR001"] == 1 and sum(summary["by_category"].values()) == len(rows)
    assert "by rule:" in result.stderr and "by category:" in result.stderr


def test_record_gets_the_findings_of_a_file_with_its_text(tmp_path):
    """A record is a document: same findings as the same texts checked as files in one run, corpus-wide
    consistency (Zelensky / Zelenskyy across records) included."""
    rows = datasets_build.records(60)
    data = write_jsonl(tmp_path / "data.jsonl", [{"id": f"r{i:03d}", "text": r["text"]} for i, r in enumerate(rows)])
    files = tmp_path / "files"
    files.mkdir()
    for i, row in enumerate(rows):
        (files / f"r{i:03d}.txt").write_text(row["text"], encoding="utf-8")
    # one publication (CON001 across files and records; by default each is compared with itself only)
    as_files = run_repair("check", str(files), *NO_LT, "--format", "json", "-j", "1", "--one-publication")
    expected = sorted((Path(f["path"]).stem, f2["code"], f2["start"], f2["end"], f2["message"])
                      for f in as_files.json()["files"] for f2 in f["findings"])
    as_dataset = run_repair("check", str(data), *NO_LT, "--format", "json", "--one-publication")
    got = sorted((row["id"], row["code"], row["start"], row["end"], row["message"])
                 for row in map(json.loads, as_dataset.stdout.splitlines()))
    assert got == expected
    assert any(code == "CON001" for _, code, *_ in got), "the cross-record spellings give a corpus-wide finding"


def test_jsonl_without_ids_uses_positions_and_text_field(tmp_path):
    rows = [{"body": r["text"]} for r in RECORDS]
    data = write_jsonl(tmp_path / "data.jsonl", rows)
    result = run_repair("check", str(data), *NO_LT, "--text-field", "body", "--format", "json")
    ids = {json.loads(line)["id"] for line in result.stdout.splitlines()}
    assert ids == {0, 2, 3}
    missing = run_repair("check", str(data), *NO_LT, "-q")
    assert missing.code == 1 and "no text field 'text'" in missing.stderr


@pytest.mark.parametrize("suffix", [".jsonl.gz", ".jsonl.zst"])
def test_compressed_jsonl_in_and_out(tmp_path, suffix):
    if suffix.endswith(".zst"):
        import zstandard

        opener = zstandard.open
    else:
        opener = gzip.open
    data = write_jsonl(tmp_path / f"data{suffix}", RECORDS, opener)
    out = tmp_path / "out"
    result = run_repair("fix", str(data), *NO_LT, "-o", str(out))
    assert result.code == 0, result.stderr  # everything it found was fixed
    [shard] = list((out / "data").glob("part-*"))
    assert shard.name.endswith(suffix)
    from repair.datasets.io import open_input

    with open_input(str(shard), "zstd" if suffix.endswith(".zst") else "gzip") as handle:
        fixed = [json.loads(line) for line in handle]
    assert [r["id"] for r in fixed] == ["a", "b", "c", "d"]
    assert fixed[0]["text"] == "The IS claimed the attack on Monday." and fixed[0]["repair_codes"] == ["FR001"]


def test_fix_writes_a_new_dataset_and_copies_unchanged_records_byte_for_byte(tmp_path):
    lines = [json.dumps(r, ensure_ascii=False) for r in RECORDS]
    lines[1] = '{"id":"b",   "text": "A clean sentence with nothing wrong in it.", "extra": [1, 2]}'  # odd spacing kept
    data = tmp_path / "data.jsonl"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = data.read_bytes()
    out = tmp_path / "out"
    result = run_repair("fix", str(data), *NO_LT, "-o", str(out))
    assert data.read_bytes() == before, "never in place"
    written = (out / "data" / "part-00000.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(written) == 4
    assert written[1] == lines[1]
    fixed = [json.loads(line) for line in written]
    assert fixed[0]["text"] == "The IS claimed the attack on Monday." and fixed[0]["lang"] == "en"
    assert fixed[2]["text"].startswith("The café opened") and "ENC001" in fixed[2]["repair_codes"]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["changed"] >= 2 and summary["edits_by_rule"]["FR001"] == 1
    assert "fixed" in result.stderr
    refused = run_repair("fix", str(data), *NO_LT)
    assert refused.code == 2 and "-o" in refused.stderr


def test_parquet_check_and_fix_with_findings_as_parquet(tmp_path):
    table = pa.table({"doc_id": [r["id"] for r in RECORDS], "content": [r["text"] for r in RECORDS],
                      "score": [0.5, 0.6, 0.7, 0.8]})
    data = tmp_path / "data.parquet"
    pq.write_table(table, data, row_group_size=2)
    out = tmp_path / "out"
    result = run_repair("fix", str(data), *NO_LT, "--text-field", "content", "--id-field", "doc_id",
                        "--findings-format", "parquet", "-o", str(out), "--shard-size", "2")
    assert result.code in (0, 1), result.stderr
    assert len(list((out / "data").glob("part-*.parquet"))) == 2
    fixed = rows_of(out / "data")
    assert [r["doc_id"] for r in fixed] == ["a", "b", "c", "d"]
    assert fixed[0]["content"] == "The IS claimed the attack on Monday." and fixed[0]["repair_codes"] == ["FR001"]
    assert fixed[1]["content"] == RECORDS[1]["text"] and fixed[1]["repair_codes"] == [] and fixed[1]["score"] == 0.6
    findings = rows_of(out / "findings")  # what remains after fixing, as Parquet rows
    assert all(isinstance(row["id"], str) for row in findings)
    checked = run_repair("check", str(data), *NO_LT, "--text-field", "content", "--id-field", "doc_id",
                         "--findings-format", "parquet", "-o", str(tmp_path / "checked"))
    rows = rows_of(tmp_path / "checked" / "findings")
    assert {("a", "FR001"), ("c", "ENC001")} <= {(r["id"], r["code"]) for r in rows}
    assert any(r["fix"] is not None and r["fix"]["edits"] for r in rows)
    assert checked.code == 1


def _wet(path: Path, texts: list[str]) -> Path:
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=path.name.endswith(".gz"))
        writer.write_record(writer.create_warcinfo_record("data.wet", {"software": "test"}))
        for number, text in enumerate(texts):
            record = writer.create_warc_record(f"https://example.com/{number}", "conversion",
                                               payload=io.BytesIO(text.encode("utf-8")),
                                               warc_headers_dict={"Content-Type": "text/plain"})
            writer.write_record(record)
    return path


def test_wet_records(tmp_path):
    data = _wet(tmp_path / "crawl.warc.wet.gz", [r["text"] for r in RECORDS])
    out = tmp_path / "out"
    result = run_repair("fix", str(data), *NO_LT, "-o", str(out))
    assert result.code in (0, 1), result.stderr
    fixed = rows_of(out / "data")
    assert [r["url"] for r in fixed] == [f"https://example.com/{i}" for i in range(4)]
    assert all(r["id"].startswith("<urn:uuid:") for r in fixed)
    assert fixed[0]["text"] == "The IS claimed the attack on Monday."
    assert fixed[2]["text"].startswith("The café") and "ENC001" in fixed[2]["repair_codes"]
    assert "repair_codes" not in fixed[1]
    checked = run_repair("check", str(data), *NO_LT, "--format", "json")
    findings = [json.loads(line) for line in checked.stdout.splitlines()]
    assert {r["id"] for r in findings if r["code"] == "ENC001"} == {fixed[2]["id"]}


def test_resumed_run_skips_finished_shards(tmp_path):
    """A run killed mid-way, restarted with the same output folder, does only the shards not yet written and
    ends with the same outputs as a run that was never interrupted."""
    rows = datasets_build.records(2000)
    data = write_jsonl(tmp_path / "data.jsonl", rows)
    whole = tmp_path / "whole"
    assert run_repair("fix", str(data), *NO_LT, "-o", str(whole), "--shard-size", "100", "-j", "1").code in (0, 1)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "repair", "fix", str(data), *NO_LT, "-o", str(out), "--shard-size", "100",
               "-j", "1", "-q"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    deadline = time.time() + 120
    while time.time() < deadline and len(list((out / "_shards").glob("*.json"))) < 3:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    done = len(list((out / "_shards").glob("*.json")))
    assert 3 <= done < 20, f"killed after {done} of 20 shards"
    resumed = run_repair("fix", str(data), *NO_LT, "-o", str(out), "--shard-size", "100", "-j", "1")
    assert resumed.code in (0, 1), resumed.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["shards_resumed"] == done and summary["shards_run"] == 20 - done
    assert summary["records"] == 2000
    for sub in ("findings", "data"):
        names = sorted(p.name for p in (whole / sub).iterdir())
        assert names == sorted(p.name for p in (out / sub).iterdir()), "no temporary file left"
        for name in names:
            assert (whole / sub / name).read_bytes() == (out / sub / name).read_bytes(), name
    other = run_repair("check", str(data), *NO_LT, "-o", str(out))
    assert other.code == 2 and "another run" in other.stderr


def test_dataset_options_are_checked(tmp_path):
    data = write_jsonl(tmp_path / "data.jsonl", RECORDS)
    text = tmp_path / "story.txt"
    text.write_text("The EI claimed it.\n")
    assert run_repair("check", str(data), str(text), *NO_LT).code == 2
    assert run_repair("check", str(text), "--executor", "ray", *NO_LT).code == 2
    assert run_repair("check", str(data), "--executor", "spark", *NO_LT).code == 2
    assert run_repair("fix", str(data), "--diff", *NO_LT).code == 2
    assert run_repair("check", str(tmp_path / "missing.jsonl"), *NO_LT).code == 2


def test_plan_splits_jsonl_by_lines(tmp_path):
    from repair.datasets.io import plan, read_piece

    path = tmp_path / "d.jsonl"
    path.write_bytes(b"".join(b'{"text": "line %d"}\n' % i for i in range(25)) + b'{"text": "last"}')
    pieces = plan([str(path)], shard_records=10)
    assert [(p.first, p.count) for p in pieces] == [(0, 10), (10, 10), (20, 6)]
    texts = [r.text for p in pieces for b in read_piece(p, batch_records=3) for r in b.records]
    assert texts == [f"line {i}" for i in range(25)] + ["last"]
    assert [r.id for b in read_piece(pieces[1]) for r in b.records] == list(range(10, 20))


def test_local_workers_by_shard_and_by_batch_write_the_same_outputs(tmp_path):
    """Two workers take whole shards (many shards) or batches of records (one shard); one worker does it all
    in this process: the same files."""
    rows = datasets_build.records(600)
    data = write_jsonl(tmp_path / "data.jsonl", rows)
    outputs = []
    for jobs, shard in (("1", "100"), ("2", "100"), ("2", "1000")):
        out = tmp_path / f"out-{jobs}-{shard}"
        done = run_repair("fix", str(data), *NO_LT, "--one-publication", "-o", str(out), "-j", jobs,
                          "--shard-size", shard)
        assert done.code in (0, 1), done.stderr
        outputs.append(out)
    for sub in ("findings", "data"):
        joined = [b"".join(p.read_bytes() for p in sorted((out / sub).iterdir())) for out in outputs]
        assert joined[0] == joined[1] == joined[2], sub


@pytest.mark.parametrize("compression", ["gzip", "zstd"])
def test_plan_splits_compressed_jsonl_by_lines_and_bytes(tmp_path, monkeypatch, compression):
    """A compressed file is split like a plain one (offsets in its decompressed stream), and a shard also ends
    past SHARD_BYTES; `with_data` reads the file once and hands each shard its bytes, also after a gap (shards
    an earlier run finished)."""
    import zstandard

    from repair.datasets import io as dataset_io

    lines = [b'{"text": "line %d"}\n' % i for i in range(25)]
    path = tmp_path / ("d.jsonl.gz" if compression == "gzip" else "d.jsonl.zst")
    with (gzip.open if compression == "gzip" else zstandard.open)(path, "wb") as handle:
        handle.write(b"".join(lines))
    pieces = dataset_io.plan([str(path)], shard_records=10)
    assert [(p.compression, p.first, p.count) for p in pieces] == [(compression, 0, 10), (compression, 10, 10),
                                                                   (compression, 20, 5)]
    fed = list(dataset_io.with_data(pieces))
    assert [data for _, data in fed] == [b"".join(lines[:10]), b"".join(lines[10:20]), b"".join(lines[20:])]
    texts = [r.text for p, data in fed for b in dataset_io.read_piece(p, data=data) for r in b.records]
    assert texts == [f"line {i}" for i in range(25)]
    # without its bytes a shard is still read right (from the start of the stream)
    assert [r.id for b in dataset_io.read_piece(pieces[1]) for r in b.records] == list(range(10, 20))
    assert [p.index for p, _ in dataset_io.with_data([pieces[0], pieces[2]])] == [0, 2]
    assert list(dataset_io.with_data([pieces[2]]))[0][1] == b"".join(lines[20:])
    # the byte limit: each 1 MB block read past it ends a shard at its last line break
    big = [b'{"text": "%s"}\n' % (b"word " * 2000) for _ in range(600)]  # 6 MB, 600 lines
    path = tmp_path / ("big.jsonl.gz" if compression == "gzip" else "big.jsonl.zst")
    with (gzip.open if compression == "gzip" else zstandard.open)(path, "wb") as handle:
        handle.write(b"".join(big))
    monkeypatch.setattr(dataset_io, "SHARD_BYTES", 2 << 20)
    pieces = dataset_io.plan([str(path)], shard_records=10_000)
    assert len(pieces) == 3 and sum(p.count for p in pieces) == 600
    assert [p.first for p in pieces] == [0, pieces[0].count, pieces[0].count + pieces[1].count]
    assert all(p.stop - p.start <= 3 << 20 for p in pieces)
    assert b"".join(data for _, data in dataset_io.with_data(pieces)) == b"".join(big)


def test_compressed_jsonl_is_checked_in_shards_with_the_findings_of_the_plain_file(tmp_path):
    """A gzip file of 600 records in 100-record shards: 6 shards checked by 2 workers, corpus-wide data
    included; the findings and the fixed records are those of the same file uncompressed."""
    rows = datasets_build.records(600)
    plain = write_jsonl(tmp_path / "data.jsonl", rows)
    packed = write_jsonl(tmp_path / "data.jsonl.gz", rows, gzip.open)
    outputs = []
    for data in (plain, packed):
        out = tmp_path / f"out-{data.name}"
        done = run_repair("fix", str(data), *NO_LT, "--one-publication", "-o", str(out), "-j", "2",
                          "--shard-size", "100")
        assert done.code in (0, 1), done.stderr
        outputs.append(out)
    assert len(list((outputs[1] / "_shards").iterdir())) == 6
    findings = [b"".join(p.read_bytes() for p in sorted((out / "findings").iterdir())) for out in outputs]
    assert findings[0] == findings[1] and findings[0].count(b"\n") > 50
    assert rows_of(outputs[0] / "data") == rows_of(outputs[1] / "data")
    assert [r["id"] for r in rows_of(outputs[1] / "data")] == [r["id"] for r in rows]
