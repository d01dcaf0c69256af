"""Runs the engine over many files: in parallel worker processes, with the result cache, in a stable order."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterator

from repair.cache import (ResultCache, content_digest, dumps_plain, loads_plain, located_from_rows,
                          located_rows, result_key)
from repair.config import Settings
from repair.context import Context
from repair.document import Document, UnreadableFile
from repair.engine import Engine
from repair.files import WriteRefused, read_regular, write_atomically
from repair.fixer import ConvergenceError, back_to_original
from repair.model import Applicability, Edit, Finding, Fix, RuleInfo
from repair.results import FileResult, Located, Notice, locate


@dataclass(frozen=True)
class RunOptions:
    fix: bool = False
    threshold: Applicability = Applicability.SAFE
    write: bool = False  # fix in place (otherwise only the fixed text is returned, for a diff)
    diff: bool = False  # fix --diff: the file stays as it is, so what is left is reported where the file has it
    write_read_only: bool = False  # also write files without write permission (--write-read-only)
    use_cache: bool = True
    jobs: int = 0


def process_document(engine: Engine, doc: Document, options: RunOptions, digest: str | None = None) -> FileResult:
    """Check or fix one document. Pure apart from writing the file when options.write is set; `digest`: the
    content digest of the bytes the document was read from (the file is not written if it changed since)."""
    result = FileResult(doc.path)
    try:
        if options.fix:
            outcome = engine.fix(doc, options.threshold)
            back = back_to_original(doc.text, outcome.text, outcome.applied) if options.diff else None
            if back is not None:
                result.located = locate(doc, [_moved(finding, back) for finding in outcome.remaining])
                result.located_in_original = True
            else:
                result.located = locate(doc.with_text(outcome.text), outcome.remaining)
            result.applied = outcome.applied
            if outcome.dropped:
                engine.notices.append(Notice("fixer", f"{doc.path}: not fixed, their fixes undo each other or never "
                                                      f"settle: {', '.join(outcome.dropped)}"))
            if outcome.changed:
                result.original, result.fixed = outcome.original, outcome.text
                if options.write and doc.path != "-":
                    try:
                        write_atomically(doc.path, doc.encoding.encode(outcome.text), expected=digest,
                                         read_only=options.write_read_only)
                        result.written = True
                    except WriteRefused as error:
                        result.error = str(error)
        else:
            result.located = locate(doc, engine.check(doc))
    except ConvergenceError as error:
        result.error = str(error)
    result.notices = list(engine.notices)
    return result


def texts_of(results: list[FileResult], stdin_doc: Document | None = None) -> dict[str, str]:
    """The text each readable file's findings point into, by path, for a report that shows the files: the fixed
    text when fixing changed it, else standard input's, else the file as it is (read and decoded as a run does)."""
    texts = {}
    for result in results:
        if result.error and result.fixed is None:
            continue
        if result.fixed is not None:
            texts[result.path] = result.original if result.located_in_original else result.fixed
        elif result.path == "-" and stdin_doc is not None:
            texts[result.path] = stdin_doc.text
        else:
            doc, _, _ = _read(result.path)
            if doc is not None:
                texts[result.path] = doc.text
    return texts


def _storable(result: FileResult) -> bool:
    """Whether a fresh result may be cached: complete (no error, no detector skipped) and nothing changed."""
    return result.error is None and not result.notices and not result.changed


def _moved(finding: Finding, back: Callable[[int], int]) -> Finding:
    """A finding on the fixed text, and its fix, at the positions of the original."""
    start = back(finding.start)
    fix = finding.fix
    if fix is not None:
        edits = tuple(Edit(back(e.start), max(back(e.start), back(e.end)), e.replacement) for e in fix.edits)
        fix = Fix(edits, fix.applicability, fix.title)
    return replace(finding, start=start, end=max(start, back(finding.end)), fix=fix)


def _fixable(located: list[Located], threshold: Applicability) -> bool:
    return any(item.finding.fix is not None and item.finding.fix.applicability >= threshold for item in located)


def _reusable(located: list[Located], options: RunOptions) -> bool:
    """A cached result stands for a run unless the run fixes and the result has something to fix."""
    return not options.fix or not _fixable(located, options.threshold)


