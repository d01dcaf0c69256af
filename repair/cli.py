"""The command line: repair check | fix | rules | rule | languagetool.

Exit codes: 0 no findings, 1 findings, 2 usage or configuration error,
3 LanguageTool was on but could not run (the other detectors' findings are still reported).
"""

from __future__ import annotations

import functools
import inspect
import os
import sys
from dataclasses import dataclass, field, fields, replace
from typing import Any, Callable, List, Optional, get_type_hints

import typer

from repair.model import Applicability
from repair.report import FORMATS, format_names

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, EXIT_INCOMPLETE = 0, 1, 2, 3

app = typer.Typer(
    name="repair",
    help="Find and fix the damage machine translation and web scraping leave in text.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _fail(message: str) -> None:
    typer.echo(f"repair: error: {message}", err=True)
    raise typer.Exit(EXIT_USAGE)


def _split(values: Optional[List[str]]) -> Optional[tuple[str, ...]]:
    if not values:
        return None
    return tuple(token.strip() for value in values for token in value.split(",") if token.strip())


ConfigOption = typer.Option(None, "--config", help="Configuration file (default: nearest repair.toml or pyproject.toml).")


def _param(info) -> Any:
    """A RunArgs field declared by its typer parameter (the parameter's default is the field's)."""
    if info.default is ...:
        return field(metadata={"param": info})
    return field(default=info.default, metadata={"param": info})


@dataclass(frozen=True)
class RunArgs:
    """The arguments `check` and `fix` share, declared once: the paths, then the options in --help order."""

    paths: List[str] = _param(typer.Argument(..., help="Files or folders to check, or - for standard input."))
    select: Optional[List[str]] = _param(typer.Option(
        None, "--select", help="Rule codes, code prefixes or categories to run (comma-separated)."))
    ignore: Optional[List[str]] = _param(typer.Option(
        None, "--ignore", help="Rule codes, code prefixes or categories to skip (comma-separated)."))
    output_format: str = _param(typer.Option("text", "--format", help=f"Output format: {format_names()}."))
    language: Optional[str] = _param(typer.Option(None, "--language", help="Target language of the text (default en)."))
    source_language: Optional[str] = _param(typer.Option(
        None, "--source-language", help="Language(s) it was translated from: fr, ru, ... or auto."))
    config: Optional[str] = _param(ConfigOption)
    no_cache: bool = _param(typer.Option(False, "--no-cache", help="Do not read or write the result cache."))
    jobs: Optional[int] = _param(typer.Option(None, "--jobs", "-j", help="Worker processes (default: one per core)."))
    quiet: int = _param(typer.Option(
        0, "--quiet", "-q", count=True,
        help="Print findings only: no progress, no summary; twice (-qq): print nothing, only the exit code."))
    statistics: bool = _param(typer.Option(
        False, "--statistics", help="Print a count per rule instead of each finding."))
    show_fixes: bool = _param(typer.Option(
        False, "--show-fixes", help="Show each finding's fix and its safety; with fix, what was fixed per file."))
    exit_zero: bool = _param(typer.Option(
        False, "--exit-zero", help="Exit with 0 even when there are findings (usage errors still exit 2, a "
                                   "LanguageTool that could not run 3)."))
    no_languagetool: bool = _param(typer.Option(False, "--no-languagetool", help="Do not run LanguageTool."))
    languagetool_url: Optional[str] = _param(typer.Option(
        None, "--languagetool-url", help="Use this LanguageTool server."))
    languagetool_timeout: Optional[float] = _param(typer.Option(
        None, "--languagetool-timeout", help="Seconds a LanguageTool request may take (default 30)."))
    one_publication: bool = _param(typer.Option(
        False, "--one-publication", help="The files are one publication: name spellings compared across them (CON001)."))
    fail_on: Optional[str] = _param(typer.Option(
        None, "--fail-on", help="Lowest severity that makes the exit code 1: error, warning or info."))
    stdin_filename: Optional[str] = _param(typer.Option(
        None, "--stdin-filename", help="The name standard input stands for: its format (.md, .html, .srt...)."))
    report_unused_suppressions: bool = _param(typer.Option(
        False, "--report-unused-suppressions", help="Report suppression comments that suppress nothing (SUP001)."))
    # datasets (JSONL, Parquet, WARC/WET files named on the command line): repair.datasets
    text_field: str = _param(typer.Option("text", "--text-field", help="Datasets: the field holding the text."))
    id_field: str = _param(typer.Option(
        "id", "--id-field", help="Datasets: the field holding the record's id (default id; else its position)."))
    output: Optional[str] = _param(typer.Option(
        None, "--output-file", "--output", "-o",
        help="Write the report to this file (any --format; atomically) instead of the terminal. "
             "Datasets: the output folder (findings, fixed records; a rerun resumes)."))
    findings_format: str = _param(typer.Option(
        "jsonl", "--findings-format", help="Datasets: findings as jsonl or parquet rows."))
    executor: str = _param(typer.Option("local", "--executor", help="Datasets: local or ray."))
    ray_address: Optional[str] = _param(typer.Option(
        None, "--ray-address", help="Datasets: the Ray cluster to join (default: start a local one)."))
    shard_size: Optional[int] = _param(typer.Option(
        None, "--shard-size", help="Datasets: records per shard of an uncompressed JSONL or Parquet file (10000)."))


def run_command(function: Callable[..., None]) -> Callable[..., None]:
    """Give a command the arguments of RunArgs: the command is written `def name(args: RunArgs, <own options>)`;
    its signature, as typer reads it, becomes the paths, its own options, then the shared options, and the
    command receives the shared ones as one RunArgs."""
    hints = get_type_hints(RunArgs)
    shared = [inspect.Parameter(f.name, inspect.Parameter.KEYWORD_ONLY, default=f.metadata["param"],
                                annotation=hints[f.name]) for f in fields(RunArgs)]
    own = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY)
           for p in list(inspect.signature(function, eval_str=True).parameters.values())[1:]]
    parameters = [shared[0], *own, *shared[1:]]
    names = [f.name for f in fields(RunArgs)]

    @functools.wraps(function)
    def command(**values: Any) -> None:
        args = RunArgs(**{name: values.pop(name) for name in names})
        function(args, **values)

    del command.__wrapped__  # typer reads the signature below, not the function's own
    command.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in parameters}
    return command


