"""Adopting repair on a legacy corpus: a baseline of the findings that exist today, so that a check (or a
pre-commit hook) reports only what is new.

    repair check --write-baseline .repair-baseline.json docs/    write the baseline
    repair check --baseline .repair-baseline.json docs/          report only findings not in it

A finding's identity is its file, its rule code, the text it covers and a little context around it (up to
three words before and after it on its line, white space folded): not line numbers, so it survives edits elsewhere in the file. Each
identity is counted, so a second copy of a known problem is new.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Iterable

from repair.results import FileResult, Located

VERSION = 1
CONTEXT = 24  # characters on each side


class BaselineError(Exception):
    """A baseline file that cannot be used; the message names it."""


def identity(path: str, item: Located, text: str | None) -> str:
    finding = item.finding
    context = ""
    if text is not None:
        line_start = text.rfind("\n", 0, finding.start) + 1
        line_end = text.find("\n", finding.end)
        line_end = len(text) if line_end == -1 else line_end
        # the words around it on its own line: lines added or changed elsewhere leave the identity as it was
        before = " ".join(text[max(line_start, finding.start - CONTEXT):finding.start].split()[-3:])
        after = " ".join(text[finding.end:min(line_end, finding.end + CONTEXT)].split()[:3])
        context = f"{before}\x00{after}"
    digest = hashlib.blake2b(f"{finding.code}\x00{item.text}\x00{context}".encode(), digest_size=10).hexdigest()
    return f"{finding.code}:{digest}"


def _text_of(result: FileResult) -> str | None:
    if result.original is not None:
        return result.original
    if result.path == "-":
        return None
    try:
        from repair.document import Document

        return Document.read(result.path).text
    except Exception:  # unreadable now: identities without context
        return None


def identities(results: Iterable[FileResult]) -> dict[str, Counter]:
    out: dict[str, Counter] = {}
    for result in results:
        if not result.located:
            continue
        text = _text_of(result)
        out[result.path] = Counter(identity(result.path, item, text) for item in result.located)
    return out


def write(path: str | Path, results: Iterable[FileResult]) -> int:
    """Write the baseline of these results; the number of findings in it."""
    found = identities(results)
    data = {"version": VERSION, "tool": "repair",
            "findings": {file: dict(sorted(counts.items())) for file, counts in sorted(found.items())}}
    Path(path).write_text(json.dumps(data, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    return sum(sum(counts.values()) for counts in found.values())


def load(path: str | Path) -> dict[str, Counter]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"{path}: baseline file not found (write one with --write-baseline)") from None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise BaselineError(f"{path}: not a repair baseline: {error}") from None
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("findings"), dict):
        raise BaselineError(f"{path}: not a repair baseline of version {VERSION}")
    return {file: Counter(counts) for file, counts in data["findings"].items()}


def subtract(results: list[FileResult], baseline: dict[str, Counter]) -> int:
    """Drop from the results the findings the baseline holds (each identity as often as it is counted there);
    the number dropped."""
    dropped = 0
    for result in results:
        known = Counter(baseline.get(result.path, {}))
        if not known or not result.located:
            continue
        text = _text_of(result)
        kept = []
        for item in result.located:
            key = identity(result.path, item, text)
            if known[key] > 0:
                known[key] -= 1
                dropped += 1
            else:
                kept.append(item)
        result.located = kept
    return dropped
