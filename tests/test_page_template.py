"""A site's template across the files of a run (FUR004): found on realistic pages of two news sites (plain text,
HTML, files and a JSONL dataset), never on the articles' own lines, quiet on documentation that shares lines."""

from __future__ import annotations

import json
import re

import pytest

from conftest import CORPUS, run_repair
from site_pages import site_pages

from repair.config import Settings
from repair.detectors.page_template import MIN_PAGES, PageTemplateDetector, _key
from repair.document import Document
from repair.engine import Engine
from repair.model import Applicability

NO_LT = ("--no-languagetool", "--no-cache")


def _engine(*codes: str) -> Engine:
    return Engine(Settings(select=codes or ("FUR004",), languagetool=False))


def _run(engine: Engine, docs: list[Document]) -> Engine:
    """The corpus-wide data of these documents as one run, as the runner gathers it."""
    parts = [engine.gather(doc) for doc in docs]
    return engine.with_corpus({d.name: d.merge([p[d.name] for p in parts if d.name in p])
                               for d in engine.corpus_detectors})


def _located(view: str, line: str, start: int = 0) -> int:
    """Where a page's line stands in the text the detectors read, from `start` (an HTML page's prose view: tags
    blanked, an entity shown as its character)."""
    match = re.compile(r"[\s\u2060]+".join(map(re.escape, line.split()))).search(view, start)
    assert match, f"{line!r} not in the page"
    return match.start()


def _coverage(engine: Engine, pages, html: bool):
    """(template lines found, template lines, the pages' own lines flagged) over the run of all pages."""
    docs = [Document(p.name + (".html" if html else ".txt"), p.html if html else p.text) for p in pages]
    _run(engine, docs)
    found = total = 0
    touched = []
    for page, doc in zip(pages, docs):
        findings = engine.check(doc)
        view, body = engine.prose_view(doc)[0].text, max(doc.text.find("<body"), 0)

        def covered(at: int) -> bool:
            return any(f.start <= at < f.end for f in findings)
        for line in page.template:
            total += 1
            found += covered(_located(view, line, body))
        touched += [line for line in page.own if covered(_located(view, line, body))]
    return found, total, touched


def test_two_sites_templates_are_found_on_plain_pages_and_no_line_of_an_article():
    found, total, touched = _coverage(_engine(), site_pages(), html=False)
    assert (found, total) == (420, 420) and touched == []


def test_on_html_pages_the_template_adds_to_the_markup_and_never_touches_an_article():
    pages = site_pages()
    alone, total, touched = _coverage(_engine(), pages, html=True)
    assert touched == [] and alone >= 0.8 * total  # the teasers of "Most read": on 3 of 18 pages, under a fifth
    markup, _, touched = _coverage(_engine("FUR005", "FUR006"), pages, html=True)
    both, _, touched_both = _coverage(_engine("FUR004", "FUR005", "FUR006"), pages, html=True)
    assert touched == touched_both == []
    assert both > markup and both >= 0.97 * total


def test_a_template_line_is_safe_to_remove_where_the_classifier_agrees_and_fixing_keeps_every_article():
    pages = site_pages()
    engine = _run(_engine(), [Document(p.name + ".txt", p.text) for p in pages])
    levels = {f.fix.applicability for p in pages for f in engine.check(Document(p.name + ".txt", p.text))}
    assert levels == {Applicability.SAFE, Applicability.UNSAFE}
    for page in pages:
        fixed = engine.fix(Document(page.name + ".txt", page.text), Applicability.UNSAFE).text
        assert fixed.splitlines() == list(page.own)


def test_a_line_on_too_few_pages_is_no_template_and_articles_alone_give_nothing():
    pages = site_pages()
    two = _run(_engine(), [Document(p.name + ".txt", p.text) for p in pages[:MIN_PAGES - 1]])
    assert not [f for p in pages[:2] for f in two.check(Document(p.name + ".txt", p.text))]
    articles = [Document(p.name + ".txt", "\n".join(p.own) + "\n") for p in pages]
    engine = _run(_engine(), articles)
    assert not [f for doc in articles for f in engine.check(doc)]
    assert engine.context.corpus_part("PageTemplateDetector")["lines"] == []  # not pages: nothing gathered


def test_shares_combine_in_any_grouping_and_the_share_of_pages_decides():
    detector = PageTemplateDetector()
    engine = _engine()
    shares = [engine.gather(Document(p.name + ".txt", p.text))["PageTemplateDetector"] for p in site_pages()]
    whole = detector.combine(shares)
    assert detector.combine([detector.combine(shares[:5]), detector.combine(shares[5:])]) == whole
    assert whole["pages"] == 18
    finished = detector.finish(whole)
    # the Harbour Post's footer is on 6 of 18 pages (a third): template; add 12 pages of a third site and its 6
    # pages are a fifth of 30: still; add 13 and they are not
    menu = _key("Harbour Post")
    assert menu in finished["lines"]
    other = [{"pages": 1, "lines": {}, "digests": {f"x{i}": 1}} for i in range(13)]
    assert menu in detector.finish(detector.combine(shares + other[:12]))["lines"]
    assert menu not in detector.finish(detector.combine(shares + other))["lines"]


def test_an_edited_article_changes_no_other_pages_dependency():
    pages = site_pages()
    engine = _engine()
    docs = [Document(p.name + ".txt", p.text) for p in pages]
    _run(engine, docs)
    before = [engine.corpus_dependency(engine.gather(doc)) for doc in docs]
    edited = docs[:]
    edited[3] = Document(docs[3].path, docs[3].text.replace("epidemic", "pandemic"))
    _run(engine, edited)
    after = [engine.corpus_dependency(engine.gather(doc)) for doc in edited]
    assert [i for i, (a, b) in enumerate(zip(before, after)) if a != b] == []


