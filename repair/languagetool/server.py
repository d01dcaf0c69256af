"""The warm LanguageTool server: one per user, on loopback, found again by the next run.

Where the jars come from, in order:

1. ``$REPAIR_LANGUAGETOOL_HOME`` (a directory of jars, a directory holding ``target/lib``,
   or an unpacked LanguageTool zip with ``languagetool-server.jar``);
2. ``<repo>/languagetool/target/lib`` (what ``scripts/install-languagetool.sh`` builds);
3. ``$XDG_DATA_HOME/repair/languagetool/lib`` (``~/.local/share/...``), for installed copies;
4. language-tool-python's download directory (``$LTP_PATH`` or ``~/.cache/language_tool_python``),
   and, when ``download=True``, language-tool-python downloads the pinned release there.

The server runs detached (its own session) so that it outlives the run that started
it. Its pid, port and version are kept in ``<cache>/languagetool-server.json``; a tiny
detached Python watchdog stops it after ``idle_minutes`` without a run touching
``<cache>/languagetool-server.activity``. A lock file serialises starts, so two
parallel runs never start two servers.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterator

from repair.languagetool import LANGUAGETOOL_VERSION, LanguageToolUnavailable

REPO_ROOT = Path(__file__).resolve().parents[2]
PROJECT_LIB = REPO_ROOT / "languagetool" / "target" / "lib"
SERVER_CLASS = "org.languagetool.server.HTTPServer"
DEFAULT_IDLE_MINUTES = 15.0
DEFAULT_START_TIMEOUT = 90.0

_STATE = "languagetool-server.json"
_LOCK = "languagetool-server.lock"
_ACTIVITY = "languagetool-server.activity"
_LOG = "languagetool-server.log"

#: server processes this Python process started, so that it can reap them
_children: dict[int, subprocess.Popen] = {}


# --------------------------------------------------------------------------- paths


def cache_dir() -> Path:
    """``$REPAIR_CACHE_DIR`` (or ``$REPAIR_CACHE_HOME``), else ``$XDG_CACHE_HOME/repair``, else ``~/.cache/repair``."""
    explicit = os.environ.get("REPAIR_CACHE_DIR") or os.environ.get("REPAIR_CACHE_HOME")
    if explicit:
        path = Path(explicit)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        path = Path(base) / "repair"
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "repair"


@dataclass(frozen=True)
class Installation:
    """A LanguageTool the server can be started from."""

    home: Path  # the directory of jars
    classpath: str  # what follows java -cp
    version: str
    origin: str  # env, project, user, language-tool-python

    def size_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.home.rglob("*.jar") if p.is_file())

    def jar_count(self) -> int:
        return sum(1 for _ in self.home.rglob("*.jar"))


def _installation_in(directory: Path, origin: str) -> Installation | None:
    if not directory.is_dir():
        return None
    zip_jar = directory / "languagetool-server.jar"
    if zip_jar.is_file():  # the release zip: its manifest names libs/ and the language modules
        match = re.search(r"LanguageTool-(\d[\w.]*)", directory.name)
        version = match.group(1) if match else "unknown"
        return Installation(directory, str(zip_jar), version, origin)
    for candidate in (directory, directory / "target" / "lib", directory / "lib"):
        jars = sorted(candidate.glob("languagetool-server-*.jar")) if candidate.is_dir() else []
        if jars:
            version = jars[-1].name[len("languagetool-server-"):-len(".jar")]
            return Installation(candidate, str(candidate / "*"), version, origin)
    return None


def _ltp_download_dir() -> Path:
    return Path(os.environ.get("LTP_PATH") or Path.home() / ".cache" / "language_tool_python")


def find_installation(download: bool = False) -> Installation:
    """The LanguageTool to run, or LanguageToolUnavailable with what to do about it."""
    explicit = os.environ.get("REPAIR_LANGUAGETOOL_HOME")
    if explicit:
        found = _installation_in(Path(explicit).expanduser(), "env")
        if found is None:
            raise LanguageToolUnavailable(
                f"REPAIR_LANGUAGETOOL_HOME={explicit} holds no languagetool-server jar"
            )
        return found
    for directory, origin in (
        (PROJECT_LIB, "project"),
        (data_dir() / "languagetool" / "lib", "user"),
        (_ltp_download_dir() / f"LanguageTool-{LANGUAGETOOL_VERSION}", "language-tool-python"),
    ):
        found = _installation_in(directory, origin)
        if found is not None:
            return found
    if download:
        try:
            from language_tool_python.download_lt import LocalLanguageTool

            local = LocalLanguageTool.from_version_name(LANGUAGETOOL_VERSION)
            local.download()
            found = _installation_in(local.get_directory_path(), "language-tool-python")
        except Exception as error:  # network errors, checksum errors, disk full ...
            raise LanguageToolUnavailable(
                "LanguageTool is not installed and language-tool-python could not download it "
                f"({_one_line(error)}); run scripts/install-languagetool.sh"
            ) from error
        if found is not None:
            return found
    raise LanguageToolUnavailable(
        "LanguageTool is not installed: run scripts/install-languagetool.sh "
        "(or set REPAIR_LANGUAGETOOL_HOME, or name a server with --languagetool-url)"
    )


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

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def idle_seconds(self) -> float | None:
        try:
            return max(0.0, time.time() - (cache_dir() / _ACTIVITY).stat().st_mtime)
        except OSError:
            return None


def _state_path() -> Path:
    return cache_dir() / _STATE


def _read_state() -> ServerInfo | None:
    try:
        raw = json.loads(_state_path().read_text(encoding="utf-8"))
        return ServerInfo(**raw)
    except (OSError, ValueError, TypeError):
        return None


def _write_state(info: ServerInfo) -> None:
    path = _state_path()
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(info), indent=2), encoding="utf-8")
    os.replace(tmp, path)


def _remove_state(pid: int | None = None) -> None:
    current = _read_state()
    if current is None or pid is None or current.pid == pid:
        with contextlib.suppress(OSError):
            _state_path().unlink()


def touch_activity() -> None:
    """Mark the server as used now (the watchdog measures idle time from this)."""
    path = cache_dir() / _ACTIVITY
    try:
        path.touch()
        os.utime(path, None)
    except OSError:
        pass


@contextlib.contextmanager
def _locked(timeout: float) -> Iterator[None]:
    """An exclusive per-user lock around reading/starting/stopping the server."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; parallel starts are then possible
        yield
        return
    with open(cache_dir() / _LOCK, "a+") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise LanguageToolUnavailable(
                        f"another repair run holds {cache_dir() / _LOCK} for more than {timeout:.0f}s"
                    ) from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


