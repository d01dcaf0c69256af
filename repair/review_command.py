"""`repair review`: read each file, put its fixes to the person (repair.review decides, repair.report.review asks),
write what was accepted the way `repair fix` writes (atomically; encoding, line endings and mode kept; a file
changed meanwhile is not overwritten).

Safe fixes: by default only the unsafe fixes are reviewed and the safe ones are left alone, so that the file
changes exactly where the person said yes; `apply_safe` first applies the safe fixes as `repair fix` does (the
unsafe ones are then reviewed on that text); `include_safe` (--all) asks about the safe ones too.
"""

from __future__ import annotations

import sys
from typing import Iterator, TextIO

from repair.config import Settings
from repair.engine import Engine
from repair.files import WriteRefused, collect, write_atomically
from repair.fixer import ConvergenceError
from repair.model import Applicability
from repair.report import printable
from repair.review import FileReview, Reviewable, review_files

EXIT_DONE, EXIT_PROBLEMS, EXIT_INTERRUPTED = 0, 1, 130


def run_review(settings: Settings, paths: list[str], *, include_safe: bool, apply_safe: bool,
               write_read_only: bool, console, stdin: TextIO | None = None) -> int:
    from repair.registry import all_rules
    from repair.report.review import asker, print_summary
    from repair.runner import read_document

    files = collect(paths, settings.include, settings.exclude)
    engine = Engine(settings)
    why = {rule.code: rule.why or rule.summary for rule in all_rules(settings, engine.packs)}
    read: dict[str, tuple] = {}  # path -> (document, content digest) of the file under review
    problems: list[str] = []
    reviews: list[FileReview] = []
    written: list[str] = []
    safe_applied: list[int] = []  # per file that had any, the safe fixes --apply-safe made before the questions

    def reviewables() -> Iterator[Reviewable]:
        for path in files:
            doc, digest, failure = read_document(path)
            if doc is None:
                problems.append(failure.error)
                continue
            engine.notices.clear()
            try:
                if apply_safe:
                    outcome = engine.fix(doc, Applicability.SAFE)
                    text, findings = outcome.text, outcome.remaining
                    if outcome.applied:
                        safe_applied.append(len(outcome.applied))
                        made = len(outcome.applied)
                        console.print(f"{printable(path)}: {made} safe fix{'es' if made != 1 else ''} applied first "
                                      "(--apply-safe); the positions below are in the text after them",
                                      highlight=False)
                else:
                    text, findings = doc.text, engine.check(doc)
            except ConvergenceError as error:
                problems.append(str(error))
                continue
            for notice in engine.notices:
                if notice.message not in problems:
                    console.print(f"note: {notice.message}", highlight=False)
            read[path] = (doc, digest)
            yield Reviewable(path, text, findings, why)

    try:
        for review in review_files(reviewables(), asker(console, stdin or sys.stdin), include_safe=include_safe):
            reviews.append(review)
            doc, digest = read.pop(review.path)
            if review.text == doc.text:
                continue
            try:
                write_atomically(review.path, doc.encoding.encode(review.text), expected=digest,
                                 read_only=write_read_only)
                written.append(review.path)
            except WriteRefused as error:
                problems.append(str(error))
    except KeyboardInterrupt:  # the file under review is left as it was; those before it are written
        console.print("\ninterrupted: the file under review was not written", highlight=False)
        print_summary(reviews, written, problems, console, interrupted=True, safe_applied=sum(safe_applied))
        return EXIT_INTERRUPTED
    finally:
        engine.close()
    reviewed = {review.path for review in reviews} | {p.split(":", 1)[0] for p in problems}
    print_summary(reviews, written, problems, console, not_reviewed=sum(1 for p in files if p not in reviewed),
                  safe_applied=sum(safe_applied))
    return EXIT_PROBLEMS if problems else EXIT_DONE
