"""Reading and writing datasets: the shard plan, records read a shard at a time, findings and fixed records
written per shard (atomically, under names the plan fixes).

Inputs: JSONL (`.jsonl`, `.ndjson`, gzip `.gz` or zstd `.zst`), Parquet, WARC and WET (`.warc`, `.wet`, gzip or
not, read with warcio). A record's text is its `text_field`; its id its `id_field`, else its position in its file
(with several input files: `<file name>:<position>`). In WARC/WET the text is the record's payload (WET
`conversion` records, WARC `resource` and text `response` records; HTML responses are checked as HTML) and the
id its `WARC-Record-ID` (or the header `id_field` names).

Shards: an uncompressed JSONL file is split every `shard_records` lines (one pass over its bytes, no parsing), a
Parquet file every few row groups (`shard_records` rows or more). A compressed JSONL file is split the same way
over its decompressed bytes (one streaming pass to plan, and a shard also ends at `SHARD_BYTES`): a compressed
stream cannot be entered in the middle, so the run reads it once more as a stream and hands each shard its bytes
(`with_data`). A WARC file is one shard (a large crawl comes as many such files). Every shard is read as a
stream, `batch_records` records at a time: memory stays flat whatever the file's size.
"""

from __future__ import annotations

import gzip
import json
import os
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Iterator

#: records a shard holds (lines of a JSONL file, rows of a Parquet file)
SHARD_RECORDS = 10_000
#: decompressed bytes a shard of a compressed JSONL file holds at most (they travel to its worker whole)
SHARD_BYTES = 16 << 20
#: records handed to a worker at a time, or fewer when their text passes BATCH_CHARS
BATCH_RECORDS = 256
BATCH_CHARS = 1 << 20

#: the column `repair fix` adds to the records it changed: the codes of the rules it applied
CODES_COLUMN = "repair_codes"


class DatasetError(Exception):
    """A dataset that cannot be read or an output folder that cannot be used; the message says why."""


# --- kinds --------------------------------------------------------------------------------------------------------
def kind_of(path: str) -> tuple[str, str]:
    """(kind, compression) of a dataset file by its name: kind jsonl, parquet or warc; compression "", gzip, zstd."""
    name = path.lower()
    if name.endswith(".parquet"):
        return "parquet", ""
    for suffix, compression in ((".gz", "gzip"), (".zst", "zstd"), (".zstd", "zstd"), ("", "")):
        stem = name[: len(name) - len(suffix)] if suffix else name
        if suffix and not name.endswith(suffix):
            continue
        if stem.endswith((".jsonl", ".ndjson")):
            return "jsonl", compression
        if stem.endswith((".warc", ".wet")):
            return "warc", compression
    raise DatasetError(f"{path}: not a dataset file (JSONL, Parquet, WARC or WET by its name)")


@dataclass(frozen=True)
class Piece:
    """One shard of the input: a part of one file, read and written as a unit."""

    index: int  # its place in the plan: the name of its outputs
    path: str  # absolute
    kind: str  # jsonl | parquet | warc
    compression: str  # "" | gzip | zstd
    start: int  # jsonl: byte offset of its first line (compressed: in the decompressed stream); parquet: its
    # first row group
    stop: int  # jsonl: byte offset past its last line (-1: the end); parquet: past its last row group
    first: int  # the position of its first record in its file
    count: int | None  # records (JSONL: lines) it holds, when known without reading it
    label: str  # the file's name, for position ids when the run has several files

    @property
    def name(self) -> str:
        return f"part-{self.index:05d}"

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Piece":
        return cls(**data)


def plan(paths: list[str], shard_records: int = SHARD_RECORDS) -> list[Piece]:
    """The shards of the input files, in order."""
    pieces: list[Piece] = []
    several = len(paths) > 1
    for path in paths:
        path = os.path.abspath(path)
        if not os.path.isfile(path):
            raise DatasetError(f"{path}: no such dataset file")
        kind, compression = kind_of(path)
        label = os.path.basename(path) if several else ""
        if kind == "jsonl":
            with open_input(path, compression) as handle:
                spans = _jsonl_spans(handle, shard_records, SHARD_BYTES if compression else 0)
        elif kind == "parquet":
            spans = _parquet_spans(path, shard_records)
        else:
            spans = [(0, -1, 0, None)]
        for start, stop, first, count in spans:
            pieces.append(Piece(len(pieces), path, kind, compression, start, stop, first, count, label))
    return pieces