def _resolve(paths: list[str], config: Optional[str]):
    from repair.config import ConfigError, resolve_settings

    try:
        return resolve_settings(paths, config)
    except ConfigError as error:
        _fail(str(error))


def _settings(args: RunArgs):
    from repair.config import FAIL_ON

    settings = _resolve(args.paths, args.config)
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
        raise typer.Exit(130)
    if baseline or write_baseline:
        from repair import baseline as baselines

        try:
            if write_baseline:
                count = baselines.write(write_baseline, results)
                if not args.quiet:
                    typer.echo(f"repair: wrote {count} findings to the baseline {write_baseline}", err=True)
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
                typer.echo(f"repair: note: {printable(notice.message)}", err=True)
        if advance is not None:
            advance()

    return on_result


#: seconds a run goes on before its progress bar appears (a run shorter than this prints no bar)
PROGRESS_DELAY = 1.0


def _interactive(quiet: int) -> bool:
    """Whether a person watches standard error: a terminal, not CI, not --quiet. Only then progress and status."""
    import os

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
            typer.echo(f"repair: report written to {printable(output_file)} ({summary['findings']} finding"
                       f"{'s' if summary['findings'] != 1 else ''} in {summary['files']} file"
                       f"{'s' if summary['files'] != 1 else ''})", err=True)
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


def _print_version(value: bool) -> None:
    if value:
        from repair import __version__

        typer.echo(f"repair {__version__}")
        raise typer.Exit(EXIT_CLEAN)


@app.callback()
def _main(version: bool = typer.Option(False, "--version", "-V", callback=_print_version, is_eager=True,
                                       help="Print repair's version and exit.")) -> None:
    """Find and fix the damage machine translation and web scraping leave in text."""


@app.command()
@run_command
def check(
    args: RunArgs,
    baseline: Optional[str] = typer.Option(
        None, "--baseline", help="Report only findings not in this baseline file (see --write-baseline)."),
    write_baseline: Optional[str] = typer.Option(
        None, "--write-baseline", help="Write the findings to this baseline file (and report them)."),
) -> None:
    """Report every finding in the files, folders or standard input."""
    raise typer.Exit(_exit_code(args, _run(args, fix=False, baseline=baseline, write_baseline=write_baseline)))


@app.command()
@run_command
def fix(
    args: RunArgs,
    unsafe_fixes: bool = typer.Option(False, "--unsafe-fixes", help="Also apply fixes that may change the meaning."),
    diff: bool = typer.Option(False, "--diff", help="Write nothing; print the diff of what would change."),
    write_read_only: bool = typer.Option(False, "--write-read-only",
                                         help="Also write files that are read-only (their mode is kept)."),
    interactive: bool = typer.Option(False, "--interactive", "-i",
                                     help="Review the unsafe fixes one by one (the same as `repair review`)."),
) -> None:
    """Apply safe fixes in place (with - : read standard input, write the fixed text to standard output)."""
    if interactive:
        if diff:
            _fail("--interactive writes the fixes you accept; --diff writes nothing: use one of them")
        raise typer.Exit(_review(args, include_safe=False, apply_safe=False, write_read_only=write_read_only))
    raise typer.Exit(_exit_code(args, _run(args, fix=True, unsafe=unsafe_fixes, diff=diff,
                                           write_read_only=write_read_only)))