# --- worker processes -------------------------------------------------------------------------------------------
# (in the main process too, when a run stays in one process: then they hold the runner's own engine)
_ENGINE: Engine | None = None
_OPTIONS: RunOptions | None = None
_CACHING = False  # whether results are to be handed back with their cache key
#: the corpus dependency digest the main process computed for a file (from its gathered share), with the content
#: digest of the bytes it was gathered from: a file checked from those bytes has it without gathering again
#: (forked workers inherit it; others compute their own)
_KNOWN_DEPENDENCIES: dict[str, tuple[str, str]] = {}
#: documents the gather pass read in this process, by path, with their content digests: checked as they are (not
#: read, decoded, parsed and gathered from again), each once; forked workers inherit them
_PREPARED: dict[str, tuple[Document, str, None]] = {}
#: the most characters of text _PREPARED holds (kept documents with what their gathering computed: +11 MB of peak
#: memory for the 8 M characters kept of the small-files bench); a larger corpus's other files are read again
PREPARED_MAX_CHARS = 8_000_000
_PREPARED_CHARS = [0]


def _end_with_parent() -> None:
    """A worker ends when the run that started it does, however it ended (kill -9 included): Linux sends it
    SIGTERM when its parent dies (PR_SET_PDEATHSIG), elsewhere a thread watches for a new parent; SIGTERM ends it
    and it removes the temporary file of a write in progress (the file itself is whole: the rename had not
    happened) and exits at once (an exception would be caught by the pool and the worker would wait for work)."""
    import signal
    import threading

    parent = os.getppid()

    def end(signum, frame) -> None:
        from repair.files import remove_temporary_files

        remove_temporary_files()
        os._exit(128 + signum)

    signal.signal(signal.SIGTERM, end)
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass

    def watch() -> None:
        import time

        while os.getppid() == parent:
            time.sleep(0.5)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="repair-parent-watch", daemon=True).start()
    if os.getppid() != parent:  # the run died before the watch began
        os.kill(os.getpid(), signal.SIGTERM)


def _init_worker(settings: Settings | None, options: RunOptions, corpus: object, caching: bool) -> None:
    """A worker's engine: built from `settings`, or (settings None) the run's own, inherited by a forked worker
    with everything its detectors loaded so far."""
    global _ENGINE, _OPTIONS, _CACHING
    from multiprocessing.util import Finalize

    _end_with_parent()

    if settings is None:
        assert _ENGINE is not None, "an inherited engine needs a forked worker"
        _OPTIONS, _CACHING = options, caching
        return
    _ENGINE, _OPTIONS, _CACHING = Engine(settings, corpus=corpus), options, caching
    _ENGINE.expect_many()
    Finalize(_ENGINE, _ENGINE.close, exitpriority=10)  # a worker's part of the run ends when the worker exits


def _inheritable(engine: Engine) -> bool:
    """Whether forked workers can use the run's engine as it is (no engine built per worker): workers are
    forked, the process runs no other thread (a fork copies no thread, and a lock one held stays held), and no
    detector holds an external service's connection or server (a copy would share it)."""
    import multiprocessing
    import threading

    return (multiprocessing.get_start_method() == "fork" and threading.active_count() == 1
            and not any(detector.service for detector in engine.detectors))


def _read(path: str) -> tuple[Document | None, str | None, FileResult | None]:
    """The document and its content digest, or the FileResult that reports why it cannot be read."""
    try:
        data = read_regular(path)  # a FIFO or a device is refused, not read
        digest = content_digest(data)
        doc = Document.from_bytes(path, data)
    except OSError as error:
        return None, None, FileResult(path, error=f"{path}: cannot read: {error.strerror or error}")
    except UnreadableFile as error:
        return None, None, FileResult(path, error=str(error))
    return doc, digest, None  # the bytes are dropped here: only the decoded text stays in memory


def read_document(path: str) -> tuple[Document | None, str | None, FileResult | None]:
    """A file as `repair fix` reads it: the document and the digest a write checks, or why it cannot be read."""
    return _read(path)


#: what a worker hands back: the result, and the cache key to store it under (None: not to be stored)
Processed = tuple[FileResult, str | None]


def _process_path(path: str) -> Processed:
    prepared = _PREPARED.pop(path, None)
    return _process_read(path, *(prepared if prepared is not None else _read(path)))


#: files handed together to detectors that work better on many documents at once (LanguageTool batches requests)
PREFETCH_BATCH = 32


def _process_batch(paths: list[str]) -> list[Processed]:
    assert _ENGINE is not None
    read = [_PREPARED.pop(path, None) or _read(path) for path in paths]
    _ENGINE.prefetch([doc for doc, _, _ in read if doc is not None])
    return [_process_read(path, *item) for path, item in zip(paths, read)]


