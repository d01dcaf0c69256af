"""What every detector shares: its rule metadata, the capabilities it declares, and a finding builder.

A detector reads a document and the run context and yields findings; it prints nothing, loads no files and
keeps no per-text state. What the engine and the runner may do with it is declared here, not discovered:

- `check`: the language check it is (repair.languages.CHECKS); it runs only on targets whose profile lists it;
- `corpus_wide`: it gathers data from every file of a run first: each document's share (`gather`), shares
  summed in any grouping (`combine`: associative, nothing dropped, so shards, cached per-file shares and
  executors add up alike), the total turned into the context's corpus data (`finish`) before any file is
  checked; `depends_on` names the part of that data one document's findings can depend on (a re-run re-checks
  a file only when that part changed); `keyed`: its shares, totals and corpus data are dicts whose keys are
  independent (a key's total comes from the shares' values under that key alone, and `finish` keeps, drops or
  changes each key on its own), so an edit decodes and updates only the keys of the edited files' shares;
- `batched`: it checks many documents better at once (`prefetch`, then `detect` answers from those results);
- `secondary`: its findings give way to the other detectors' where they overlap (LanguageTool's);
- `service`: the external service it needs ("languagetool"); when the service cannot run, `skipped_reason`
  says why in one line and the run goes on without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Iterable, Sequence

from repair.quoting import quote
from repair.context import Context
from repair.model import Applicability, Finding, Fix, RuleInfo

if TYPE_CHECKING:
    from repair.document import Document

__all__ = ["Context", "Detector"]


class Detector:
    """Base class. Subclasses set `rules` and implement `detect`."""

    rules: tuple[RuleInfo, ...] = ()
    check: ClassVar[str | None] = None
    corpus_wide: ClassVar[bool] = False
    keyed: ClassVar[bool] = False
    batched: ClassVar[bool] = False
    secondary: ClassVar[bool] = False
    service: ClassVar[str | None] = None

    def __init__(self) -> None:
        self._by_code = {rule.code: rule for rule in self.rules}
        #: None while the detector works; else why it could not (an external service down), one line
        self.skipped_reason: str | None = None

    @property
    def name(self) -> str:
        """The key of this detector's part of the corpus-wide data."""
        return type(self).__name__

    @classmethod
    def from_settings(cls, settings: Any) -> "Detector":
        """The detector for a run's settings (repair.config.Settings); most need none of them."""
        return cls()

    def applies_to(self, ctx: Context) -> bool:
        return self.check is None or ctx.target.runs(self.check)

    def detect(self, doc: "Document", ctx: Context) -> Iterable[Finding]:
        raise NotImplementedError

    # -- corpus_wide ---------------------------------------------------------------------------------------------
    def gathers_from(self, doc: "Document", format: str) -> bool:
        """Whether this document (as read, in its format) can have a share at all; False: none is gathered from
        it, and the gather pass need not parse it (a detector of whole web pages skips Markdown). Every document
        unless a detector knows better."""
        return True

    def gather(self, doc: "Document", ctx: Context) -> Any:
        """This document's share of the corpus-wide data (picklable)."""
        raise NotImplementedError

    def combine(self, parts: list[Any]) -> Any:
        """Shares of consecutive documents (or combined shares of consecutive groups), in order, as one share.
        Associative: combine([combine(a), combine(b)]) == combine(a + b); drops nothing (`finish` filters)."""
        raise NotImplementedError

    def finish(self, total: Any) -> Any:
        """The combined share of every document of the run as the context's corpus-wide data."""
        return total

    def merge(self, parts: list[Any]) -> Any:
        """The shares of every document, in the order of the files, as one value for the context."""
        return self.finish(self.combine(parts))

    def replace_shares(self, total: Any, removed: list[Any], added: list[Any]) -> Any:
        """`total` (a `combine` of shares that includes `removed`) with `removed` taken out and `added` put in,
        as `combine` would give it for the new shares (equal, key order aside), so that an edit updates the
        corpus-wide total from the edited files alone; `total` itself is left as it is. None: this detector's
        shares cannot be taken out (every share is combined again)."""
        return None

    def depends_on(self, part: Any, corpus: Any, ctx: Context) -> Any:
        """What of the corpus-wide data (`corpus`: this detector's, from `finish`) the findings on a document
        whose share is `part` can depend on, as plain data in a stable order (`ctx`: the run's context, the same
        for every file). The whole of it unless a detector knows better: a re-run re-checks a file when this
        changed, and only then, so it must cover everything of `corpus` that `detect` reads for the document."""
        return corpus

    def corpus_keys(self, part: Any) -> Iterable[str] | None:
        """The keys of the corpus-wide data that `depends_on` reads for a document whose share is `part` (with
        `changed_keys`, a re-run whose corpus data changed recomputes `depends_on` only for the documents that
        read a changed key). None: not known (every document's is recomputed)."""
        return None

    def changed_keys(self, old: Any, new: Any, ctx: Context) -> set[str] | None:
        """The keys (as `corpus_keys` names them) under which two values of this detector's corpus-wide data
        (`finish`) differ: `depends_on` (in the run's context `ctx`) gives the same for every share none of whose
        keys is among them. None: not known."""
        return None

    # -- batched -------------------------------------------------------------------------------------------------
    def prefetch(self, docs: Sequence["Document"], ctx: Context) -> None:
        """Work on a batch of documents now; detect() then answers from the results."""

    # -- every detector ------------------------------------------------------------------------------------------
    def expect_many(self) -> None:
        """The run ahead checks many documents, shared with worker processes forked after this call: set up now
        what pays only over many documents, rather than after the first few in each process. Most need nothing."""

    def fingerprint(self) -> str:
        """What its findings depend on besides repair's code, settings and packs (an external tool's version)."""
        return ""

    def close(self) -> None:
        """End of a run: release what the detector holds (connections, caches). Most hold nothing."""

    def finding(
        self,
        code: str,
        start: int,
        end: int,
        message: str,
        replacement: str | None = None,
        applicability: Applicability | None = None,
        title: str | None = None,
        fix: Fix | None = None,
    ) -> Finding:
        rule = self._by_code[code]
        if fix is None and replacement is not None:
            level = applicability if applicability is not None else rule.fix
            if level is None:
                level = Applicability.DISPLAY_ONLY
            fix = Fix.replace(start, end, replacement, level, title or _title(replacement))
        return Finding(rule.code, rule.name, rule.category, rule.severity, message, start, end, fix)


def _title(replacement: str) -> str:
    if replacement == "":
        return "Remove"
    return f"Replace with {quote(replacement, 40)}"