def _jsonl_spans(handle: BinaryIO, shard_records: int,
                 shard_bytes: int = 0) -> list[tuple[int, int, int, int | None]]:
    """Byte ranges of every `shard_records` lines (or fewer: what ends a 1 MB block once the shard holds
    `shard_bytes`, when given), found by counting line breaks in 1 MB blocks."""
    spans = []
    start = offset = first = lines = 0
    last = b"\n"
    while block := handle.read(1 << 20):
        position = 0
        while True:
            found = block.count(b"\n", position)
            if lines + found < shard_records:
                if shard_bytes and found and offset + len(block) - start >= shard_bytes:
                    index = block.rfind(b"\n")
                    end = offset + index + 1
                    spans.append((start, end, first, lines + found))
                    start, first, lines, position = end, first + lines + found, 0, index + 1
                    continue
                lines += found
                break
            index = position - 1
            for _ in range(shard_records - lines):
                index = block.find(b"\n", index + 1)
            end = offset + index + 1
            spans.append((start, end, first, shard_records))
            start, first, lines, position = end, first + shard_records, 0, index + 1
        offset += len(block)
        last = block[-1:]
    if offset > start:
        spans.append((start, offset, first, lines + (last != b"\n")))
    elif not spans:
        spans.append((0, 0, 0, 0))
    return spans


def _parquet_spans(path: str, shard_records: int) -> list[tuple[int, int, int, int | None]]:
    import pyarrow.parquet as pq

    metadata = pq.ParquetFile(path).metadata
    spans = []
    start, first, rows = 0, 0, 0
    for group in range(metadata.num_row_groups):
        rows += metadata.row_group(group).num_rows
        if rows >= shard_records:
            spans.append((start, group + 1, first, rows))
            start, first, rows = group + 1, first + rows, 0
    if start < metadata.num_row_groups or not spans:
        spans.append((start, metadata.num_row_groups, first, rows))
    return spans


# --- reading ------------------------------------------------------------------------------------------------------
@dataclass
class Record:
    position: int
    id: Any
    text: str | None  # None: the record has no usable text (`error` says why); it is copied through
    raw: bytes | None = None  # JSONL: the line as it was read (copied through when unchanged)
    format: str = "text"
    meta: dict = field(default_factory=dict)  # WARC: the target URI
    error: str | None = None


@dataclass
class Batch:
    records: list[Record]
    table: Any = None  # Parquet: the pyarrow RecordBatch these records are (fix writes it back with new text)


def read_piece(piece: Piece, text_field: str = "text", id_field: str = "id", all_columns: bool = False,
               batch_records: int = BATCH_RECORDS, batch_chars: int = BATCH_CHARS,
               data: bytes | None = None) -> Iterator[Batch]:
    """The records of a shard, a batch at a time; `data`: the shard's bytes when they were read already (a
    compressed JSONL shard, from `with_data`)."""
    if piece.kind == "parquet":
        yield from _read_parquet(piece, text_field, id_field, all_columns, batch_records)
        return
    source = _read_jsonl(piece, text_field, id_field, data) if piece.kind == "jsonl" else _read_warc(piece, id_field)
    batch: list[Record] = []
    chars = 0
    for record in source:
        batch.append(record)
        chars += len(record.text or "")
        if len(batch) >= batch_records or chars >= batch_chars:
            yield Batch(batch)
            batch, chars = [], 0
    if batch:
        yield Batch(batch)


def _record_id(piece: Piece, position: int) -> Any:
    return f"{piece.label}:{position}" if piece.label else position


def open_input(path: str, compression: str) -> BinaryIO:
    if compression == "gzip":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    if compression == "zstd":
        import zstandard

        import io

        # the decompressing reader has no readline: buffered, it reads lines like a file
        reader = zstandard.ZstdDecompressor().stream_reader(open(path, "rb"), closefd=True)
        return io.BufferedReader(reader, 1 << 20)  # type: ignore[return-value,arg-type]
    return open(path, "rb")


def with_data(pieces) -> Iterator[tuple[Piece, bytes | None]]:
    """(piece, its bytes or None) in plan order. A compressed JSONL file is read once, as a stream, and cut into
    its shards' decompressed bytes (a worker could reach its shard only by decompressing all that comes before);
    any other shard is None: its worker reads it from the file. Lazy: a shard's bytes are read when asked for."""
    handle = None
    current = None
    position = 0
    try:
        for piece in pieces:
            if piece.kind != "jsonl" or not piece.compression:
                yield piece, None
                continue
            if piece.path != current or piece.start < position:
                if handle is not None:
                    handle.close()
                handle, current, position = open_input(piece.path, piece.compression), piece.path, 0
            position += _skip(handle, piece.start - position)  # shards an earlier run finished
            data = handle.read(piece.stop - piece.start) if piece.stop >= 0 else handle.read()
            position += len(data)
            yield piece, data
    finally:
        if handle is not None:
            handle.close()


