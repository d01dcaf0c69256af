"""LanguageTool, the external service: a pinned LanguageTool server, run warm on loopback.

- `server`: finds the jars, starts/stops the per-user warm server (`repair languagetool ...`).
- `watchdog`: the detached process that stops that server after its idle minutes.
- `client`: LanguageTool's HTTP API (POST /v2/check), requests spread over a thread pool,
  UTF-16 offsets turned into code points.
- `cache`: the persistent per-paragraph result cache.
- `cli`: `repair languagetool status|start|stop|path`.

The detector that turns LanguageTool's matches into findings is repair.detectors.languagetool.
"""

from __future__ import annotations

#: The LanguageTool release repair pins. It must equal `languagetool.version` in
#: languagetool/pom.xml (a test checks this): scripts/install-languagetool.sh fetches it from Maven Central.
LANGUAGETOOL_VERSION = "6.8"


class LanguageToolUnavailable(Exception):
    """LanguageTool cannot be used for this run. `str(error)` is a one-line reason."""


__all__ = ["LANGUAGETOOL_VERSION", "LanguageToolUnavailable"]
