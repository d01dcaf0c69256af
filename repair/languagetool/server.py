"""The warm LanguageTool server: one per user, on loopback, found again by the next run.

Where the jars come from, in order:

1. ``$REPAIR_LANGUAGETOOL_HOME`` (a directory of jars, a directory holding ``target/lib``,
   or an unpacked LanguageTool zip with ``languagetool-server.jar``);
2. ``<repo>/languagetool/target/lib`` (what ``make languagetool`` fetches from Maven Central);
3. ``<user data>/repair/languagetool/lib`` (platformdirs: ``~/.local/share/...`` on Linux), for installed copies.

The server runs detached (its own session) so that it outlives the run that started it. Its pid, port and
version are kept in ``<home>/languagetool-server.json`` (repair.dirs); a detached watchdog
(repair.languagetool.watchdog) stops it after ``idle_minutes`` without a run touching
``<home>/languagetool-server.activity``. A file lock serialises starts, so two parallel runs never start two
servers. psutil tells whether a pid is still our Java server (not a recycled pid) and stops processes.
"""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterator

import filelock
import psutil

from repair import dirs
from repair.status import say as say_status
from repair.languagetool import LanguageToolUnavailable
from repair.languagetool.client import server_languages
from repair.languagetool.installation import (  # noqa: F401 (the server's API)
    PROJECT_LIB, REPO_ROOT, Installation, _installation_in, find_installation, user_lib)

SERVER_CLASS = "org.languagetool.server.HTTPServer"
WATCHDOG_MODULE = "repair.languagetool.watchdog"
DEFAULT_IDLE_MINUTES = 15.0
DEFAULT_START_TIMEOUT = 90.0

_STATE = "languagetool-server.json"
_LOCK = "languagetool-server.lock"
_ACTIVITY = "languagetool-server.activity"
_LOG = "languagetool-server.log"
_WATCHDOG_LOG = "languagetool-watchdog.log"


# --------------------------------------------------------------------------- paths


def folder() -> Path:
    """repair's home folder (REPAIR_HOME), where the server's state, lock, activity file and log are."""
    return dirs.ensure(dirs.home())


def find_java() -> str:
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        candidate = Path(java_home) / "bin" / ("java.exe" if os.name == "nt" else "java")
        if candidate.is_file():
            return str(candidate)
    found = shutil.which("java")
    if not found:
        raise LanguageToolUnavailable("Java not found: LanguageTool needs Java 17 or later on PATH (or JAVA_HOME)")
    return found


# --------------------------------------------------------------------------- state


@dataclass
class ServerInfo:
    pid: int
    port: int
    version: str
    home: str
    started: float
    watchdog_pid: int | None = None
    idle_minutes: float = DEFAULT_IDLE_MINUTES
    #: the server process's start time (psutil's create_time), so that a recycled pid is never taken for it
    process_started: float | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def idle_seconds(self) -> float | None:
        try:
            return max(0.0, time.time() - (folder() / _ACTIVITY).stat().st_mtime)
        except OSError:
            return None


def state_path() -> Path:
    return folder() / _STATE


def _read_state() -> ServerInfo | None:
    try:
        return ServerInfo(**json.loads(state_path().read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def _write_state(info: ServerInfo) -> None:
    path = state_path()
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(info), indent=2), encoding="utf-8")
    os.replace(tmp, path)


def forget(state: Path, pid: int) -> None:
    """Remove the state file if it (still) names the server pid."""
    try:
        if json.loads(state.read_text(encoding="utf-8")).get("pid") == pid:
            state.unlink()
    except (OSError, ValueError, AttributeError):
        pass


def touch_activity() -> None:
    """Mark the server as used now (the watchdog measures idle time from this)."""
    with contextlib.suppress(OSError):
        (folder() / _ACTIVITY).touch()


