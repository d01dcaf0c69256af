"""Small derived data kept in the repair home (repair.dirs) between runs, so that a run need not derive it again:
plain JSON files (never pickles) in a folder of the home, each named by a digest of everything it was derived
from (`key`: repair's code and Python's version always among it). A file is written atomically; one that is
missing, cannot be read or is damaged is a miss, and one that cannot be written is not kept: either costs time,
never results. What reads a file checks what it reads (repair.pattern_facts, repair.config)."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any


def key(*parts: str | bytes) -> str:
    """A digest of the parts, of repair's code (repair.cache.code_fingerprint) and of Python's version."""
    from repair.cache import code_fingerprint

    digest = hashlib.sha256(f"{sys.version}\0{code_fingerprint()}".encode())
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        digest.update(b"\0%d\0" % len(data) + data)
    return digest.hexdigest()


def _path(folder: str, name: str) -> Path | None:
    if os.environ.get("REPAIR_NO_PACK_CACHE"):  # the switch that turns off the home's derived data
        return None
    try:
        from repair.dirs import home

        return home() / folder / f"{name}.json"
    except OSError:
        return None


def read(folder: str, name: str) -> Any:
    """The value kept under the name; LookupError when there is none (or it cannot be read as JSON)."""
    path = _path(folder, name)
    if path is None:
        raise LookupError(name)
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError):
        raise LookupError(name) from None


def write(folder: str, name: str, value: Any) -> None:
    """Keep the value under the name (JSON; a value JSON does not hold as it is, is not kept)."""
    path = _path(folder, name)
    if path is None:
        return
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False)  # (keys in their order)
    except (TypeError, ValueError):
        return
    if replace_file(path, text.encode("utf-8")):
        prune_stale(path.parent)


def replace_file(path: Path, data: bytes) -> bool:
    """Put data in path in one step (a temporary file beside it, renamed over it): a reader finds the old file
    or the whole new one, never a part. False when it cannot be written (no writable home: the data is derived
    again next time); the temporary file never stays behind."""
    import tempfile  # (only when writing: tempfile's import costs a run ~5 ms)

    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
        temporary = None
        return True
    except OSError:
        return False
    finally:
        if temporary is not None and os.path.exists(temporary):
            os.unlink(temporary)


def prune(folder: Path, family: str, current: str, keep: int = 2) -> None:
    """Remove the derived files in `folder` of one family (`family`: a regular expression over a file's name whose
    first group is the key the file was derived under) but for those of the `current` key and of the `keep` - 1
    other keys most recently written: what earlier versions of repair or of its data derived, which would
    otherwise pile up in the home with each upgrade (a langdetect table is 37 MB). A version still in use that
    finds its file gone derives it again: time, never results. Nothing is raised (a file another process removed
    first, a home that cannot be listed)."""
    import re

    pattern = re.compile(family)
    groups: dict[str, list[os.DirEntry]] = {}
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                match = pattern.fullmatch(entry.name)
                if match and entry.is_file(follow_symlinks=False):
                    groups.setdefault(match.group(1), []).append(entry)
    except OSError:
        return
    groups.pop(current, None)

    def written(group: list[os.DirEntry]) -> float:
        try:
            return max(entry.stat(follow_symlinks=False).st_mtime for entry in group)
        except OSError:
            return 0.0

    for group in sorted(groups.values(), key=written, reverse=True)[max(0, keep - 1):]:
        for entry in group:
            try:
                os.unlink(entry.path)
            except OSError:
                pass


#: days a file of a folder of small derived files (keyed by everything they come from, repair's code among it) is
#: kept after it was written, once a newer one is written beside it
STALE_DAYS = 30


def prune_stale(folder: Path, days: float = STALE_DAYS) -> None:
    """Remove the JSON files in `folder` written more than `days` ago: called after a file is written there (a
    miss, which follows an upgrade or a changed rule set), it clears what earlier versions derived. A file still in
    use that goes is derived again once (time, never results)."""
    import time

    limit = time.time() - days * 86_400
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                try:
                    if entry.name.endswith(".json") and entry.stat(follow_symlinks=False).st_mtime < limit:
                        os.unlink(entry.path)
                except OSError:
                    pass
    except OSError:
        pass
