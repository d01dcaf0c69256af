"""Talking to a LanguageTool server over its HTTP API (https://languagetool.org/http-api/).

`GET /v2/languages` lists the languages the server knows (a language code is matched against it as
LanguageTool's clients do: "en_us" and "EN-US" are "en-US", an unknown variant falls back to its language);
`POST /v2/check` with `language`, `text` and, when set, `enabledRules` / `disabledRules` checks a text. The
raw JSON of each check is turned into matches here, offsets converted in one place from LanguageTool's
UTF-16 code units to Python code points, start and length alike.

Requests run on a few threads so that the server's threads stay busy. A server that does not answer its language
list within HANDSHAKE_TIMEOUT is given up at once, before any check, and again while checks are out (it is probed
every PROBE_EVERY seconds); a live server gets `timeout` for each check (WARM_UP_TIMEOUT for the first in a
language, sent alone: the server loads that language then). The first failure stops the rest without waiting for
the requests still in flight (daemon threads: they end with their own timeout, and never hold up the run's end).
"""

from __future__ import annotations

import bisect
import json
import os
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Sequence

from repair.languagetool import LanguageToolUnavailable

#: a server on this machine is asked directly, never through a proxy from the environment
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
_LANGUAGE_TAG = re.compile(r"^([a-z]{2,3})(?:[_-]([a-z]{2}))?$", re.I)
#: seconds a check request may take (repair's `languagetool-timeout` setting); LanguageTool answers a 20,000-
#: character batch in 1-6 s on a loaded 2-core machine, but a request waits behind the others in flight (two
#: worker processes with two requests each on 2 cores: `repair check corpus/` saw one wait past 30 s). A server
#: that is gone or frozen is found by the probe every PROBE_EVERY seconds, not by this timeout, so it can be long.
DEFAULT_TIMEOUT = 120.0
#: seconds the first request (GET /v2/languages, answered at once by a live server) may take
HANDSHAKE_TIMEOUT = 5.0
#: seconds the first check in a language may take: a server loads a language's module on first use (German or
#: Russian: 10-60 s on a loaded 2-core machine), so each run sends one tiny check per language first, alone
WARM_UP_TIMEOUT = 180.0
#: seconds between two probes of the server (its language list) while checks are out
PROBE_EVERY = 5.0


@dataclass(frozen=True)
class RawMatch:
    """One LanguageTool match, offsets in code points relative to the checked text."""

    start: int
    end: int
    rule_id: str
    category_id: str
    issue_type: str
    message: str
    replacements: tuple[str, ...]

    def to_json(self) -> list:
        return [self.start, self.end, self.rule_id, self.category_id, self.issue_type, self.message,
                list(self.replacements)]

    @classmethod
    def from_json(cls, data: list) -> "RawMatch":
        start, end, rule_id, category_id, issue_type, message, replacements = data
        return cls(start, end, rule_id, category_id, issue_type, message, tuple(replacements))


def utf16_to_codepoints(text: str) -> Callable[[int], int]:
    """A function mapping UTF-16 offsets into text to code-point offsets."""
    if text.isascii() or len(text.encode("utf-16-le")) == 2 * len(text):
        return lambda offset: offset  # no character outside the Basic Multilingual Plane
    # cumulative: units[i] = UTF-16 offset of code point i
    table: list[int] = []
    units = 0
    for ch in text:
        table.append(units)
        units += 2 if ord(ch) >= 0x10000 else 1
    table.append(units)

    def convert(offset: int) -> int:
        index = bisect.bisect_left(table, offset)
        return min(index, len(text))

    return convert


def parse_matches(text: str, matches: Sequence[dict[str, Any]], max_replacements: int = 8) -> list[RawMatch]:
    """LanguageTool's JSON matches for text -> RawMatch with code-point offsets."""
    convert = utf16_to_codepoints(text)
    out: list[RawMatch] = []
    for match in matches:
        offset = int(match["offset"])
        length = int(match["length"])
        rule = match.get("rule") or {}
        category = rule.get("category") or {}
        start = convert(offset)
        end = convert(offset + length)
        out.append(
            RawMatch(
                start=start,
                end=max(start, end),
                rule_id=str(rule.get("id", "UNKNOWN")),
                category_id=str(category.get("id", "")),
                issue_type=str(rule.get("issueType", "")),
                message=str(match.get("message", "")).strip(),
                replacements=tuple(str(r.get("value", "")) for r in match.get("replacements", [])[:max_replacements]),
            )
        )
    return out