@contextlib.contextmanager
def _locked(timeout: float) -> Iterator[None]:
    """An exclusive per-user lock around reading/starting/stopping the server."""
    lock = filelock.FileLock(str(folder() / _LOCK))
    try:
        lock.acquire(timeout=timeout)
    except filelock.Timeout:
        raise LanguageToolUnavailable(
            f"another repair run holds {folder() / _LOCK} for more than {timeout:.0f}s"
        ) from None
    try:
        yield
    finally:
        lock.release()


# --------------------------------------------------------------------------- processes


def alive(process: psutil.Process) -> bool:
    """Running, not a zombie, and not a later process that got the same pid."""
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _process(pid: int | None) -> psutil.Process | None:
    try:
        process = psutil.Process(pid) if pid else None
    except psutil.Error:
        return None
    return process if process is not None and alive(process) else None


def is_languagetool(process: psutil.Process) -> bool:
    """Whether a process is a LanguageTool server run by Java (guards against a recycled pid)."""
    try:
        argv = process.cmdline()
    except psutil.Error:
        return False
    return bool(argv) and SERVER_CLASS in argv and "java" in Path(argv[0]).name


def _server_process(info: ServerInfo) -> psutil.Process | None:
    """The process of the server the state file names, if it still runs."""
    process = _process(info.pid)
    if process is None or not is_languagetool(process):
        return None
    if info.process_started is not None:
        with contextlib.suppress(psutil.Error):
            if abs(process.create_time() - info.process_started) > 1.0:
                return None
    return process


def terminate(process: psutil.Process, grace: float = 10.0) -> None:
    """Ask a process (and any children) to end, wait up to `grace` seconds, then kill what is left and wait again.
    Waiting reaps the processes this one started."""
    family = [process]
    with contextlib.suppress(psutil.Error):
        family += process.children(recursive=True)
    for step in (psutil.Process.terminate, psutil.Process.kill):
        for member in family:
            with contextlib.suppress(psutil.Error):
                step(member)
        deadline = time.monotonic() + grace
        while family and time.monotonic() < deadline:
            _, family = psutil.wait_procs(family, timeout=0.1)
            family = [member for member in family if alive(member)]  # a zombie of another parent is gone too
        if not family:
            return


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def responds(url: str, timeout: float = 3.0) -> bool:
    """Whether a LanguageTool server answers at url (its /v2/languages list)."""
    try:
        server_languages(url, timeout)
    except LanguageToolUnavailable:
        return False
    return True


def _last_log_line() -> str:
    try:
        lines = [line.strip() for line in (folder() / _LOG).read_text(errors="replace").splitlines()]
    except OSError:
        return ""
    for line in reversed(lines):
        if line and not line.startswith("at ") and "***" not in line:
            return line[:300]
    return ""


def _one_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return (text[0] if text else type(error).__name__)[:300]


def _start_watchdog(pid: int, idle_minutes: float, startup_grace: float) -> psutil.Process | None:
    if idle_minutes <= 0:
        return None
    command = [sys.executable, "-m", WATCHDOG_MODULE, "--pid", str(pid), "--idle-seconds", str(idle_minutes * 60),
               "--state", str(state_path()), "--activity", str(folder() / _ACTIVITY),
               "--startup-grace", str(startup_grace)]
    # the watchdog runs this very copy of repair, installed or not
    path = os.pathsep.join(filter(None, (str(REPO_ROOT), os.environ.get("PYTHONPATH"))))
    try:
        with open(folder() / _WATCHDOG_LOG, "wb") as log:
            proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                    cwd=str(folder()), env={**os.environ, "PYTHONPATH": path},
                                    start_new_session=True, close_fds=True)
        return psutil.Process(proc.pid)
    except (OSError, psutil.Error):
        return None


# --------------------------------------------------------------------------- public API


def status() -> ServerInfo | None:
    """The warm server, or None. A state file naming a process that is not our server is removed."""
    info = _read_state()
    if info is None:
        return None
    if _server_process(info) is None:
        forget(state_path(), info.pid)
        return None
    return info


def java_options() -> list[str]:
    extra = os.environ.get("REPAIR_LANGUAGETOOL_JAVA_OPTS")
    return shlex.split(extra) if extra else []