def _skip(handle: BinaryIO, size: int) -> int:
    """Read past `size` bytes of a stream that cannot seek; how many there were."""
    skipped = 0
    while skipped < size:
        block = handle.read(min(1 << 20, size - skipped))
        if not block:
            break
        skipped += len(block)
    return skipped


def _read_jsonl(piece: Piece, text_field: str, id_field: str, data: bytes | None = None) -> Iterator[Record]:
    import io

    # a compressed shard without its bytes is found by decompressing the file from its start (seek)
    with open_input(piece.path, piece.compression) if data is None else io.BytesIO(data) as handle:
        if piece.start and data is None:
            if piece.compression:
                _skip(handle, piece.start)
            else:
                handle.seek(piece.start)
        remaining = piece.stop - piece.start if piece.stop >= 0 and data is None else -1
        position = piece.first
        while remaining != 0:
            line = handle.readline()
            if not line:
                break
            if remaining > 0:
                remaining -= len(line)
            if line.strip():  # a blank line is no record (its position is still counted: ids are line numbers)
                yield _jsonl_record(piece, position, line, text_field, id_field)
            position += 1


def _jsonl_record(piece: Piece, position: int, line: bytes, text_field: str, id_field: str) -> Record:
    try:
        data = json.loads(line)
    except ValueError as error:
        return Record(position, _record_id(piece, position), None, line, error=f"not JSON: {error}")
    if not isinstance(data, dict):
        return Record(position, _record_id(piece, position), None, line, error="not a JSON object")
    identity = data.get(id_field)
    if identity is None or isinstance(identity, (dict, list)):
        identity = _record_id(piece, position)
    text = data.get(text_field)
    if not isinstance(text, str):
        return Record(position, identity, None, line,
                      error=f"no text field {text_field!r}" if text is None else f"{text_field!r} is not a string")
    return Record(position, identity, text, line)


def _read_parquet(piece: Piece, text_field: str, id_field: str, all_columns: bool,
                  batch_records: int) -> Iterator[Batch]:
    import pyarrow.parquet as pq

    parquet = pq.ParquetFile(piece.path)
    names = parquet.schema_arrow.names
    if text_field not in names:
        raise DatasetError(f"{piece.path}: no column {text_field!r} (columns: {', '.join(names)}); see --text-field")
    has_id = id_field in names
    columns = None if all_columns else [text_field] + ([id_field] if has_id and id_field != text_field else [])
    position = piece.first
    if piece.stop <= piece.start:
        return
    for table in parquet.iter_batches(batch_size=batch_records, row_groups=range(piece.start, piece.stop),
                                      columns=columns, use_threads=False):
        texts = table.column(text_field).to_pylist()
        ids = table.column(id_field).to_pylist() if has_id else [None] * len(texts)
        records = []
        for text, identity in zip(texts, ids):
            if identity is None or isinstance(identity, (dict, list, bytes)):
                identity = _record_id(piece, position)
            if isinstance(text, str):
                records.append(Record(position, identity, text))
            else:
                records.append(Record(position, identity, None, error=f"{text_field!r} is not a string"))
            position += 1
        yield Batch(records, table if all_columns else None)


_WARC_TEXT = ("conversion", "resource", "response")


def _read_warc(piece: Piece, id_field: str) -> Iterator[Record]:
    from warcio.archiveiterator import ArchiveIterator

    position = piece.first
    with open(piece.path, "rb") as handle:
        for item in ArchiveIterator(handle):
            if item.rec_type not in _WARC_TEXT:
                continue
            headers = item.rec_headers
            content_type = (item.http_headers.get_header("Content-Type") if item.http_headers else None) \
                or headers.get_header("Content-Type") or ""
            kind = content_type.split(";")[0].strip().lower()
            if item.rec_type != "conversion" and kind and not kind.startswith("text/"):
                continue  # images, PDFs, scripts: not text
            charset = "utf-8"
            for part in content_type.split(";")[1:]:
                key, _, value = part.strip().partition("=")
                if key.lower() == "charset" and value:
                    charset = value.strip("\"'")
            data = item.content_stream().read()
            try:
                text = data.decode(charset, errors="replace")
            except LookupError:
                text = data.decode("utf-8", errors="replace")
            header = "WARC-Record-ID" if id_field == "id" else id_field
            identity = headers.get_header(header) or _record_id(piece, position)
            fmt = "html" if kind in ("text/html", "application/xhtml+xml") else "text"
            yield Record(position, identity, text, format=fmt,
                         meta={"url": headers.get_header("WARC-Target-URI")})
            position += 1


# --- writing ------------------------------------------------------------------------------------------------------
def _temporary(path: Path) -> Path:
    return path.with_name(f".{path.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")


