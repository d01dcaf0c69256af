"""Datasets: JSONL (plain, gzip, zstd), Parquet and WARC/WET files of records, checked and fixed record by record.

A record is a document: the same checks, findings and fixes as a file with that text. A run splits its inputs
into shards (`io.plan`), checks each shard with one `Checker` per worker (`core`), and writes each shard's
findings (and, for `fix`, its repaired records) to the output folder under a name fixed by the plan, then a
marker: a restarted run skips the shards already marked, a retried shard overwrites its own files (every record
is written exactly once). Executors: `local` (worker processes on this machine) and `ray` (Ray actors, a local
cluster or `--ray-address`).

Optional dependencies: `pip install 'repair[datasets]'` (pyarrow, zstandard, warcio) and `'repair[ray]'`.
"""

from __future__ import annotations

#: file name endings read as datasets when named on the command line (a folder's files are never datasets)
DATASET_SUFFIXES = (
    ".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz", ".jsonl.zst", ".ndjson.zst", ".jsonl.zstd",
    ".parquet",
    ".warc", ".warc.gz", ".wet", ".wet.gz", ".warc.wet", ".warc.wet.gz",
)


def is_dataset_path(path: str) -> bool:
    """Whether a path named on the command line is a dataset file (by its name)."""
    return path.lower().endswith(DATASET_SUFFIXES)
