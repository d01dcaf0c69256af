"""Fault injection (issue 11): run repair the way a real machine breaks it and check that nothing is lost.

    python bench/faults.py [--kills 12] [--no-languagetool-server] [--markdown FILE]

Each case runs the real command line (`python -m repair`, this checkout's code) in a scratch folder with a repair
home of its own (the machine's word table linked), injects one fault, and checks the files afterwards: every file
must be exactly as it was or exactly what a clean `repair fix` makes of it, no temporary file left, no process
left, and the run must end within its time bound with the exit code and message the README promises.

Cases: kill -9 during fix (repeated, at spread-out moments; with worker processes), two fix runs at once, a file
edited by its owner while fix runs, a read-only file, a folder the run may not write (made immutable when this is
root), a hard link and a symlink, a FIFO in a folder, a corrupt result cache, planted pickles, a corrupt word
table, a LanguageTool that never answers, one that stops answering mid-run, and (when LanguageTool is installed)
the real server frozen with SIGSTOP in the middle of a run.

Prints a table; exits 1 if any case lost something or misbehaved.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LINE = "Report {n}: the group (EI) took Raqa, the observatory (OSDH) said. The prorégime forces left.\n"
SOURCE = ["--source-language", "fr"]


@dataclass
class Row:
    case: str
    fault: str
    expected: str
    observed: str
    intact: bool
    seconds: float


class Lab:
    """A scratch folder, a private repair home, and the expected result of fixing each kind of file."""

    def __init__(self, base: Path):
        self.base = base
        self.home = base / "home"
        self.home.mkdir()
        from repair.wordlists import lexicon

        lexicon().zipf("the", "en")  # the machine's table exists
        table = lexicon().path
        (self.home / table.name).symlink_to(table)
        self._fixed: dict[bytes, bytes] = {}

    def env(self, **extra: str) -> dict:
        return {**os.environ, "NO_COLOR": "1", "REPAIR_HOME": str(self.home), **extra}

    def folder(self, name: str) -> Path:
        path = self.base / name
        path.mkdir(parents=True)
        return path

    def repair(self, *args: str, cwd: Path, timeout: float = 300, **popen) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "repair", *args], cwd=cwd, capture_output=True, text=True,
                              timeout=timeout, env=self.env(), **popen)

    def fixed(self, data: bytes) -> bytes:
        """What a clean `repair fix` writes for these bytes."""
        if data not in self._fixed:
            with tempfile.TemporaryDirectory(dir=self.base) as scratch:
                path = Path(scratch) / "f.txt"
                path.write_bytes(data)
                self.repair("fix", "f.txt", "--no-languagetool", "--no-cache", *SOURCE, cwd=Path(scratch))
                self._fixed[data] = path.read_bytes()
        return self._fixed[data]


def story(lines: int, seed: int = 0) -> bytes:
    generator = random.Random(seed)
    return "".join(LINE.format(n=generator.randrange(10**6)) for _ in range(lines)).encode()


def temporary_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith((".repair-tmp", ".tmp"))]


def whole(lab: Lab, files: dict[Path, bytes]) -> tuple[int, int]:
    """(files exactly as they were or exactly as fixed, files)."""
    good = 0
    for path, before in files.items():
        now = path.read_bytes()
        good += now == before or now == lab.fixed(before)
    return good, len(files)


def timed(function):
    began = time.monotonic()
    result = function()
    return result, time.monotonic() - began


# --- the cases ------------------------------------------------------------------------------------------------------
def kill_during_fix(lab: Lab, kills: int) -> Row:
    folder = lab.folder("kill")
    good = total = orphans = leftovers = 0
    began = time.monotonic()
    for attempt in range(kills):
        docs = folder / f"run{attempt}"
        docs.mkdir()
        files = {}
        for number in range(6):
            path = docs / f"f{number}.txt"
            path.write_bytes(story(3000, seed=number))  # about 300 KB each: worker processes, seconds of work
            files[path] = path.read_bytes()
        run = subprocess.Popen([sys.executable, "-m", "repair", "fix", ".", "--jobs", "2", "--no-languagetool",
                                "--no-cache", *SOURCE], cwd=docs, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, env=lab.env())
        time.sleep(0.5 + 6.0 * attempt / max(1, kills - 1))  # from start-up to the last writes
        family = []
        try:
            family = psutil.Process(run.pid).children(recursive=True)
        except psutil.Error:
            pass
        os.kill(run.pid, signal.SIGKILL)
        run.wait()
        _, alive = psutil.wait_procs(family, timeout=10)
        orphans += len(alive)
        for process in alive:
            process.kill()
        ok, count = whole(lab, files)
        good, total = good + ok, total + count
        leftovers += len(temporary_files(docs))
    seconds = time.monotonic() - began
    return Row("kill -9 during fix", f"SIGKILL to `fix --jobs 2` at {kills} moments from 0.5 s to 6.5 s",
               "every file as it was or wholly fixed; no temporary file; no worker left",
               f"{good}/{total} files whole, {leftovers} temporary files, {orphans} orphaned workers",
               good == total and not leftovers and not orphans, seconds)


def concurrent_runs(lab: Lab) -> Row:
    docs = lab.folder("concurrent")
    files = {}
    for number in range(8):
        path = docs / f"f{number}.txt"
        path.write_bytes(story(800, seed=100 + number))
        files[path] = path.read_bytes()
    began = time.monotonic()
    runs = [subprocess.Popen([sys.executable, "-m", "repair", "fix", ".", "--no-languagetool", *SOURCE], cwd=docs,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=lab.env()) for _ in range(3)]
    codes = [run.wait(timeout=300) for run in runs]
    seconds = time.monotonic() - began
    fixed = sum(path.read_bytes() == lab.fixed(before) for path, before in files.items())
    return Row("concurrent fix runs", "three `repair fix` on the same folder at once (shared cache)",
               "every file wholly fixed once", f"{fixed}/{len(files)} fixed, exit codes {codes}",
               fixed == len(files) and not temporary_files(docs), seconds)


def owner_edits(lab: Lab) -> Row:
    docs = lab.folder("edit")
    path = docs / "big.txt"
    path.write_bytes(story(40_000, seed=7))  # about 4 MB: fix takes seconds
    edited = path.read_bytes() + b"A paragraph the owner added while repair ran.\n"
    run = subprocess.Popen([sys.executable, "-m", "repair", "fix", "big.txt", "--no-languagetool", "--no-cache",
                            *SOURCE], cwd=docs, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           env=lab.env())
    began = time.monotonic()
    size = path.stat().st_size
    process = psutil.Process(run.pid)
    while time.monotonic() - began < 120:  # until repair has read the whole file (it is fixing it now)
        try:
            if process.io_counters().read_chars > size:
                break
        except psutil.Error:
            break
        time.sleep(0.05)
    time.sleep(0.5)
    path.write_bytes(edited)
    out, _ = run.communicate(timeout=300)
    seconds = time.monotonic() - began
    kept = path.read_bytes() == edited
    return Row("owner edits during fix", "the owner saves the file (4 MB) after `fix` has read it",
               "the owner's version kept, the run says so (exit 1)",
               f"owner's version {'kept' if kept else 'LOST'}, exit {run.returncode}"
               + (", 'changed while repair was fixing it'" if "changed while" in out else ""),
               kept and run.returncode == 1 and "changed while" in out, seconds)


def permissions(lab: Lab) -> Row:
    docs = lab.folder("permissions")
    read_only = docs / "read-only.txt"
    read_only.write_bytes(story(5, seed=1))
    read_only.chmod(0o444)
    locked = docs / "locked"
    locked.mkdir()
    (locked / "inside.txt").write_bytes(story(5, seed=2))
    open_folder = docs / "open"
    open_folder.mkdir()
    (open_folder / "fine.txt").write_bytes(story(5, seed=3))
    (docs / "target.txt").write_bytes(story(5, seed=4))
    (docs / "link.txt").symlink_to("target.txt")
    (docs / "hard-a.txt").write_bytes(story(5, seed=5))
    os.link(docs / "hard-a.txt", docs / "hard-b.txt")
    files = {p: p.read_bytes() for p in docs.rglob("*.txt") if not p.is_symlink()}
    locked.chmod(0o555)
    immutable = os.geteuid() == 0  # root writes in a 0555 folder: make it immutable instead (chattr +i)
    if immutable and subprocess.run(["chattr", "+i", str(locked)], capture_output=True).returncode != 0:
        immutable = False
    try:
        (result, seconds) = timed(lambda: lab.repair("fix", ".", "--no-languagetool", "--no-cache", *SOURCE,
                                                     cwd=docs))
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(locked)], capture_output=True)
        locked.chmod(0o755)
    untouched = [read_only, locked / "inside.txt", docs / "hard-a.txt", docs / "hard-b.txt"]
    fixed = [open_folder / "fine.txt", docs / "target.txt"]
    kept = all(path.read_bytes() == files[path] for path in untouched)
    done = all(path.read_bytes() == lab.fixed(files[path]) for path in fixed)
    linked = (docs / "link.txt").is_symlink() and os.stat(docs / "hard-a.txt").st_ino == os.stat(docs / "hard-b.txt").st_ino
    said = all(word in result.stdout for word in ("read-only", "hard links", "cannot write in"))
    return Row("permissions and links", "a 0444 file, a file in a folder the run may not write"
               + (" (0555 and chattr +i: the run is root)" if immutable else " (0555)") + ", a symlink, a hard link",
               "refused files untouched and named; the others fixed; links stay links",
               f"untouched {'yes' if kept else 'NO'}, others fixed {'yes' if done else 'NO'}, links kept "
               f"{'yes' if linked else 'NO'}, reasons named {'yes' if said else 'NO'}, exit {result.returncode}",
               kept and done and linked and said and result.returncode == 1, seconds)


def fifo(lab: Lab) -> Row:
    docs = lab.folder("fifo")
    os.mkfifo(docs / "pipe.txt")
    (docs / "story.txt").write_bytes(story(5, seed=9))
    before = (docs / "story.txt").read_bytes()
    try:
        (result, seconds) = timed(lambda: lab.repair("fix", ".", "--no-languagetool", *SOURCE, cwd=docs, timeout=60))
        finished = True
    except subprocess.TimeoutExpired:
        result, seconds, finished = None, 60.0, False
    fixed = (docs / "story.txt").read_bytes() == lab.fixed(before)
    return Row("FIFO in a folder", "a named pipe among the files of `fix .`", "the run ends; the pipe is skipped",
               "finished" if finished else "HUNG", finished and fixed and result.returncode == 0, seconds)


def corrupt_caches(lab: Lab) -> Row:
    docs = lab.folder("cache")
    for number in range(3):
        (docs / f"f{number}.txt").write_bytes(story(20, seed=20 + number))
    clean = lab.repair("check", ".", "--no-languagetool", "--no-cache", *SOURCE, cwd=docs).stdout
    began = time.monotonic()
    problems = []
    lab.repair("check", ".", "--no-languagetool", *SOURCE, cwd=docs)  # fills .repair_cache
    database = docs / ".repair_cache" / "results.sqlite"
    marker = docs / "pickle-ran"
    for name, payload in (("invalid JSON", "[["), ("nested too deep", "[" * 100_000),
                          ("wrong types", '[["FR001",1,2,3,4,5,6,7,8,9,10,11,12]]'),
                          ("planted pickle", pickle.dumps(_Planted(marker)))):
        with sqlite3.connect(database) as connection:
            for (table,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
                connection.execute(f"UPDATE {table} SET payload = ?", (payload,))
        result = lab.repair("check", ".", "--no-languagetool", *SOURCE, cwd=docs)
        if result.stdout != clean or marker.exists():
            problems.append(name)
    database.write_bytes(b"not a database at all" * 50)
    for suffix in ("-wal", "-shm"):
        Path(str(database) + suffix).unlink(missing_ok=True)
    if lab.repair("check", ".", "--no-languagetool", *SOURCE, cwd=docs).stdout != clean:
        problems.append("garbage database")
    home_table = next(lab.home.glob("wordfreq-*.sqlite"))
    home_table.unlink()
    home_table.write_bytes(b"garbage" * 1000)  # a corrupt word table: rebuilt (about 20 s)
    result = lab.repair("check", ".", "--no-languagetool", "--no-cache", *SOURCE, cwd=docs)
    if result.stdout != clean:
        problems.append("corrupt word table")
    seconds = time.monotonic() - began
    return Row("corrupt caches", "result rows with invalid JSON, nesting, wrong types, a planted pickle; a garbage "
               "results.sqlite; a garbage word table", "the same findings as without a cache; no pickle loaded",
               "same findings" if not problems else "differs: " + ", ".join(problems), not problems, seconds)


class _Planted:
    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


class _StopsAnswering(BaseHTTPRequestHandler):
    """Answers its language list and two checks (the run's version check and warm-up), then nothing at all."""

    checks = 0

    def do_GET(self):
        if type(self).checks >= 2:
            time.sleep(120)
        body = json.dumps([{"name": "English (US)", "code": "en", "longCode": "en-US"}]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        type(self).checks += 1
        if type(self).checks > 2:
            time.sleep(120)
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = json.dumps({"software": {"version": "6.8"}, "matches": []}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def languagetool_silent(lab: Lab) -> Row:
    docs = lab.folder("lt-silent")
    for number in range(5):
        (docs / f"f{number}.txt").write_bytes(story(5, seed=40 + number))
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    try:
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        (result, seconds) = timed(lambda: lab.repair("check", ".", "--languagetool-url", url, "--no-cache", *SOURCE,
                                                     cwd=docs, timeout=300))
    finally:
        listener.close()
    ok = result.returncode == 3 and "timed out" in result.stderr and "FR001" in result.stdout
    return Row("LanguageTool never answers", "a socket that accepts and never answers, as --languagetool-url",
               "a notice at once, the other findings, exit 3", f"exit {result.returncode} after {seconds:.1f} s",
               ok and seconds < 20, seconds)


def languagetool_stops(lab: Lab) -> Row:
    docs = lab.folder("lt-stops")
    for number in range(40):
        (docs / f"f{number}.txt").write_bytes(story(5, seed=60 + number))
    server = ThreadingHTTPServer(("127.0.0.1", 0), _StopsAnswering)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        (result, seconds) = timed(lambda: lab.repair("check", ".", "--languagetool-url", url, "--no-cache", *SOURCE,
                                                     cwd=docs, timeout=300))
    finally:
        server.shutdown()
        server.server_close()
    ok = result.returncode == 3 and "stopped answering" in result.stdout and "FR001" in result.stdout
    return Row("LanguageTool stops answering", "a server that answers the run's first two checks, then nothing",
               "given up at the next probe of the server (5 s), not one timeout per request in flight; exit 3",
               f"exit {result.returncode} after {seconds:.1f} s", ok and seconds < 25, seconds)


def languagetool_frozen(lab: Lab) -> Row | None:
    from repair.languagetool import LanguageToolUnavailable, server

    try:
        server.find_installation()
    except LanguageToolUnavailable:
        return None
    os.environ["REPAIR_HOME"] = str(lab.home)
    info = server.ensure_running(timeout=180, idle_minutes=5)
    docs = lab.folder("lt-frozen")
    for number in range(60):
        (docs / f"f{number}.txt").write_bytes(story(40, seed=200 + number))
    java = psutil.Process(info.pid)
    try:
        run = subprocess.Popen([sys.executable, "-m", "repair", "check", ".", "--no-cache", *SOURCE], cwd=docs,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=lab.env())
        began = time.monotonic()
        time.sleep(3.0)
        java.suspend()  # SIGSTOP: the server is there and answers nothing
        out, err = run.communicate(timeout=300)
        seconds = time.monotonic() - began
    finally:
        java.resume()
        server.stop()
    ok = run.returncode == 3 and "stopped answering" in out + err
    return Row("LanguageTool frozen mid-run", "the real server SIGSTOPped 3 s into `check` of 60 files",
               "given up at the next probe (5 s), the other findings, exit 3",
               f"exit {run.returncode} after {seconds:.1f} s", ok and seconds < 30, seconds)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=12, help="how many fix runs to kill")
    parser.add_argument("--no-languagetool-server", action="store_true", help="skip the real-server case")
    parser.add_argument("--markdown", type=Path, help="also write the table to this file")
    args = parser.parse_args()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="repair-faults-") as scratch:
        lab = Lab(Path(scratch))
        os.chmod(scratch, 0o755)
        cases = [lambda: kill_during_fix(lab, args.kills), lambda: concurrent_runs(lab), lambda: owner_edits(lab),
                 lambda: permissions(lab), lambda: fifo(lab), lambda: languagetool_silent(lab),
                 lambda: languagetool_stops(lab), lambda: corrupt_caches(lab)]
        if not args.no_languagetool_server:
            cases.append(lambda: languagetool_frozen(lab))
        for case in cases:
            row = case()
            if row is not None:
                rows.append(row)
                print(f"{'ok  ' if row.intact else 'FAIL'} {row.case}: {row.observed} ({row.seconds:.1f} s)",
                      file=sys.stderr, flush=True)
    table = ["| case | fault injected | expected | observed | nothing lost | s |",
             "| --- | --- | --- | --- | :---: | ---: |"]
    table += [f"| {r.case} | {r.fault} | {r.expected} | {r.observed} | {'yes' if r.intact else '**NO**'} | "
              f"{r.seconds:.1f} |" for r in rows]
    text = "\n".join(table) + "\n"
    print(text)
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")
    return 0 if all(r.intact for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
