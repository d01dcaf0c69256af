"""The HTML report (repair/report/html.py) in a real browser: Debian's headless Chromium driven by selenium
(tests/browser.py), installed by `make browser`, a step of `make test`. Without Chromium these tests fail: they
never skip.

The page of `repair check corpus/` must load with no console error and no request outside the page; each
highlight must cover exactly the words of its finding (compared with the JSON report of the same files); the
filters must hide and show findings; the seed article's `<style>` line must show as text. A screenshot of each
page is saved as a test artefact in tmp/artefacts/ (REPAIR_TEST_ARTEFACTS to put them elsewhere; not committed).

How fast a 500-file report opens is a benchmark (bench/html_report_bench.py), not a timed test.
"""

from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

import browser
from conftest import ROOT, run_repair

ARTEFACTS = Path(os.environ.get("REPAIR_TEST_ARTEFACTS", ROOT / "tmp" / "artefacts"))
SEED = "corpus/003_1374c92416c258b1.txt"  # the seed article: OSDH, prorégime, a <style> line
#: one small file of several kinds, an astral character (two UTF-16 units in the browser) before its findings
SMALL = ("\U0001F600 The Syrian army inflicted a defeat on the Islamic State group (EI).\n"
         "Share Post\n"
         "The prorégime forces advanced towards Raqa, where a truce took effect there is one month.\n"
         "The cafÃ© opened in Palmyra &amp; the city, the OSDH said.\n")


@pytest.fixture(scope="module")
def chromium(tmp_path_factory):
    driver = browser.start(tmp_path_factory.mktemp("chromium-profile"))
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def corpus_report(tmp_path_factory) -> tuple[Path, dict]:
    """The HTML and the JSON report of corpus/ (LanguageTool off)."""
    folder = tmp_path_factory.mktemp("corpus-report")
    page = folder / "report.html"
    made = run_repair("check", "corpus/", "--no-languagetool", "--no-cache", "--format", "html", "-o", str(page))
    assert made.code == 1, made.stderr
    assert made.stdout == "" and made.stderr.startswith(f"repair: report written to {page} (")
    data = json.loads(run_repair("check", "corpus/", "--no-languagetool", "--no-cache", "--format", "json").stdout)
    return page, data


def _open(driver, page: Path) -> None:
    driver.get_log("browser")  # what earlier pages logged
    driver.get(page.as_uri())


def _file_view(driver, path: str):
    """The file's view, opened (its text and findings are built when it opens)."""
    index = driver.execute_script(
        "return [...document.querySelectorAll('details.file')].findIndex(d => d.querySelector('.path').textContent === arguments[0])",
        path)
    assert index >= 0, f"{path} not in the report"
    view = driver.find_element("id", f"file-view-{index}")
    assert view.get_attribute("open") is None  # collapsed by default
    view.find_element("css selector", "summary").click()
    assert view.get_attribute("open") is not None
    _until(driver, lambda: view.get_attribute("data-rendered"))  # built on the toggle event, a task after the click
    return view


def _until(driver, condition, seconds: float = 20):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, seconds).until(lambda _: condition())


def _highlighted(view) -> dict[int, str]:
    """Each finding's highlighted text, by its index in the file: the text of all its pieces."""
    return view.parent.execute_script("""
        const out = {};
        for (const span of arguments[0].querySelectorAll('.text .hl')) {
            out[span.dataset.i] = (out[span.dataset.i] || '') + span.textContent;
        }
        return out;""", view)


def _errors(driver) -> list[dict]:
    return [entry for entry in driver.get_log("browser") if entry["level"] in ("SEVERE", "ERROR")]


def _screenshot(driver, name: str) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    assert driver.save_screenshot(str(ARTEFACTS / name))