def _process_read(path: str, doc: Document | None, digest: str | None, failure: FileResult | None) -> Processed:
    assert _ENGINE is not None and _OPTIONS is not None
    if doc is None:
        return failure, None
    _ENGINE.notices.clear()
    result = process_document(_ENGINE, doc, _OPTIONS, digest)
    # the main process already looked the key up and missed: hand the result back to be stored, under the key
    # of the content checked here (the file may have changed since the main process hashed it)
    key = None
    if _CACHING and _storable(result):
        # the part of the corpus-wide data these findings read, from the content checked here
        dependency = ""
        if _ENGINE.context.corpus:
            known = _KNOWN_DEPENDENCIES.get(path)
            dependency = known[1] if known is not None and known[0] == digest else \
                _ENGINE.corpus_dependency(_ENGINE.gather(doc))
        key = result_key(digest, _ENGINE.fingerprint_for(path, dependency))
    return result, key


def _gather_path(path: str) -> tuple[str | None, dict]:
    assert _ENGINE is not None
    doc, digest, _ = _read(path)
    if doc is None:
        return None, {}
    return digest, _ENGINE.gather(doc)


def _gather_kept(path: str) -> tuple[str | None, dict]:
    """_gather_path, in the process that then checks the file or forks the workers that do: the document is kept
    (_PREPARED, up to PREPARED_MAX_CHARS), read, parsed and analysed once for both (worker processes of the gather
    pass run _gather_path: what they read stays there)."""
    assert _ENGINE is not None
    doc, digest, failure = _read(path)
    if doc is None:
        return None, {}
    if _PREPARED_CHARS[0] + len(doc.text) <= PREPARED_MAX_CHARS:
        _PREPARED[path] = (doc, digest, failure)
        _PREPARED_CHARS[0] += len(doc.text)
    return digest, _ENGINE.gather(doc)


# --- what crosses between processes ----------------------------------------------------------------------------
# a worker hands a result back with its findings as plain rows (cache.located_rows): pickling the frozen data
# classes one by one costs the worker a dataclasses.fields() call and a state dict per object
def _packed(processed: Processed) -> tuple[FileResult, list, str | None]:
    result, key = processed
    rows = located_rows(result.located)
    result.located = []
    return result, rows, key


def _unpacked(packed: tuple[FileResult, list, str | None]) -> Processed:
    result, rows, key = packed
    result.located = located_from_rows(rows)
    return result, key


def _process_path_packed(path: str) -> tuple[FileResult, list, str | None]:
    return _packed(_process_path(path))


def _process_batch_packed(paths: list[str]) -> list[tuple[FileResult, list, str | None]]:
    return [_packed(item) for item in _process_batch(paths)]


#: how a function's result travels from a worker: the function the worker runs instead, and how the main process
#: reads what it hands back (a function not named here travels as it is)
_TRAVELS = {_gather_kept: (_gather_path, None),
            _process_path: (_process_path_packed, _unpacked),
            _process_batch: (_process_batch_packed, lambda items: [_unpacked(item) for item in items])}


#: files from which a run in one process is long enough for what pays only over many documents (Detector.expect_many:
#: LNG001's numpy import, ~0.1 s, against ~2 ms more for each of its first 40 sentences scored without it)
LONG_RUN = 1000


def _map(engine: Engine, options: RunOptions, caching: bool, function, paths: list, jobs: int):
    """function over paths, in order: here with `engine`, and when that pays in `jobs - 1` worker processes
    beside this one (repair.parallel: whoever is free takes the next paths; forked workers use `engine` as they
    inherit it, others build one like it)."""
    global _ENGINE, _OPTIONS, _CACHING
    import gc

    if jobs > 1 and len(paths) >= 4:
        from concurrent.futures import ProcessPoolExecutor  # not imported by a one-file run (start-up)

        from repair.parallel import shared

        _ENGINE, _OPTIONS, _CACHING = engine, options, caching  # this process's share
        engine.expect_many()  # (before the fork: the workers inherit it)
        if _inheritable(engine):  # the workers find it where the fork left it
            initargs = (None, options, None, caching)
        else:
            initargs = (engine.settings, options, engine.context.corpus, caching)
        # forked workers inherit this process's objects (the corpus-wide data, results so far): frozen, the
        # workers' garbage collector does not walk them again and again (which doubled the CPU time of a run
        # with a corpus-wide detector) nor copy their pages
        gc.freeze()
        try:
            sent, unpack = _TRAVELS.get(function, (function, None))
            with ProcessPoolExecutor(jobs - 1, initializer=_init_worker, initargs=initargs) as pool:
                yield from shared(pool, jobs - 1, function, paths, sent, unpack)
        finally:
            gc.unfreeze()
    elif paths:
        _ENGINE, _OPTIONS, _CACHING = engine, options, caching
        if len(paths) >= LONG_RUN:
            engine.expect_many(warm_up=False)  # (LNG001 scores with numpy from its first sentence)
        gc.freeze()  # what lives for the whole run (modules, engine, corpus-wide data) is not walked per collection
        try:
            for path in paths:
                yield function(path)
        finally:
            gc.unfreeze()


