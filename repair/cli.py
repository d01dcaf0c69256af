"""The command line's entry point: repair check | fix | rules | rule | languagetool.

A plain `repair check|fix PATH... [options]` (the pre-commit case) is parsed here from the options' declarations
(repair.commands) and runs without importing typer or rich: they cost as much start-up time as a small file's
checks. Everything else, and anything this parser does not take as it is (help, a typo, a dataset), goes to the
typer application (repair.typer_app), which parses it the same way and says what is wrong.

Exit codes: 0 no findings, 1 findings, 2 usage or configuration error, 3 LanguageTool was on but could not run
(the other detectors' findings are still reported).
"""

from __future__ import annotations

import sys


def main() -> None:
    argv = sys.argv[1:]
    from repair import commands

    parsed = commands.parse(argv)
    if parsed is not None:
        try:
            code = commands.run_parsed(*parsed)
            sys.stdout.flush()
        except BrokenPipeError:  # the reader went away (| head): quietly, as typer's click does
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            code = 1
        sys.exit(code)
    from repair.typer_app import main as typer_main

    typer_main(argv)


if __name__ == "__main__":
    main()
