"""fix against check on large files with many edits (issue 11, item 8): the time of each, best of N runs.

    python bench/fix_speed.py [--sizes 1,5] [--repeat 3] [--python PYTHON]

Writes files of N MB whose every line carries two safe fixes (FR001 'EI' -> 'IS', FR005 'Raqa' -> 'Raqqa'),
then times `repair check` and `repair fix` (LanguageTool off, no cache) on each, alternating the two so that a
noisy machine slows both alike. Prints a Markdown table: MB, edits, check s, fix s, fix / check.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = "army city group fighters road north south village forces observatory attack".split()


def write_file(path: Path, size: int) -> None:
    generator = random.Random(8)
    lines, total, number = [], 0, 0
    while total < size:
        number += 1
        line = (f"Report {number}: the EI claimed the {generator.choice(WORDS)} attack near Raqa, "
                f"{generator.choice(WORDS)} said.\n")
        lines.append(line)
        total += len(line)
    path.write_text("".join(lines), encoding="utf-8")


def timed(python: str, args: list[str], cwd: Path) -> float:
    began = time.perf_counter()
    done = subprocess.run([python, "-m", "repair", *args, "--no-languagetool", "--no-cache", "-q"], cwd=cwd,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "NO_COLOR": "1"})
    if done.returncode > 1:
        raise SystemExit(f"repair {' '.join(args)} failed: {done.stderr.decode()}")
    return time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,5", help="file sizes in MB, comma-separated")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--python", default=sys.executable)
    args = parser.parse_args()
    print("| MB | edits | check s | fix s | fix / check |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        for size in (float(s) for s in args.sizes.split(",")):
            source = work / "source.txt"
            write_file(source, int(size * 1_000_000))
            edits = 2 * source.read_text(encoding="utf-8").count("\n")
            checks, fixes = [], []
            for _ in range(args.repeat):
                checks.append(timed(args.python, ["check", "source.txt"], work))
                shutil.copy(source, work / "target.txt")
                fixes.append(timed(args.python, ["fix", "target.txt"], work))
            check, fix = min(checks), min(fixes)
            print(f"| {size:g} | {edits:,} | {check:.2f} | {fix:.2f} | {fix / check:.2f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