class Runner:
    """Runs the engine over files.

    With the cache on, the main process hashes every file first (reading it in blocks) and answers unchanged
    files from the cache; only the others go to the worker processes, so a re-run of an unchanged corpus starts
    no worker at all. Corpus-wide detectors gather per-file data in a first pass, itself cached per file.
    Results come back in the order of the paths, whatever the number of workers.
    """

    STORE_EVERY = 500  # results written to the cache in batches, so an interrupted run keeps most of its work

    def __init__(self, settings: Settings, options: RunOptions):
        self.settings = settings
        self.options = options
        self.engine = Engine(settings)  # validates the selection and rule packs before any work starts
        self.cache_dir = self._cache_dir() if options.use_cache and settings.cache else None

    def rules(self) -> list[RuleInfo]:
        """Every rule's metadata, from the rule packs this run loaded (nothing is built), for the report."""
        from repair.registry import all_rules

        return all_rules(self.settings, self.engine.packs)

    def _cache_dir(self) -> str:
        if self.settings.cache_dir:
            return str(Path(self.settings.cache_dir).resolve())
        root = Path(self.settings.project_root) if self.settings.project_root else Path.cwd()
        return str(root / ".repair_cache")

    def jobs(self, files: int) -> int:
        jobs = self.options.jobs or self.settings.jobs or os.cpu_count() or 1
        return max(1, min(jobs, files))

    #: below this much text, starting worker processes (each builds its engine) costs more than it saves
    PARALLEL_MIN_BYTES = 512 * 1024

    def _jobs_for(self, paths: list[str]) -> int:
        jobs = self.jobs(len(paths))
        if jobs > 1:
            total = 0
            for path in paths:
                try:
                    total += os.stat(path).st_size
                except OSError:
                    pass
                if total >= self.PARALLEL_MIN_BYTES:
                    return jobs
            return 1
        return jobs

    def run(self, paths: list[str], stdin: Document | None = None,
            on_result: Callable[[FileResult], None] | None = None) -> list[FileResult]:
        files = [p for p in paths if p != "-"]
        cache = None
        if self.cache_dir:
            try:
                cache = ResultCache(Path(self.cache_dir))
            except OSError:  # no writable folder for it: the run costs more time, never results
                cache = None
        try:
            return self._run(paths, files, stdin, on_result, cache)
        finally:
            if cache is not None:
                cache.close()
            self.engine.close()  # the end of the run: detectors release what they hold (LanguageTool's cache)

    def _run(self, paths, files, stdin, on_result, cache: ResultCache | None) -> list[FileResult]:
        try:
            return self._run_files(paths, files, stdin, on_result, cache)
        finally:
            _PREPARED.clear()
            _PREPARED_CHARS[0] = 0
            import gc

            gc.unfreeze()  # (what the run froze is collected again: the caller may run again, and again)

    def _run_files(self, paths, files, stdin, on_result, cache: ResultCache | None) -> list[FileResult]:
        digests: dict[str, str] = {}
        if cache is not None:
            digests = cache.file_digests(files)  # an unreadable file is reported when it is read
        # the corpus-wide data, and for each file a digest of the part of it the file's findings read
        dependencies: dict[str, str] = {}
        known_keys: dict[str, str] = {}  # result keys the run's record holds (of files whose digests it holds)
        if self.engine.corpus_detectors and len(files) > 1:
            corpus, dependencies, known_keys = self._gather(files, cache, digests)
            self.engine.with_corpus(corpus)
        results: list[FileResult] = []

        def deliver(result: FileResult) -> None:
            results.append(result)
            if on_result:
                on_result(result)

        if "-" in paths:
            doc = stdin if stdin is not None else Document("-", "")
            deliver(process_document(self.engine, doc, self.options))
        # answer unchanged files from the cache, here: the results built hold no cycle, and the garbage collector,
        # triggered again and again by their allocation, would walk every object of the process to free none of
        # them (a re-run's findings, once built, are kept out of its later collections: frozen)
        import gc

        collecting = gc.isenabled()
        gc.disable()
        try:
            found: dict[str, list[Located]] = {}
            keys: dict[str, str] = {}
            if cache is not None:
                keys = {path: known_keys.get(path) or result_key(digest, self.engine.fingerprint_for(
                    path, dependencies.get(path, ""))) for path, digest in digests.items()}
                found = cache.get_many(list(keys.values()))
            done: list[FileResult | None] = []  # by position in files (a path given twice is answered twice)
            todo: list[str] = []
            for path in files:
                located = found.get(keys.get(path, ""))
                if located is not None and _reusable(located, self.options):
                    done.append(FileResult(path, located=list(located), cached=True))
                else:
                    done.append(None)
                    todo.append(path)
            if found:
                gc.freeze()
        finally:
            if collecting:
                gc.enable()
        # the rest in worker processes, streamed back in order
        pending: list[tuple[str, list[Located]]] = []
        caching = cache is not None
        computed: Iterator[Processed]
        global _KNOWN_DEPENDENCIES
        _KNOWN_DEPENDENCIES = {path: (digests[path], dependencies[path]) for path in todo
                               if path in dependencies and path in digests}
        if self.engine.prefetching:
            batches = [todo[i:i + PREFETCH_BATCH] for i in range(0, len(todo), PREFETCH_BATCH)]
            computed = (item for batch in _map(self.engine, self.options, caching, _process_batch, batches,
                                               self._jobs_for(todo)) for item in batch)
        else:
            computed = _map(self.engine, self.options, caching, _process_path, todo, self._jobs_for(todo))
        for result in done:
            if result is None:
                result, key = next(computed)
                if cache is not None and key is not None:
                    pending.append((key, result.located))
                    if len(pending) >= self.STORE_EVERY:
                        cache.put_many(pending)
                        pending = []
            deliver(result)
        if cache is not None:
            cache.put_many(pending)
        _KNOWN_DEPENDENCIES = {}
        return results

    def _gather(self, files: list[str], cache: ResultCache | None,
                digests: dict[str, str]) -> tuple[dict, dict[str, str], dict[str, str]]:
        """The corpus-wide data of the run (set on the engine), for each file the digest of the part of it that
        file's findings read (Engine.corpus_dependency) and, with the cache, its result key (the record keeps
        them: a file whose content and dependency digests are unchanged has the key it had): gathered per file
        (each file's share cached by its content), combined, finished. An edit re-gathers the edited files only; the digests then say which
        other files' findings can have changed.

        With the cache, a run of the same files keeps one record (`_RunRecord`): each file's content and dependency
        digests, the combined totals and the corpus data (the shares themselves stay in the per-file cache). An
        unchanged corpus is answered from it; an edit of a few files takes their old shares out of the totals and
        puts their new ones in (`Detector.replace_shares`), and recomputes the digests of the edited files only,
        unless the corpus data changed."""
        detectors = self.engine.corpus_detectors
        names = [d.name for d in detectors]
        part_keys: dict[str, str] = {}
        record_key = None
        self._moved: set[str] = set()  # files gathered from other bytes than were hashed: no record is written
        if cache is not None:
            fingerprint = "gather|" + self.engine.fingerprint()  # no corpus-wide data in it
            part_keys = _PartKeys(fingerprint, self.engine, digests)
            if all(path in digests for path in files):
                record_key = "run|" + result_key(content_digest("\0".join(files).encode()), fingerprint)
                record = _RunRecord.read(cache.get_record(record_key), len(files))
                if record is not None:
                    try:
                        updated = self._updated(files, record, part_keys, cache, digests, detectors,
                                                lambda: cache.get_record_index(record_key, record.index))
                    except (ValueError, KeyError, TypeError, AttributeError):
                        updated = None  # a damaged record: combined again
                    if updated is not None:
                        corpus, dependencies, fresh_record = updated
                        if fresh_record is not None and not self._moved:
                            cache.put_record(record_key, fresh_record.dumps())
                        return corpus, dependencies, dict(zip(files, (fresh_record or record).results))
        parts = self._parts(files, files, cache, part_keys, digests, names)
        try:
            totals = {name: detector.combine([parts[path][name] for path in files
                                                 if parts[path].get(name) is not None])
                      for detector, name in zip(detectors, names)}
            corpus = {name: detector.finish(totals[name]) for detector, name in zip(detectors, names)}
            self.engine.with_corpus(corpus)
            # what each file's findings read of it: part of its cache key (no cache, no key)
            dependencies = ({path: self.engine.corpus_dependency(parts[path]) for path in files}
                            if cache is not None else {})
        except Exception:
            if cache is None:
                raise
            return self._gather(files, None, digests)  # a damaged cached part: gather every file again
        result_keys: dict[str, str] = {}
        if record_key is not None and not self._moved:
            result_keys = {path: result_key(digests[path], self.engine.fingerprint_for(path, dependencies[path]))
                           for path in files}
            try:
                index = _key_index(detectors, [parts[path] for path in files])
                record = _RunRecord([digests[path] for path in files], [dependencies[path] for path in files],
                                    [result_keys[path] for path in files], dumps_plain(corpus),
                                    _encoded_totals(detectors, totals), content_digest(index) if index else "", [])
            except (TypeError, ValueError):
                record = None  # a share (or key) the plain encoding cannot hold: no record
            if record is not None:
                # the key index beside it, under the record's key: written when made, read when an edit changes
                # the corpus data (an edit rewrites the record, not the index)
                cache.put_record(record_key, record.dumps(), index=(record.index, index) if index else None)
        return corpus, dependencies, result_keys

    def _parts(self, files: list[str], todo_files: list[str], cache: ResultCache | None, part_keys: dict[str, str],
               digests: dict[str, str], names: list[str]) -> dict[str, dict]:
        """The shares of `todo_files`: from the per-file cache, else gathered (and then cached); the files gathered
        in this process are kept read for their check (_PREPARED)."""
        parts: dict[str, dict] = {}
        if cache is not None:
            wanted = [part_keys[path] for path in todo_files if path in part_keys]
            stored = cache.get_parts(wanted)
            parts = {path: stored[part_keys[path]] for path in todo_files if path in part_keys
                     and isinstance(stored.get(part_keys[path]), dict) and set(stored[part_keys[path]]) <= set(names)}
        todo = [path for path in todo_files if path not in parts]
        fresh: list[tuple[str, object]] = []
        jobs = self._jobs_for(todo)
        gathered = _map(self.engine, self.options, False, _gather_kept, todo, jobs)
        for path, (digest, part) in zip(todo, gathered):
            parts[path] = part
            if cache is not None and digest is not None and digest == digests.get(path):
                fresh.append((part_keys[path], part))
            elif digest is not None:
                self._moved.add(path)  # changed since it was hashed: its share is not the one its key names
        if cache is not None:
            cache.put_parts(fresh)
        return parts

    #: at most this share of the files edited, and the totals are updated; more, and they are combined again
    UPDATE_SHARE = 0.25

    def _updated(self, files: list[str], record: "_RunRecord", part_keys: dict[str, str], cache: ResultCache,
                 digests: dict[str, str], detectors: list, read_index: Callable[[], bytes | None],
                 ) -> tuple[dict, dict[str, str], "_RunRecord | None"] | None:
        """The corpus data and digests from the run's record, updated for the edited files, and the record to
        store (None: unchanged); None when the edit is too large or a detector cannot take shares out.
        `read_index`: the record's key index (_key_index), read only when the corpus data changed."""
        # (the record is of these files, with this fingerprint: a share key differs when the file's digest does)
        changed = [i for i, (old, path) in enumerate(zip(record.digests, files)) if old != digests[path]]
        if not changed:
            corpus = loads_plain(record.corpus)
            if not isinstance(corpus, dict) or set(corpus) != {d.name for d in detectors}:
                return None
            self.engine.with_corpus(corpus)
            return corpus, dict(zip(files, record.dependencies)), None
        if len(changed) > self.UPDATE_SHARE * len(files):
            return None
        names = [d.name for d in detectors]
        edited = sorted({files[i] for i in changed})
        new_parts = self._parts(files, edited, cache, part_keys, digests, names)
        # the edited files' old shares, from the per-file cache (the record names them; a share no longer there:
        # combined again)
        old_parts = self._stored_parts(cache, {i: part_keys.of(files[i], record.digests[i]) for i in changed},
                                       names)
        if old_parts is None:
            return None
        totals = _decoded_totals(record.totals)
        old_corpus = loads_plain(record.corpus)
        corpus = {}
        for detector, name in zip(detectors, names):
            removed = [old_parts[i][name] for i in changed if old_parts[i].get(name) is not None]
            added = [new_parts[files[i]][name] for i in changed if new_parts[files[i]].get(name) is not None]
            if detector.keyed:  # only the keys of the edited files' shares are decoded, updated and encoded again
                stored, finished = totals[name], old_corpus[name]
                if type(stored) is not dict or type(finished) is not dict:
                    return None
                touched = set().union(*removed, *added)
                total = detector.replace_shares({key: loads_plain(stored[key]) for key in touched if key in stored},
                                                removed, added)
                if total is None:
                    return None
                totals[name] = dict(stored)
                for key in touched:
                    if key in total:
                        totals[name][key] = dumps_plain(total[key])
                    else:
                        totals[name].pop(key, None)
                corpus[name] = {key: value for key, value in finished.items() if key not in touched}
                corpus[name].update(detector.finish(total))
            else:
                total = detector.replace_shares(loads_plain(totals[name]), removed, added)
                if total is None:
                    return None
                totals[name] = dumps_plain(total)
                corpus[name] = detector.finish(total)
        self.engine.with_corpus(corpus)
        if corpus == old_corpus:  # the same data: only the edited files' digests can change
            affected: set[int] | range = set(changed)
        else:  # and those of the files that read a part of it that changed
            affected = _affected(detectors, record, read_index(), old_corpus, corpus, changed, self.engine.context)
            if affected is None:  # not known: every file's
                affected = range(len(files))
        stored = self._stored_parts(cache, {i: part_keys[files[i]] for i in affected if files[i] not in new_parts},
                                    names)
        if stored is None:
            return None
        dependencies, results = list(record.dependencies), list(record.results)
        for i in affected:  # (every edited file among them)
            path = files[i]
            dependencies[i] = self.engine.corpus_dependency(new_parts[path] if path in new_parts else stored[i])
            results[i] = result_key(digests[path], self.engine.fingerprint_for(path, dependencies[i]))
        fresh = _RunRecord([digests[path] for path in files], dependencies, results, dumps_plain(corpus),
                           _marshalled(totals), record.index, sorted(set(record.stale) | set(changed)))
        return corpus, dict(zip(files, dependencies)), fresh

    @staticmethod
    def _stored_parts(cache: ResultCache, keys: dict[int, str], names: list[str]) -> dict[int, dict] | None:
        """The shares under `keys` (by position) in the per-file cache; None when one is missing or not a share."""
        if not keys:
            return {}
        stored = cache.get_parts(list(set(keys.values())))
        parts = {}
        for position, key in keys.items():
            part = stored.get(key)
            if not isinstance(part, dict) or not set(part) <= set(names):
                return None
            parts[position] = part
        return parts


