"""The command line, by typer: repair check | fix | rules | rule | languagetool, with --help and typer's messages
for what it cannot parse. The options are declared in repair.commands (which runs check and fix); a plain
`repair check FILE` does not come here at all (repair.cli's fast path).
"""

from __future__ import annotations

import functools
import inspect
from dataclasses import fields
from typing import Any, Callable, List, Optional, get_type_hints

import typer

from repair import commands
from repair.commands import CHECK_OPTIONS, CONFIG, FIX_OPTIONS, EXIT_USAGE, Interrupted, Param, RunArgs, UsageError

app = typer.Typer(
    name="repair",
    help="Find and fix the damage machine translation and web scraping leave in text.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _typer_param(param: Param) -> Any:
    if not param.flags:
        return typer.Argument(param.default, help=param.help)
    if param.count:
        return typer.Option(param.default, *param.flags, help=param.help, count=True)
    return typer.Option(param.default, *param.flags, help=param.help)


def _fail(message: str) -> None:
    typer.echo(f"repair: error: {message}", err=True)
    raise typer.Exit(EXIT_USAGE)


def _exit_with(run: Callable[[], int]) -> None:
    try:
        code = run()
    except UsageError as error:
        _fail(str(error))
    except Interrupted:
        raise typer.Exit(commands.EXIT_INTERRUPTED)
    raise typer.Exit(code)


def run_command(function: Callable[..., int], own: dict[str, tuple[Any, Param]]) -> Callable[..., None]:
    """A typer command running `function(args: RunArgs, **own options)`: its signature, as typer reads it, is the
    paths, the command's own options, then the shared options (RunArgs), all declared in repair.commands."""
    hints = get_type_hints(RunArgs)
    shared = [inspect.Parameter(f.name, inspect.Parameter.KEYWORD_ONLY, default=_typer_param(f.metadata["param"]),
                                annotation=hints[f.name]) for f in fields(RunArgs)]
    mine = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=_typer_param(param), annotation=kind)
            for name, (kind, param) in own.items()]
    parameters = [shared[0], *mine, *shared[1:]]
    names = [f.name for f in fields(RunArgs)]

    @functools.wraps(function)
    def command(**values: Any) -> None:
        args = RunArgs(**{name: values.pop(name) for name in names})
        _exit_with(lambda: function(args, **values))

    del command.__wrapped__  # typer reads the signature below, not the function's own
    command.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in parameters}
    return command


def _print_version(value: bool) -> None:
    if value:
        from repair import __version__

        typer.echo(f"repair {__version__}")
        raise typer.Exit(commands.EXIT_CLEAN)


@app.callback()
def _main(version: bool = typer.Option(False, "--version", "-V", callback=_print_version, is_eager=True,
                                       help="Print repair's version and exit.")) -> None:
    """Find and fix the damage machine translation and web scraping leave in text."""


app.command("check")(run_command(commands.check, CHECK_OPTIONS))
app.command("fix")(run_command(commands.fix, FIX_OPTIONS))


def _shared(name: str) -> Any:
    return _typer_param(RunArgs.__dataclass_fields__[name].metadata["param"])


@app.command()
def review(
    paths: List[str] = typer.Argument(..., help="Files or folders to review."),
    all_fixes: bool = typer.Option(False, "--all", help="Ask about the safe fixes too."),
    apply_safe: bool = typer.Option(False, "--apply-safe",
                                    help="Apply the safe fixes first, as `repair fix` does (default: leave them)."),
    select: Optional[List[str]] = _shared("select"),
    ignore: Optional[List[str]] = _shared("ignore"),
    language: Optional[str] = _shared("language"),
    source_language: Optional[str] = _shared("source_language"),
    config: Optional[str] = _typer_param(CONFIG),
    no_languagetool: bool = _shared("no_languagetool"),
    write_read_only: bool = typer.Option(False, "--write-read-only",
                                         help="Also write files that are read-only (their mode is kept)."),
) -> None:
    """Review the unsafe fixes one by one: y accept, n reject, a all of this rule, s skip the file, q quit."""
    args = RunArgs(paths=paths, select=select, ignore=ignore, language=language, source_language=source_language,
                   config=config, no_languagetool=no_languagetool)
    _exit_with(lambda: commands.review(args, include_safe=all_fixes, apply_safe=apply_safe,
                                       write_read_only=write_read_only))

ConfigOption = _typer_param(CONFIG)


def _resolve(paths: list[str], config: Optional[str]):
    try:
        return commands.resolve(paths, config)
    except UsageError as error:
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


def main(argv: list[str]) -> None:
    if not argv or argv[0] in ("languagetool", "-h", "--help"):
        _mount_languagetool()  # only where it is used or listed: it costs start-up time
    app()
