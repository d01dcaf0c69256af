"""What repair is doing that takes a while, said to the person waiting: starting LanguageTool, building the word
table. Library code calls `say`; nothing is printed unless the command line listens (`listen`), which it does
only on a terminal (never in a pipe or CI, never with --quiet). Standard logging carries the words, so forked
worker processes inherit the listener."""

from __future__ import annotations

import logging
import sys

LOGGER = logging.getLogger("repair.status")


def say(message: str) -> None:
    LOGGER.info(message)


class _ToStandardError(logging.Handler):
    """Writes to the current sys.stderr (a progress bar on screen redirects it above the bar)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(f"repair: {record.getMessage()}\n")
            sys.stderr.flush()
        except (OSError, ValueError):
            pass


def listen() -> None:
    """Print what `say` says on standard error from now on, in this process and the workers it forks."""
    if not any(isinstance(h, _ToStandardError) for h in LOGGER.handlers):
        LOGGER.addHandler(_ToStandardError())
    LOGGER.setLevel(logging.INFO)
    LOGGER.propagate = False
