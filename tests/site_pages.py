"""A realistic multi-page set for the site-template signal (FUR004): the pages of two news sites, as a crawler's
plain-text dump (one page a file or record) and as HTML, built from real article text.

The articles are the human reference translations of corpus/clean/wmt21-human-references-en.txt, cut into
consecutive runs of paragraphs (their own short lines stay: "(Reporter Nie Qing)", one-line paragraphs). The
templates are written like real news sites': a skip link, the site's name, section menus, sign-in and subscribe
buttons, a share bar, a rotating "Most read" box of the other pages' headlines, a newsletter box and a footer.
Each page's own lines (its headline, dateline and paragraphs) are returned with it, so that a test can tell the
template from the article.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "corpus" / "clean" / "wmt21-human-references-en.txt"

MERIDIAN_MENU = ["Skip to main content", "The Daily Meridian", "World", "China", "Business", "Science & Health",
                 "Culture", "Opinion", "Sign in", "Subscribe"]
MERIDIAN_SHARE = ["Share this article", "Facebook", "Twitter", "Email"]
MERIDIAN_FOOTER = ["Get the Morning Briefing in your inbox", "Sign up", "About us", "Contact us", "Work for us",
                   "Terms of Service", "Privacy Policy", "Cookie settings",
                   "© 2020 The Daily Meridian Ltd. All rights reserved."]
HARBOUR_MENU = ["Harbour Post", "Menu", "Home", "Local", "Nation", "Asia Pacific", "Podcasts", "Log in"]
HARBOUR_FOOTER = ["Related topics", "Coronavirus", "Public health",
                  "Support independent journalism from $1 a week", "Donate now",
                  "Harbour Post is a member of the Independent Press Standards Organisation",
                  "Advertise with us | Careers | Accessibility | Corrections", "Copyright © Harbour Post Media 2020"]


@dataclass(frozen=True)
class Page:
    site: str
    name: str
    text: str
    html: str
    #: the page's own lines: its headline, dateline and paragraphs
    own: tuple[str, ...]
    #: the lines its site's template put on it (menu, share bar, footer, the other pages' headlines)
    template: tuple[str, ...]


def _articles(count: int, paragraphs: int) -> list[list[str]]:
    text = ARTICLES.read_text(encoding="utf-8")
    runs = [p.strip() for p in text.split("\n\n") if p.strip()]
    return [runs[i * paragraphs:(i + 1) * paragraphs] for i in range(count)]


def _headline(paragraphs: list[str]) -> str:
    words = paragraphs[0].rstrip(".").split()
    return " ".join(words[:9]).rstrip(",:;")


def site_pages() -> list[Page]:
    """18 pages: 12 of The Daily Meridian, 6 of the Harbour Post (8 paragraphs each, consecutive articles)."""
    articles = _articles(18, 8)
    headlines = [_headline(a) for a in articles]
    pages = []
    for i, paragraphs in enumerate(articles):
        dateline = f"Updated {i + 3} November 2020, {9 + i % 8}:{10 + i:02d} GMT"
        own = (headlines[i], dateline, *paragraphs)
        if i < 12:
            most_read = [headlines[(i + k) % 12] for k in (1, 2, 3)]
            template = (*MERIDIAN_MENU, *MERIDIAN_SHARE, "Most read", *most_read, *MERIDIAN_FOOTER)
            lines = [*MERIDIAN_MENU, *own, *MERIDIAN_SHARE, "Most read", *most_read, *MERIDIAN_FOOTER]
            html = _meridian_html(headlines[i], dateline, paragraphs, most_read)
            pages.append(Page("meridian", f"meridian-{i:02d}", "\n".join(lines) + "\n", html, own, template))
        else:
            template = (*HARBOUR_MENU, *HARBOUR_FOOTER)
            lines = [*HARBOUR_MENU, *own, *HARBOUR_FOOTER]
            html = _harbour_html(headlines[i], dateline, paragraphs)
            pages.append(Page("harbour", f"harbour-{i - 12:02d}", "\n".join(lines) + "\n", html, own, template))
    return pages


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _meridian_html(headline: str, dateline: str, paragraphs: list[str], most_read: list[str]) -> str:
    """A page as a modern news site writes it: landmarks, an <article>, a share bar and a "Most read" aside."""
    menu = "\n".join(f'      <li class="nav__item"><a href="/{section.lower().split()[0]}">{_escape(section)}</a></li>'
                     for section in MERIDIAN_MENU[2:8])
    body = "\n".join(f"    <p>{_escape(p)}</p>" for p in paragraphs)
    teasers = "\n".join(f'      <li><a href="/story/{n}">{_escape(h)}</a></li>' for n, h in enumerate(most_read))
    footer = "\n".join(f'    <li><a href="/{n}">{_escape(item)}</a></li>' for n, item in enumerate(MERIDIAN_FOOTER[2:8]))
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{_escape(headline)} | The Daily Meridian</title>
  <meta property="og:type" content="article">
  <script>window.dataLayer = window.dataLayer || [];</script>
</head>
<body>
  <a class="skip-link" href="#main">Skip to main content</a>
  <header class="site-header" role="banner">
    <a class="site-header__logo" href="/">The Daily Meridian</a>
    <nav class="nav" aria-label="Sections">
      <ul class="nav__list">
{menu}
      </ul>
    </nav>
    <div class="site-header__account"><a href="/login">Sign in</a> <a class="button" href="/subscribe">Subscribe</a></div>
  </header>
  <main id="main">
  <article class="article">
    <header class="article__header">
      <h1 class="article__headline">{_escape(headline)}</h1>
      <p class="article__meta"><time datetime="2020-11-03">{_escape(dateline)}</time></p>
    </header>
    <div class="article__body">
{body}
    </div>
    <div class="share-tools">
      <span class="share-tools__label">Share this article</span>
      <a href="https://www.facebook.com/sharer">Facebook</a>
      <a href="https://twitter.com/intent/tweet">Twitter</a>
      <a href="mailto:?subject=story">Email</a>
    </div>
  </article>
  <aside class="most-read">
    <h2>Most read</h2>
    <ol>
{teasers}
    </ol>
  </aside>
  </main>
  <footer class="site-footer">
    <div class="newsletter-signup">
      <p>Get the Morning Briefing in your inbox</p>
      <button type="submit">Sign up</button>
    </div>
    <ul class="site-footer__links">
{footer}
    </ul>
    <p class="site-footer__legal">&copy; 2020 The Daily Meridian Ltd. All rights reserved.</p>
  </footer>
</body>
</html>
"""


