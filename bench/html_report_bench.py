"""How fast the HTML report of a large run opens in a browser (issue 15: a 500-file run in under 3 s).

    python bench/html_report_bench.py [--files 500] [--repeat 3] [--python PYTHON]

Writes N files, copies in turn of the damaged articles of corpus/ (the two seed articles and their Markdown and
HTML versions: about 40 findings each), makes their report with `repair check --format html -o` (LanguageTool
off, no cache), then opens it in headless Chromium (tests/browser.py; `make browser` installs it), each time in
a fresh browser: the first load, then the best of the reloads. Reported: the page's size, the time until the
page is built and shown (the navigation's load event, measured by the browser itself: read, parse, run the
page's script), the wall time of the whole `get` as selenium sees it, and the time to open one file's view.
Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import browser  # noqa: E402  (tests/browser.py)

SOURCES = sorted([*ROOT.glob("corpus/*.txt"), *ROOT.glob("corpus/formats/*.md"), *ROOT.glob("corpus/formats/*.html")])


def write_files(folder: Path, count: int) -> None:
    for number in range(count):
        source = SOURCES[number % len(SOURCES)]
        shutil.copyfile(source, folder / f"doc_{number:04d}{source.suffix}")


def load_times(page: Path) -> dict:
    driver = browser.start()
    try:
        driver.get("about:blank")  # the browser itself started: not part of the page's time
        started = time.perf_counter()
        driver.get(page.as_uri())
        first_wall = time.perf_counter() - started
        first_load = driver.execute_script("return performance.getEntriesByType('navigation')[0].loadEventEnd")
        reloads = []
        for _ in range(2):
            driver.get(page.as_uri())
            reloads.append(driver.execute_script("return performance.getEntriesByType('navigation')[0].loadEventEnd"))
        summary = driver.find_element("css selector", "details.file summary")
        opened = driver.execute_script("""
            const started = performance.now();
            arguments[0].click();
            arguments[0].parentElement.dispatchEvent(new Event('toggle'));
            return performance.now() - started;""", summary)
        errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
        return {"first_wall": first_wall, "first_load": first_load / 1000, "reload": min(reloads) / 1000,
                "open_file": opened / 1000, "errors": len(errors)}
    finally:
        driver.quit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3, help="fresh browsers (the best of each figure is kept)")
    parser.add_argument("--python", default=sys.executable)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="repair-html-bench-") as temporary:
        folder = Path(temporary)
        (folder / "docs").mkdir()
        write_files(folder / "docs", options.files)
        page = folder / "report.html"
        started = time.perf_counter()
        done = subprocess.run([options.python, "-m", "repair", "check", "docs", "--no-languagetool", "--no-cache",
                               "--format", "html", "-o", str(page)], cwd=folder, capture_output=True, text=True)
        made = time.perf_counter() - started
        if done.returncode > 1:
            raise SystemExit(done.stderr)
        size = page.stat().st_size
        runs = [load_times(page) for _ in range(options.repeat)]
    best = {key: min(run[key] for run in runs) for key in runs[0]}
    worst = {key: max(run[key] for run in runs) for key in runs[0]}
    print(f"{options.files} files, {done.stderr.strip()}; report made in {made:.1f} s (wall, the whole check)")
    print(f"page size: {size / 1e6:.1f} MB")
    print()
    print("| figure | best | worst |")
    print("|---|---|---|")
    for key, label in (("first_wall", "first load, wall (selenium get)"), ("first_load", "first load (load event)"),
                       ("reload", "reload (load event)"), ("open_file", "open one file's view")):
        print(f"| {label} | {best[key]:.3f} s | {worst[key]:.3f} s |")
    print(f"| console errors | {best['errors']} | {worst['errors']} |")


if __name__ == "__main__":
    main()
