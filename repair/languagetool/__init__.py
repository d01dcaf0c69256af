"""LanguageTool integration: a pinned LanguageTool server, run warm on loopback and
driven through language-tool-python, whose matches become repair findings.

- `server`: finds the jars, starts/stops the per-user warm server (`repair languagetool ...`).
- `client`: language-tool-python remote client, requests spread over a thread pool,
  UTF-16 offsets turned into code points.
- `cache`: persistent per-paragraph result cache.
- `mapping`: LanguageTool categories -> repair categories, the reviewed safe-rule list.
- `detector`: `LanguageToolDetector`, the detector the engine runs.
"""

from __future__ import annotations

#: The LanguageTool release repair pins. It must equal `languagetool.version` in
#: languagetool/pom.xml (a test checks this) and is also the version
#: language-tool-python downloads on machines that have no Maven install.
LANGUAGETOOL_VERSION = "6.8"


class LanguageToolUnavailable(Exception):
    """LanguageTool cannot be used for this run. `str(error)` is a one-line reason."""


__all__ = ["LANGUAGETOOL_VERSION", "LanguageToolUnavailable"]