def _encoded_totals(detectors: list, totals: dict) -> bytes:
    """The combined totals as the run's record keeps them: a keyed detector's key by key (a dict of dumps_plain
    bytes: an edit decodes the keys it touches only), the others' whole (dumps_plain bytes). TypeError (or
    ValueError) for a total the plain encoding cannot hold."""
    encoded: dict[str, object] = {}
    for detector in detectors:
        total = totals[detector.name]
        if detector.keyed:
            if type(total) is not dict or not all(type(key) is str or type(key) is int for key in total):
                raise TypeError("a keyed total is a dict with str or int keys")
            encoded[detector.name] = {key: dumps_plain(value) for key, value in total.items()}
        else:
            encoded[detector.name] = dumps_plain(total)
    return _marshalled(encoded)


def _marshalled(encoded: dict) -> bytes:
    import marshal

    return marshal.dumps(encoded)


def _decoded_totals(payload: bytes) -> dict:
    """What _encoded_totals made, its values still encoded: by detector, bytes or a dict of bytes. ValueError when
    it is not that."""
    import marshal

    try:
        totals = marshal.loads(payload)
    except (EOFError, TypeError) as error:
        raise ValueError(f"not a record's totals: {error}") from error
    if type(totals) is not dict or not all(
            type(entry) is bytes or type(entry) is dict and all(type(value) is bytes for value in entry.values())
            for entry in totals.values()):
        raise ValueError("not a record's totals")
    return totals