def _exit_code(args: RunArgs, code: int) -> int:
    """--exit-zero: findings (and unreadable files) exit 0; usage errors and an incomplete run keep theirs."""
    return EXIT_CLEAN if args.exit_zero and code == EXIT_FINDINGS else code


@app.command()
def review(
    paths: List[str] = typer.Argument(..., help="Files or folders to review."),
    all_fixes: bool = typer.Option(False, "--all", help="Ask about the safe fixes too."),
    apply_safe: bool = typer.Option(False, "--apply-safe",
                                    help="Apply the safe fixes first, as `repair fix` does (default: leave them)."),
    select: Optional[List[str]] = RunArgs.__dataclass_fields__["select"].metadata["param"],
    ignore: Optional[List[str]] = RunArgs.__dataclass_fields__["ignore"].metadata["param"],
    language: Optional[str] = RunArgs.__dataclass_fields__["language"].metadata["param"],
    source_language: Optional[str] = RunArgs.__dataclass_fields__["source_language"].metadata["param"],
    config: Optional[str] = ConfigOption,
    no_languagetool: bool = RunArgs.__dataclass_fields__["no_languagetool"].metadata["param"],
    write_read_only: bool = typer.Option(False, "--write-read-only",
                                         help="Also write files that are read-only (their mode is kept)."),
) -> None:
    """Review the unsafe fixes one by one: y accept, n reject, a all of this rule, s skip the file, q quit."""
    args = RunArgs(paths=paths, select=select, ignore=ignore, language=language, source_language=source_language,
                   config=config, no_languagetool=no_languagetool)
    raise typer.Exit(_review(args, include_safe=all_fixes, apply_safe=apply_safe, write_read_only=write_read_only))


def _review(args: RunArgs, *, include_safe: bool, apply_safe: bool, write_read_only: bool) -> int:
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


@app.command("rules")
def list_rules(
    config: Optional[str] = ConfigOption,
    output_format: str = typer.Option("text", "--format", help="text or json"),
) -> None:
    """List every rule: code, name, category, severity and fix availability."""
    from repair.registry import all_rules
    from repair.rulesets import RuleSetError

    settings = _resolve(["."], config)
    try:
        rules = all_rules(settings)
    except RuleSetError as error:
        _fail(str(error))
    if output_format == "json":
        import json

        typer.echo(json.dumps([
            {"code": r.code, "name": r.name, "category": r.category.value, "severity": r.severity.value,
             "fix": r.fix_label, "summary": r.summary, "origin": r.origin} for r in rules
        ], ensure_ascii=False, indent=2))
        return
    width = max(len(r.name) for r in rules)
    typer.echo(f"{'CODE':<7} {'NAME':<{width}} {'CATEGORY':<14} {'SEVERITY':<8} FIX")
    for r in rules:
        typer.echo(f"{r.code:<7} {r.name:<{width}} {r.category.value:<14} {r.severity.value:<8} {r.fix_label}")


@app.command("rule")
def explain_rule(code: str = typer.Argument(..., help="A rule code, such as ENC001."),
                 config: Optional[str] = ConfigOption) -> None:
    """Explain one rule, with its bad and good example."""
    from repair.registry import all_rules

    settings = _resolve(["."], config)
    rule = next((r for r in all_rules(settings) if r.code == code.upper()), None)
    if rule is None:
        _fail(f"no rule {code!r} (see `repair rules`)")
    lines = [
        f"{rule.code} {rule.name}",
        "",
        f"What it does: {rule.summary}",
    ]
    if rule.why:
        lines.append(f"Why: {rule.why}")
    lines.append(f"Category: {rule.category.value}; severity: {rule.severity.value}; fix: {rule.fix_label}; "
                 f"from: {rule.origin}")
    for example in rule.examples:
        lines += ["", "Bad:", _indent(example.bad), "Good:", _indent(example.good)]
    typer.echo("\n".join(lines))


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.rstrip("\n").splitlines())


def _mount_languagetool() -> None:
    try:
        from repair.languagetool.cli import app as languagetool_app
    except ImportError:
        return
    app.add_typer(languagetool_app, name="languagetool", help="See, start or stop the warm LanguageTool server.")


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] in ("languagetool", "-h", "--help"):
        _mount_languagetool()  # only where it is used or listed: it costs start-up time
    app()


if __name__ == "__main__":
    main()