def _write_site(folder, html: bool = False):
    folder.mkdir()
    for page in site_pages():
        (folder / (page.name + (".html" if html else ".txt"))).write_text(page.html if html else page.text,
                                                                       encoding="utf-8")
    return folder


def _by_page(result) -> dict[str, list[str]]:
    return {f["path"].rsplit("/", 1)[-1].split(".")[0]: sorted(x["code"] for x in f["findings"])
            for f in result.json()["files"] if f["findings"]}


def test_repair_check_dir_finds_the_template_and_the_cached_run_says_the_same(tmp_path):
    site = _write_site(tmp_path / "site")
    first = run_repair("check", str(site), "--select", "FUR004", "--no-languagetool", "--format", "json",
                       cwd=tmp_path)  # the cache in tmp_path/.repair_cache
    assert first.code == 1, first.stderr
    counts = {name: len(codes) for name, codes in _by_page(first).items()}
    assert len(counts) == 18 and sum(counts.values()) == 420
    again = run_repair("check", str(site), "--select", "FUR004", "--no-languagetool", "--format", "json",
                       cwd=tmp_path)
    assert (tmp_path / ".repair_cache").is_dir()
    assert _by_page(again) == _by_page(first)


def test_a_jsonl_dataset_of_pages_gets_the_findings_of_the_files(tmp_path):
    pages = site_pages()
    data = tmp_path / "pages.jsonl"
    data.write_text("".join(json.dumps({"id": p.name, "text": p.text}) + "\n" for p in pages), encoding="utf-8")
    out = tmp_path / "out"
    result = run_repair("check", str(data), "--select", "FUR004", *NO_LT, "-o", str(out), "--shard-size", "5")
    assert result.code == 1, result.stderr
    rows = [json.loads(line) for path in sorted((out / "findings").glob("part-*")) for line in path.open()]
    as_files = run_repair("check", str(_write_site(tmp_path / "site")), "--select", "FUR004", *NO_LT,
                          "--format", "json")
    expected = sorted((_stem(f["path"]), x["start"], x["end"], x["message"])
                      for f in as_files.json()["files"] for x in f["findings"])
    assert sorted((r["id"], r["start"], r["end"], r["message"]) for r in rows) == expected
    assert len(rows) == 420


def _stem(path: str) -> str:
    return path.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def test_clean_documentation_sharing_headings_and_navigation_gets_nothing():
    result = run_repair("check", str(CORPUS / "clean"), str(CORPUS / "formats"), "--select", "FUR004,FUR005,FUR006",
                        *NO_LT, "--format", "json")
    assert result.code == 0, result.stdout[:2000]


@pytest.mark.slow
def test_ray_gathers_the_template_across_shards_like_the_local_executor(tmp_path):
    pytest.importorskip("ray")  # installed by `make install` (the ray extra): present in CI
    data = tmp_path / "pages.jsonl"
    data.write_text("".join(json.dumps({"id": p.name, "text": p.text}) + "\n" for p in site_pages()),
                    encoding="utf-8")
    outputs = []
    for executor in ("local", "ray"):
        out = tmp_path / executor
        done = run_repair("check", str(data), "--select", "FUR004", *NO_LT, "-o", str(out), "-j", "2",
                          "--shard-size", "5", "--executor", executor)
        assert done.code == 1, done.stderr
        outputs.append(sorted(line for path in sorted((out / "findings").glob("part-*")) for line in path.open()))
    assert outputs[0] == outputs[1] and len(outputs[0]) == 420


def test_documentation_that_declares_its_content_shares_its_navigation_and_gets_nothing():
    """mdBook, MkDocs and rustdoc write <main> and <nav>: code in the page, or a documentation generator's name,
    says it is documentation (its sidebar on every page is its table of contents)."""
    sidebar = "".join(f'<li><a href="ch{n}.html">{n}. {title}</a></li>' for n, title in
                      enumerate(("Introduction", "Getting Started", "Installation", "Configuration", "Usage"), 1))
    pages = []
    for n, (title, body) in enumerate((("Installation", "<p>Install the tool with <code>cargo install</code>.</p>"),
                                       ("Configuration", "<p>The tool reads its settings from a file.</p>"
                                                         "<pre><code>[tool]\nname = 1</code></pre>"),
                                       ("Usage", "<p>Run it on a folder, <code>tool check docs</code>.</p>"))):
        meta = '<meta name="generator" content="mdBook">' if n == 1 else ""
        pages.append(f'<html><head>{meta}<title>{title} - The Tool Book</title></head><body>'
                     f'<nav id="sidebar" class="sidebar"><ol class="chapter">{sidebar}</ol></nav>'
                     f'<div class="menu-bar"><h1 class="menu-title">The Tool Book</h1>'
                     f'<a href="print.html">Print this book</a></div>'
                     f'<main><h1>{title}</h1>{body}</main>'
                     f'<nav class="nav-wrapper"><a href="prev.html">Previous chapter</a> '
                     f'<a href="next.html">Next chapter</a></nav></body></html>\n')
    engine = _engine("FUR004", "FUR005", "FUR006")
    docs = [Document(f"ch{n}.html", page) for n, page in enumerate(pages)]
    _run(engine, docs)
    assert not [f for doc in docs for f in engine.check(doc)]
    # the same pages as a news site's (no code, no generator) are furniture: the test reads what it claims
    news = [Document(doc.path, doc.text.replace("<code>", "<b>").replace("</code>", "</b>").replace("<pre>", "<p>")
                     .replace("</pre>", "</p>").replace('<meta name="generator" content="mdBook">', ""))
            for doc in docs]
    _run(engine, news)
    assert all(engine.check(doc) for doc in news)