def request_json(url: str, data: dict[str, str] | None = None, timeout: float = DEFAULT_TIMEOUT) -> Any:
    """GET url (POST data, form-encoded, when given) and decode the JSON answer. Raises LanguageToolUnavailable
    with a one-line reason for anything that goes wrong: refused, timed out, an HTTP error, not JSON."""
    # urllib and http are imported here, not with the module: every run lists this detector's rules, few talk
    # to LanguageTool, and these imports cost a one-file run's start-up about 20 ms
    import http.client
    import urllib.error
    import urllib.parse
    import urllib.request

    body = urllib.parse.urlencode(data).encode("utf-8") if data is not None else None
    host = urllib.parse.urlsplit(url).hostname or ""
    opener = _opener(direct=host in _LOOPBACK)
    try:
        with opener.open(urllib.request.Request(url, data=body), timeout=timeout) as response:
            return json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:  # LanguageTool explains a refused request in plain text
        try:
            detail = error.read().decode("utf-8", "replace") or error.reason
        except (OSError, http.client.HTTPException):
            detail = error.reason
        finally:
            error.close()
        raise LanguageToolUnavailable(f"LanguageTool at {url} answered HTTP {error.code}: {_short(detail)}") from None
    except (OSError, http.client.HTTPException, ValueError) as error:  # refused, reset, timed out, not JSON
        reason = error.reason if isinstance(error, urllib.error.URLError) else error
        if isinstance(reason, TimeoutError):
            raise LanguageToolUnavailable(f"LanguageTool at {url} did not answer: timed out after {timeout:g} s "
                                          "(setting languagetool-timeout)") from error
        raise LanguageToolUnavailable(f"LanguageTool at {url} failed: {_short(reason)}") from error


@lru_cache(maxsize=2)
def _opener(direct: bool):
    """A server on this machine is asked directly; others through the environment's proxy, if any."""
    import urllib.request

    return urllib.request.build_opener(urllib.request.ProxyHandler({})) if direct else urllib.request.build_opener()


def server_languages(url: str, timeout: float = HANDSHAKE_TIMEOUT) -> list[dict[str, str]]:
    """The languages a server knows (its /v2/languages: name, code, longCode)."""
    answer = request_json(url.rstrip("/") + "/v2/languages", timeout=timeout)
    if not isinstance(answer, list):
        raise LanguageToolUnavailable(f"unexpected answer from LanguageTool at {url}: {str(answer)[:120]}")
    return answer


