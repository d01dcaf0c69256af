"""`repair check` and `repair fix` on dataset files (called by repair.cli when a named path is a dataset)."""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable

import typer

from repair.datasets import is_dataset_path


def run_datasets(args: Any, settings: Any, *, fix: bool, unsafe: bool, diff: bool,
                 fail: Callable[[str], None]) -> int:
    """Check or fix the dataset files of `args.paths`; the exit code."""
    from repair.datasets import core, io
    from repair.datasets.run import EXECUTORS, run
    from repair.model import Severity
    from repair.rulesets import RuleSetError

    paths = list(args.paths)
    others = [p for p in paths if not is_dataset_path(p)]
    if others:
        fail(f"{others[0]}: {'--executor, -o and the other dataset options are for dataset files' if len(others) == len(paths) else 'dataset files (JSONL, Parquet, WARC/WET) cannot be checked together with other files'}")
    if args.executor not in EXECUTORS:
        fail(f"--executor must be one of {', '.join(EXECUTORS)}")
    if args.findings_format not in ("jsonl", "parquet"):
        fail("--findings-format must be jsonl or parquet")
    if fix and diff:
        fail("fix --diff is for files; on a dataset, fix writes a new dataset: repair fix DATA -o OUT/")
    if fix and not args.output:
        fail("fixing a dataset writes a new one, never in place: give the output folder with -o OUT/")
    if not fix and not args.output and args.output_format not in ("text", "json"):
        fail("on a dataset without -o, the findings are printed as text or as JSON lines (--format json)")
    if args.shard_size is not None and args.shard_size < 1:
        fail("--shard-size must be at least 1")
    cache_dir = None
    # on a cluster joined with --ray-address the cache would be one SQLite file on a shared file system: off
    if settings.cache and not (args.executor == "ray" and args.ray_address):
        root = Path(settings.project_root) if settings.project_root else Path.cwd()
        cache_dir = str(Path(settings.cache_dir).resolve() if settings.cache_dir else root / ".repair_cache")
    job = core.Job(settings, fix=fix, unsafe=unsafe, text_field=args.text_field, id_field=args.id_field,
                   findings_format=args.findings_format, cache_dir=cache_dir)
    temporary = None
    out = Path(args.output) if args.output else None
    if out is None:
        temporary = tempfile.mkdtemp(prefix="repair-dataset-")
        out = Path(temporary)
    try:
        with _progress(args.quiet) as progress:
            summary = run(paths, job, out, executor=args.executor, workers=settings.jobs or 0,
                          ray_address=args.ray_address, shard_records=args.shard_size or io.SHARD_RECORDS,
                          progress=progress)
        if temporary is not None:
            _print_findings(out, args.output_format)
    except (io.DatasetError, RuleSetError, ValueError, OSError) as error:
        fail(str(error))
    except KeyboardInterrupt:
        raise typer.Exit(130)
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)
    if not args.quiet:
        _print_summary(summary, None if temporary else out)
    for example in summary["error_examples"]:  # records that could not be read or fixed: said even with -q
        typer.echo(f"repair: error: {example}", err=True)
    if summary.get("languagetool_skipped"):
        return 3  # as for files: LanguageTool was on but could not run (the other detectors' findings stand)
    if summary["errors"]:
        return 1
    threshold = Severity(settings.fail_on).rank
    failing = any(Severity(name).rank >= threshold and count for name, count in summary["by_severity"].items())
    return 1 if failing else 0


def _print_findings(out: Path, output_format: str) -> None:
    from repair.datasets.run import findings_files
    from repair.report import printable

    write = sys.stdout.write
    for path in findings_files(out):
        with open(path, "rb") as handle:
            for line in handle:
                if output_format == "json":
                    write(line.decode("utf-8"))
                    continue
                row = json.loads(line)
                write(f"{row['id']}:{row['line']}:{row['column']}: {row['code']} [{row['severity']}] "
                      f"{printable(row['message'])}\n")
    sys.stdout.flush()


def _print_summary(summary: dict, out: Path | None) -> None:
    echo = lambda text: typer.echo(text, err=True)  # noqa: E731
    seconds = summary["check_seconds"] + summary["gather_seconds"]
    rate = ""
    if summary["shards_run"] and seconds > 0:
        rate = f"; {summary['records'] / seconds:,.0f} records/s" if not summary["shards_resumed"] else ""
    echo(f"repair: {summary['records']:,} records, {summary['words']:,} words, {summary['shards']} shards "
         f"({summary['shards_resumed']} done by an earlier run), {summary['executor']} executor: "
         f"{summary['findings']:,} findings, {summary['errors']} errors, {summary['seconds']:.1f} s{rate}")
    if summary["command"] == "fix":
        echo(f"repair: fixed {summary['changed']:,} records ({summary['edits']:,} edits)")
    if summary["by_category"]:
        echo("by category: " + ", ".join(f"{k} {v:,}" for k, v in summary["by_category"].items()))
    if summary["by_rule"]:
        echo("by rule: " + ", ".join(f"{k} {v:,}" for k, v in
                                     sorted(summary["by_rule"].items(), key=lambda kv: (-kv[1], kv[0]))))
    for notice in summary["notices"][:5]:
        echo(f"repair: note: {notice}")
    if out is not None:
        echo(f"repair: findings in {out / 'findings'}"
             + (f", fixed records in {out / 'data'}" if summary["command"] == "fix" else "")
             + f", summary in {out / 'summary.json'}")


class _progress:
    """A progress bar on a terminal (records, records/s, ETA when the total is known); nothing otherwise."""

    def __init__(self, quiet: bool):
        self.enabled = not quiet and sys.stderr.isatty() and not os.environ.get("CI")
        self.bar = None

    def __enter__(self):
        if not self.enabled:
            return None
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn,
                                   TimeRemainingColumn)
        from rich.text import Text

        class Rate(ProgressColumn):
            def render(self, task):
                return Text(f"{task.speed or 0:,.0f} records/s")

        self.bar = Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                            MofNCompleteColumn(), Rate(), TimeRemainingColumn(), console=Console(stderr=True),
                            transient=True)
        self.bar.__enter__()

        def phase(name: str, total: int | None):
            task = self.bar.add_task(name, total=total)
            return lambda n: self.bar.advance(task, n)

        return phase

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)
        return False