def _harbour_html(headline: str, dateline: str, paragraphs: list[str]) -> str:
    """An older site: no landmarks, a div soup whose classes name the parts, the article in itemprop=articleBody."""
    menu = " | ".join(f'<a href="/{s.lower().split()[0]}">{_escape(s)}</a>' for s in HARBOUR_MENU[2:7])
    body = "\n".join(f"<p>{_escape(p)}</p>" for p in paragraphs)
    return f"""<html>
<head><title>{_escape(headline)} - Harbour Post</title></head>
<body>
<div id="top"><div class="logo"><a href="/">Harbour Post</a></div>
<div id="menu-bar"><span class="menu-toggle">Menu</span>
<div class="links">{menu} | <a href="/login">Log in</a></div></div></div>
<div class="wrapper">
<div class="story">
<h1>{_escape(headline)}</h1>
<div class="byline">{_escape(dateline)}</div>
<div itemprop="articleBody">
{body}
</div>
<div class="related-topics"><b>Related topics</b> <a href="/t/covid">Coronavirus</a> <a href="/t/health">Public health</a></div>
</div>
<div class="donate-box"><p>Support independent journalism from $1 a week</p><a class="btn" href="/donate">Donate now</a></div>
</div>
<div id="footer-wrap">
<p>Harbour Post is a member of the Independent Press Standards Organisation</p>
<p><a href="/ads">Advertise with us</a> | <a href="/jobs">Careers</a> | <a href="/a11y">Accessibility</a> | <a href="/corrections">Corrections</a></p>
<p>Copyright &copy; Harbour Post Media 2020</p>
</div>
</body>
</html>
"""
