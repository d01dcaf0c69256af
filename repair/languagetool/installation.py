"""Where LanguageTool's jars are: the installation the server runs from (and whose English data repair reads),
found without the server's own imports (process and lock libraries), so a run with LanguageTool off stays light.

Looked for in order: ``$REPAIR_LANGUAGETOOL_HOME``, the project's ``languagetool/target/lib`` (``make
languagetool``), the user's data folder.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from repair.languagetool import LanguageToolUnavailable

REPO_ROOT = Path(__file__).resolve().parents[2]
PROJECT_LIB = REPO_ROOT / "languagetool" / "target" / "lib"


def user_lib() -> Path:
    if sys.platform.startswith("linux"):  # platformdirs' rule there, without its import (start-up time)
        base = os.environ.get("XDG_DATA_HOME", "")
        return Path(base if base.strip() else os.path.expanduser("~/.local/share")) / "repair" / "languagetool" / "lib"
    import platformdirs

    return Path(platformdirs.user_data_dir("repair", appauthor=False)) / "languagetool" / "lib"


@dataclass(frozen=True)
class Installation:
    """A LanguageTool the server can be started from."""

    home: Path  # the directory of jars
    classpath: str  # what follows java -cp
    version: str
    origin: str  # env, project, user

    def size_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.home.rglob("*.jar") if p.is_file())

    def jar_count(self) -> int:
        return sum(1 for _ in self.home.rglob("*.jar"))


def _installation_in(directory: Path, origin: str) -> Installation | None:
    if not directory.is_dir():
        return None
    zip_jar = directory / "languagetool-server.jar"
    if zip_jar.is_file():  # the release zip: its manifest names libs/ and the language modules
        match = re.search(r"LanguageTool-(\d[\w.]*)", directory.name)
        version = match.group(1) if match else "unknown"
        return Installation(directory, str(zip_jar), version, origin)
    for candidate in (directory, directory / "target" / "lib", directory / "lib"):
        jars = sorted(candidate.glob("languagetool-server-*.jar")) if candidate.is_dir() else []
        if jars:
            version = jars[-1].name[len("languagetool-server-"):-len(".jar")]
            return Installation(candidate, str(candidate / "*"), version, origin)
    return None


def find_installation() -> Installation:
    """The LanguageTool to run, or LanguageToolUnavailable with what to do about it."""
    explicit = os.environ.get("REPAIR_LANGUAGETOOL_HOME")
    if explicit:
        found = _installation_in(Path(explicit).expanduser(), "env")
        if found is None:
            raise LanguageToolUnavailable(
                f"REPAIR_LANGUAGETOOL_HOME={explicit} holds no languagetool-server jar (unset it and run "
                "`make languagetool`)"
            )
        return found
    for directory, origin in ((PROJECT_LIB, "project"), (user_lib(), "user")):
        found = _installation_in(directory, origin)
        if found is not None:
            return found
    raise LanguageToolUnavailable(
        "LanguageTool is not installed: run `make languagetool` "
        "(or set REPAIR_LANGUAGETOOL_HOME, or name a server with --languagetool-url)"
    )
