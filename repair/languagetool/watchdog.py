"""The idle watchdog of the warm LanguageTool server, started detached by repair.languagetool.server:

    python -m repair.languagetool.watchdog --pid PID --idle-seconds S --state FILE --activity FILE \
        [--startup-grace S]

It stops the server once no run has touched the activity file for `--idle-seconds`, or once the server is
still not in the state file `--startup-grace` seconds after the watchdog started (the run that started it died
or gave up: an orphan), then removes the state file if it names that server. It ends when the server ends,
whoever stopped it.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import psutil

from repair.languagetool.server import alive, forget, is_languagetool, terminate


def registered(state: Path, pid: int) -> bool:
    try:
        return json.loads(state.read_text(encoding="utf-8")).get("pid") == pid
    except (OSError, ValueError, AttributeError):
        return False


def last_activity(activity: Path) -> float:
    try:
        return os.path.getmtime(activity)
    except OSError:
        return 0.0


def watch(pid: int, idle_seconds: float, state: Path, activity: Path, startup_grace: float) -> None:
    try:
        server = psutil.Process(pid)
    except psutil.Error:
        return
    began = time.time()
    step = max(1.0, min(30.0, idle_seconds / 4))
    while alive(server):
        time.sleep(step)
        if not registered(state, pid):
            if time.time() - began < startup_grace:
                continue
        elif time.time() - last_activity(activity) < idle_seconds:
            continue
        if alive(server) and is_languagetool(server):
            terminate(server)
        forget(state, pid)
        return


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m repair.languagetool.watchdog", description=__doc__.split("\n\n")[0])
    parser.add_argument("--pid", type=int, required=True, help="The LanguageTool server's process id.")
    parser.add_argument("--idle-seconds", type=float, required=True, help="Stop it after this long unused.")
    parser.add_argument("--state", type=Path, required=True, help="The server's state file (it names the pid).")
    parser.add_argument("--activity", type=Path, required=True, help="The file runs touch when they use the server.")
    parser.add_argument("--startup-grace", type=float, default=120.0,
                        help="Stop a server that is not in the state file after this long.")
    args = parser.parse_args(argv)
    watch(args.pid, args.idle_seconds, args.state, args.activity, args.startup_grace)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
