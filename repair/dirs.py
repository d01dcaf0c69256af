"""Where repair keeps what belongs to no project: one home folder, moved by one environment variable.

`REPAIR_HOME`, else the platform's user cache folder for repair (platformdirs: ~/.cache/repair on Linux,
~/Library/Caches/repair on macOS). In it: the word-frequency table, the parsed rule packs (packs/), the
LanguageTool server's state and log, LanguageTool's paragraph cache, the English loan list read from its jar,
and langdetect's profile table. Everything there can be deleted; it is
rebuilt on the next run. A project's own result cache is not here: it is `.repair_cache` in the project.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ENVIRONMENT_VARIABLE = "REPAIR_HOME"


def home() -> Path:
    explicit = os.environ.get(ENVIRONMENT_VARIABLE)
    if explicit:
        return Path(explicit).expanduser()
    if sys.platform.startswith("linux"):  # platformdirs' rule there, without its import (start-up time)
        base = os.environ.get("XDG_CACHE_HOME", "")
        return Path(base if base.strip() else os.path.expanduser("~/.cache")) / "repair"
    import platformdirs

    return Path(platformdirs.user_cache_dir("repair", appauthor=False))


def ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path