def _key_index(detectors: list, parts: list[dict]) -> bytes:
    """For each detector, each key of the corpus-wide data (`Detector.corpus_keys`) and the positions of the files
    whose `depends_on` reads it, as marshal bytes, each key's positions as marshal bytes of their own (an edit
    decodes those of the keys whose data changed only: CON001 has some 11,000 keys and 110,000 positions on the
    benchmark's 5,000 files); b"" when a detector does not say what it reads."""
    import marshal

    index = {}
    for detector in detectors:
        by_key: dict[str, list[int]] = {}
        for position, part in enumerate(parts):
            keys = detector.corpus_keys(part.get(detector.name))
            if keys is None:
                return b""
            for key in keys:
                by_key.setdefault(key, []).append(position)
        index[detector.name] = {key: marshal.dumps(found) for key, found in by_key.items()}
    return marshal.dumps(index)


def _affected(detectors: list, record: "_RunRecord", index_bytes: bytes | None, old: dict, new: dict,
              changed: list[int], ctx: Context) -> set[int] | None:
    """The positions of the files whose corpus dependency can differ between the corpus data `old` and `new`: the
    edited ones, those edited since the record's key index (`index_bytes`) was made (their keys may have
    changed), and those that read a key whose data changed; None when that is not known."""
    import marshal

    if not index_bytes:
        return None
    try:
        index = marshal.loads(index_bytes)
    except (EOFError, ValueError, TypeError):
        return None
    if type(index) is not dict:
        return None
    positions = set(changed) | set(record.stale)
    for detector in detectors:
        keys = detector.changed_keys(old.get(detector.name), new.get(detector.name), ctx)
        by_key = index.get(detector.name)
        if keys is None or type(by_key) is not dict:
            return None
        for key in keys:
            encoded = by_key.get(key)
            if encoded is None:
                continue  # no file read it when the index was made (those edited since are in `positions`)
            if type(encoded) is not bytes:
                return None
            try:
                found = marshal.loads(encoded)
            except (EOFError, ValueError, TypeError):
                return None
            if type(found) is not list or not all(type(p) is int and 0 <= p < len(record.digests) for p in found):
                return None
            positions.update(found)
    return positions