# --------------------------------------------------------------------------- processes


def _reap() -> None:
    for pid, proc in list(_children.items()):
        if proc.poll() is not None:
            del _children[pid]


def _alive(pid: int) -> bool:
    _reap()
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    if stat.exists():
        try:
            state = stat.read_text().rsplit(")", 1)[1].split()[0]
            return state not in ("Z", "X")
        except (OSError, IndexError):
            pass
    return True


def _is_languagetool(pid: int) -> bool:
    """Whether pid is a LanguageTool server (guards against a recycled pid)."""
    cmdline = Path(f"/proc/{pid}/cmdline")
    if cmdline.exists():
        try:
            argv = cmdline.read_bytes().split(b"\0")
            return SERVER_CLASS.encode() in argv and "java" in Path(argv[0].decode(errors="replace")).name
        except OSError:
            return False
    return _alive(pid)  # no /proc: trust the state file


def _kill(pid: int, grace: float = 10.0) -> None:
    if not _alive(pid):
        return
    for sig in (signal.SIGTERM, getattr(signal, "SIGKILL", signal.SIGTERM)):
        with contextlib.suppress(OSError):
            if hasattr(os, "killpg"):
                try:
                    os.killpg(pid, sig)  # the server leads its own session and group
                except OSError:
                    os.kill(pid, sig)
            else:
                os.kill(pid, sig)
        proc = _children.get(pid)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            if proc is not None:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=0.1)
            else:
                time.sleep(0.1)
            if not _alive(pid):
                _reap()
                return
    _reap()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def responds(url: str, timeout: float = 3.0) -> bool:
    """Whether a LanguageTool server answers at url (its /v2/languages list)."""
    try:
        with urllib.request.urlopen(url.rstrip("/") + "/v2/languages", timeout=timeout) as response:
            data = json.loads(response.read().decode("utf-8"))
        return isinstance(data, list)
    except (OSError, ValueError, urllib.error.URLError):
        return False


def _last_log_line() -> str:
    try:
        lines = [line.strip() for line in (cache_dir() / _LOG).read_text(errors="replace").splitlines()]
    except OSError:
        return ""
    for line in reversed(lines):
        if line and not line.startswith("at ") and "***" not in line:
            return line[:300]
    return ""


def _one_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return (text[0] if text else type(error).__name__)[:300]


# --------------------------------------------------------------------------- watchdog

_WATCHDOG = r"""
import os, sys, time, signal, json
pid, idle, state, activity = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3], sys.argv[4]
startup_grace = float(sys.argv[5])  # a server that is not in the state file by then was orphaned at start-up
began = time.time()
def registered():
    try:
        with open(state) as f:
            return json.load(f).get("pid") == pid
    except (OSError, ValueError):
        return False
def alive(p):
    try:
        os.kill(p, 0)
    except OSError:
        return False
    try:
        with open("/proc/%d/stat" % p) as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except (OSError, IndexError):
        return True
def ours(p):
    try:
        with open("/proc/%d/cmdline" % p, "rb") as f:
            return (b"org.languagetool.server." + b"HTTP" + b"Server") in f.read()
    except OSError:
        return alive(p)
step = max(1.0, min(30.0, idle / 4))
while alive(pid):
    time.sleep(step)
    if not registered():
        if time.time() - began < startup_grace:
            continue
    else:
        try:
            last = os.path.getmtime(activity)
        except OSError:
            last = 0.0
        if time.time() - last < idle:
            continue
    if ours(pid):
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(pid, sig)
            except OSError:
                try:
                    os.kill(pid, sig)
                except OSError:
                    pass
            for _ in range(100):
                if not alive(pid):
                    break
                time.sleep(0.1)
            if not alive(pid):
                break
    try:
        with open(state) as f:
            if json.load(f).get("pid") == pid:
                os.unlink(state)
    except (OSError, ValueError):
        pass
    break
"""


