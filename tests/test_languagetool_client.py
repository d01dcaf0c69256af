"""The HTTP client against a stub server that records what it is sent, and where the detector's languages
come from. Fast; they never stand in for the real-server tests (tests/test_languagetool_server.py)."""

from __future__ import annotations

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from repair.context import Context
from repair.detectors.languagetool import LANGUAGES, LanguageToolDetector
from repair.languages import TABLE
from repair.languagetool import LanguageToolUnavailable
from repair.languagetool.client import LanguageToolClient

LANGUAGES_ANSWER = [
    {"name": "English (US)", "code": "en", "longCode": "en-US"},
    {"name": "English (GB)", "code": "en", "longCode": "en-GB"},
    {"name": "French", "code": "fr", "longCode": "fr"},
]
#: "😀 a error": the match's offset (3) and length (1) are in UTF-16 units, the emoji takes two
CHECK_ANSWER = {
    "software": {"version": "6.8", "buildDate": "2025-01-01"},
    "matches": [{"message": "Use “an”.", "replacements": [{"value": "an"}], "offset": 3, "length": 1,
                 "rule": {"id": "EN_A_VS_AN", "issueType": "misspelling", "category": {"id": "MISC"}}}],
}


class _Recorder(BaseHTTPRequestHandler):
    sent: list = []
    status = 200

    def log_message(self, *args):
        pass

    def _answer(self, status: int, body: str, kind: str = "application/json") -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self.sent.append(("GET", self.path, None))
        self._answer(200, json.dumps(LANGUAGES_ANSWER))

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        self.sent.append(("POST", self.path, urllib.parse.parse_qsl(body, keep_blank_values=True)))
        if self.status != 200:
            self._answer(self.status, "Error: Missing 'text' or 'data' parameter\n  at somewhere", "text/plain")
        else:
            self._answer(200, json.dumps(CHECK_ANSWER))


@pytest.fixture
def stub():
    _Recorder.sent = []
    _Recorder.status = 200
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", _Recorder
    httpd.shutdown()
    httpd.server_close()


def test_check_sends_what_language_tool_python_sent(stub):
    """language, text (form-encoded POST to /v2/check); the rule lists only when set; nothing else."""
    url, recorder = stub
    client = LanguageToolClient(url, timeout=5)
    [match] = client.check("en-US", "😀 a error")
    assert (match.start, match.end, match.rule_id) == (2, 3, "EN_A_VS_AN")  # code points
    assert recorder.sent[0][:2] == ("GET", "/v2/languages")
    assert recorder.sent[1] == ("POST", "/v2/check", [("language", "en-US"), ("text", "😀 a error")])
    ruled = LanguageToolClient(url, timeout=5, disabled_rules=("B", "A"), enabled_rules=("C",))
    ruled.check("en-US", "text")
    assert dict(recorder.sent[-1][2]) == {"language": "en-US", "text": "text", "disabledRules": "A,B",
                                          "enabledRules": "C"}
    assert client.server_version("en-US") == "6.8+2025-01-01"
    assert client.requests_sent == 2


@pytest.mark.parametrize("asked, sent", [("en-US", "en-US"), ("en_gb", "en-GB"), ("EN-US", "en-US"),
                                         ("en-ZZ", "en"), ("fr", "fr")])
def test_language_codes_as_the_server_spells_them(stub, asked, sent):
    url, _ = stub
    assert LanguageToolClient(url).language_code(asked) == sent


def test_unknown_language_and_http_errors_are_one_line(stub):
    url, recorder = stub
    client = LanguageToolClient(url, timeout=5)
    with pytest.raises(LanguageToolUnavailable, match="does not know the language 'xx'"):
        client.check("xx", "text")
    recorder.status = 400
    with pytest.raises(LanguageToolUnavailable) as caught:
        client.check("en-US", "text")
    assert "HTTP 400" in str(caught.value) and "\n" not in str(caught.value)


def test_many_texts_come_back_in_order(stub):
    url, _ = stub
    client = LanguageToolClient(url, timeout=5, workers=4)
    seen = []
    results = client.check_many([("en-US", f"😀 a error {i}") for i in range(6)], on_result=lambda i, _: seen.append(i))
    assert [[m.start for m in found] for found in results] == [[2]] * 6
    assert sorted(seen) == list(range(6))


def test_languages_come_from_the_one_table():
    with_languagetool = tuple(code for code, language in TABLE.items() if language.languagetool)
    assert LANGUAGES == with_languagetool
    assert all(rule.target_languages == with_languagetool for rule in LanguageToolDetector.rules)
    detector = LanguageToolDetector(url="http://127.0.0.1:9")
    for code in with_languagetool:
        assert detector.variant(Context.of(code)) == TABLE[code].languagetool
        assert detector.applies_to(Context.of(code))
    assert detector.variant(Context.of("es")) is None and not detector.applies_to(Context.of("es"))
    # an explicit language overrides the target: a repair code gets its profile's variant, a variant is kept
    assert LanguageToolDetector(language="en").variant(Context.of("fr")) == "en-US"
    assert LanguageToolDetector(language="en-GB").variant(Context.of("fr")) == "en-GB"
    assert LanguageToolDetector(language="es").variant(Context.of("en")) is None


def test_capabilities():
    detector = LanguageToolDetector(url="http://127.0.0.1:9")
    assert (detector.secondary, detector.batched, detector.service) == (True, True, "languagetool")
    assert detector.fingerprint().startswith("languagetool ")
    detector.close()  # nothing opened: closing is harmless


def test_no_language_tool_python():
    from pathlib import Path

    package = Path(__file__).resolve().parents[1] / "repair"
    assert not [p for p in package.rglob("*.py") if "language_tool_python" in p.read_text(encoding="utf-8")]
