"""`repair languagetool status|start|stop|path`: see and manage the warm LanguageTool server."""

from __future__ import annotations

import time

import typer

from repair.languagetool import LANGUAGETOOL_VERSION, LanguageToolUnavailable
from repair.languagetool import server

app = typer.Typer(
    name="languagetool",
    help="Manage the warm LanguageTool server repair starts on loopback (one per user).",
    no_args_is_help=True,
    add_completion=False,
)


def _mb(value: int | None) -> str:
    return "?" if value is None else f"{value / 1_048_576:.0f} MB"


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


@app.command()
def status() -> None:
    """Show whether the warm server runs: pid, port, version, memory, idle time."""
    info = server.status()
    if info is None:
        typer.echo("LanguageTool server: not running (it starts on the next `repair check`)")
        return
    answering = server.responds(info.url, timeout=3.0)
    idle = info.idle_seconds()
    stop_in = None if idle is None or info.idle_minutes <= 0 else max(0.0, info.idle_minutes * 60 - idle)
    typer.echo(f"LanguageTool server: running{'' if answering else ' (not answering)'}")
    typer.echo(f"  url      {info.url}")
    typer.echo(f"  pid      {info.pid}")
    typer.echo(f"  version  {info.version}")
    typer.echo(f"  jars     {info.home}")
    typer.echo(f"  memory   {_mb(server.memory_bytes(info.pid))} resident")
    typer.echo(f"  uptime   {_duration(time.time() - info.started)}")
    typer.echo(f"  idle     {_duration(idle)}" + (f" (stops after {_duration(stop_in)} more)" if stop_in is not None else ""))


@app.command()
def start(
    timeout: float = typer.Option(server.DEFAULT_START_TIMEOUT, help="Seconds to wait for the server to answer."),
    idle_minutes: float = typer.Option(
        server.DEFAULT_IDLE_MINUTES, "--idle-minutes", help="Stop the server after this many idle minutes (0: never)."
    ),
) -> None:
    """Start the warm server now (repair check also starts it on first use)."""
    try:
        info = server.ensure_running(timeout=timeout, idle_minutes=idle_minutes)
    except LanguageToolUnavailable as error:
        typer.echo(f"repair: LanguageTool: {error}", err=True)
        raise typer.Exit(2)
    typer.echo(f"LanguageTool {info.version} listening on {info.url} (pid {info.pid})")


@app.command()
def stop() -> None:
    """Stop the warm server (and its idle watchdog)."""
    info = server.stop()
    if info is None:
        typer.echo("LanguageTool server: not running")
    else:
        typer.echo(f"LanguageTool server stopped (pid {info.pid}, port {info.port})")


@app.command()
def path() -> None:
    """Show which LanguageTool jars repair would run, and how big they are."""
    try:
        found = server.find_installation()
    except LanguageToolUnavailable as error:
        typer.echo(f"repair: LanguageTool: {error}", err=True)
        raise typer.Exit(2)
    typer.echo(f"LanguageTool {found.version} ({found.origin}): {found.home}")
    typer.echo(f"  {found.jar_count()} jars, {_mb(found.size_bytes())}; pinned version {LANGUAGETOOL_VERSION}")
