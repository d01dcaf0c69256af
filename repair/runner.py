"""Runs the engine over many files: in parallel worker processes, with the result cache, in a stable order."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from repair.cache import ResultCache, content_key
from repair.config import Settings
from repair.document import Document, UnreadableFile
from repair.engine import Engine, Notice
from repair.files import write_atomically
from repair.fixer import AppliedEdit, ConvergenceError
from repair.model import Applicability, Finding, Located


@dataclass
class FileResult:
    path: str
    located: list[Located] = field(default_factory=list)
    error: str | None = None
    original: str | None = None
    fixed: str | None = None
    applied: list[AppliedEdit] = field(default_factory=list)
    cached: bool = False
    written: bool = False
    notices: list[Notice] = field(default_factory=list)
    cache_entry: tuple[str, list[Located]] | None = field(default=None, repr=False)

    @property
    def changed(self) -> bool:
        return self.fixed is not None and self.original is not None and self.fixed != self.original or self.written


@dataclass(frozen=True)
class RunOptions:
    fix: bool = False
    threshold: Applicability = Applicability.SAFE
    write: bool = False  # fix in place (otherwise only the fixed text is returned, for a diff)
    use_cache: bool = True
    jobs: int = 0


def locate(doc: Document, findings: Iterable[Finding]) -> list[Located]:
    located = []
    for finding in findings:
        line, column = doc.line_col(finding.start)
        end_line, end_column = doc.line_col(finding.end)
        located.append(Located(finding, line, column, end_line, end_column, doc.text[finding.start:finding.end]))
    return located


def process_document(engine: Engine, doc: Document, options: RunOptions, cache: ResultCache | None = None,
                     data: bytes | None = None) -> FileResult:
    """Check or fix one document. Pure apart from writing the file when options.write is set."""
    result = FileResult(doc.path)
    key = content_key(data, engine.fingerprint()) if cache is not None and data is not None else None
    if key is not None:
        cached = cache.get(key)
        if cached is not None and (not options.fix or not _fixable(cached, options.threshold)):
            result.located = cached
            result.cached = True
            return result
    try:
        if options.fix:
            outcome = engine.fix(doc, options.threshold)
            fixed_doc = doc.with_text(outcome.text)
            result.located = locate(fixed_doc, outcome.remaining)
            result.applied = outcome.applied
            if outcome.changed:
                result.original, result.fixed = outcome.original, outcome.text
                if options.write and doc.path != "-":
                    write_atomically(doc.path, doc.encoding.encode(outcome.text))
                    result.written = True
        else:
            result.located = locate(doc, engine.check(doc))
    except ConvergenceError as error:
        result.error = str(error)
    result.notices = list(engine.notices)
    if key is not None and result.error is None and not result.notices and not result.changed:
        result.cache_entry = (key, result.located)
    return result


def _fixable(located: list[Located], threshold: Applicability) -> bool:
    return any(item.finding.fix is not None and item.finding.fix.applicability >= threshold for item in located)


# --- worker processes -------------------------------------------------------------------------------------------
_ENGINE: Engine | None = None
_OPTIONS: RunOptions | None = None
_CACHE: ResultCache | None = None


def _init_worker(settings: Settings, options: RunOptions, corpus: object, cache_dir: str | None) -> None:
    global _ENGINE, _OPTIONS, _CACHE
    _ENGINE = Engine(settings, corpus=corpus)
    _OPTIONS = options
    _CACHE = ResultCache(Path(cache_dir)) if cache_dir else None


def _process_path(path: str) -> FileResult:
    assert _ENGINE is not None and _OPTIONS is not None
    try:
        data = Path(path).read_bytes()
        doc = Document.from_bytes(path, data)
    except OSError as error:
        return FileResult(path, error=f"{path}: cannot read: {error.strerror or error}")
    except UnreadableFile as error:
        return FileResult(path, error=str(error))
    _ENGINE.notices.clear()
    return process_document(_ENGINE, doc, _OPTIONS, _CACHE, data)


def _gather_path(path: str) -> dict:
    assert _ENGINE is not None
    try:
        doc = Document.read(path)
    except UnreadableFile:
        return {}
    return {type(d).__name__: d.gather(doc, _ENGINE.context) for d in _ENGINE.corpus_detectors}


class Runner:
    def __init__(self, settings: Settings, options: RunOptions):
        self.settings = settings
        self.options = options
        self.engine = Engine(settings)  # validates the selection and rule packs before any work starts
        self.cache_dir = self._cache_dir() if options.use_cache and settings.cache else None

    def _cache_dir(self) -> str:
        if self.settings.cache_dir:
            return str(Path(self.settings.cache_dir).resolve())
        root = Path(self.settings.project_root) if self.settings.project_root else Path.cwd()
        return str(root / ".repair_cache")

    def jobs(self, files: int) -> int:
        jobs = self.options.jobs or self.settings.jobs or os.cpu_count() or 1
        return max(1, min(jobs, files))

    def run(self, paths: list[str], stdin: Document | None = None,
            on_result: Callable[[FileResult], None] | None = None) -> list[FileResult]:
        files = [p for p in paths if p != "-"]
        corpus = self._gather(files) if self.engine.corpus_detectors and len(files) > 1 else None
        if corpus is not None:
            self.engine.with_corpus(corpus)
        results: list[FileResult] = []
        if "-" in paths:
            doc = stdin if stdin is not None else Document("-", "")
            result = process_document(self.engine, doc, self.options)
            results.append(result)
            if on_result:
                on_result(result)
        jobs = self.jobs(len(files))
        if jobs > 1 and len(files) >= 4:
            from concurrent.futures import ProcessPoolExecutor  # not imported by a one-file run (start-up)

            chunk = max(1, min(64, len(files) // (jobs * 8)))
            with ProcessPoolExecutor(jobs, initializer=_init_worker,
                                     initargs=(self.settings, self.options, corpus, self.cache_dir)) as pool:
                for result in pool.map(_process_path, files, chunksize=chunk):
                    results.append(result)
                    if on_result:
                        on_result(result)
        else:
            _init_worker(self.settings, self.options, corpus, self.cache_dir)
            for path in files:
                result = _process_path(path)
                results.append(result)
                if on_result:
                    on_result(result)
        self._store(results)
        return results

    def _gather(self, files: list[str]) -> object:
        jobs = self.jobs(len(files))
        if jobs > 1 and len(files) >= 4:
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(jobs, initializer=_init_worker,
                                     initargs=(self.settings, self.options, None, None)) as pool:
                parts = list(pool.map(_gather_path, files, chunksize=max(1, len(files) // (jobs * 8))))
        else:
            _init_worker(self.settings, self.options, None, None)
            parts = [_gather_path(path) for path in files]
        corpus = {}
        for detector in self.engine.corpus_detectors:
            name = type(detector).__name__
            corpus[name] = detector.merge([part.get(name) for part in parts if part.get(name) is not None])
        return corpus

    def _store(self, results: list[FileResult]) -> None:
        if not self.cache_dir:
            return
        entries = [r.cache_entry for r in results if r.cache_entry is not None]
        if entries:
            cache = ResultCache(Path(self.cache_dir))
            cache.put_many(entries)
            cache.close()


def read_stdin() -> Document:
    return Document.from_bytes("-", sys.stdin.buffer.read())
