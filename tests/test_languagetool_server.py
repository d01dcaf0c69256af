"""Tests against the real LanguageTool server, installed by scripts/install-languagetool.sh.

A missing install FAILS these tests (with the command to run); they are skipped only
when REPAIR_SKIP_LANGUAGETOOL=1. The server runs with a private home folder (REPAIR_HOME),
so these tests never touch the user's warm server or cache.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import psutil
import pytest

from repair import dirs
from repair.context import Context
from repair.detectors.languagetool import LanguageToolDetector
from repair.document import Document
from repair.languagetool import LANGUAGETOOL_VERSION, LanguageToolUnavailable, installation, server
from repair.model import Applicability

pytestmark = pytest.mark.languagetool

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
SEEDS = [CORPUS / "000_9d2a160825c0186a.txt", CORPUS / "003_1374c92416c258b1.txt"]
INSTALL_HINT = "LanguageTool is not installed: run `make languagetool` (or set REPAIR_SKIP_LANGUAGETOOL=1)"


def _java_pids() -> set[int]:
    """The LanguageTool servers running on this machine (anyone's)."""
    pids = set()
    for process in psutil.process_iter():
        try:
            argv = process.cmdline()
        except psutil.Error:
            continue
        if server.SERVER_CLASS in argv and "java" in Path(argv[0]).name:
            pids.add(process.pid)
    return pids


def _servers_in(home: Path) -> set[int]:
    """The LanguageTool servers started for one home folder (they run in it)."""
    found = set()
    for pid in _java_pids():
        try:
            if Path(psutil.Process(pid).cwd()) == home:
                found.add(pid)
        except psutil.Error:
            pass
    return found


def _private_home(path: Path) -> Path:
    """A fresh home folder that shares the user's word-frequency table (building it takes 20 s)."""
    path.mkdir(parents=True, exist_ok=True)
    for table in dirs.home().glob("wordfreq-*.sqlite"):
        (path / table.name).symlink_to(table)
    return path


def _skip_if_asked() -> None:
    if os.environ.get("REPAIR_SKIP_LANGUAGETOOL") == "1":
        pytest.skip("REPAIR_SKIP_LANGUAGETOOL=1")


@pytest.fixture(scope="module")
def home_env(tmp_path_factory):
    _skip_if_asked()
    old = os.environ.get(dirs.ENVIRONMENT_VARIABLE)
    path = _private_home(tmp_path_factory.mktemp("lt-home"))
    os.environ[dirs.ENVIRONMENT_VARIABLE] = str(path)
    yield path
    if old is None:
        os.environ.pop(dirs.ENVIRONMENT_VARIABLE, None)
    else:
        os.environ[dirs.ENVIRONMENT_VARIABLE] = old


@pytest.fixture(scope="module")
def lt_server(home_env):
    try:
        installation = server.find_installation()
    except LanguageToolUnavailable as error:
        pytest.fail(f"{INSTALL_HINT}\n({error})")
    assert installation.version == LANGUAGETOOL_VERSION, (
        f"installed LanguageTool {installation.version} is not the pinned {LANGUAGETOOL_VERSION}: {INSTALL_HINT}")
    info = server.ensure_running(timeout=120, idle_minutes=10)
    yield info
    assert server.stop() is not None
    assert info.pid not in _java_pids()
    assert not psutil.pid_exists(info.watchdog_pid) or psutil.Process(info.watchdog_pid).status() == "zombie"
    assert server.status() is None


def _detector(**kwargs) -> LanguageToolDetector:
    return LanguageToolDetector(timeout=60, start_timeout=120, **kwargs)


def _check(text: str, language: str = "en", **kwargs):
    detector = _detector(**kwargs)
    findings = detector.detect(Document("t.txt", text), Context.of(language))
    assert detector.skipped_reason is None, detector.skipped_reason
    detector.close()
    return findings


def _by_rule(findings, rule_id):
    return [f for f in findings if f.message.startswith(f"[{rule_id}]")]


def test_server_binds_loopback_only(lt_server):
    assert server.responds(lt_server.url)
    out = subprocess.run(["ss", "-ltnp"], capture_output=True, text=True).stdout if _has("ss") else ""
    if out:
        lines = [line for line in out.splitlines() if f":{lt_server.port} " in line]
        assert lines and all("127.0.0.1" in line or "[::1]" in line for line in lines), lines


def _has(program: str) -> bool:
    from shutil import which

    return which(program) is not None


def test_a_vs_an(lt_server):
    text = "The army wanted to end the EI, a ultraradical group which claimed the attacks."
    [finding] = _by_rule(_check(text), "EN_A_VS_AN")
    assert finding.code == "LT200"
    assert text[finding.start:finding.end] == "a"
    assert finding.fix.applicability is Applicability.SAFE
    fixed = text[:finding.start] + finding.fix.edits[0].replacement + text[finding.end:]
    assert "an ultraradical group" in fixed


def test_space_inside_brackets(lt_server):
    text = "the Syrian Observatory for Human Rights ( OSDH). 188 members died."
    [finding] = _by_rule(_check(text), "COMMA_PARENTHESIS_WHITESPACE")
    assert finding.code == "LT300"
    assert text[finding.start:finding.end] == "( "
    assert finding.fix.applicability is Applicability.SAFE and finding.fix.edits[0].replacement == "("


def test_offsets_after_astral_characters(lt_server):
    text = "😀🎉 Note 𝒳: he is a ultraradical member ( OSDH) of the the group."
    findings = _check(text)
    spans = {f.message.split("]")[0][1:]: text[f.start:f.end] for f in findings}
    assert spans["EN_A_VS_AN"] == "a"
    assert spans["COMMA_PARENTHESIS_WHITESPACE"] == "( "
    assert spans["ENGLISH_WORD_REPEAT_RULE"] == "the the"


def test_offsets_in_later_paragraphs(lt_server):
    text = "A first paragraph 😀 is fine.\n\nSecond 😀 paragraph has a error here.\n\n\nThird: a ultraradical."
    findings = _check(text)
    a_an = _by_rule(findings, "EN_A_VS_AN")
    assert [text[f.start:f.end + 6] for f in a_an] == ["a error", "a ultra"]


@pytest.mark.parametrize("rule", LanguageToolDetector.rules, ids=lambda r: r.code)
def test_rule_examples(lt_server, rule):
    level = "picky" if rule.code == "LT400" else "default"  # style advice is reported at the picky level only
    for example in rule.examples:
        bad = [f.code for f in _check(example.bad, level=level)]
        good = [f.code for f in _check(example.good, level=level)]
        assert rule.code in bad, (example.bad, bad)
        assert rule.code not in good, (example.good, good)


@pytest.mark.parametrize(
    "language, text, rule_id",
    [
        ("fr", "Il a a mangé du pain.", "FRENCH_WORD_REPEAT_RULE"),
        ("de", "Das ist ist gut.", "GERMAN_WORD_REPEAT_RULE"),
        ("ru", "Это это дом.", "WORD_REPEAT_RULE"),
    ],
)
def test_other_languages(lt_server, language, text, rule_id):
    assert _by_rule(_check(text, language=language), rule_id)


def test_allow_list(lt_server):
    text = "Goverment and the YPG met."  # a frequent word one edit away: a misspelling; YPG is a name
    detector = _detector()
    plain = detector.detect(Document("t", text), Context.of("en"))
    assert [text[f.start:f.end] for f in plain if f.code == "LT100"] == ["Goverment"]
    allowed = detector.detect(Document("t", text), Context.of("en", allow=frozenset({"Goverment"})))
    assert not any(f.code == "LT100" for f in allowed)


def test_cache_hit_sends_no_request(lt_server, tmp_path, monkeypatch):
    text = "Unchanged paragraph with a error.\n\nAnother one with with a doubled word."
    first = _detector(cache_path=tmp_path / "c.sqlite3")
    found = first.detect(Document("t", text), Context.of("en"))
    assert first.stats.requests == 1 and first.stats.cache_hits == 0  # both paragraphs in one request
    first.close()
    with monkeypatch.context() as patch:
        # all cached: no server is needed, not even a started one (here none could start: no Java, no server)
        patch.setenv(dirs.ENVIRONMENT_VARIABLE, str(tmp_path / "no-server"))
        patch.setenv("PATH", str(tmp_path))
        patch.delenv("JAVA_HOME", raising=False)
        second = _detector(cache_path=tmp_path / "c.sqlite3")
        again = second.detect(Document("t", text), Context.of("en"))
        assert second.skipped_reason is None
        assert second.stats.requests == 0 and second.stats.cache_hits == 2
        assert again == found
        second.close()
    # one paragraph edited: only that one is sent
    third = _detector(cache_path=tmp_path / "c.sqlite3")
    third.detect(Document("t", text.replace("Another", "Yet another")), Context.of("en"))
    assert third.stats.requests == 1 and third.stats.cache_hits == 1


def test_detect_many_batches_files(lt_server, tmp_path):
    docs = [Document(f"d{i}", f"File {i} has a error.\n\nAnd a ultraradical idea number {i}.") for i in range(6)]
    detector = _detector(cache_path=tmp_path / "c.sqlite3", workers=4)
    results = detector.detect_many(docs, Context.of("en"))
    assert len(results) == 6
    for doc, findings in zip(docs, results):
        assert [doc.text[f.start:f.end + 6] for f in _by_rule(findings, "EN_A_VS_AN")] == ["a error", "a ultra"]
    assert detector.stats.requests == 1  # twelve small paragraphs of six files: one request


def test_server_is_reused(lt_server, home_env):
    again = server.ensure_running(timeout=60)
    assert again.pid == lt_server.pid and again.port == lt_server.port
    assert server.status().pid == lt_server.pid
    # a detector without url finds the same server
    detector = _detector()
    assert _by_rule(detector.detect(Document("t", "It is a error."), Context.of("en")), "EN_A_VS_AN")
    detector.close()
    assert server.status().pid == lt_server.pid
    # its state is in the home folder; its watchdog is the watchdog module, watching this server
    assert json.loads((home_env / "languagetool-server.json").read_text())["pid"] == lt_server.pid
    watchdog = psutil.Process(lt_server.watchdog_pid).cmdline()
    assert watchdog[1:3] == ["-m", "repair.languagetool.watchdog"] and str(lt_server.pid) in watchdog


def test_status_ignores_a_state_file_naming_another_process(tmp_path, monkeypatch):
    """A recycled pid (here: this Python process) is never taken for the server."""
    monkeypatch.setenv(dirs.ENVIRONMENT_VARIABLE, str(tmp_path))
    state = tmp_path / "languagetool-server.json"
    state.write_text(json.dumps({"pid": os.getpid(), "port": 1, "version": LANGUAGETOOL_VERSION, "home": "x",
                                 "started": time.time()}))
    assert server.status() is None
    assert not state.exists()
    assert server.stop() is None


def test_parallel_starts_make_one_server(tmp_path):
    """Two processes starting at once with an empty home folder: one server, no orphan."""
    _skip_if_asked()
    env = {**os.environ, dirs.ENVIRONMENT_VARIABLE: str(tmp_path)}
    code = "from repair.languagetool import server; print(server.ensure_running(timeout=120, idle_minutes=5).pid)"
    procs = [subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    pids = {int(p.communicate(timeout=180)[0].strip()) for p in procs}
    try:
        assert len(pids) == 1
        assert _servers_in(tmp_path) == pids
    finally:
        subprocess.run([sys.executable, "-c", "from repair.languagetool import server; server.stop()"], env=env, timeout=60)
    [pid] = pids
    deadline = time.time() + 10
    while time.time() < deadline and pid in _java_pids():
        time.sleep(0.2)
    assert pid not in _java_pids(), "stop left a java process behind"
    assert not (tmp_path / "languagetool-server.json").exists()


def test_idle_watchdog_stops_server(tmp_path):
    _skip_if_asked()
    env = {**os.environ, dirs.ENVIRONMENT_VARIABLE: str(tmp_path)}
    code = "from repair.languagetool import server; print(server.ensure_running(timeout=120, idle_minutes=0.05).pid)"
    pid = int(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=180).stdout)
    deadline = time.time() + 30  # idle 3 s, watchdog polls every second
    state = tmp_path / "languagetool-server.json"
    while time.time() < deadline and (pid in _java_pids() or state.exists()):
        time.sleep(0.5)
    assert pid not in _java_pids(), "idle server was not stopped"
    assert not (tmp_path / "languagetool-server.json").exists()


# ----------------------------------------------------------------------------- failures


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_url_is_skipped_quickly():
    detector = LanguageToolDetector(url=f"http://127.0.0.1:{_closed_port()}", timeout=2)
    began = time.monotonic()
    assert detector.detect(Document("t", "It is a error."), Context.of("en")) == []
    assert time.monotonic() - began < 10
    assert detector.skipped_reason and "\n" not in detector.skipped_reason
    # later files do not wait again
    began = time.monotonic()
    assert detector.detect(Document("u", "Another a error."), Context.of("en")) == []
    assert time.monotonic() - began < 0.5


def test_silent_server_times_out():
    """A port that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    try:
        detector = LanguageToolDetector(url=f"http://127.0.0.1:{listener.getsockname()[1]}", timeout=1.5)
        began = time.monotonic()
        assert detector.detect(Document("t", "It is a error."), Context.of("en")) == []
        assert time.monotonic() - began < 10
        assert detector.skipped_reason
    finally:
        listener.close()


class _DyingHandler(BaseHTTPRequestHandler):
    """Answers /v2/languages and an empty check, then breaks on real checks."""

    def log_message(self, *args):
        pass

    def _json(self, body: str) -> None:
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self._json('[{"name":"English (US)","code":"en","longCode":"en-US"}]')

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(length).decode()
        if "text=&" in body + "&":
            self._json('{"software":{"version":"6.8","buildDate":"x"},"matches":[]}')
        else:
            self.connection.close()  # the server "dies" mid-run


def test_server_dying_mid_run_is_reported(tmp_path):
    httpd = HTTPServer(("127.0.0.1", 0), _DyingHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        detector = LanguageToolDetector(url=f"http://127.0.0.1:{httpd.server_port}", timeout=3,
                                        cache_path=tmp_path / "c.sqlite3")
        began = time.monotonic()
        findings = detector.detect(Document("t", "One a error.\n\nTwo a error."), Context.of("en"))
        assert findings == []
        assert time.monotonic() - began < 15
        assert detector.skipped_reason and "\n" not in detector.skipped_reason
        # the rest of the run sends nothing more
        began = time.monotonic()
        assert detector.detect(Document("u", "Three a error."), Context.of("en")) == []
        assert time.monotonic() - began < 0.5
    finally:
        httpd.shutdown()


def test_no_java_is_a_one_line_notice(tmp_path, monkeypatch):
    monkeypatch.setenv(dirs.ENVIRONMENT_VARIABLE, str(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path))  # no java here
    monkeypatch.delenv("JAVA_HOME", raising=False)
    detector = LanguageToolDetector()
    assert detector.detect(Document("t", "It is a error."), Context.of("en")) == []
    assert detector.skipped_reason is not None and "Java" in detector.skipped_reason
    assert "\n" not in detector.skipped_reason
    assert not _servers_in(tmp_path)


def test_not_installed_is_a_one_line_notice(tmp_path, monkeypatch):
    monkeypatch.setenv(dirs.ENVIRONMENT_VARIABLE, str(tmp_path))
    monkeypatch.setenv("REPAIR_LANGUAGETOOL_HOME", str(tmp_path / "nothing"))
    detector = LanguageToolDetector()
    assert detector.detect(Document("t", "It is a error."), Context.of("en")) == []
    assert "REPAIR_LANGUAGETOOL_HOME" in detector.skipped_reason and "make languagetool" in detector.skipped_reason
    # no jars anywhere: the reason says what to run
    monkeypatch.delenv("REPAIR_LANGUAGETOOL_HOME")
    monkeypatch.setattr(installation, "PROJECT_LIB", tmp_path / "no-project-lib")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "no-user-data"))
    with pytest.raises(LanguageToolUnavailable, match="run `make languagetool`"):
        server.find_installation()
    detector = LanguageToolDetector()
    assert detector.detect(Document("t", "It is a error."), Context.of("en")) == []
    assert "make languagetool" in detector.skipped_reason and "\n" not in detector.skipped_reason


# ----------------------------------------------------------------------------- seeds


def test_seed_articles(lt_server):
    found = []
    for path in SEEDS:
        findings = _check(path.read_text(encoding="utf-8"))
        assert all(f.code.startswith("LT") for f in findings)
        found += findings
    assert found  # (at the default level one seed has nothing LanguageTool calls an error)
    text = SEEDS[1].read_text(encoding="utf-8")
    findings = _check(text)
    a_an = [text[f.start:f.end + 13] for f in _by_rule(findings, "EN_A_VS_AN")]
    assert "a ultraradical" in a_an
    brackets = [f for f in _by_rule(findings, "COMMA_PARENTHESIS_WHITESPACE") if text[f.start:f.start + 6] == "( OSDH"]
    assert len(brackets) == 1


def test_a_run_batches_files_and_finds_what_one_file_at_a_time_finds(lt_server, tmp_path):
    from repair.config import Settings
    from repair.runner import RunOptions, Runner

    paths = []
    for number in range(5):
        path = tmp_path / f"f{number}.txt"
        path.write_text(f"Story {number} is a error.\n\nThe the army advanced {number} km.\n", encoding="utf-8")
        paths.append(str(path))
    settings = Settings(select=("LT",), cache=False)
    runner = Runner(settings, RunOptions(use_cache=False, jobs=1))
    assert runner.engine.prefetching
    together = {r.path: [(i.finding.code, i.text) for i in r.located] for r in runner.run(paths)}
    alone = {}
    for path in paths:
        (result,) = Runner(settings, RunOptions(use_cache=False, jobs=1)).run([path])
        alone[path] = [(i.finding.code, i.text) for i in result.located]
    assert together == alone
    assert all(("LT200", "a") in found for found in together.values())


def test_safe_fixes_leave_clean_human_text_untouched(lt_server):
    from pathlib import Path

    from repair.config import Settings
    from repair.engine import Engine

    clean = Path(__file__).resolve().parent.parent / "corpus" / "clean" / "wmt21-human-references-en.txt"
    doc = Document.read(clean)
    assert Engine(Settings(cache=False)).fix(doc).text == doc.text


def test_clean_technical_markup_stays_under_one_finding_per_1000_words(lt_server):
    """corpus/clean's Markdown and HTML documentation, the whole check with the real LanguageTool: at most one
    finding per 1,000 words (words of the whole files, as tests/test_formats_corpus.py counts them), and the
    authors' own misspellings that people are known to make are still found."""
    from repair.config import Settings
    from repair.runner import RunOptions, Runner

    paths = sorted(str(p) for folder in ("markdown", "html") for p in (CORPUS / "clean" / folder).iterdir())
    words = sum(len(Path(p).read_text(encoding="utf-8").split()) for p in paths)
    results = Runner(Settings(cache=False), RunOptions(use_cache=False, jobs=1)).run(paths)
    found = [(Path(r.path).name, i.finding.code, i.text) for r in results for i in r.located]
    assert len(found) * 1000 <= words, f"{len(found)} findings in {words:,} words: {found[:60]}"
    spelling = {text for _, code, text in found if code == "LT100"}
    assert {"seprate", "gramar", "compatiblity", "desireable"} <= spelling
    assert not spelling & {"dicts", "lexers", "transpiled", "ORMs", "CommonJS", "int", "bool"}