def test_the_corpus_report_loads_without_console_errors(chromium, corpus_report):
    page, data = corpus_report
    _open(chromium, page)
    files = chromium.find_elements("css selector", "details.file")
    assert len(files) == len(data["files"])
    assert not any(f.get_attribute("open") for f in files)  # collapsed: nothing built until a file is opened
    assert chromium.find_elements("css selector", ".text") == []
    # the summary: one bar per category found, with its count
    bars = {row.find_element("css selector", ".bar-label").text: int(row.find_element("css selector", ".bar-count").text)
            for row in chromium.find_elements("css selector", ".charts .card:first-child .bar-row")}
    assert bars == data["summary"]["by_category"]
    chromium.find_element("xpath", "//button[text()='open all']").click()  # every file's view built
    _until(chromium, lambda: len(chromium.find_elements("css selector", "details.file[data-rendered]")) == len(files))
    assert len(chromium.find_elements("css selector", "pre.text")) == sum(1 for f in data["files"] if f["findings"])
    chromium.find_element("css selector", "pre.text .hl").click()
    assert chromium.find_element("id", "detail").is_displayed()
    assert _errors(chromium) == []


def test_highlights_cover_exactly_each_findings_text(chromium, corpus_report):
    page, data = corpus_report
    _open(chromium, page)
    for path in (SEED, "corpus/000_9d2a160825c0186a.txt", "corpus/formats/003_1374c92416c258b1.html"):
        expected = {index: finding["text"] for index, finding in
                    enumerate(next(f for f in data["files"] if f["path"] == path)["findings"])}
        shown = _highlighted(_file_view(chromium, path))
        assert {int(index): text for index, text in shown.items()} == expected
        if path == SEED:
            assert {"OSDH", "prorégime"} <= set(shown.values())
    _screenshot(chromium, "corpus-report.png")
    assert _errors(chromium) == []


def test_highlights_count_code_points_like_the_findings(chromium, tmp_path):
    """An emoji before the findings is one code point in a finding's offsets but two UTF-16 units in the page."""
    (tmp_path / "small.txt").write_text(SMALL, encoding="utf-8")
    page = tmp_path / "small.html"
    assert run_repair("check", "small.txt", "--no-languagetool", "--no-cache", "--format", "html", "-o", str(page),
                      cwd=tmp_path).code == 1
    data = json.loads(run_repair("check", "small.txt", "--no-languagetool", "--no-cache", "--format", "json",
                                 cwd=tmp_path).stdout)
    _open(chromium, page)
    shown = _highlighted(_file_view(chromium, "small.txt"))
    assert {int(i): text for i, text in shown.items()} == {i: f["text"] for i, f in enumerate(data["files"][0]["findings"])}
    assert {"EI", "prorégime", "OSDH", "Ã©"} <= set(shown.values())
    assert _errors(chromium) == []


def _visible_rows(view, prefix: str, value: str) -> tuple[int, int]:
    rows = view.find_elements("css selector", f"tr.row.{prefix}-{value}")
    return sum(1 for row in rows if row.is_displayed()), len(rows)


def _coloured(view, prefix: str, value: str) -> list[bool]:
    return view.parent.execute_script(
        "return [...arguments[0].querySelectorAll('.text .hl.' + arguments[1])]"
        ".map(s => getComputedStyle(s).backgroundColor !== 'rgba(0, 0, 0, 0)')", view, f"{prefix}-{value}")


@pytest.mark.parametrize("prefix, value", [("c", "terminology"), ("s", "warning"), ("x", "unsafe")])
def test_filters_hide_and_show_findings(chromium, corpus_report, prefix, value):
    page, _ = corpus_report
    _open(chromium, page)
    view = _file_view(chromium, SEED)
    visible, total = _visible_rows(view, prefix, value)
    assert total and visible == total and all(_coloured(view, prefix, value))
    others = len([row for row in view.find_elements("css selector", "tr.row") if row.is_displayed()])
    count = view.find_element("css selector", "summary .count")
    assert count.text.startswith(f"{others} finding")
    box = chromium.find_element("css selector", f'input[data-filter="{prefix}-{value}"]')
    box.click()
    assert _visible_rows(view, prefix, value) == (0, total)
    # the file's count follows the filters
    assert count.text.startswith(f"{others - total} of {others} findings shown")
    assert not any(_coloured(view, prefix, value))
    assert len([row for row in view.find_elements("css selector", "tr.row") if row.is_displayed()]) == others - total
    box.click()
    assert _visible_rows(view, prefix, value) == (total, total)
    assert all(_coloured(view, prefix, value))
    assert count.text.startswith(f"{others} finding")
    assert _errors(chromium) == []


