"""Talking to a LanguageTool server through language-tool-python.

language-tool-python's `LanguageTool(remote_server=...)` validates the language
against the server's list and builds the request parameters; we ask it for the raw
JSON of each check so that offsets can be converted here, in one place, from
LanguageTool's UTF-16 code units to Python code points (language-tool-python's own
`Match` fixes only the start, not the length, and keeps that state in class
attributes, which is not safe across threads).

Requests run on a thread pool so that the server's threads stay busy; every request
has a timeout, and the first failure stops the rest.
"""

from __future__ import annotations

import os
import threading
import urllib.parse
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any, Callable, Sequence
import bisect

from repair.languages import TABLE
from repair.languagetool import LanguageToolUnavailable

#: repair's language codes -> the LanguageTool variant checked by default (repair.languages' profiles).
#: A bare "en" or "de" has no spell checker in LanguageTool, so a variant is named.
DEFAULT_VARIANTS = {code: language.languagetool for code, language in TABLE.items() if language.languagetool}


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


def _remote_class():
    try:
        from language_tool_python import LanguageTool
    except ImportError as error:  # pragma: no cover - it is a dependency
        raise LanguageToolUnavailable("language-tool-python is not installed") from error

    class RemoteLanguageTool(LanguageTool):
        """language-tool-python's client with repair's timeout (it hard-codes 300 s)."""

        def __init__(self, language: str, url: str, timeout: float) -> None:
            self._repair_timeout = timeout
            super().__init__(language, remote_server=url)

        @property
        def _TIMEOUT(self) -> float:  # type: ignore[override]
            return self._repair_timeout

        def check_raw(self, text: str, extra: dict[str, str]) -> dict[str, Any]:
            params = self._create_params(text)
            params.update(extra)
            url = urllib.parse.urljoin(self._url, "check")
            response = self._query_server(url, params, num_tries=1, method="post")
            if not isinstance(response, dict) or "matches" not in response:
                raise LanguageToolUnavailable(f"unexpected answer from LanguageTool: {str(response)[:120]}")
            return response

    return RemoteLanguageTool


class LanguageToolClient:
    """Checks many texts against one server, concurrently."""

    def __init__(
        self,
        url: str,
        timeout: float = 60.0,
        workers: int | None = None,
        disabled_rules: Sequence[str] = (),
        enabled_rules: Sequence[str] = (),
        variants: dict[str, str] | None = None,
        on_activity: Callable[[], None] | None = None,
    ) -> None:
        self.url = url.rstrip("/") + "/"
        self.timeout = timeout
        self.workers = workers or max(2, min(8, (os.cpu_count() or 2)))
        self.disabled_rules = tuple(sorted(disabled_rules))
        self.enabled_rules = tuple(sorted(enabled_rules))
        self.variants = {**DEFAULT_VARIANTS, **(variants or {})}
        self.on_activity = on_activity
        self._tools: dict[str, Any] = {}
        self._lock = threading.Lock()
        self.version: str | None = None
        self.requests_sent = 0

    # -- connection ---------------------------------------------------------

    def language_code(self, language: str) -> str:
        return self.variants.get(language, language)

    def tool(self, language: str):
        code = self.language_code(language)
        with self._lock:
            tool = self._tools.get(code)
            if tool is None:
                cls = _remote_class()
                try:
                    tool = cls(code, self.url, self.timeout)
                except LanguageToolUnavailable:
                    raise
                except Exception as error:
                    raise LanguageToolUnavailable(
                        f"LanguageTool at {self.url} does not answer: {_short(error)}"
                    ) from error
                for rule in self.disabled_rules:
                    tool.disabled_rules.add(rule)
                for rule in self.enabled_rules:
                    tool.enabled_rules.add(rule)
                self._tools[code] = tool
            return tool

    def server_version(self, language: str = "en") -> str:
        """LanguageTool's version (asked once, with an empty check)."""
        if self.version is None:
            response = self._check_one(language, "")
            software = response.get("software") or {}
            self.version = f"{software.get('version', '?')}+{software.get('buildDate', '')}"
        return self.version

    # -- checking -----------------------------------------------------------

    def _check_one(self, language: str, text: str) -> dict[str, Any]:
        tool = self.tool(language)
        try:
            response = tool.check_raw(text, {})
        except LanguageToolUnavailable:
            raise
        except Exception as error:
            raise LanguageToolUnavailable(f"LanguageTool at {self.url} failed: {_short(error)}") from error
        with self._lock:
            self.requests_sent += 1
        return response

    def check(self, language: str, text: str) -> list[RawMatch]:
        response = self._check_one(language, text)
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
            self.tool(language)  # connect (and validate the language) once, up front
        if len(items) == 1 or self.workers == 1:
            for index, (language, text) in enumerate(items):
                results[index] = self.check(language, text)
                if on_result is not None:
                    on_result(index, results[index])
            return results
        # largest first, so that a long text does not finish last on its own
        order = sorted(range(len(items)), key=lambda i: -len(items[i][1]))
        with ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="languagetool") as pool:
            futures = {pool.submit(self.check, *items[i]): i for i in order}
            done, pending = wait(futures, return_when=FIRST_EXCEPTION)
            failure: BaseException | None = None
            for future in done:
                error = future.exception()
                if error is not None:
                    failure = failure or error
                    continue
                index = futures[future]
                results[index] = future.result()
                if on_result is not None:
                    on_result(index, results[index])
            if failure is not None:
                for future in pending:
                    future.cancel()
                for future in pending:
                    if not future.cancelled() and future.exception() is None:
                        index = futures[future]
                        results[index] = future.result()
                        if on_result is not None:
                            on_result(index, results[index])
                if isinstance(failure, LanguageToolUnavailable):
                    raise failure
                raise LanguageToolUnavailable(f"LanguageTool failed: {_short(failure)}") from failure
        return results


def _short(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    line = text[0] if text else type(error).__name__
    return line if len(line) <= 200 else line[:197] + "..."
