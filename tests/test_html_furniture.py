"""Page furniture by an HTML page's markup (repair.formats.html_regions, FUR005/FUR006) on pages written like real
news sites' (two sites' templates, a Sputnik-like seed page), never the article's text, nothing on documentation."""

from __future__ import annotations

import re

from site_pages import site_pages

from conftest import CORPUS
from repair.config import Settings
from repair.document import Document
from repair.engine import Engine
from repair.formats.html_regions import page_regions
from repair.model import Applicability

SEED = CORPUS / "000_9d2a160825c0186a.txt"


def _engine() -> Engine:
    return Engine(Settings(select=("FUR005", "FUR006"), languagetool=False))


def _flagged(html: str) -> dict[str, str]:
    """The flagged lines' visible words (as the prose view shows them) -> the rule that flagged them."""
    engine = _engine()
    doc = Document("page.html", html)
    view = engine.prose_view(doc)[0].text
    return {" ".join(view[f.start:f.end].replace("\u2060", "").split()): f.code for f in engine.check(doc)}


def _touched(html: str, lines) -> list[str]:
    """The lines (found in the page's prose view, after <body>) that a finding overlaps."""
    engine = _engine()
    doc = Document("page.html", html)
    view = engine.prose_view(doc)[0].text
    findings = engine.check(doc)
    touched = []
    for line in lines:
        match = re.compile(r"[\s\u2060]+".join(map(re.escape, line.split()))).search(view, html.find("<body"))
        assert match, line
        if any(f.start < match.end() and match.start() < f.end for f in findings):
            touched.append(line)
    return touched


def _covers(flagged: dict[str, str], line: str) -> bool:
    return any(line in text for text in flagged)


def _texts(regions, html: str, verdict: str) -> set[str]:
    return {" ".join(html[r.start:r.end].split()) for r in regions.runs if r.verdict == verdict}


def test_landmarks_hints_and_the_articles_own_header_get_their_verdicts():
    page = site_pages()[0]
    regions = page_regions(page.html)
    assert regions.declares_content
    furniture = _texts(regions, page.html, "furniture")
    content = _texts(regions, page.html, "content")
    assert {"World", "Business", "Sign in", "Subscribe", "Share this article", "Privacy Policy", "Most read"} <= furniture
    # the header inside the article is its own: headline and dateline are content
    assert page.own[0] in content and page.own[1] in content
    assert all(paragraph in content for paragraph in page.own[2:])
    landmarks = {" ".join(page.html[r.start:r.end].split()) for r in regions.runs if r.landmark}
    assert "World" in landmarks and "Share this article" not in landmarks  # a class hint inside the article


def test_the_menus_footers_and_teasers_of_news_pages_are_found_and_no_line_of_an_article():
    for page in (site_pages()[0], site_pages()[12]):
        flagged = _flagged(page.html)
        assert _touched(page.html, page.own) == [], page.name
        found = [line for line in page.template if _covers(flagged, line)]
        assert len(found) >= 0.8 * len(page.template), (page.name, set(page.template) - set(found))
    meridian = _flagged(site_pages()[0].html)
    assert meridian["World"] == "FUR005" and meridian["Share this article"] == "FUR006"


def test_sure_lines_lose_their_words_and_keep_their_markup():
    page = site_pages()[0]
    engine = _engine()
    fixed = engine.fix(Document("page.html", page.html)).text  # safe fixes only: the landmarks
    assert '<a href="/world"></a>' in fixed and "Share this article" in fixed
    assert all(paragraph.replace("&", "&amp;") in fixed or paragraph in fixed for paragraph in page.own[2:])
    assert fixed.count("<") == page.html.count("<")
    assert engine.fix(Document("page.html", fixed)).text == fixed


def _seed_page() -> tuple[str, set[str]]:
    """The Sputnik seed article as its site's page: header and menu, the article with its pictures, captions and
    two related-article boxes inside it, a footer."""
    lines = [line for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    related = {"First Images of Palmyra’s Ancient Artifacts Damaged by Daesh Revealed",
               "Palmyra Liberation: Syrian Army Officer Reveals Details of Operation"}
    body = []
    for line in lines[3:]:
        if line in related:
            body.append(f'<div class="article__related related-article"><a href="/middleeast/1">{line}</a></div>')
        elif line.endswith("- Sputnik International") or line.startswith("©"):
            body.append(f"<figure><img src='/i.jpg' alt=''><figcaption>{line}</figcaption></figure>")
        else:
            body.append(f"<p>{line}</p>")
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head><title>Palmyra Victory - Sputnik International</title></head>\n"
            "<body>\n<header class=\"header\"><a class=\"header__logo\" href=\"/\">Sputnik International</a>\n"
            "<nav class=\"header__menu\"><a href=\"/world/\">World</a> <a href=\"/russia/\">Russia</a> "
            "<a href=\"/middleeast/\">Middle East</a> <a href=\"/subscribe/\">Subscribe</a></nav></header>\n"
            "<div class=\"layout\">\n<article class=\"article\">\n<h1 class=\"article__title\">"
            + lines[1] + "</h1>\n<div class=\"article__body\">\n" + "\n".join(body) + "\n</div>\n</article>\n"
            "<aside class=\"sidebar\"><h3>Most read</h3><ul><li><a href=\"/a\">Russia Says US Strikes Undermine Peace "
            "Talks</a></li></ul></aside>\n</div>\n<footer class=\"footer\"><a href=\"/docs/terms.html\">Terms of use</a> "
            "<a href=\"/docs/privacy.html\">Privacy policy</a> <span>&copy; 2016 Sputnik</span></footer>\n</body>\n</html>\n"), related


def test_a_seed_like_page_loses_its_menu_related_headlines_and_footer_and_keeps_its_article():
    html, related = _seed_page()
    flagged = _flagged(html)
    assert related <= set(flagged) and all(flagged[line] == "FUR006" for line in related)
    assert all(_covers(flagged, line) for line in ("World", "Middle East", "Terms of use",
                                                   "Russia Says US Strikes Undermine Peace Talks"))
    fixed = _engine().fix(Document("seed.html", html), Applicability.UNSAFE).text
    for line in SEED.read_text(encoding="utf-8").splitlines():
        if len(line.split()) >= 12 and f"<p>{line}</p>" in html:
            assert f"<p>{line}</p>" in fixed  # every paragraph of the article stays


def test_a_page_that_declares_no_content_gets_no_verdict():
    sphinx = (CORPUS / "clean" / "html" / "sqlalchemy-intro.html").read_text(encoding="utf-8")
    regions = page_regions(sphinx)
    assert not regions.declares_content and regions.furniture_runs() == []
    # a landmark alone is no declaration: the sidebar of a page without content is marked, but nothing is reported
    sidebar = page_regions('<div role="navigation"><a href="/">Contents</a></div><div role="note">Text</div>')
    assert not sidebar.declares_content and sidebar.furniture_runs() == []
    assert not _flagged(sphinx)


def test_malformed_html_never_raises():
    for html in ("<nav><a href='/'>Home</a>", "<main><p>Text</nav></p>", "<!DOCTYPE x [<!ENTITY a 'b'>]><nav>Menu",
                 "<article><div class=>x</div><![CDATA[ y ]]>", "</footer></main>text"):
        page_regions(html)
        _engine().check(Document("bad.html", html))