class LanguageToolClient:
    """Checks many texts against one server, concurrently. Languages are LanguageTool codes ("en-US")."""

    def __init__(
        self,
        url: str,
        timeout: float = DEFAULT_TIMEOUT,
        workers: int | None = None,
        disabled_rules: Sequence[str] = (),
        enabled_rules: Sequence[str] = (),
        on_activity: Callable[[], None] | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.workers = workers or max(2, min(8, (os.cpu_count() or 2)))
        self.disabled_rules = tuple(sorted(disabled_rules))
        self.enabled_rules = tuple(sorted(enabled_rules))
        self.on_activity = on_activity
        self._known: dict[str, str] | None = None  # the server's codes, lower case with "_", -> as it spells them
        self._lock = threading.Lock()
        self._warmed: set[str] = set()  # the languages a check was sent in (the server has loaded them)
        self.version: str | None = None
        self.requests_sent = 0

    # -- languages -----------------------------------------------------------

    def language_code(self, language: str) -> str:
        """The server's spelling of a language code; an unknown variant falls back to its language ("en-ZZ": "en").
        The first call asks the server for its languages: a server that does not answer fails here, at once."""
        with self._lock:
            if self._known is None:
                known: dict[str, str] = {}
                for entry in server_languages(self.url, min(self.timeout, HANDSHAKE_TIMEOUT)):
                    for code in (entry.get("code"), entry.get("longCode")):
                        if code:
                            known[code.lower().replace("-", "_")] = code
                known["auto"] = "auto"  # LanguageTool guesses the language
                self._known = known
        found = self._known.get(language.lower().replace("-", "_"))
        if found is None:
            tag = _LANGUAGE_TAG.match(language)
            found = self._known.get(tag.group(1).lower()) if tag else None
        if found is None:
            raise LanguageToolUnavailable(f"LanguageTool at {self.url} does not know the language {language!r}")
        return found

    def _warm_up(self, language: str) -> None:
        """One tiny check in a language, once per client, with time for the server to load that language: the
        requests that follow then get the short timeout."""
        import queue

        code = self.language_code(language)
        with self._lock:
            if code in self._warmed:
                return
        done: "queue.SimpleQueue[tuple[int, Any, BaseException | None]]" = queue.SimpleQueue()

        def warm() -> None:
            try:
                done.put((0, request_json(self.url + "/v2/check", {"language": code, "text": "."},
                                          max(self.timeout, WARM_UP_TIMEOUT)), None))
            except BaseException as error:
                done.put((0, None, error))

        threading.Thread(target=warm, name="languagetool-warm-up", daemon=True).start()
        for _ in self._collect(done, 1):
            pass
        with self._lock:
            self._warmed.add(code)

    def server_version(self, language: str = "en-US") -> str:
        """LanguageTool's version and build date (asked once, with an empty check)."""
        if self.version is None:
            software = self._check_raw(language, "").get("software") or {}
            self.version = f"{software.get('version', '?')}+{software.get('buildDate', '')}"
        return self.version

    # -- checking -----------------------------------------------------------

    def _check_raw(self, language: str, text: str) -> dict[str, Any]:
        params = {"language": self.language_code(language), "text": text}
        if self.disabled_rules:
            params["disabledRules"] = ",".join(self.disabled_rules)
        if self.enabled_rules:
            params["enabledRules"] = ",".join(self.enabled_rules)
        answer = request_json(self.url + "/v2/check", params, self.timeout)
        if not isinstance(answer, dict) or "matches" not in answer:
            raise LanguageToolUnavailable(f"unexpected answer from LanguageTool: {str(answer)[:120]}")
        with self._lock:
            self.requests_sent += 1
        return answer

    def check(self, language: str, text: str) -> list[RawMatch]:
        response = self._check_raw(language, text)
        if self.on_activity is not None:
            self.on_activity()
        return parse_matches(text, response["matches"])

    def check_many(
        self,
        items: Sequence[tuple[str, str]],
        on_result: Callable[[int, list[RawMatch]], None] | None = None,
    ) -> list[list[RawMatch] | None]:
        """Check (language, text) pairs concurrently; results in input order.

        The first failure stops what has not started and is raised as LanguageToolUnavailable, without waiting
        for requests in flight; `on_result` has by then been called for every text that was checked, so callers
        can keep (and cache) partial results. While requests are out, the server is asked for its language list
        every PROBE_EVERY seconds: a server that no longer answers that (stopped, frozen, gone) ends the wait at
        once, while a live one gets up to `timeout` a request (and WARM_UP_TIMEOUT for a language's first)."""
        import queue

        results: list[list[RawMatch] | None] = [None] * len(items)
        if not items:
            return results
        for language in sorted({language for language, _ in items}):
            self.language_code(language)  # ask the server (and check the language) once, up front
            self._warm_up(language)
        # largest first, so that a long text does not finish last on its own
        todo: "queue.SimpleQueue[int]" = queue.SimpleQueue()
        for index in sorted(range(len(items)), key=lambda i: -len(items[i][1])):
            todo.put(index)
        done: "queue.SimpleQueue[tuple[int, Any, BaseException | None]]" = queue.SimpleQueue()
        stop = threading.Event()

        def work() -> None:
            while not stop.is_set():
                try:
                    index = todo.get_nowait()
                except queue.Empty:
                    return
                try:
                    done.put((index, self.check(*items[index]), None))
                except BaseException as error:  # handed to the caller's thread
                    done.put((index, None, error))
                    return

        for _ in range(max(1, min(self.workers, len(items)))):
            threading.Thread(target=work, name="languagetool", daemon=True).start()
        try:
            for index, matches in self._collect(done, len(items)):
                results[index] = matches
                if on_result is not None:
                    on_result(index, matches)
        finally:
            stop.set()  # on a failure nothing more is sent; requests in flight are not waited for
        return results

    def _collect(self, done, count: int):
        """(index, value) of `count` answers from the worker threads, probing the server while none comes."""
        import queue

        received = 0
        while received < count:
            try:
                index, value, failure = done.get(timeout=PROBE_EVERY)
            except queue.Empty:
                self._probe()
                continue
            received += 1
            if failure is not None:
                if isinstance(failure, LanguageToolUnavailable):
                    raise failure
                raise LanguageToolUnavailable(f"LanguageTool failed: {_short(failure)}") from failure
            yield index, value

    def _probe(self) -> None:
        """Raise LanguageToolUnavailable unless the server still answers its language list within
        HANDSHAKE_TIMEOUT (a live server does at once, however busy its checks keep it)."""
        try:
            server_languages(self.url, HANDSHAKE_TIMEOUT)
        except LanguageToolUnavailable:
            raise LanguageToolUnavailable(
                f"LanguageTool at {self.url} stopped answering (its language list timed out after "
                f"{HANDSHAKE_TIMEOUT:g} s while checks were out)") from None


def _short(error: object) -> str:
    text = str(error).strip().splitlines()
    line = text[0] if text else type(error).__name__
    return line if len(line) <= 200 else line[:197] + "..."
