"""Writes corpus/formats/: the two seed articles in the prose of a Markdown file and of an HTML page, with their
gold annotations moved to the new offsets.

For each seed article `corpus/<name>.txt` (gold in `corpus/<name>.gold.json`, see build_gold.py):

- `corpus/formats/<name>.md`: a title heading and a small table (source, date, language) before the article, its
  paragraphs (blocks separated by a blank line) as Markdown paragraphs, line breaks inside them kept, and a fenced
  shell block between two paragraphs in the middle. The article text is pasted as it is, except where Markdown
  would not show it as text: a `<` that would open a raw HTML tag and a list marker at the start of a line
  get a backslash escape (`\\<style`, `\\- Sputnik`), so the page renders to exactly the article's paragraphs.
- `corpus/formats/<name>.html`: a page (doctype, head with charset, viewport, description, title and a style
  sheet) whose body holds an <article>: an <h1>, the same table, a <p> per paragraph and a <pre><code> block at
  the same place. Text is escaped as HTML needs it (`&` `<` `>` become `&amp;` `&lt;` `&gt;`), so a gold span
  holding one of them is longer in the page than in the plain text.
- `corpus/formats/<name>.md.gold.json` and `<name>.html.gold.json`: the gold file of the article (same JSON
  shape) with `file`, `origin` and `words` of the new file and each span moved: `start`/`end` are code-point
  offsets into the new file and `text` is the file's text there. `replacement` is escaped like the text.

Checks, or the script stops: every span's text, unescaped (Markdown backslash escapes; HTML character
references), is the plain-text span's text, character for character; in the HTML, the line breaks that end a
paragraph lie between two <p> elements, so a span that ends with them ends before them (seven spans: in 000
the tagline and the three captions printed a third time, in 003 the CSS line, the duplicated headline with its
blank line and `Written by\\n`). Rendering the Markdown (markdown-it-py, CommonMark with tables) and parsing
the HTML give back the article's paragraphs, in order, as the only <p> elements.

Run: python corpus/tools/build_format_seeds.py
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent
TARGET = CORPUS / "formats"

SEEDS = {
    "000_9d2a160825c0186a": {
        "title": "Palmyra, March 2016: a scraped news article",
        "description": "A news article on the recapture of Palmyra, as a web scraper left it.",
        "table": (("Source", "Date", "Language"),
                  ("Sputnik International, scraped web page", "2016-03-27", "English, translated from Russian")),
        "code": ("# save the page, then keep the text of its article\n"
                 "curl -sL -o palmyra.html https://example.org/world/palmyra\n"
                 "python3 -m html2text palmyra.html > palmyra.txt\n"),
    },
    "003_1374c92416c258b1": {
        "title": "Palmyra, March 2016: a machine-translated news report",
        "description": "A wire report on the recapture of Palmyra, machine-translated from French and scraped.",
        "table": (("Source", "Date", "Language"),
                  ("AFP report on a WordPress site", "2016-03-27", "English, machine-translated from French")),
        "code": ("# the French report, machine-translated, then checked\n"
                 "trans -b fr:en < palmyre.txt > palmyra.txt\n"
                 "repair check --source-language fr palmyra.txt\n"),
    },
}

STYLE = """body { font-family: Georgia, serif; max-width: 42em; margin: 2em auto; line-height: 1.5; color: #222; }
h1 { font-size: 1.6em; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: left; }
pre { background: #f4f4f4; padding: 0.6em; overflow-x: auto; }"""


# --- a text written piece by piece, with where each character of the article went ----------------------------------
class Writer:
    def __init__(self, source: str) -> None:
        self.source = source
        self.parts: list[str] = []
        self.length = 0
        self.span: list[tuple[int, int] | None] = [None] * len(source)  # source index -> [start, end) written

    def markup(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def char(self, index: int, written: str) -> None:
        self.span[index] = (self.length, self.length + len(written))
        self.markup(written)

    def text(self) -> str:
        return "".join(self.parts)


@dataclass
class Article:
    name: str
    text: str
    gold: dict
    blocks: list[tuple[int, int]]  # [start, end) of each paragraph in the text
    code_after: int                # the code block comes after this many paragraphs


def load(name: str) -> Article:
    text = (CORPUS / f"{name}.txt").read_text(encoding="utf-8")
    gold = json.loads((CORPUS / f"{name}.gold.json").read_text(encoding="utf-8"))
    if "\r" in text or re.search(r"\n{3}", text) or text != text.strip("\n"):
        raise SystemExit(f"{name}: expected paragraphs separated by one blank line")
    blocks, start = [], 0
    for match in re.finditer(r"\n\n", text):
        blocks.append((start, match.start()))
        start = match.end()
    blocks.append((start, len(text)))
    # the code block goes after the middle-most paragraph break that no gold span crosses
    free = [i for i in range(1, len(blocks))
            if not any(e["start"] < blocks[i][0] < e["end"] for e in gold["errors"])]
    code_after = min(free, key=lambda i: abs(i - len(blocks) / 2))
    return Article(name, text, gold, blocks, code_after)


# --- Markdown -------------------------------------------------------------------------------------------------------
_LINE_START = re.compile(r"[-+*](?=[ \t]|$)|#{1,6}(?=[ \t]|$)|>|\d{1,9}(?=[.)](?:[ \t]|$))|(?:=+|-+)[ \t]*$")


def markdown_escapes(block: str) -> set[int]:
    """Offsets in a paragraph before which a backslash keeps Markdown from reading the text as markup."""
    escapes = {m.start() for m in re.finditer(r"[\\`]|<(?=[A-Za-z/!?])|&(?=#?\w+;)", block)}
    position = 0
    for line in block.split("\n"):
        stripped = len(line) - len(line.lstrip(" "))
        match = _LINE_START.match(line, stripped)
        if match:
            # a number: escape the "." or ")" after it; anything else: its first character
            escapes.add(position + (match.end() if match.group().isdigit() else match.start()))
        position += len(line) + 1
    return escapes


def table_markdown(rows) -> str:
    header, *body = rows
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in body]
    return "\n".join(lines)


def write_markdown(article: Article, seed: dict) -> Writer:
    out = Writer(article.text)
    out.markup(f"# {seed['title']}\n\n{table_markdown(seed['table'])}\n\n")
    position = 0
    for number, (start, end) in enumerate(article.blocks):
        for index in range(position, start):  # the blank line before the paragraph, as it is
            out.char(index, article.text[index])
        if number == article.code_after:
            out.markup(f"```sh\n{seed['code']}```\n\n")
        escapes = markdown_escapes(article.text[start:end])
        for index in range(start, end):
            character = article.text[index]
            out.char(index, "\\" + character if index - start in escapes else character)
        position = end
    out.markup("\n")
    return out


def markdown_escape(text: str) -> str:
    escapes = markdown_escapes(text)
    return "".join("\\" + c if i in escapes else c for i, c in enumerate(text))


def markdown_unescape(text: str) -> str:
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)


def markdown_paragraphs(text: str) -> list[str]:
    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark").enable("table").render(text)
    return [html.unescape(p) for p in re.findall(r"<p>(.*?)</p>", rendered, flags=re.S)]


# --- HTML -----------------------------------------------------------------------------------------------------------
def table_html(rows) -> str:
    header, *body = rows
    lines = ["<table>", "<thead>", "<tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in header) + "</tr>",
             "</thead>", "<tbody>"]
    lines += ["<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in body]
    return "\n".join(lines + ["</tbody>", "</table>"])


def write_html(article: Article, seed: dict) -> Writer:
    out = Writer(article.text)
    title = html.escape(seed["title"])
    out.markup(
        "<!DOCTYPE html>\n"
        '<html lang="en">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="description" content="{html.escape(seed["description"])}">\n'
        f"<title>{title}</title>\n"
        f"<style>\n{STYLE}\n</style>\n"
        "</head>\n"
        "<body>\n"
        "<article>\n"
        f"<h1>{title}</h1>\n"
        f"{table_html(seed['table'])}\n"
    )
    position = 0
    for number, (start, end) in enumerate(article.blocks):
        if number:
            out.markup("</p>")
        for index in range(position, start):  # the blank line between two paragraphs: between two elements
            out.char(index, article.text[index])
        if number == article.code_after:
            out.markup(f'<pre><code class="language-sh">{html.escape(seed["code"], quote=False)}</code></pre>\n\n')
        out.markup("<p>")
        for index in range(start, end):
            out.char(index, html.escape(article.text[index], quote=False))
        position = end
    out.markup("</p>\n</article>\n</body>\n</html>\n")
    return out


class _Paragraphs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.current: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "p":
            self.current = []

    def handle_endtag(self, tag):
        if tag == "p" and self.current is not None:
            self.paragraphs.append("".join(self.current))
            self.current = None

    def handle_data(self, data):
        if self.current is not None:
            self.current.append(data)


def html_paragraphs(text: str) -> list[str]:
    parser = _Paragraphs()
    parser.feed(text)
    parser.close()
    return parser.paragraphs


# --- gold -----------------------------------------------------------------------------------------------------------
def moved_gold(article: Article, out: Writer, written: str, suffix: str, unescape, escape) -> dict:
    separators = {i for start, _ in article.blocks[1:] for i in (start - 2, start - 1)}
    errors = []
    for error in article.gold["errors"]:
        start, end = error["start"], error["end"]
        if suffix == ".html":
            while end - 1 in separators and end > start:
                end -= 1
        if end <= start:
            raise SystemExit(f"{article.name}: nothing left of {error['text']!r}")
        new_start, new_end = out.span[start][0], out.span[end - 1][1]
        raw = written[new_start:new_end]
        if unescape(raw) != article.text[start:end]:
            raise SystemExit(f"{article.name}{suffix}: {raw!r} does not give back {article.text[start:end]!r}")
        replacement = error["replacement"]
        errors.append({**error, "start": new_start, "end": new_end, "text": raw,
                       "replacement": None if replacement is None else escape(replacement)})
    kind = "a Markdown file" if suffix == ".md" else "an HTML page"
    return {**article.gold, "file": article.name + suffix,
            "origin": f"{article.gold['origin']}; its text in the prose of {kind} (corpus/tools/build_format_seeds.py)",
            "words": len(written.split()), "errors": errors}


def build() -> None:
    TARGET.mkdir(exist_ok=True)
    for name, seed in SEEDS.items():
        article = load(name)
        paragraphs = [article.text[s:e] for s, e in article.blocks]
        for suffix, writer, unescape, escape, read in (
            (".md", write_markdown, markdown_unescape, markdown_escape, markdown_paragraphs),
            (".html", write_html, html.unescape, lambda s: html.escape(s, quote=False), html_paragraphs),
        ):
            out = writer(article, seed)
            written = out.text()
            if None in out.span:
                raise SystemExit(f"{name}{suffix}: a character of the article was not written")
            if read(written) != paragraphs:
                raise SystemExit(f"{name}{suffix}: its paragraphs are not the article's")
            gold = moved_gold(article, out, written, suffix, unescape, escape)
            (TARGET / f"{name}{suffix}").write_text(written, encoding="utf-8", newline="")
            (TARGET / f"{name}{suffix}.gold.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n",
                                                              encoding="utf-8")
            print(f"formats/{name}{suffix}: {len(gold['errors'])} annotations, {gold['words']} words")


if __name__ == "__main__":
    build()
