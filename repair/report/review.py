"""The terminal side of `repair review`: shows a proposal, reads the answer, prints the summary.

The decisions themselves are data (repair.review); this module only prints and reads. Coloured on a terminal
(removed words red and struck through, added words green), plain elsewhere ([-old-]{+new+}).
"""

from __future__ import annotations

import os
from typing import Callable, Iterable, TextIO

from repair.report import printable
from repair.review import Decision, FileReview, Outcome, Proposal, plain, tally

KEYS = "y,n,a,s,q,?"
HELP = """y - accept this fix
n - reject it (the text stays as it is)
a - accept it and every later fix of the same rule in this run, without asking
s - skip the rest of this file (nothing more is changed in it)
q - quit: what was accepted so far is written, nothing more is asked
? - this help"""


def show(proposal: Proposal, console) -> None:
    """The proposal: where, the rule and its message, the line with the change marked, why it needs a person."""
    from rich.text import Text

    finding = proposal.finding
    header = Text(f"\n{printable(proposal.path)}:{proposal.line}:{proposal.column}: ", style="bold")
    header.append(finding.code, style="bold yellow")
    header.append(f" [{proposal.safety} fix {proposal.number}/{proposal.total}] ", style="dim")
    header.append(printable(finding.message))
    console.print(header, soft_wrap=True, highlight=False)
    line = Text("  ")
    for piece in proposal.pieces:
        if not piece.changed:
            line.append(printable(piece.old))
            continue
        if console.is_terminal and not console.no_color:
            if piece.old:
                line.append(printable(piece.old), style="bold red strike")
            if piece.new:
                line.append(printable(piece.new), style="bold green")
        else:
            line.append(printable(plain([piece])))
    console.print(line, soft_wrap=True, highlight=False)
    console.print(Text(f"  why it is not applied on its own: {printable(proposal.why)}", style="dim"),
                  soft_wrap=True, highlight=False)


def asker(console, stdin: TextIO) -> Callable[[Proposal], Decision]:
    """The decision callback: shows each proposal and reads the answer, one key on a terminal (no Enter needed,
    as `git add -p` with interactive.singleKey), else a line; ? shows the keys; the end of the input (or Ctrl-D)
    counts as q."""
    answers = {decision.value: decision for decision in Decision}
    terminal = _terminal(stdin)

    def decide(proposal: Proposal) -> Decision:
        show(proposal, console)
        prompt = True
        while True:
            if prompt:
                console.print(f"Apply this fix [{KEYS}]? ", end="", highlight=False, markup=False)
                console.file.flush()
            read = _key(terminal) if terminal is not None else stdin.readline()
            if not read:
                console.print()
                return Decision.QUIT
            if terminal is not None and read in "\r\n":
                prompt = False  # Enter after a key, from habit: nothing to answer
                continue
            answer = read.strip().lower()[:1]
            if terminal is not None:
                console.print(read.strip(), highlight=False, markup=False)
            prompt = True
            if answer in answers:
                return answers[answer]
            console.print(HELP, highlight=False, markup=False)

    return decide


def _terminal(stdin: TextIO) -> int | None:
    """The file descriptor of a terminal to read keys from, or None (a pipe, a file, a test's stream)."""
    try:
        descriptor = stdin.fileno()
    except (AttributeError, OSError, ValueError):
        return None
    try:
        import termios  # noqa: F401  (POSIX only)
    except ImportError:
        return None
    return descriptor if os.isatty(descriptor) else None


def _key(descriptor: int) -> str:
    """One key pressed, read without waiting for Enter (Ctrl-C still interrupts; Ctrl-D reads as the end)."""
    import termios
    import tty

    saved = termios.tcgetattr(descriptor)
    try:
        tty.setcbreak(descriptor)
        key = os.read(descriptor, 1).decode("utf-8", "replace")
    finally:
        termios.tcsetattr(descriptor, termios.TCSADRAIN, saved)
    return "" if key == "\x04" else key


def print_summary(reviews: Iterable[FileReview], written: list[str], problems: list[str], console,
                  not_reviewed: int = 0, interrupted: bool = False, safe_applied: int = 0) -> None:
    """Accepted, rejected and skipped fixes per rule; the files written and those that could not be."""
    reviews = list(reviews)
    counts = tally(reviews)
    console.print()
    if not counts:
        if not interrupted:
            console.print(f"No fixes to review in {_plural(len(reviews), 'file')}.", highlight=False)
    else:
        console.print(f"{'RULE':<8}{'ACCEPTED':>9}{'REJECTED':>9}{'SKIPPED':>9}", style="bold", highlight=False)
        for code, count in counts.items():
            console.print(f"{code:<8}{count[Outcome.ACCEPTED]:>9}{count[Outcome.REJECTED]:>9}"
                          f"{count[Outcome.SKIPPED]:>9}", highlight=False)
        total = sum(counts.values(), start=type(next(iter(counts.values())))())
        console.print(f"{'total':<8}{total[Outcome.ACCEPTED]:>9}{total[Outcome.REJECTED]:>9}"
                      f"{total[Outcome.SKIPPED]:>9}", style="bold", highlight=False)
    if safe_applied:
        console.print(f"Safe fixes applied first (--apply-safe): {safe_applied}.", highlight=False)
    console.print(f"Wrote {_plural(len(written), 'file')}"
                  + (f": {', '.join(printable(path) for path in written)}" if written else "") + ".", highlight=False)
    if not_reviewed:
        console.print(f"Quit: {_plural(not_reviewed, 'file')} not reviewed.", highlight=False)
    for problem in problems:
        console.print(f"error: {printable(problem)}", style="bold red", highlight=False)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"