class _PartKeys(dict):
    """The key of each file's share in the per-file cache, by path (the paths of `digests` only), made when first
    asked: its content digest and the run's fingerprint (`gather|...`: no corpus-wide data in it) with the file's
    format, which decides what is gathered from it (its prose only). A run answered from its record asks those of
    the edited files alone."""

    def __init__(self, fingerprint: str, engine: Engine, digests: dict[str, str]):
        super().__init__()
        self.fingerprint, self.engine, self.digests = fingerprint, engine, digests

    def of(self, path: str, digest: str) -> str:
        """The key of the share of `path` when its content has that digest."""
        return result_key(digest, f"{self.fingerprint}|{self.engine.format_of(path)}")

    def __missing__(self, path: str) -> str:
        key = self[path] = self.of(path, self.digests[path])
        return key

    def __contains__(self, path: object) -> bool:
        return path in self.digests


@dataclass
class _RunRecord:
    """What a run of a set of files keeps of its corpus-wide data, by position in the files: each file's content
    digest (its share is in the per-file cache, under the key _PartKeys gives that digest), dependency digest and
    result key (what `result_key` gives the two); the corpus data and the
    combined totals as dumps_plain bytes (decoded only when needed); the digest of its key index (which files read
    which key of the corpus data: `_key_index`, made when the shares were last combined whole, stored beside the
    record and read only when an edit changes the corpus data; "" for none) and the positions of the files edited
    since (`stale`: the index may no longer say what they read)."""

    digests: list[str]
    dependencies: list[str]
    results: list[str]
    corpus: bytes
    totals: bytes
    index: str
    stale: list[int]

    def dumps(self) -> bytes:
        import marshal

        return marshal.dumps([self.digests, self.dependencies, self.results, self.corpus, self.totals, self.index,
                              self.stale])

    @classmethod
    def read(cls, payload: bytes | None, files: int) -> "_RunRecord | None":
        """The record in `payload` when it is one this code wrote for this many files, else None."""
        import marshal

        if payload is None:
            return None
        try:
            digests, dependencies, results, corpus, totals, index, stale = marshal.loads(payload)
        except (EOFError, ValueError, TypeError):
            return None
        lists = (digests, dependencies, results)
        if not (all(type(item) is list and len(item) == files for item in lists) and type(corpus) is bytes
                and type(totals) is bytes and type(index) is str and type(stale) is list
                and all(type(d) is str for d in digests) and all(type(d) is str for d in dependencies)
                and all(type(k) is str and k for k in results)
                and all(type(i) is int and 0 <= i < files for i in stale)):
            return None
        return cls(digests, dependencies, results, corpus, totals, index, stale)


def read_stdin() -> Document:
    return Document.from_bytes("-", sys.stdin.buffer.read())