def test_the_style_line_shows_as_text(chromium, corpus_report):
    page, _ = corpus_report
    _open(chromium, page)
    view = _file_view(chromium, SEED)
    text = view.find_element("css selector", "pre.text").text
    assert text.startswith('<style type="text/css"> .wpb_animate_when_almost_visible { opacity: 1; }</style>')
    # the page's own style sheet is the only one; nothing of the file became an element
    assert chromium.execute_script("return document.querySelectorAll('style').length") == 1
    assert chromium.execute_script("return document.querySelectorAll('main style, main script, main img').length") == 0


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.add(tag)
        self.targets += [value or "" for name, value in attrs if name in ("src", "href", "srcset", "action", "data")]


def test_the_page_loads_nothing_from_outside(chromium, corpus_report):
    page, _ = corpus_report
    source = page.read_text(encoding="utf-8")
    links = _Links()
    links.feed(source)
    assert links.tags <= {"html", "head", "meta", "link", "title", "style", "body", "noscript", "main", "script"}
    assert links.targets == ["data:,"]  # the empty favicon, so the browser asks for none
    assert re.search(r"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';", source)
    _open(chromium, page)
    chromium.find_element("xpath", "//button[text()='open all']").click()
    count = len(chromium.find_elements("css selector", "details.file"))
    _until(chromium, lambda: len(chromium.find_elements("css selector", "details.file[data-rendered]")) == count)
    assert chromium.execute_script("return performance.getEntriesByType('resource').map(e => e.name)") == []
    assert _errors(chromium) == []


def test_fix_diff_report_shows_safe_and_unsafe_fixes_apart(chromium, tmp_path):
    (tmp_path / "small.txt").write_text(SMALL, encoding="utf-8")
    page = tmp_path / "diff.html"
    made = run_repair("fix", "--diff", "small.txt", "--no-languagetool", "--no-cache", "--format", "html",
                      "-o", str(page), cwd=tmp_path)
    assert made.code == 1, made.stderr
    assert (tmp_path / "small.txt").read_text(encoding="utf-8") == SMALL  # --diff writes no file
    _open(chromium, page)
    view = _file_view(chromium, "small.txt")
    safe, unsafe = view.find_element("css selector", ".diff.safe"), view.find_element("css selector", ".diff.unsafe")
    assert "What repair fix would write" in safe.text
    added = [line.text for line in safe.find_elements("css selector", ".add")]
    assert any("Islamic State group (IS)" in line for line in added)
    assert any("café" in line for line in added)
    # line for line the changes of the unified diff `fix --diff` prints
    patch = run_repair("fix", "--diff", "small.txt", "--no-languagetool", "--no-cache", cwd=tmp_path).stdout
    changes = [line for line in patch.splitlines() if line[:1] in "-+" and line[:3] not in ("---", "+++")]
    shown = [line.get_attribute("textContent") for line in safe.find_elements("css selector", ".del, .add")]
    assert shown == changes
    assert unsafe.find_element("css selector", ".badge.unsafe").text == "unsafe"
    assert "--unsafe-fixes" in unsafe.text
    # the fixed text's remaining finding (FR010, an unsafe fix) is highlighted on the text the diff produced
    assert list(_highlighted(view).values()) == ["there is one month"]
    _screenshot(chromium, "fix-diff-report.png")
    assert _errors(chromium) == []


def test_pieces_nest_overlapping_findings_and_keep_insertion_points():
    """The text cut for the page: overlapping findings share a piece (widest first, so the page nests the
    narrower inside), an empty finding (an insertion point) gets an empty piece; the pieces rebuild the text."""
    from repair.document import Document
    from repair.model import Category, Finding, Severity
    from repair.report.html import pieces
    from repair.results import locate

    doc = Document("x.txt", "ab OSDH cd")
    findings = [Finding("FR001", "a", Category.TERMINOLOGY, Severity.ERROR, "m", 3, 7),
                Finding("WEB001", "b", Category.BOILERPLATE, Severity.INFO, "m", 0, 5),
                Finding("PUN001", "c", Category.PUNCTUATION, Severity.INFO, "m", 2, 2)]
    cut = pieces(doc.text, locate(doc, findings))
    assert cut == [["ab", [1]], ["", [2]], [" ", [1]], ["OS", [1, 0]], ["DH", [0]], [" cd", []]]
    assert "".join(text for text, _ in cut) == doc.text
