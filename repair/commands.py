"""What `repair check` and `repair fix` do, without a command-line library: their options declared as data, the
run, the report and the exit code.

repair.typer_app builds the command line's parameters (and --help) from these declarations; repair.cli's fast
path parses a plain `repair check FILE ...` (the pre-commit case) with them and runs it without importing typer or
rich (start-up time). Exit codes: 0 no findings, 1 findings, 2 usage or configuration error, 3 LanguageTool was on
but could not run (the other detectors' findings are still reported).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field, fields, replace
from typing import Any, Callable, List, Optional

from repair.model import Applicability
from repair.report import FORMATS, format_names

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, EXIT_INCOMPLETE, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


class UsageError(Exception):
    """A usage or configuration error: `repair: error: <message>` on stderr, exit code 2."""


class Interrupted(Exception):
    """The user interrupted the run (Ctrl-C): exit code 130."""


def _fail(message: str) -> None:
    raise UsageError(message)


def echo_error(message: str) -> None:
    """A line on stderr (notes and errors: the report goes to stdout)."""
    print(message, file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Param:
    """A command-line parameter: its flags (none: the positional argument), help, and default (... required);
    `count`: a flag that counts how often it is given (-q, -qq)."""

    flags: tuple[str, ...]
    help: str
    default: Any = None
    count: bool = False


def _param(default: Any, *flags: str, help: str, count: bool = False) -> Any:
    """A RunArgs field declared by its parameter (the parameter's default is the field's)."""
    declared = Param(tuple(flags), help, default, count)
    if default is ...:
        return field(metadata={"param": declared})
    return field(default=default, metadata={"param": declared})


def _split(values: Optional[List[str]]) -> Optional[tuple[str, ...]]:
    if not values:
        return None
    return tuple(token.strip() for value in values for token in value.split(",") if token.strip())


CONFIG = Param(("--config",), "Configuration file (default: nearest repair.toml or pyproject.toml).")


@dataclass(frozen=True)
class RunArgs:
    """The arguments `check` and `fix` share, declared once: the paths, then the options in --help order."""

    paths: List[str] = _param(..., help="Files or folders to check, or - for standard input.")
    select: Optional[List[str]] = _param(
        None, "--select", help="Rule codes, code prefixes or categories to run (comma-separated).")
    ignore: Optional[List[str]] = _param(
        None, "--ignore", help="Rule codes, code prefixes or categories to skip (comma-separated).")
    output_format: str = _param("text", "--format", help=f"Output format: {format_names()}.")
    language: Optional[str] = _param(None, "--language", help="Target language of the text (default en).")
    source_language: Optional[str] = _param(
        None, "--source-language", help="Language(s) it was translated from: fr, ru, ... or auto.")
    config: Optional[str] = _param(None, *CONFIG.flags, help=CONFIG.help)
    no_cache: bool = _param(False, "--no-cache", help="Do not read or write the result cache.")
    jobs: Optional[int] = _param(None, "--jobs", "-j", help="Worker processes (default: one per core).")
    quiet: int = _param(
        0, "--quiet", "-q", count=True,
        help="Print findings only: no progress, no summary; twice (-qq): print nothing, only the exit code.")
    statistics: bool = _param(False, "--statistics", help="Print a count per rule instead of each finding.")
    show_fixes: bool = _param(
        False, "--show-fixes", help="Show each finding's fix and its safety; with fix, what was fixed per file.")
    exit_zero: bool = _param(
        False, "--exit-zero", help="Exit with 0 even when there are findings (usage errors still exit 2, a "
                                   "LanguageTool that could not run 3).")
    no_languagetool: bool = _param(False, "--no-languagetool", help="Do not run LanguageTool.")
    languagetool_url: Optional[str] = _param(None, "--languagetool-url", help="Use this LanguageTool server.")
    languagetool_timeout: Optional[float] = _param(
        None, "--languagetool-timeout", help="Seconds a LanguageTool request may take (default 120).")
    one_publication: bool = _param(
        False, "--one-publication", help="The files are one publication: name spellings compared across them (CON001).")
    fail_on: Optional[str] = _param(
        None, "--fail-on", help="Lowest severity that makes the exit code 1: error, warning or info.")
    stdin_filename: Optional[str] = _param(
        None, "--stdin-filename", help="The name standard input stands for: its format (.md, .html, .srt...).")
    report_unused_suppressions: bool = _param(
        False, "--report-unused-suppressions", help="Report suppression comments that suppress nothing (SUP001).")
    # datasets (JSONL, Parquet, WARC/WET files named on the command line): repair.datasets
    text_field: str = _param("text", "--text-field", help="Datasets: the field holding the text.")
    id_field: str = _param(
        "id", "--id-field", help="Datasets: the field holding the record's id (default id; else its position).")
    output: Optional[str] = _param(
        None, "--output-file", "--output", "-o",
        help="Write the report to this file (any --format; atomically) instead of the terminal. "
             "Datasets: the output folder (findings, fixed records; a rerun resumes).")
    findings_format: str = _param("jsonl", "--findings-format", help="Datasets: findings as jsonl or parquet rows.")
    executor: str = _param("local", "--executor", help="Datasets: local or ray.")
    ray_address: Optional[str] = _param(
        None, "--ray-address", help="Datasets: the Ray cluster to join (default: start a local one).")
    shard_size: Optional[int] = _param(
        None, "--shard-size", help="Datasets: records per shard of an uncompressed JSONL or Parquet file (10000).")


#: each command's own options, after the paths in --help: name -> (type, parameter)
CHECK_OPTIONS: dict[str, tuple[Any, Param]] = {
    "baseline": (Optional[str], Param(
        ("--baseline",), "Report only findings not in this baseline file (see --write-baseline).")),
    "write_baseline": (Optional[str], Param(
        ("--write-baseline",), "Write the findings to this baseline file (and report them).")),
}
FIX_OPTIONS: dict[str, tuple[Any, Param]] = {
    "unsafe_fixes": (bool, Param(("--unsafe-fixes",), "Also apply fixes that may change the meaning.", False)),
    "diff": (bool, Param(("--diff",), "Write nothing; print the diff of what would change.", False)),
    "write_read_only": (bool, Param(("--write-read-only",), "Also write files that are read-only (their mode is kept).",
                                    False)),
    "interactive": (bool, Param(("--interactive", "-i"), "Review the unsafe fixes one by one (the same as `repair "
                                "review`).", False)),
}


def check(args: RunArgs, baseline: Optional[str] = None, write_baseline: Optional[str] = None) -> int:
    """Report every finding in the files, folders or standard input."""
    return _exit_code(args, _run(args, fix=False, baseline=baseline, write_baseline=write_baseline))


def fix(args: RunArgs, unsafe_fixes: bool = False, diff: bool = False, write_read_only: bool = False,
        interactive: bool = False) -> int:
    """Apply safe fixes in place (with - : read standard input, write the fixed text to standard output)."""
    if interactive:
        if diff:
            _fail("--interactive writes the fixes you accept; --diff writes nothing: use one of them")
        return review(args, include_safe=False, apply_safe=False, write_read_only=write_read_only)
    return _exit_code(args, _run(args, fix=True, unsafe=unsafe_fixes, diff=diff, write_read_only=write_read_only))


def _exit_code(args: RunArgs, code: int) -> int:
    """--exit-zero: findings (and unreadable files) exit 0; usage errors and an incomplete run keep theirs."""
    return EXIT_CLEAN if args.exit_zero and code == EXIT_FINDINGS else code


def review(args: RunArgs, *, include_safe: bool, apply_safe: bool, write_read_only: bool) -> int:
    """`repair review` and `repair fix --interactive`: the unsafe fixes one by one."""
    from rich.console import Console

    from repair.review_command import run_review
    from repair.rulesets import RuleSetError

    if "-" in args.paths:
        _fail("review reads and writes files: standard input (-) cannot be reviewed")
    settings = _settings(args)
    try:
        return run_review(settings, list(args.paths), include_safe=include_safe, apply_safe=apply_safe,
                          write_read_only=write_read_only, console=Console(highlight=False, markup=False))
    except (FileNotFoundError, RuleSetError, ValueError) as error:
        _fail(str(error))


def resolve(paths: list[str], config: Optional[str]):
    from repair.config import ConfigError, resolve_settings

    try:
        return resolve_settings(paths, config)
    except ConfigError as error:
        _fail(str(error))


def _settings(args: RunArgs):
    from repair.config import FAIL_ON

    settings = resolve(args.paths, args.config)
    if args.fail_on is not None and args.fail_on not in FAIL_ON:
        _fail(f"--fail-on must be one of {', '.join(FAIL_ON)}")
    language = args.language
    if language is not None:
        from repair.languages import UnknownLanguage, target_code

        try:
            language = target_code(language)
        except UnknownLanguage as error:
            _fail(f"--language: {error}")
    return settings.with_overrides(
        select=_split(args.select),
        ignore=_split(args.ignore),
        language=language,
        source_language=args.source_language,
        cache=False if args.no_cache else None,
        jobs=args.jobs,
        languagetool=False if args.no_languagetool else None,
        languagetool_url=args.languagetool_url,
        languagetool_timeout=args.languagetool_timeout,
        fail_on=args.fail_on,
        report_unused_suppressions=True if args.report_unused_suppressions else None,
        one_publication=True if args.one_publication else None,
    )


def _run(args: RunArgs, *, fix: bool, unsafe: bool = False, diff: bool = False, write_read_only: bool = False, baseline: str | None = None,
         write_baseline: str | None = None) -> int:
    from repair.config import ConfigError
    from repair.document import UnreadableFile
    from repair.files import collect
    from repair.rulesets import RuleSetError
    from repair.runner import RunOptions, Runner, read_stdin

    from repair.datasets import is_dataset_path

    if _interactive(args.quiet):
        from repair import status

        status.listen()  # starting LanguageTool, building the word table: said on the terminal
    if any(is_dataset_path(p) for p in args.paths) or args.executor != "local":
        from repair.datasets.cli import run_datasets

        return run_datasets(args, _settings(args), fix=fix, unsafe=unsafe, diff=diff, fail=_fail)
    settings = _settings(args)
    paths, output_format = args.paths, args.output_format
    if fix and not diff and "-" in paths and len(paths) > 1:
        _fail("standard input (-) cannot be fixed together with files: its fixed text would have nowhere to go; "
              "fix it alone (repair fix - < in.txt > out.txt), or use --diff")
    if output_format not in FORMATS:
        _fail(f"unknown format {output_format!r}: use {format_names()}")
    if args.output is not None and os.path.isdir(args.output):
        _fail(f"-o {args.output}: a folder; for files, -o names the report file (a folder is for datasets)")
    options = RunOptions(
        fix=fix,
        threshold=Applicability.UNSAFE if unsafe else Applicability.SAFE,
        write=fix and not diff and paths != ["-"],
        diff=diff,
        write_read_only=write_read_only,
        use_cache=settings.cache,
        jobs=settings.jobs,
    )
    try:
        files = collect(paths, settings.include, settings.exclude)
        runner = Runner(settings, options)
    except (FileNotFoundError, RuleSetError, ConfigError, ValueError) as error:
        _fail(str(error))
    stdin_doc = None
    if "-" in files:
        try:
            stdin_doc = read_stdin()
        except UnreadableFile as error:
            _fail(str(error))
        if args.stdin_filename:
            stdin_doc.format = runner.engine.format_of(args.stdin_filename)
    if _interactive(args.quiet):
        from repair import wordlists

        wordlists.prepare()  # built once, here, before worker processes start (and said: repair.status)
    progress = _progress(len(files), args.quiet)
    try:
        if progress is None:
            results = runner.run(files, stdin_doc, on_result=_notices_at_once(args.quiet))
        else:
            with progress:
                task = progress.add_task("checking", total=len(files))
                results = runner.run(files, stdin_doc,
                                     on_result=_notices_at_once(args.quiet, lambda: progress.advance(task)))
    except KeyboardInterrupt:
        raise Interrupted()
    if baseline or write_baseline:
        from repair import baseline as baselines

        try:
            if write_baseline:
                count = baselines.write(write_baseline, results)
                if not args.quiet:
                    echo_error(f"repair: wrote {count} findings to the baseline {write_baseline}")
            if baseline:
                baselines.subtract(results, baselines.load(baseline))
        except (baselines.BaselineError, OSError) as error:
            _fail(str(error))
    from repair.results import Display

    display = Display(quiet=args.quiet, statistics=args.statistics, show_fixes=args.show_fixes, unsafe_fixes=unsafe)
    return _report(results, runner, settings, fix=fix, diff=diff, output_format=output_format,
                   filter_mode=fix and paths == ["-"], stdin_doc=stdin_doc, unsafe=unsafe, output_file=args.output,
                   quiet=args.quiet, display=display)


def _notices_at_once(quiet: bool, advance: Callable[[], None] | None = None) -> Callable[[Any], None]:
    """A run's on_result: a service that could not run (LanguageTool) is said on stderr when it happens, not only
    in the report at the end of a long run."""
    shown: set[str] = set()

    def on_result(result) -> None:
        for notice in result.notices:
            if notice.source == "languagetool" and notice.message not in shown and not quiet:
                from repair.report import printable

                shown.add(notice.message)
                echo_error(f"repair: note: {printable(notice.message)}")
        if advance is not None:
            advance()

    return on_result


#: seconds a run goes on before its progress bar appears (a run shorter than this prints no bar)
PROGRESS_DELAY = 1.0


def _interactive(quiet: int) -> bool:
    """Whether a person watches standard error: a terminal, not CI, not --quiet. Only then progress and status."""
    return not quiet and sys.stderr.isatty() and not os.environ.get("CI")


def _progress(total: int, quiet: int):
    if not _interactive(quiet):
        return None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    return _LateProgress(Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                                  TimeRemainingColumn(), console=Console(stderr=True), transient=True))


class _LateProgress:
    """A rich progress bar that appears only once the run has lasted PROGRESS_DELAY seconds, whatever the number of
    files (one file waiting for LanguageTool to start is a long run too)."""

    def __init__(self, progress):
        import threading

        self.progress = progress
        self._lock = threading.Lock()
        self._timer = threading.Timer(PROGRESS_DELAY, self._show)
        self._timer.daemon = True
        self._shown = self._done = False

    def _show(self) -> None:
        with self._lock:
            if not self._done:
                self.progress.start()
                self._shown = True

    def add_task(self, description: str, total: int):
        return self.progress.add_task(description, total=total)

    def advance(self, task) -> None:
        self.progress.advance(task)

    def __enter__(self) -> "_LateProgress":
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()
        with self._lock:
            self._done = True
            if self._shown:
                self.progress.stop()


def _languagetool_status(results, runner, settings) -> tuple[dict, list[str]]:
    notices: list[str] = []
    for result in results:
        for notice in result.notices:
            if notice.message not in notices:
                notices.append(notice.message)
    if not settings.languagetool or "languagetool" not in runner.engine.services:
        return {"status": "off"}, notices
    skipped = [n.message for r in results for n in r.notices if n.source == "languagetool"]
    if skipped:
        return {"status": "skipped", "reason": skipped[0]}, notices
    return {"status": "ok"}, notices


def _report(results, runner, settings, *, fix, diff, output_format, filter_mode, stdin_doc, display, unsafe=False,
            output_file=None, quiet=False) -> int:
    from repair.model import Severity
    from repair.results import Report

    languagetool, notices = _languagetool_status(results, runner, settings)
    command = "diff" if diff else ("fix" if fix else "check")
    reporter = FORMATS[output_format]
    texts = {}
    if reporter.shows_text:
        from repair.runner import texts_of

        texts = texts_of(results, stdin_doc)
    report = Report(results, command, notices, languagetool, rules=runner.rules(), unsafe_fixes=unsafe, texts=texts,
                    display=display)
    out = sys.stdout
    if filter_mode and not diff:
        # a filter: the fixed text on stdout, in the input's encoding; findings go to stderr
        result = results[0]
        text = result.fixed if result.fixed is not None else stdin_doc.text
        sys.stdout.buffer.write(stdin_doc.encoding.encode(text))
        sys.stdout.flush()
        out = sys.stderr
    if output_file is not None:
        from repair.files import WriteRefused
        from repair.report import printable, write_report

        try:
            # -q / -qq quiet the terminal, never the report file
            write_report(reporter.render(replace(report, display=replace(report.display, quiet=0))), output_file)
        except WriteRefused as error:
            _fail(str(error))
        if not quiet:
            summary = report.summary()
            echo_error(f"repair: report written to {printable(output_file)} ({summary['findings']} finding"
                       f"{'s' if summary['findings'] != 1 else ''} in {summary['files']} file"
                       f"{'s' if summary['files'] != 1 else ''})")
    elif diff and output_format == "text":
        _write_diff_report(report)
    elif reporter.terminal and out.isatty():
        from rich.console import Console

        reporter.print(report, Console(file=out))
    else:
        out.write(reporter.render(report))
    threshold = Severity(settings.fail_on).rank
    if languagetool.get("status") == "skipped":
        return EXIT_INCOMPLETE
    if any(r.error for r in results):
        return EXIT_FINDINGS
    if diff:  # as ruff: 1 when the diff is not empty (unsafe edits count with --unsafe-fixes); fixes that only
        # --unsafe-fixes would make leave it 0, and the summary says how many there are
        return EXIT_FINDINGS if any(r.changed for r in results) else EXIT_CLEAN
    failing = any(item.finding.severity.rank >= threshold for item in report.findings)
    return EXIT_FINDINGS if failing else EXIT_CLEAN




def _write_diff_report(report) -> None:
    """`fix --diff` as ruff does it: the patch alone on stdout (`repair fix --diff > fixes.patch` applies), the
    findings left and the summary on stderr."""
    from repair.report import text

    for stream, plain, coloured in ((sys.stdout, text.render_diff, text.print_diff),
                                    (sys.stderr, text.render_notes, text.print_notes)):
        if stream.isatty():
            from rich.console import Console

            coloured(report, Console(file=stream))
        else:
            stream.write(plain(report))
            stream.flush()


# --- the fast path: `repair check|fix PATH... [options]` parsed without typer ------------------------------------
COMMANDS: dict[str, tuple[Callable[..., int], dict[str, tuple[Any, Param]]]] = {
    "check": (check, CHECK_OPTIONS),
    "fix": (fix, FIX_OPTIONS),
}


def parse(argv: list[str]) -> tuple[Callable[..., int], RunArgs, dict[str, Any]] | None:
    """`check` or `fix` with their paths and options as typer would read them, or None for anything else (help,
    another command, an unknown or malformed option, a value that does not convert, a dataset run): typer then
    parses it and says what is wrong. Long options as `--name value` or `--name=value`, short ones as `-j 2`."""
    if not argv or argv[0] not in COMMANDS:
        return None
    from typing import get_type_hints

    command, own = COMMANDS[argv[0]]
    hints = get_type_hints(RunArgs)
    by_flag: dict[str, tuple[str, Any, bool]] = {}  # flag -> (name, type, shared)
    counted = set()
    for item in fields(RunArgs)[1:]:
        if item.metadata["param"].count:
            counted.add(item.name)
        for flag in item.metadata["param"].flags:
            by_flag[flag] = (item.name, hints[item.name], True)
    for name, (kind, param) in own.items():
        for flag in param.flags:
            by_flag[flag] = (name, kind, False)
    shared: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    paths: list[str] = []
    tokens = iter(argv[1:])
    for token in tokens:
        if token == "--":
            paths.extend(tokens)
            break
        if token == "-" or not token.startswith("-"):
            paths.append(token)
            continue
        flag, equals, inline = token.partition("=")
        if flag not in by_flag or (equals and not flag.startswith("--")):
            return None
        name, kind, is_shared = by_flag[flag]
        target = shared if is_shared else extra
        if name in counted:
            if equals:
                return None
            target[name] = target.get(name, 0) + 1
            continue
        if kind is bool:
            if equals:
                return None
            target[name] = True
            continue
        value = inline if equals else next(tokens, None)
        if value is None or not equals and value.startswith("-") and value != "-":
            return None
        try:
            if kind in (int, Optional[int]):
                value = int(value)
            elif kind in (float, Optional[float]):
                value = float(value)
        except ValueError:
            return None
        if kind in (List[str], Optional[List[str]]):
            target.setdefault(name, []).append(value)
        else:
            target[name] = value
    if not paths:
        return None
    args = RunArgs(paths=paths, **shared)
    from repair.datasets import is_dataset_path

    if any(is_dataset_path(p) for p in paths) or args.executor != "local":
        return None  # datasets: their own command-line code (typer's)
    if extra.get("interactive"):
        return None  # review: typer's
    return command, args, extra


def run_parsed(command: Callable[..., int], args: RunArgs, extra: dict[str, Any]) -> int:
    """Run a parsed command: its exit code (usage errors said on stderr, as typer's commands do)."""
    try:
        return command(args, **extra)
    except UsageError as error:
        echo_error(f"repair: error: {error}")
        return EXIT_USAGE
    except Interrupted:
        return EXIT_INTERRUPTED
