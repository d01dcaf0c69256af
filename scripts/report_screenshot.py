"""The README's picture of the HTML report, docs/report.png: the report of corpus/ (LanguageTool off) in
headless Chromium (tests/browser.py; `make browser`), the seed article opened, its 'OSDH' finding clicked.

    python scripts/report_screenshot.py [OUT.png]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import browser  # noqa: E402  (tests/browser.py)
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

SEED = "corpus/003_1374c92416c258b1.txt"


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "report.png"
    with tempfile.TemporaryDirectory(prefix="repair-screenshot-") as folder:
        page = Path(folder) / "report.html"
        subprocess.run([sys.executable, "-m", "repair", "check", "corpus/", "--no-languagetool", "--no-cache",
                        "--format", "html", "-o", str(page)], cwd=ROOT, check=False)
        driver = browser.start()
        try:
            driver.set_window_size(1200, 1180)
            driver.get(page.as_uri())
            view = next(details for details in driver.find_elements("css selector", "details.file")
                        if details.find_element("css selector", ".path").text == SEED)
            view.find_element("css selector", "summary").click()
            WebDriverWait(driver, 20).until(lambda _: view.get_attribute("data-rendered"))  # built on "toggle"
            osdh = next(span for span in view.find_elements("css selector", "pre.text .hl") if span.text == "OSDH")
            driver.execute_script("window.scrollTo(0, 0)")
            driver.execute_script("arguments[0].parentElement.scrollTop = arguments[0].offsetTop - 120", osdh)
            osdh.click()
            out.parent.mkdir(parents=True, exist_ok=True)
            driver.save_screenshot(str(out))
        finally:
            driver.quit()
    print(f"{out}: {out.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