def _start_watchdog(pid: int, idle_minutes: float, startup_grace: float) -> int | None:
    if idle_minutes <= 0:
        return None
    try:
        proc = subprocess.Popen(
            [sys.executable, "-c", _WATCHDOG, str(pid), str(idle_minutes * 60), str(_state_path()),
             str(cache_dir() / _ACTIVITY), str(startup_grace)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            close_fds=True,
        )
    except OSError:
        return None
    _children[proc.pid] = proc
    return proc.pid


# --------------------------------------------------------------------------- public API


def status(check_http: bool = False) -> ServerInfo | None:
    """The warm server, or None. A state file naming a dead process is removed."""
    info = _read_state()
    if info is None:
        return None
    if not _alive(info.pid) or not _is_languagetool(info.pid):
        _remove_state(info.pid)
        return None
    if check_http and not responds(info.url):
        return None
    return info


def java_options() -> list[str]:
    extra = os.environ.get("REPAIR_LANGUAGETOOL_JAVA_OPTS")
    return shlex.split(extra) if extra else []


def server_command(installation: Installation, port: int) -> list[str]:
    # No --public: LanguageTool's HTTPServer then binds to localhost only.
    return [find_java(), *java_options(), "-cp", installation.classpath, SERVER_CLASS, "--port", str(port)]


def ensure_running(
    timeout: float = DEFAULT_START_TIMEOUT,
    idle_minutes: float | None = None,
    download: bool = False,
) -> ServerInfo:
    """Return the warm server, starting it if needed. Raises LanguageToolUnavailable."""
    if idle_minutes is None:
        idle_minutes = float(os.environ.get("REPAIR_LANGUAGETOOL_IDLE_MINUTES", DEFAULT_IDLE_MINUTES))
    touch_activity()
    with _locked(timeout + 10):
        info = status()
        if info is not None:
            try:
                wanted = find_installation(download=False)
            except LanguageToolUnavailable:
                wanted = None
            if wanted is not None and (wanted.version, str(wanted.home)) != (info.version, info.home):
                _kill(info.pid)  # runs other jars (the pinned version was updated): replace it
                _remove_state(info.pid)
            elif responds(info.url, timeout=5.0):
                return info
            else:
                _kill(info.pid)  # alive but deaf: replace it
                _remove_state(info.pid)
        installation = find_installation(download=download)
        port = _free_port()
        command = server_command(installation, port)
        log_path = cache_dir() / _LOG
        try:
            with open(log_path, "wb") as log:
                proc = subprocess.Popen(
                    command,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    cwd=str(cache_dir()),
                    start_new_session=True,
                    close_fds=True,
                )
        except OSError as error:
            raise LanguageToolUnavailable(f"cannot start Java: {_one_line(error)}") from error
        _children[proc.pid] = proc
        # the watchdog starts at once, so that even a run killed while Java starts leaves no server behind for long
        watchdog = _start_watchdog(proc.pid, idle_minutes, timeout + 30)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + timeout
        try:
            while True:
                code = proc.poll()
                if code is not None:
                    _children.pop(proc.pid, None)
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
            _kill(proc.pid, grace=3.0)
            if watchdog is not None:
                with contextlib.suppress(OSError):
                    os.kill(watchdog, signal.SIGTERM)
            raise
        info = ServerInfo(
            pid=proc.pid,
            port=port,
            version=installation.version,
            home=str(installation.home),
            started=time.time(),
            watchdog_pid=watchdog,
            idle_minutes=idle_minutes,
        )
        _write_state(info)
        touch_activity()
        return info


def stop(timeout: float = 15.0) -> ServerInfo | None:
    """Stop the warm server. Returns what was stopped, or None if nothing ran."""
    with _locked(timeout + 10):
        info = _read_state()
        if info is None:
            return None
        if info.watchdog_pid and _alive(info.watchdog_pid):
            with contextlib.suppress(OSError):
                os.kill(info.watchdog_pid, signal.SIGTERM)
        running = _alive(info.pid) and _is_languagetool(info.pid)
        if running:
            _kill(info.pid, grace=timeout / 2)
        _remove_state(info.pid)
        _reap()
        return info if running else None


def memory_bytes(pid: int) -> int | None:
    """Resident memory of a process (Linux), for status and the benchmark."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def peak_memory_bytes(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None
