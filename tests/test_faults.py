"""Issue 11, the slow end-to-end faults: LanguageTool's doubled word and fix loop on the real server (items 1, 2),
a LanguageTool that does not answer or stops answering (item 12), a killed run leaves no worker behind (item 11).
bench/faults.py runs the same kinds of fault from the outside and prints a table."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import psutil
import pytest

from conftest import CORPUS, ROOT, run_repair

pytestmark = pytest.mark.slow


def _home(path: Path) -> Path:
    """A repair home of its own that shares this machine's word table (building it takes 20 s)."""
    from repair.wordlists import lexicon

    lexicon().zipf("the", "en")
    path.mkdir(parents=True, exist_ok=True)
    table = lexicon().path
    (path / table.name).symlink_to(table)
    return path


# --- the real LanguageTool server -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def languagetool_home(tmp_path_factory):
    if os.environ.get("REPAIR_SKIP_LANGUAGETOOL") == "1":
        pytest.skip("REPAIR_SKIP_LANGUAGETOOL=1")
    home = _home(tmp_path_factory.mktemp("faults-lt-home"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("REPAIR_HOME", str(home))
        from repair.languagetool import server

        server.ensure_running(timeout=120, idle_minutes=10)
        yield home
        server.stop()


def _lt(*args, home: Path, cwd: Path = ROOT, stdin: bytes | None = None):
    return run_repair(*args, "--no-cache", cwd=cwd, input=stdin, env={"REPAIR_HOME": str(home)})


@pytest.mark.languagetool
def test_1_languagetool_does_not_delete_the_verb_after_a_fixed_acronym(languagetool_home):
    alone = _lt("fix", "-", home=languagetool_home, stdin=b"The group IS is also the target.\n")
    assert alone.stdout == "The group IS is also the target.\n", alone.stderr
    seed = CORPUS / "003_1374c92416c258b1.txt"
    diff = _lt("fix", "--diff", str(seed.relative_to(ROOT)), home=languagetool_home)
    assert diff.code == 1, diff.stderr
    assert "+On the other side of the border in Iraq, IS is also the target" in diff.stdout
    assert "IS also the target" not in diff.stdout.replace("IS is also the target", "")


@pytest.mark.languagetool
def test_2_a_languagetool_fix_loop_is_dropped_and_the_rest_written(languagetool_home, tmp_path):
    """A desk's own pack that writes 'an union' against LanguageTool's 'a union': each fix undoes the other. Both
    are dropped with a note; the rest of the file is fixed and written."""
    (tmp_path / "our-rules").mkdir()
    (tmp_path / "our-rules" / "style.yaml").write_text(
        "pack: our-style\ndescription: A desk's style that writes 'an' before 'union'.\nsource_language: any\n"
        "target_language: en\nrules:\n  - code: OS001\n    name: old-article\n    kind: substitution\n"
        "    category: style\n    severity: info\n    applicability: safe\n"
        "    message: \"Our style writes {replacement!r}, not {match!r}\"\n    terms:\n      a union: an union\n"
        "    examples:\n      - bad: \"They joined a union.\"\n        good: \"They joined an union.\"\n",
        encoding="utf-8")
    (tmp_path / "repair.toml").write_text('rules = ["our-rules"]\n', encoding="utf-8")
    loop = "They joined a union.\n"
    story = tmp_path / "story.txt"
    story.write_text(loop + "The rate rose five per cent.\n", encoding="utf-8")
    result = _lt("fix", "story.txt", home=languagetool_home, cwd=tmp_path)
    assert result.code in (0, 1), result.stdout + result.stderr
    assert story.read_text(encoding="utf-8") == loop + "The rate rose five percent.\n"
    assert "never settle: LT200 (EN_A_VS_AN), OS001" in result.stdout and "error" not in result.stdout


# --- 12. a LanguageTool that does not answer -----------------------------------------------------------------------
@pytest.fixture
def home(tmp_path):
    return _home(tmp_path / "home")


def _stories(folder: Path, count: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        (folder / f"s{number:02d}.txt").write_text(
            f"Story {number}: the group (EI) took the road north. It is a ultraradical group.\n\n"
            f"Paragraph two of story {number} has other words in it.\n", encoding="utf-8")


def _timed_check(folder: Path, home: Path, *extra: str):
    began = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "repair", "check", ".", "--no-cache", *extra], cwd=folder,
                            capture_output=True, text=True, timeout=300,
                            env={**os.environ, "NO_COLOR": "1", "REPAIR_HOME": str(home)})
    return result, time.monotonic() - began


def test_12_a_server_that_never_answers_is_given_up_at_once(tmp_path, home):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)  # connections are accepted by the kernel; nothing ever answers
    try:
        _stories(tmp_path / "docs", 3)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        result, seconds = _timed_check(tmp_path / "docs", home, "--languagetool-url", url)
    finally:
        listener.close()
    assert result.returncode == 3, result.stdout + result.stderr
    assert seconds < 25, seconds  # it waited 61 s
    assert "LanguageTool" in result.stderr and "timed out" in result.stderr  # the notice, on stderr, at once
    assert "All clear" not in result.stdout


