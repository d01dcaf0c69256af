"""Talking to a LanguageTool server over its HTTP API (https://languagetool.org/http-api/).

`GET /v2/languages` lists the languages the server knows (a language code is matched against it as
LanguageTool's clients do: "en_us" and "EN-US" are "en-US", an unknown variant falls back to its language);
`POST /v2/check` with `language`, `text` and, when set, `enabledRules` / `disabledRules` checks a text. The
raw JSON of each check is turned into matches here, offsets converted in one place from LanguageTool's
UTF-16 code units to Python code points, start and length alike.

Requests run on a few threads so that the server's threads stay busy; every request has a timeout (a server
that does not answer its language list within HANDSHAKE_TIMEOUT is given up at once), and the first failure
stops the rest without waiting for the requests still in flight (daemon threads: they end with their own
timeout, and never hold up the end of the run).
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
#: character batch in 1-6 s on a loaded 2-core machine
DEFAULT_TIMEOUT = 30.0
#: seconds the first request (GET /v2/languages, answered at once by a live server) may take
HANDSHAKE_TIMEOUT = 5.0


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

        The first failure cancels what has not started and is raised as
        LanguageToolUnavailable; `on_result` has by then been called for every
        text that was checked, so callers can keep (and cache) partial results.
        """
        results: list[list[RawMatch] | None] = [None] * len(items)
        if not items:
            return results
        for language in {language for language, _ in items}:
            self.language_code(language)  # ask the server (and check the language) once, up front
        if len(items) == 1 or self.workers == 1:
            for index, (language, text) in enumerate(items):
                results[index] = self.check(language, text)
                if on_result is not None:
                    on_result(index, results[index])
            return results
        # largest first, so that a long text does not finish last on its own
        import queue

        todo: "queue.SimpleQueue[int]" = queue.SimpleQueue()
        for index in sorted(range(len(items)), key=lambda i: -len(items[i][1])):
            todo.put(index)
        done: "queue.SimpleQueue[tuple[int, list[RawMatch] | None, BaseException | None]]" = queue.SimpleQueue()
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

        for _ in range(min(self.workers, len(items))):
            threading.Thread(target=work, name="languagetool", daemon=True).start()
        for _ in range(len(items)):
            index, matches, failure = done.get()
            if failure is not None:
                stop.set()  # nothing more is sent; requests in flight are not waited for
                if isinstance(failure, LanguageToolUnavailable):
                    raise failure
                raise LanguageToolUnavailable(f"LanguageTool failed: {_short(failure)}") from failure
            results[index] = matches
            if on_result is not None:
                on_result(index, matches)
        return results


def _short(error: object) -> str:
    text = str(error).strip().splitlines()
    line = text[0] if text else type(error).__name__
    return line if len(line) <= 200 else line[:197] + "..."