def server_command(installation: Installation, port: int) -> list[str]:
    # No --public: LanguageTool's HTTPServer then binds to localhost only.
    return [find_java(), *java_options(), "-cp", installation.classpath, SERVER_CLASS, "--port", str(port)]


def ensure_running(timeout: float = DEFAULT_START_TIMEOUT, idle_minutes: float | None = None) -> ServerInfo:
    """Return the warm server, starting it if needed. Raises LanguageToolUnavailable."""
    if idle_minutes is None:
        idle_minutes = float(os.environ.get("REPAIR_LANGUAGETOOL_IDLE_MINUTES", DEFAULT_IDLE_MINUTES))
    touch_activity()
    with _locked(timeout + 10):
        info = status()
        if info is not None:
            try:
                wanted = find_installation()
            except LanguageToolUnavailable:
                wanted = None
            if wanted is not None and (wanted.version, str(wanted.home)) != (info.version, info.home):
                _stop(info)  # runs other jars (the pinned version was updated): replace it
            elif responds(info.url, timeout=5.0):
                return info
            else:
                _stop(info)  # alive but deaf: replace it
        installation = find_installation()
        port = _free_port()
        command = server_command(installation, port)
        warm = f"{idle_minutes:g} minutes" if idle_minutes > 0 else "the run"
        say_status(f"starting LanguageTool (about 20 s, once; it stays warm for {warm}: `repair languagetool stop`)")
        try:
            with open(folder() / _LOG, "wb") as log:
                proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                        cwd=str(folder()), start_new_session=True, close_fds=True)
        except OSError as error:
            raise LanguageToolUnavailable(f"cannot start Java: {_one_line(error)}") from error
        server = psutil.Process(proc.pid)
        # the watchdog starts at once, so that even a run killed while Java starts leaves no server behind for long
        watchdog = _start_watchdog(proc.pid, idle_minutes, timeout + 30)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + timeout
        try:
            while True:
                code = proc.poll()
                if code is not None:
                    detail = _last_log_line()
                    raise LanguageToolUnavailable(
                        f"LanguageTool server exited at start-up (code {code})" + (f": {detail}" if detail else "")
                    )
                if responds(url, timeout=2.0):
                    break
                if time.monotonic() > deadline:
                    raise LanguageToolUnavailable(
                        f"LanguageTool server did not answer within {timeout:.0f}s of starting"
                    )
                time.sleep(0.2)
        except BaseException:  # including KeyboardInterrupt: never leave a half-started Java behind
            for process in (server, watchdog):
                if process is not None:
                    terminate(process, grace=3.0)
            raise
        info = ServerInfo(
            pid=proc.pid,
            port=port,
            version=installation.version,
            home=str(installation.home),
            started=time.time(),
            watchdog_pid=watchdog.pid if watchdog is not None else None,
            idle_minutes=idle_minutes,
            process_started=server.create_time(),
        )
        _write_state(info)
        touch_activity()
        return info


def _stop(info: ServerInfo, grace: float = 10.0) -> bool:
    """Stop the server a state file names and its watchdog, forget it; whether the server was running."""
    watchdog = _process(info.watchdog_pid)
    with contextlib.suppress(psutil.Error):
        if watchdog is not None and str(info.pid) in watchdog.cmdline():  # it watches this server
            terminate(watchdog, grace)
    server = _server_process(info)
    if server is not None:
        terminate(server, grace)
    forget(state_path(), info.pid)
    return server is not None


def stop(timeout: float = 15.0) -> ServerInfo | None:
    """Stop the warm server. Returns what was stopped, or None if nothing ran."""
    with _locked(timeout + 10):
        info = _read_state()
        if info is None:
            return None
        return info if _stop(info, grace=timeout / 2) else None


def memory_bytes(pid: int) -> int | None:
    """Resident memory of a process, for status."""
    try:
        return psutil.Process(pid).memory_info().rss
    except psutil.Error:
        return None