class _StopsAnswering(BaseHTTPRequestHandler):
    """Knows its languages and answers the first two checks, then never answers anything again: a server stopped in
    the middle of a run (`wedged`: it still lists its languages, and only checks hang)."""

    checks = 0
    wedged = False

    def do_GET(self):
        if type(self).checks >= 2 and not self.wedged:
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


@pytest.mark.parametrize("wedged", [False, True])
def test_12_a_server_that_stops_answering_costs_one_timeout(tmp_path, home, wedged):
    handler = type("Handler", (_StopsAnswering,), {"checks": 0, "wedged": wedged})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        _stories(tmp_path / "docs", 40)
        url = f"http://127.0.0.1:{server.server_address[1]}"
        result, seconds = _timed_check(tmp_path / "docs", home, "--languagetool-url", url,
                                       *(["--languagetool-timeout", "4"] if wedged else []))
    finally:
        server.shutdown()
        server.server_close()
    assert result.returncode == 3, result.stdout + result.stderr
    # a stopped server: one probe of its language list (5 s); a wedged one: one request's timeout (4 s here); not
    # every in-flight request's timeout one after the other (117 s)
    assert seconds < 25, seconds
    assert ("timed out after 4 s" if wedged else "stopped answering") in result.stdout
    assert "All clear" not in result.stdout


# --- 11. kill -9 of a run leaves no worker behind -------------------------------------------------------------------
def test_11_killing_a_run_ends_its_workers(tmp_path, home):
    docs = tmp_path / "docs"
    docs.mkdir()
    line = "Report {}: the group (EI) took Raqa, the observatory (OSDH) said. Share Post\n"
    for number in range(8):  # enough text for worker processes (runner.PARALLEL_MIN_BYTES), seconds of work each
        (docs / f"f{number}.txt").write_text("".join(line.format(i) for i in range(4000)), encoding="utf-8")
    before = {path: path.read_bytes() for path in docs.iterdir()}
    run = subprocess.Popen([sys.executable, "-m", "repair", "fix", "docs", "--jobs", "2", "--no-languagetool",
                            "--no-cache", "--source-language", "fr"], cwd=tmp_path, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, env={**os.environ, "REPAIR_HOME": str(home)})
    parent = psutil.Process(run.pid)

    def forks() -> list[psutil.Process]:
        """The pools' workers: forks of the run itself (a first pool gathers corpus-wide data, a second fixes;
        with --jobs 2, one worker beside the run's own process)."""
        found = []
        for child in parent.children(recursive=True):
            try:
                if child.cmdline() == parent.cmdline():
                    found.append(child)
            except psutil.Error:
                pass
        return found

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not forks():
        time.sleep(0.05)
    time.sleep(2.0)  # into the fixing
    workers = forks()
    assert workers, "the run started no worker processes"
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    gone, alive = psutil.wait_procs(workers, timeout=10)
    for process in alive:
        process.kill()
    assert not alive, f"orphaned workers: {[p.pid for p in alive]}"
    for path in docs.iterdir():  # every file whole: as it was, or fully fixed; no temporary file left
        assert not path.name.endswith(".repair-tmp"), path
        text = path.read_text(encoding="utf-8")
        assert path.read_bytes() == before[path] or ("(IS)" in text and "(EI)" not in text)