class _Output:
    """A file written under a temporary name and renamed when complete (a retried shard overwrites it)."""

    def __init__(self, path: Path):
        self.path = path
        self.temporary = _temporary(path)

    def commit(self) -> None:
        self.close()
        os.replace(self.temporary, self.path)

    def abort(self) -> None:
        try:
            self.close()
        finally:
            try:
                os.unlink(self.temporary)
            except OSError:
                pass

    def close(self) -> None:  # pragma: no cover - overridden
        pass


def _open_output(path: Path, compression: str) -> BinaryIO:
    if compression == "gzip":
        return gzip.open(path, "wb", compresslevel=6)  # type: ignore[return-value]
    if compression == "zstd":
        import zstandard

        return zstandard.open(path, "wb")  # type: ignore[return-value]
    return open(path, "wb")


class JsonLines(_Output):
    def __init__(self, path: Path, compression: str = ""):
        super().__init__(path)
        self.handle: BinaryIO | None = _open_output(self.temporary, compression)

    def write_line(self, line: bytes) -> None:
        assert self.handle is not None
        self.handle.write(line if line.endswith(b"\n") else line + b"\n")

    def write_row(self, row: dict) -> None:
        self.write_line(json.dumps(row, ensure_ascii=False).encode("utf-8"))

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None


def findings_schema():
    import pyarrow as pa

    edit = pa.struct([("start", pa.int64()), ("end", pa.int64()), ("replacement", pa.string())])
    fix = pa.struct([("applicability", pa.string()), ("title", pa.string()), ("edits", pa.list_(edit))])
    return pa.schema([
        ("id", pa.string()), ("code", pa.string()), ("name", pa.string()), ("category", pa.string()),
        ("severity", pa.string()), ("message", pa.string()), ("start", pa.int64()), ("end", pa.int64()),
        ("line", pa.int64()), ("column", pa.int64()), ("end_line", pa.int64()), ("end_column", pa.int64()),
        ("text", pa.string()), ("fix", fix),
    ])


class ParquetRows(_Output):
    """Rows written to a Parquet file as they come, a row group per batch."""

    def __init__(self, path: Path, schema=None):
        super().__init__(path)
        self.schema = schema
        self.writer = None
        self.rows: list[dict] = []

    def write_row(self, row: dict) -> None:
        self.rows.append(row)
        if len(self.rows) >= 10_000:
            self.flush()

    def write_table(self, table) -> None:
        import pyarrow.parquet as pq

        if self.writer is None:
            self.schema = table.schema
            self.writer = pq.ParquetWriter(str(self.temporary), self.schema)
        self.writer.write_table(table)

    def flush(self) -> None:
        import pyarrow as pa

        if self.rows:
            rows = [dict(row, id=None if row["id"] is None else str(row["id"])) for row in self.rows]
            self.write_table(pa.Table.from_pylist(rows, schema=self.schema))
            self.rows = []

    def close(self) -> None:
        import pyarrow.parquet as pq

        self.flush()
        if self.writer is None:  # an empty shard: a file with the schema and no rows
            pq.write_table(self.schema.empty_table(), str(self.temporary))
            self.writer = False
        elif self.writer is not False:
            self.writer.close()
            self.writer = False


def findings_writer(path: Path, fmt: str):
    return ParquetRows(path, findings_schema()) if fmt == "parquet" else JsonLines(path)


def data_suffix(piece: Piece) -> str:
    """The file ending of a shard's fixed records: the input's own format (WARC/WET records become JSONL)."""
    if piece.kind == "parquet":
        return ".parquet"
    return ".jsonl" + {"gzip": ".gz", "zstd": ".zst"}.get(piece.compression, "") if piece.kind == "jsonl" \
        else ".jsonl"


def write_json_atomically(path: Path, data: Any) -> None:
    temporary = _temporary(path)
    temporary.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(temporary, path)


def remove_temporaries(folder: Path) -> None:
    """What killed or retried shards left behind."""
    if folder.is_dir():
        for path in folder.rglob(".*.tmp-*"):
            try:
                path.unlink()
            except OSError:
                pass


def with_text_column(table, text_field: str, texts: list[str], codes: list[list[str]]):
    """A Parquet batch with its text column replaced and the codes column set (the other columns as read)."""
    import pyarrow as pa

    if isinstance(table, pa.RecordBatch):
        table = pa.Table.from_batches([table])
    index = table.schema.get_field_index(text_field)
    text_type = table.schema.field(index).type
    table = table.set_column(index, table.schema.field(index), pa.array(texts, type=text_type))
    column = pa.array(codes, type=pa.list_(pa.string()))
    existing = table.schema.get_field_index(CODES_COLUMN)
    if existing >= 0:
        return table.set_column(existing, pa.field(CODES_COLUMN, pa.list_(pa.string())), column)
    return table.append_column(pa.field(CODES_COLUMN, pa.list_(pa.string())), column)
