"""The Python API: check and fix text from your own code. The CLI, the pre-commit hook and a distributed run
use the same engine through it.

    from repair import Checker, check_text, fix_text

    findings = check_text("The EI claimed the attack.", source_language="fr", languagetool=False)
    fixed = fix_text("The cafÃ© opened.", languagetool=False)          # 'The café opened.'

    with Checker(language="en", languagetool=False) as checker:       # one checker, many documents
        for text in texts:
            for finding in checker.check_text(text):
                print(finding.code, finding.start, finding.end, finding.message)

A `Checker` builds its detectors and rule packs once; reuse it across documents. It is not thread-safe; use one
per thread or process. Offsets in findings are code points into the text.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from repair.config import Settings
from repair.document import Document
from repair.fixer import FixResult
from repair.model import Applicability, Finding


class Checker:
    """Checks and fixes documents with one set of settings (built once, reused for every document).

    Keyword options are those of the configuration file (`language`, `source_language`, `select`, `ignore`,
    `allow`, `rules`, `languagetool`, `languagetool_url`, ...); `settings` gives a whole `Settings` instead.
    """

    def __init__(self, settings: Settings | None = None, **options) -> None:
        from repair.engine import Engine

        settings = settings or Settings()
        for key in ("select", "ignore", "allow", "rules"):
            if isinstance(options.get(key), str):
                options[key] = (options[key],)
            elif options.get(key) is not None:
                options[key] = tuple(options[key])
        self.settings = replace(settings, **options) if options else settings
        self.engine = Engine(self.settings)

    # -- one document ------------------------------------------------------------------------------------------
    def check(self, doc: Document) -> list[Finding]:
        """The findings in a document, sorted by place."""
        return self.engine.check(doc)

    def check_text(self, text: str, path: str = "<text>", format: str | None = None) -> list[Finding]:
        """`format`: text, markdown, html, rst, srt or vtt; None: from the path's extension (plain text)."""
        return self.check(Document(path, text, format=format))

    def fix(self, doc: Document, unsafe: bool = False) -> FixResult:
        """Apply the safe fixes (and the unsafe ones with `unsafe`) until the text is stable."""
        return self.engine.fix(doc, Applicability.UNSAFE if unsafe else Applicability.SAFE)

    def fix_text(self, text: str, unsafe: bool = False, path: str = "<text>", format: str | None = None) -> FixResult:
        return self.fix(Document(path, text, format=format), unsafe)

    # -- many documents ----------------------------------------------------------------------------------------
    def check_many(self, docs: Sequence[Document]) -> list[list[Finding]]:
        """Findings per document; detectors that work better on many documents at once (LanguageTool) get them
        together."""
        self.engine.prefetch(list(docs))
        return [self.engine.check(doc) for doc in docs]

    def close(self) -> None:
        self.engine.close()

    def __enter__(self) -> "Checker":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def check_text(text: str, **options) -> list[Finding]:
    """The findings in one text (a Checker built for this call; reuse a Checker for many texts)."""
    with Checker(**options) as checker:
        return checker.check_text(text)


def fix_text(text: str, unsafe: bool = False, **options) -> str:
    """The text with its safe fixes applied (and the unsafe ones with `unsafe`)."""
    with Checker(**options) as checker:
        return checker.fix_text(text, unsafe).text

